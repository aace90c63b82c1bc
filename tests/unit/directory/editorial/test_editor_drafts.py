"""Edits are drafts until a reviewer who is not the author approves them (four eyes)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.conditions.queries import CatalogueQueries
from directory.editorial.errors import Conflict, InvalidInput, PermissionDenied
from directory.editorial.models import AuditEntry, Draft
from directory.editorial.services import EditorialService
from tests.support.editor import Published, Team, import_dutch_names


def edit(editorial: EditorialService, user_id: int, code: int = 319, **values: str) -> int:
    form = editorial.entity_form("condition", str(code))
    raw = {"name_nl": "", "synonyms_nl": "", "summary_nl": "", "summary_en": ""}
    raw.update(
        {k: v for k, v in form.state.values.items() if isinstance(v, str)}  # keep what is there
    )
    raw.update(values)
    return editorial.save_draft(
        user_id, "condition", str(code), "update", raw, form.token, "correcting the name"
    )


def test_draft_is_not_published_until_a_reviewer_approves(
    editorial: EditorialService, team: Team, queries: CatalogueQueries, published: Published
) -> None:
    draft_id = edit(editorial, team.editor.id, name_nl="Ewing-sarcoom van het bot")
    detail = queries.condition(319)
    assert detail is not None
    assert "nl" not in detail.ref.names  # nothing published yet
    assert published.calls == 0

    with pytest.raises(PermissionDenied) as own:
        editorial.approve(draft_id, team.editor.id)  # the author, and not a reviewer
    assert own.value.code == "needs_reviewer"
    with pytest.raises(PermissionDenied) as role:
        editorial.approve(draft_id, team.other_editor.id)  # not the author, but an editor
    assert role.value.code == "needs_reviewer"
    assert "nl" not in queries.condition(319).ref.names  # type: ignore[union-attr]

    result = editorial.approve(draft_id, team.reviewer.id, "looks right")
    assert result.changed == ("name_nl",)
    assert result.revision == 1
    assert published.calls == 1  # the search index is rebuilt after publishing
    detail = queries.condition(319)
    assert detail is not None
    assert detail.ref.names["nl"].value == "Ewing-sarcoom van het bot"
    assert detail.ref.names["nl"].origin == "editorial"


def test_reviewer_cannot_approve_own_draft_but_another_reviewer_can(
    editorial: EditorialService, team: Team
) -> None:
    draft_id = edit(editorial, team.reviewer.id, name_nl="Chordoom", code=178)
    with pytest.raises(PermissionDenied) as own:
        editorial.approve(draft_id, team.reviewer.id)
    assert own.value.code == "own_draft"
    editorial.approve(draft_id, team.admin.id)  # admins review too
    assert editorial.entity_form("condition", "178").state.values["name_nl"] == "Chordoom"


def test_audit_row_for_every_changed_field_and_nothing_else(
    editorial: EditorialService, team: Team, sessions
) -> None:
    first = edit(editorial, team.editor.id, name_nl="Ewing-sarcoom", synonyms_nl="Ewingsarcoom")
    editorial.approve(first, team.reviewer.id)
    second = edit(
        editorial,
        team.other_editor.id,
        name_nl="Ewing-sarcoom",  # unchanged
        synonyms_nl="Ewingsarcoom\nEwing sarcoom",
        summary_nl="Een zeldzame vorm van botkanker, vooral bij jonge mensen.",
    )
    editorial.approve(second, team.admin.id)
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    entity_rows = [r for r in rows if r.entity_kind == "condition"]
    assert [(r.field, r.old_value, r.new_value, r.revision) for r in entity_rows] == [
        ("name_nl", None, "Ewing-sarcoom", 1),
        ("synonyms_nl", [], ["Ewingsarcoom"], 1),
        # in the order of the form's fields
        ("synonyms_nl", ["Ewingsarcoom"], ["Ewing sarcoom", "Ewingsarcoom"], 2),
        ("summary_nl", None, "Een zeldzame vorm van botkanker, vooral bij jonge mensen.", 2),
    ]
    assert {(r.author_id, r.approver_id, r.draft_id) for r in entity_rows[:2]} == {
        (team.editor.id, team.reviewer.id, first)
    }
    assert {(r.author_id, r.approver_id, r.draft_id) for r in entity_rows[2:]} == {
        (team.other_editor.id, team.admin.id, second)
    }
    assert all(r.reason == "correcting the name" for r in entity_rows)
    assert all(r.entity_id == "319" for r in entity_rows)
    # Account creation is audited too (four accounts in the team fixture).
    assert len([r for r in rows if r.entity_kind == "user"]) == 4


def test_validation_errors_name_the_field_and_keep_what_was_typed(
    editorial: EditorialService, team: Team
) -> None:
    form = editorial.entity_form("condition", "319")
    raw = {
        "name_nl": "x" * 301,
        "synonyms_nl": "goed\nslecht\x07teken",
        "summary_nl": "<script>alert(1)</script>",
        "summary_en": "",
        "lay_terms_nl": "",
        "lay_terms_en": "",
    }
    with pytest.raises(InvalidInput) as exc:
        editorial.save_draft(team.editor.id, "condition", "319", "update", raw, form.token, "")
    errors = exc.value.by_field()
    assert errors["name_nl"].code == "too_long"
    assert errors["synonyms_nl"].code == "control_characters"
    assert errors["reason"].code == "required"
    assert "summary_nl" not in errors  # markup is text: stored as typed, escaped when shown
    assert exc.value.typed["name_nl"] == "x" * 301
    assert exc.value.typed["summary_nl"] == "<script>alert(1)</script>"
    with pytest.raises(InvalidInput) as nothing:
        editorial.save_draft(
            team.editor.id, "condition", "319", "update", {}, form.token, "no change"
        )
    assert nothing.value.by_field()["__all__"].code == "no_changes"


def test_synonyms_need_a_name(editorial: EditorialService, team: Team) -> None:
    form = editorial.entity_form("condition", "319")
    with pytest.raises(InvalidInput) as exc:
        editorial.save_draft(
            team.editor.id,
            "condition",
            "319",
            "update",
            {"synonyms_nl": "Ewingsarcoom"},
            form.token,
            "synonyms",
        )
    assert exc.value.by_field()["name_nl"].code == "required_with"


def test_second_of_two_concurrent_edits_is_told(editorial: EditorialService, team: Team) -> None:
    # Both editors open the form at the same moment.
    form_a = editorial.entity_form("condition", "319")
    form_b = editorial.entity_form("condition", "319")
    assert form_a.token == form_b.token
    editorial.save_draft(
        team.editor.id,
        "condition",
        "319",
        "update",
        {"name_nl": "Ewing-sarcoom"},
        form_a.token,
        "a",
    )
    with pytest.raises(Conflict) as exc:
        editorial.save_draft(
            team.other_editor.id,
            "condition",
            "319",
            "update",
            {"name_nl": "Ewingsarcoom"},
            form_b.token,
            "b",
        )
    assert exc.value.code == "changed_since"
    assert exc.value.current is not None  # the editor is shown the state now
    # Having seen it, the second editor can still save (a new token), as a separate draft.
    fresh = editorial.entity_form("condition", "319")
    assert fresh.pending_drafts == 1
    editorial.save_draft(
        team.other_editor.id,
        "condition",
        "319",
        "update",
        {"name_nl": "Ewingsarcoom"},
        fresh.token,
        "b",
    )


def test_approving_a_draft_made_before_another_was_published_is_refused(
    editorial: EditorialService, team: Team, sessions
) -> None:
    first = edit(editorial, team.editor.id, name_nl="Ewing-sarcoom")
    second = edit(editorial, team.other_editor.id, name_nl="Ewingsarcoom")
    editorial.approve(first, team.reviewer.id)
    with pytest.raises(Conflict) as exc:
        editorial.approve(second, team.reviewer.id)
    assert exc.value.code == "changed_since"
    with sessions() as s:
        assert s.get(Draft, second).status == "pending"  # nothing half-done
    assert editorial.entity_form("condition", "319").state.values["name_nl"] == "Ewing-sarcoom"
    with pytest.raises(Conflict):
        editorial.approve(first, team.admin.id)  # already approved


def test_form_opened_before_an_import_changed_the_entity_is_refused(
    editorial: EditorialService, team: Team, small_catalogue, tmp_path
) -> None:
    form = editorial.entity_form("condition", "319")
    import_dutch_names(small_catalogue, tmp_path, "319,Skeletal Ewing sarcoma,Ewing-sarcoom,,\n")
    with pytest.raises(Conflict):
        editorial.save_draft(
            team.editor.id,
            "condition",
            "319",
            "update",
            {"name_nl": "Ewingsarcoom"},
            form.token,
            "x",
        )


def test_reject_and_withdraw(editorial: EditorialService, team: Team, equeries) -> None:
    a = edit(editorial, team.editor.id, name_nl="Ewing-sarcoom")
    with pytest.raises(InvalidInput):
        editorial.reject(a, team.reviewer.id, "  ")  # say why
    with pytest.raises(PermissionDenied):
        editorial.reject(a, team.other_editor.id, "no")
    editorial.reject(a, team.reviewer.id, "Use the spelling of the guideline.")
    view = equeries.draft(a)
    assert (view.status, view.reviewer, view.review_comment) == (
        "rejected",
        "Rita Reviewer",
        "Use the spelling of the guideline.",
    )
    b = edit(editorial, team.editor.id, name_nl="Ewingsarcoom")
    with pytest.raises(PermissionDenied):
        editorial.withdraw(b, team.other_editor.id)
    editorial.withdraw(b, team.editor.id)
    assert equeries.draft(b).status == "withdrawn"
    with pytest.raises(Conflict):
        editorial.approve(b, team.reviewer.id)


def test_revert_is_a_reviewed_draft(
    editorial: EditorialService, team: Team, equeries, queries: CatalogueQueries
) -> None:
    editorial.approve(edit(editorial, team.editor.id, name_nl="Ewing-sarcoom"), team.reviewer.id)
    editorial.approve(edit(editorial, team.editor.id, name_nl="Ewingsarcoom"), team.reviewer.id)
    history = equeries.history("condition", "319")
    assert [r.revision for r in history.revisions] == [2, 1]
    draft_id = editorial.revert(team.editor.id, "condition", "319", 1, "back to the first name")
    assert queries.condition(319).ref.names["nl"].value == "Ewingsarcoom"  # not yet
    view = equeries.draft(draft_id)
    assert view.action == "revert"
    assert [(c.field, c.before, c.after) for c in view.changes] == [
        ("name_nl", "Ewingsarcoom", "Ewing-sarcoom")
    ]
    with pytest.raises(PermissionDenied):
        editorial.approve(draft_id, team.editor.id)
    editorial.approve(draft_id, team.reviewer.id)
    assert queries.condition(319).ref.names["nl"].value == "Ewing-sarcoom"
    history = equeries.history("condition", "319")
    assert history.revisions[0].action == "revert"
    assert history.revisions[0].reason == "back to the first name"
    with pytest.raises(InvalidInput):
        editorial.revert(team.editor.id, "condition", "319", 3, "nothing after the newest")


def test_unknown_entities_and_kinds(editorial: EditorialService, team: Team) -> None:
    from directory.errors import NotFound

    with pytest.raises(NotFound):
        editorial.entity_form("condition", "999999")
    with pytest.raises(NotFound):
        editorial.entity_form("spaceship", "1")
    with pytest.raises(PermissionDenied):
        editorial.save_draft(team.editor.id, "condition", None, "create", {}, None, "new")


def test_disabled_account_cannot_edit(editorial: EditorialService, team: Team) -> None:
    editorial.set_active(team.editor.id, False, actor_id=team.admin.id)
    with pytest.raises(PermissionDenied):
        edit(editorial, team.editor.id, name_nl="Ewing-sarcoom")


def test_mark_checked_sets_last_checked(editorial: EditorialService, team: Team, equeries, clock):
    before = equeries.last_checked("condition", 319)
    assert before is not None
    assert not before.by_editor  # the import date of its source
    clock.advance(days=2)
    editorial.mark_checked(team.editor.id, "condition", "319")
    after = equeries.last_checked("condition", 319)
    assert after is not None
    assert after.by_editor
    assert after.on == clock.now.date()
