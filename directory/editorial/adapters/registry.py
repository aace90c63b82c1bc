"""Every entity kind editors can edit, and its adapter."""

from __future__ import annotations

from directory.editorial.adapters.conditions import ConditionAdapter
from directory.editorial.adapters.designations import ECZA_FIELDS, SONCOS_FIELDS, DesignationAdapter
from directory.editorial.adapters.expertise_rows import (
    INSTITUTION_FORM,
    NETWORK_FORM,
    PANEL_FORM,
    WORKING_GROUP_FORM,
    ExpertiseRowAdapter,
)
from directory.editorial.adapters.sites import SiteAdapter
from directory.editorial.entities import EntityAdapter


def default_adapters() -> dict[str, EntityAdapter]:
    """Every entity kind editors can edit, by kind."""
    adapters: list[EntityAdapter] = [
        ConditionAdapter(),
        ExpertiseRowAdapter("panel", "Panel", "name_nl", "nl", PANEL_FORM),
        ExpertiseRowAdapter("working_group", "WorkingGroup", "name_nl", "nl", WORKING_GROUP_FORM),
        ExpertiseRowAdapter("institution", "Institution", "name", "nl", INSTITUTION_FORM),
        SiteAdapter(),
        ExpertiseRowAdapter("network", "Network", "name", "nl", NETWORK_FORM),
        DesignationAdapter("ecza", "editor-ecza", "ecza", ECZA_FIELDS),
        DesignationAdapter("soncos", "editor-soncos", "soncos_reference_centre", SONCOS_FIELDS),
    ]
    return {a.kind: a for a in adapters}
