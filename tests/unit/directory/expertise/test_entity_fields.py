"""Each expertise entity's fields are declared once (directory.expertise.entity_fields):
the models, the migrations, the panels' importer and curated data, the editor's forms and
labels, and the panel page's sections agree with the declarations."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from babel.support import Translations
from sqlalchemy import Text, create_engine, inspect

from config.settings import PROJECT_ROOT
from directory.editorial.adapters.registry import default_adapters
from directory.expertise import models
from directory.expertise.entity_fields import (
    BOOKKEEPING_COLUMNS,
    EDITOR_GROUPS,
    ENTITY_FIELDS,
    PANEL_FIELDS,
    PANEL_SECTIONS,
    PANEL_SUMMARY,
    PANEL_TEXTS,
    editor_order,
)
from importers.panels import OPTIONAL, REQUIRED
from web.editor.texts import FIELD_LABELS, field_label

ROOT = PROJECT_ROOT
CURATED = ROOT / "data" / "curated" / "panels.json"
MODELS = {
    "panel": models.Panel,
    "working_group": models.WorkingGroup,
    "institution": models.Institution,
    "network": models.Network,
}
KINDS = sorted(ENTITY_FIELDS)


def declared_columns(kind: str) -> set[str]:
    return {column for f in ENTITY_FIELDS[kind] for column in f.columns}


@pytest.mark.parametrize("kind", KINDS)
def test_names_are_declared_once(kind: str) -> None:
    names = [f.name for f in ENTITY_FIELDS[kind]]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_a_declared_field_or_bookkeeping(kind: str) -> None:
    columns = set(MODELS[kind].__table__.columns.keys())
    assert columns - BOOKKEEPING_COLUMNS[kind] == declared_columns(kind)
    assert not BOOKKEEPING_COLUMNS[kind] & declared_columns(kind)
    assert BOOKKEEPING_COLUMNS[kind] <= columns


def test_the_panels_prose_columns_are_made_from_the_declaration() -> None:
    for f in PANEL_FIELDS:
        if f.prose:
            for column in f.columns:
                assert isinstance(models.Panel.__table__.columns[column].type, Text), column


def test_the_migrations_make_the_columns_the_models_declare(
    migrated_sqlite_template: Path,
) -> None:
    engine = create_engine(f"sqlite:///{migrated_sqlite_template}")
    try:
        db = inspect(engine)
        for model in MODELS.values():
            in_database = {c["name"] for c in db.get_columns(model.__tablename__)}
            assert in_database == set(model.__table__.columns.keys()), model.__tablename__
    finally:
        engine.dispose()


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


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_on_a_public_page_is_editable_or_says_why_not(kind: str) -> None:
    for f in ENTITY_FIELDS[kind]:
        if not f.editable:
            assert f.not_editable.strip(), f.name
            assert f.shown, f"{f.name}: a field no one sees needs no declaration"
    assert {f.name for f in PANEL_TEXTS} <= {f.name for f in PANEL_FIELDS if f.shown}


@pytest.mark.parametrize("kind", KINDS)
def test_the_editor_form_is_derived_from_the_declaration(kind: str) -> None:
    form = default_adapters()[kind].fields
    expected: list[str] = []
    for f in editor_order(ENTITY_FIELDS[kind]):
        expected += list(f.columns or (f.name,))
    assert [s.name for s in form] == expected
    by_name = {s.name: s for s in form}
    for f in ENTITY_FIELDS[kind]:
        if not f.editable:
            assert not set(f.columns or (f.name,)) & set(by_name), f.name
            continue
        for column in f.columns or (f.name,):
            spec = by_name[column]
            assert (spec.kind, spec.max_length, spec.group) == (f.kind, f.max_length, f.group)
            assert spec.lang == (column[-2:] if f.bilingual else f.lang), column
            assert spec.imported == (f.imported and not f.create_only), column
    groups = [s.group for s in form]
    assert groups == sorted(groups, key=EDITOR_GROUPS.index)


def test_a_column_several_kinds_share_has_one_label() -> None:
    """The editor finds a label by column name: the generic FIELD_LABELS first, then the
    declarations, which must then agree (labelled_columns keeps only one)."""
    labels: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for fields in ENTITY_FIELDS.values():
        for f in fields:
            for column in f.columns or (f.name,):
                labels[column].add((f.label, f.bilingual))
    differing = {name for name, found in labels.items() if len(found) > 1}
    assert differing - set(FIELD_LABELS) == set()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_editable_field_has_a_label_in_both_languages(kind: str, lang: str) -> None:
    translations = Translations.load(str(ROOT / "locales"), [lang])
    suffix = {"nl": {"nl": "Nederlands", "en": "Engels"}, "en": {"nl": "Dutch", "en": "English"}}
    for spec in default_adapters()[kind].fields:
        label = field_label(translations.gettext, spec.name)
        assert label != spec.name, spec.name
        assert "%(" not in label, spec.name
        if spec.lang and spec.name.endswith(("_nl", "_en")):
            assert label.endswith(suffix[lang][spec.lang]) or "name" in spec.name, (
                spec.name,
                label,
            )


def test_the_panel_page_sections_and_summary_come_from_the_declaration() -> None:
    sectioned = [f for section in PANEL_SECTIONS.values() for f in section]
    assert sectioned == [f for f in PANEL_FIELDS if f.section is not None]
    assert [f.name for f in PANEL_SUMMARY] == [
        "who_may_submit", "what_to_include", "patient_consent", "turnaround", "feedback_route",
        "contact_route",
    ]  # fmt: skip
    for f in sectioned:
        assert f.show == "always" or not f.if_missing, f.name  # a fallback needs a row
