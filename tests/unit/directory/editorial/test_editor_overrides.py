"""Editors' corrections of imported facts survive re-import; disagreements are reported."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from directory.conditions.queries import CatalogueQueries
from directory.conditions.services import CatalogueService
from directory.editorial.errors import InvalidInput
from directory.editorial.models import Override
from directory.editorial.queries.editor_area import EditorialQueries
from directory.editorial.services import EditorialService
from importers.bounded import _report as bounded_report
from tests.support.editor import Team, import_dutch_names, import_lay_terms

NAMES = "319,Skeletal Ewing sarcoma,Ewing-sarcoom,Ewingsarcoom,\n178,Chordoma,Chordoom,,\n"


def publish(editorial: EditorialService, team: Team, code: int, **values: str) -> None:
    form = editorial.entity_form("condition", str(code))
    draft = editorial.save_draft(
        team.editor.id, "condition", str(code), "update", values, form.token, "correction"
    )
    editorial.approve(draft, team.reviewer.id)


def dutch(queries: CatalogueQueries, code: int) -> tuple[str | None, list[str]]:
    detail = queries.condition(code)
    assert detail is not None
    name = detail.ref.names.get("nl")
    synonyms = [n.text for n in detail.names if n.lang == "nl" and n.kind == "synonym"]
    return (name.value if name else None), sorted(synonyms)


def test_correction_survives_reimport_of_the_same_file(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    queries: CatalogueQueries,
    tmp_path: Path,
) -> None:
    import_dutch_names(small_catalogue, tmp_path, NAMES)
    publish(editorial, team, 319, name_nl="Ewing-sarcoom van het bot", synonyms_nl="Ewingsarcoom")
    assert dutch(queries, 319) == ("Ewing-sarcoom van het bot", ["Ewingsarcoom"])

    report = import_dutch_names(small_catalogue, tmp_path, NAMES + "3394,Soft tissue sarcoma,X,,\n")
    assert report.status == "succeeded"
    assert dutch(queries, 319) == ("Ewing-sarcoom van het bot", ["Ewingsarcoom"])  # kept
    assert dutch(queries, 3394) == ("X", [])  # the rest of the file is applied
    # The source still says what it said when the editor corrected it: no new decision.
    assert not [w for w in report.warnings if w.startswith("override kept:")]
    assert any("1 editors' override(s) kept" in w for w in report.warnings)


def test_source_that_changes_an_overridden_fact_is_reported(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    queries: CatalogueQueries,
    equeries: EditorialQueries,
    tmp_path: Path,
) -> None:
    import_dutch_names(small_catalogue, tmp_path, NAMES)
    publish(editorial, team, 319, name_nl="Ewing-sarcoom van het bot")
    changed = NAMES.replace("319,Skeletal Ewing sarcoma,Ewing-sarcoom,", "319,x,Ewing sarcoom,")
    report = import_dutch_names(small_catalogue, tmp_path, changed)
    disagreements = [w for w in report.warnings if w.startswith("override kept:")]
    assert len(disagreements) == 1
    assert "condition 319, field name_nl" in disagreements[0]
    assert "'Ewing sarcoom'" in disagreements[0]  # what the source says now
    assert "'Ewing-sarcoom van het bot'" in disagreements[0]  # what the editors keep
    assert dutch(queries, 319)[0] == "Ewing-sarcoom van het bot"
    # The report is stored with the run, for the editors' import screen.
    run = equeries.import_run(report.run_id)
    assert run is not None
    assert run.override_warnings == tuple(disagreements)
    (view,) = equeries.overrides(disagreeing_only=True)
    assert view.disagrees
    assert view.last_source_value == "Ewing sarcoom"

    # An editor decides to keep the correction: the next import no longer asks.
    editorial.acknowledge_override(view.id, team.editor.id)
    again = import_dutch_names(small_catalogue, tmp_path, changed)
    assert not [w for w in again.warnings if w.startswith("override kept:")]
    assert dutch(queries, 319)[0] == "Ewing-sarcoom van het bot"


def test_disagreements_are_a_field_of_the_report_and_of_the_stored_run(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    equeries: EditorialQueries,
    tmp_path: Path,
) -> None:
    """Which warnings ask an editor to decide is a field, on the report and on the run."""
    import_dutch_names(small_catalogue, tmp_path, NAMES)
    publish(editorial, team, 319, name_nl="Ewing-sarcoom van het bot")
    publish(editorial, team, 178, name_nl="Chordoom van de schedelbasis")
    changed = NAMES.replace("319,Skeletal Ewing sarcoma,Ewing-sarcoom,", "319,x,Ewing sarcoom,")
    report = import_dutch_names(small_catalogue, tmp_path, changed)
    # 319: the source changed under the correction; 178: the source did not.
    (line,) = report.override_warnings
    assert "condition 319, field name_nl" in line
    assert line in report.warnings
    (kept,) = [w for w in report.warnings if w not in report.override_warnings]
    assert kept.startswith("1 editors' override(s) kept")
    run = equeries.import_run(report.run_id)
    assert run is not None
    assert run.warnings == report.warnings
    assert run.override_warnings == report.override_warnings
    (listed,) = [r for r in equeries.import_runs() if r.id == report.run_id]
    assert listed.override_warnings == report.override_warnings  # the imports screen's badge
    # An import run in a bounded child process (uploads) comes back with the field.
    assert bounded_report(json.loads(json.dumps(dataclasses.asdict(report)))) == report
    # A run whose source agrees with the editors has none.
    again = import_dutch_names(small_catalogue, tmp_path, NAMES)
    assert again.override_warnings == ()
    assert equeries.import_run(again.run_id).override_warnings == ()  # type: ignore[union-attr]


def test_dropping_an_override_gives_the_field_back_to_the_source(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    queries: CatalogueQueries,
    equeries: EditorialQueries,
    sessions,
    tmp_path: Path,
) -> None:
    import_dutch_names(small_catalogue, tmp_path, NAMES)
    publish(editorial, team, 319, name_nl="Ewing-sarcoom van het bot")
    changed = NAMES.replace("Ewing-sarcoom,Ewingsarcoom", "Ewing sarcoom,Ewingsarcoom")
    import_dutch_names(small_catalogue, tmp_path, changed)
    (view,) = equeries.overrides()
    draft = editorial.propose_drop_override(view.id, team.editor.id, "the source is right now")
    assert dutch(queries, 319)[0] == "Ewing-sarcoom van het bot"  # reviewed first
    editorial.approve(draft, team.reviewer.id)
    assert dutch(queries, 319)[0] == "Ewing sarcoom"
    with sessions() as s:
        assert s.scalars(select(Override).where(Override.active.is_(True))).all() == []
    # The source is in charge again: its next change is simply applied.
    import_dutch_names(small_catalogue, tmp_path, changed.replace("Ewing sarcoom", "Ewing-sarcoom"))
    assert dutch(queries, 319)[0] == "Ewing-sarcoom"


def test_removed_name_stays_removed_and_added_name_stays(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    queries: CatalogueQueries,
    tmp_path: Path,
) -> None:
    import_dutch_names(small_catalogue, tmp_path, NAMES)
    publish(editorial, team, 178, name_nl="")  # the editors remove a wrong Dutch name
    publish(editorial, team, 3394, name_nl="Wekedelensarcoom")  # not in the file at all
    assert dutch(queries, 178) == (None, [])
    report = import_dutch_names(small_catalogue, tmp_path, NAMES)
    assert report.status == "succeeded"
    assert dutch(queries, 178) == (None, [])
    assert dutch(queries, 3394) == ("Wekedelensarcoom", [])
    assert dutch(queries, 319) == ("Ewing-sarcoom", ["Ewingsarcoom"])


def test_lay_terms_edited_by_editors_survive_reimport(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    tmp_path: Path,
) -> None:
    rows = "319,nl,ewing sarcoom,\n319,nl,botkanker bij kinderen,\n319,en,ewing sarcoma,\n"
    import_lay_terms(small_catalogue, tmp_path, rows)
    publish(editorial, team, 319, lay_terms_nl="ewing sarcoom\newing-sarcoom")
    values = editorial.entity_form("condition", "319").state.values
    assert values["lay_terms_nl"] == ["ewing sarcoom", "ewing-sarcoom"]
    report = import_lay_terms(small_catalogue, tmp_path, rows)  # would bring the removed term back
    assert report.status == "succeeded"
    values = editorial.entity_form("condition", "319").state.values
    assert values["lay_terms_nl"] == ["ewing sarcoom", "ewing-sarcoom"]
    assert values["lay_terms_en"] == ["ewing sarcoma"]  # not overridden: from the file
    changed = rows + "319,nl,kanker van het bot bij jongeren,\n"
    report = import_lay_terms(small_catalogue, tmp_path, changed)
    (warning,) = [w for w in report.warnings if w.startswith("override kept:")]
    assert "lay_terms_nl" in warning
    assert "kanker van het bot bij jongeren" in warning


def test_lay_term_must_not_point_at_two_conditions(
    editorial: EditorialService, team: Team, small_catalogue: CatalogueService, tmp_path: Path
) -> None:
    import_lay_terms(small_catalogue, tmp_path, "178,nl,chordoom,\n")
    form = editorial.entity_form("condition", "319")
    with pytest.raises(InvalidInput) as exc:
        editorial.save_draft(
            team.editor.id,
            "condition",
            "319",
            "update",
            {"lay_terms_nl": "Chordoom"},
            form.token,
            "x",
        )
    assert exc.value.by_field()["lay_terms_nl"].code == "term_taken"


def test_dry_run_reports_disagreements_and_changes_nothing(
    editorial: EditorialService,
    team: Team,
    small_catalogue: CatalogueService,
    queries: CatalogueQueries,
    equeries: EditorialQueries,
    tmp_path: Path,
) -> None:
    import_dutch_names(small_catalogue, tmp_path, NAMES)
    publish(editorial, team, 319, name_nl="Ewing-sarcoom van het bot")
    changed = NAMES.replace("Ewing-sarcoom,Ewingsarcoom", "Ewing sarcoom,Ewingsarcoom")
    report = import_dutch_names(small_catalogue, tmp_path, changed, dry_run=True)
    assert report.status == "dry_run"
    assert [w for w in report.warnings if w.startswith("override kept:")]
    (view,) = equeries.overrides()
    assert view.last_source_value == "Ewing-sarcoom"  # the dry run wrote nothing
    assert not view.disagrees
