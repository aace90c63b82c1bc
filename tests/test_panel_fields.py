"""A panel's fields are declared once (directory.expertise.panel_fields): the model, the
migrations, the importer, the curated data, the editor's form and labels, and the public
page's sections agree with the declaration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.support import Translations
from sqlalchemy import Text, create_engine, inspect

from directory.editorial.adapters.expertise_rows import PANEL_FORM
from directory.expertise.models import Panel
from directory.expertise.panel_fields import (
    PANEL_BOOKKEEPING_COLUMNS,
    PANEL_FIELDS,
    PANEL_SECTIONS,
    PANEL_SUMMARY,
    PANEL_TEXTS,
    editor_order,
)
from importers.panels import OPTIONAL, REQUIRED
from web.editor.texts import field_label

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "data" / "curated" / "panels.json"


def declared_columns() -> set[str]:
    return {column for f in PANEL_FIELDS for column in f.columns}


def test_names_are_declared_once() -> None:
    names = [f.name for f in PANEL_FIELDS]
    assert len(names) == len(set(names))


def test_every_panel_column_is_a_declared_field_or_bookkeeping() -> None:
    columns = set(Panel.__table__.columns.keys())
    assert columns - PANEL_BOOKKEEPING_COLUMNS == declared_columns()
    assert not PANEL_BOOKKEEPING_COLUMNS & declared_columns()
    for f in PANEL_FIELDS:
        if f.prose:  # made from the declaration: Text, Dutch and English
            for column in f.columns:
                assert isinstance(Panel.__table__.columns[column].type, Text), column


def test_the_migrations_make_the_columns_the_model_declares(
    migrated_sqlite_template: Path,
) -> None:
    engine = create_engine(f"sqlite:///{migrated_sqlite_template}")
    try:
        in_database = {c["name"] for c in inspect(engine).get_columns("panel")}
    finally:
        engine.dispose()
    assert in_database == set(Panel.__table__.columns.keys())


def test_the_importer_reads_every_declared_prose_field_under_its_own_name() -> None:
    for f in PANEL_TEXTS:
        if f.source == "optional":
            assert (f.name in OPTIONAL, f.name in REQUIRED) == (True, False), f.name
        else:
            assert (f.name in OPTIONAL, f.name in REQUIRED) == (False, True), f.name
    # a prose field with no rule for the importer is one the importer reads itself
    assert {f.name for f in PANEL_FIELDS if f.prose and f.source is None} == {"scope"}


def test_the_curated_panels_have_what_the_declaration_requires() -> None:
    panels = json.loads(CURATED.read_text(encoding="utf-8"))["panels"]
    assert panels
    known = set(REQUIRED) | set(OPTIONAL)
    for panel in panels:
        assert set(panel) <= known, (panel["slug"], set(panel) - known)
        for f in PANEL_TEXTS:
            value = panel.get(f.name)
            if f.source == "required":
                assert value, (panel["slug"], f.name)
                assert value.get("nl") or value.get("en"), (panel["slug"], f.name)
            if f.source == "nullable":
                assert f.name in panel, (panel["slug"], f.name)


def test_every_field_on_the_public_page_is_editable_or_says_why_not() -> None:
    for f in PANEL_FIELDS:
        if not f.editable:
            assert f.not_editable.strip(), f.name
    shown = [f for f in PANEL_FIELDS if f.shown]
    assert [f.name for f in shown if not f.editable] == ["working_group", "euracan_domain"]
    # every prose text the page shows is among them
    assert {f.name for f in PANEL_TEXTS} <= {f.name for f in shown}


def test_the_editor_form_is_derived_from_the_declaration() -> None:
    expected: list[str] = []
    for f in editor_order():
        expected += list(f.columns or (f.name,))
    assert [s.name for s in PANEL_FORM] == expected
    by_name = {s.name: s for s in PANEL_FORM}
    for f in PANEL_FIELDS:
        for column in f.columns:
            if f.editable:
                spec = by_name[column]
                assert (spec.kind, spec.max_length, spec.group) == (f.kind, f.max_length, f.group)
                assert spec.lang == (column[-2:] if f.bilingual else None)
    # the groups come in the form's order, each once
    groups = [s.group for s in PANEL_FORM]
    assert groups == sorted(groups, key=["", "about", "submitting", "working", "contact",
                                         "links"].index)  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_editable_panel_field_has_a_label_in_both_languages(lang: str) -> None:
    translations = Translations.load(str(ROOT / "locales"), [lang])
    for spec in PANEL_FORM:
        label = field_label(translations.gettext, spec.name)
        assert label != spec.name, spec.name
        if spec.lang:
            suffix = {"nl": {"nl": "Nederlands", "en": "Engels"}, "en": {"nl": "Dutch",
                                                                   "en": "English"}}  # fmt: skip
            assert label.endswith(suffix[lang][spec.lang]) or spec.name.startswith(
                ("name_", "scope_", "notes_")  # shared labels of every entity kind
            ), (spec.name, label)


def test_the_page_sections_and_the_summary_come_from_the_declaration() -> None:
    sectioned = [f for section in PANEL_SECTIONS.values() for f in section]
    assert sectioned == [f for f in PANEL_FIELDS if f.section is not None]
    assert [f.name for f in PANEL_SUMMARY] == [
        "who_may_submit", "what_to_include", "patient_consent", "turnaround", "feedback_route",
        "contact_route",
    ]  # fmt: skip
    for f in sectioned:
        assert f.show == "always" or not f.if_missing, f.name  # a fallback needs a row
