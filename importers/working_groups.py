"""National working groups, their sub-groups and initiatives (``working_groups.json``).

Every group of seed 002 §2.2.1 (NWHHT, DSG, WOG, ... NABON) with its domain,
scope ORPHAcodes, website when known, and, where a seed names them, its centres
(and, for the NWHHT, its preferred partners). The service turns centres and
partners into designations of kind ``working_group_centre`` and
``preferred_partner``.
"""

from __future__ import annotations

from directory.expertise.records import (
    Bilingual,
    BilingualList,
    WorkingGroupRecord,
    WorkingGroupsRelease,
)
from directory.vocabulary import WORKING_GROUP_KINDS
from importers.base import SourceFile
from importers.curated import JsonFile, records

SOURCE = "working-groups"
KINDS = WORKING_GROUP_KINDS


def parse_working_groups(source: SourceFile) -> WorkingGroupsRelease:
    """Working groups; InputRejected listing every problem in the file."""
    file = JsonFile(source)
    root = file.root(["working_groups"], ["common_tasks"])
    common = root.bilingual_list("common_tasks") if "common_tasks" in root.data else None
    groups: list[WorkingGroupRecord] = []
    for el in records(
        file,
        root.objects("working_groups"),
        "working_groups",
        ["slug", "name", "abbreviation", "kind", "parent", "euracan_domain", "domain_label",
         "scope", "scope_orphacodes", "website", "centre_institutions", "initiatives",
         "description", "notes", "sources"],
        ["partner_institutions", "scope_exclude_orphacodes"],
    ):  # fmt: skip
        slug = el.slug()
        parent = el.ref("parent")
        if parent is not None and parent.value == slug:
            el.problem("parent", "a working group cannot be its own parent")
        groups.append(
            WorkingGroupRecord(
                slug=slug,
                name=el.bilingual("name") or Bilingual(slug, slug),
                abbreviation=el.text("abbreviation", required=False, max_len=50),
                kind=el.enum("kind", KINDS) or "initiative",
                parent=parent,
                euracan_domain=el.ref("euracan_domain"),
                domain_label=el.bilingual("domain_label", required=False),
                scope=el.bilingual("scope", required=False),
                scope_codes=el.codes("scope_orphacodes"),
                website=el.url("website"),
                centres=el.refs("centre_institutions"),
                partners=el.refs("partner_institutions"),
                initiatives=el.refs("initiatives"),
                description=el.bilingual("description", required=False),
                notes=el.bilingual("notes", required=False),
                sources=el.sources(),
                where=el.where,
                scope_exclude=el.codes("scope_exclude_orphacodes"),
            )
        )
    slugs = {g.slug for g in groups}
    for g in groups:
        if g.parent is not None and g.parent.value not in slugs:
            file.problem(g.where, "parent", f"unknown working group {g.parent.value!r}")
    _check_cycles(file, groups)
    file.raise_if_problems("working groups")
    tasks = common if common and (common.nl or common.en) else None
    return WorkingGroupsRelease(
        release=file.release(SOURCE),
        working_groups=tuple(groups),
        common_tasks=tasks if isinstance(tasks, BilingualList) else None,
        source_name=source.name,
    )


def _check_cycles(file: JsonFile, groups: list[WorkingGroupRecord]) -> None:
    parent = {g.slug: g.parent.value for g in groups if g.parent}
    for g in groups:
        seen = {g.slug}
        node = parent.get(g.slug)
        while node is not None:
            if node in seen:
                what = "is a cycle" if node == g.slug else "leads into a cycle"
                file.problem(g.where, "parent", f"the parent chain of {g.slug!r} {what}")
                break
            seen.add(node)
            node = parent.get(node)
