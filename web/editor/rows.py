"""Rows that several editor screens list: changes, drafts, overrides, and the
names and field specs they show (no screen: the screens import it, not each other)."""

from __future__ import annotations

from collections.abc import Mapping

from directory.editorial.fields import FieldSpec
from directory.editorial.queries.history import DraftView, OverrideView
from web.editor import texts
from web.editor.contexts import ChangeRow, DraftRow, OverrideRow
from web.editor.paths import editor_path, entity_editor_path
from web.editor.render import Translate, shown
from web.editor.request import EditorRequest


def entity_title(er: EditorRequest, kind: str, entity_id: str) -> tuple[str, str]:
    state = er.editor.queries.entity(kind, entity_id)
    return (state.title, state.title_lang) if state else (entity_id, "en")


def field_spec(er: EditorRequest, kind: str, name: str) -> FieldSpec | None:
    adapter = er.editor.queries.adapters.get(kind)
    if adapter is None:
        return None
    return next((s for s in adapter.fields if s.name == name), None)


def change_rows(
    er: EditorRequest, _: Translate, kind: str, changes: Mapping[str, tuple[object, object]]
) -> tuple[ChangeRow, ...]:
    rows = []
    for name, (before, after) in changes.items():
        spec = field_spec(er, kind, name)
        lang = spec.lang if spec else None
        rows.append(
            ChangeRow(
                texts.field_label(_, name),
                shown(before, lang),
                shown(after, lang),
            )
        )
    return tuple(rows)


def draft_row(er: EditorRequest, _: Translate, d: DraftView) -> DraftRow:
    return DraftRow(
        id=d.id,
        url=editor_path("drafts", er.lang, d.id),
        kind_label=texts.label(_, texts.KINDS, d.entity_kind),
        title=d.entity_title,
        title_lang=d.title_lang,
        action_label=texts.label(_, texts.ACTIONS, d.action),
        status_label=texts.label(_, texts.STATUSES, d.status),
        author=d.author,
        created_at=d.created_at,
        stale=d.stale,
        mine=d.author_id == er.user_id,
    )


def override_row(er: EditorRequest, _: Translate, o: OverrideView) -> OverrideRow:
    spec = field_spec(er, o.entity_kind, o.field)
    lang = spec.lang if spec else None
    title, _title_lang = entity_title(er, o.entity_kind, o.entity_id)
    return OverrideRow(
        id=o.id,
        kind_label=texts.label(_, texts.KINDS, o.entity_kind),
        title=title,
        entity_url=entity_editor_path("history", o.entity_kind, o.entity_id, er.lang),
        field_label=texts.field_label(_, o.field),
        value=shown(o.value, lang),
        source_value=shown(o.source_value, lang),
        last_source_value=shown(o.last_source_value, lang),
        disagrees=o.disagrees,
        reason=o.reason,
        created_by=o.created_by,
        created_at=o.created_at,
        last_import_at=o.last_import_at,
    )
