"""The services apply the editors' corrections they were built with, and cannot be built
without them (a service without them would lose the editors' work on the next import).

The lower domains do not import the editor area: they declare what they need
(``directory/conditions/corrections.py``, ``directory/expertise/corrections.py``) and
receive it. These tests build the services with a recording stand-in and check that the
appliers ask it, that what it says is what gets written, and that it travels along to
the guarded service and to the catalogue service an expertise service builds itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.models import LayTerm
from directory.conditions.records import EditorialName
from directory.conditions.search_records import LayTermRecord
from directory.conditions.services import CatalogueService
from directory.expertise.models import Panel
from directory.expertise.records import AliasRecord
from directory.expertise.services import ExpertiseService
from directory.override_outcomes import OverrideOutcome
from directory.retirement import RetirementGuard
from importers.panels import parse_panels
from importers.registry import run_import
from tests.support.editor import import_dutch_names, import_lay_terms, nomenclature
from tests.support.expertise import DATA_DIR, bundled

DROPPED_TERM = "botkanker bij kinderen"
LAY_TERMS = "319,nl,ewing sarcoom,\n319,nl,botkanker bij kinderen,\n319,en,ewing sarcoma,\n"


class RecordingRows:
    """Row corrections that retire the slugs they are given and change nothing else."""

    def __init__(self, retire: set[str]) -> None:
        self._retire = retire

    def retired(self, slug: str) -> bool:
        return slug in self._retire

    def apply(self, slug: str, values: dict[str, Any]) -> dict[str, Any]:
        return dict(values)

    def aliases(self, slug: str, records: Sequence[AliasRecord]) -> list[AliasRecord]:
        return list(records)

    def created(self) -> list[str]:
        return []

    def outcome(self) -> OverrideOutcome:
        return OverrideOutcome((), len(self._retire))


class RecordingCorrections:
    """Stands in for the editor area: records what the appliers ask, drops one lay term,
    retires the panels in ``retire``, and says it kept one override each time."""

    def __init__(self, retire: Iterable[str] = ()) -> None:
        self.asked: list[str] = []
        self._retire = set(retire)

    def editorial_names(
        self, session: Session, lang: str, entries: Sequence[EditorialName], known: set[int]
    ) -> tuple[list[EditorialName], OverrideOutcome]:
        self.asked.append(f"editorial_names {lang}")
        return list(entries), OverrideOutcome((), 1)

    def lay_terms(
        self, session: Session, entries: Sequence[LayTermRecord]
    ) -> tuple[list[LayTermRecord], OverrideOutcome]:
        self.asked.append("lay_terms")
        return [e for e in entries if e.term != DROPPED_TERM], OverrideOutcome((), 1)

    def rows(self, session: Session, kind: str) -> RecordingRows:
        self.asked.append(f"rows {kind}")
        return RecordingRows(self._retire)


def _terms(sessions: sessionmaker[Session]) -> set[str]:
    with sessions() as s:
        return set(s.scalars(select(LayTerm.term)))


def test_the_catalogue_service_applies_the_corrections_it_was_built_with(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    corrections = RecordingCorrections()
    service = CatalogueService(sessions, corrections)
    service.apply_nomenclature(nomenclature())

    report = import_lay_terms(service, tmp_path, LAY_TERMS)
    assert corrections.asked == ["lay_terms"]
    assert _terms(sessions) == {"ewing sarcoom", "ewing sarcoma"}  # what the stand-in said
    assert "1 editors' override(s) kept" in " ".join(report.warnings)

    report = import_dutch_names(service, tmp_path, "319,Skeletal Ewing sarcoma,Ewing-sarcoom,,\n")
    assert corrections.asked == ["lay_terms", "editorial_names nl"]
    assert "1 editors' override(s) kept" in " ".join(report.warnings)


def test_the_guarded_service_keeps_the_corrections(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    corrections = RecordingCorrections()
    service = CatalogueService(sessions, corrections)
    service.apply_nomenclature(nomenclature())
    guarded = service.guarded(RetirementGuard(0.1))
    import_lay_terms(guarded, tmp_path, LAY_TERMS)
    assert corrections.asked == ["lay_terms"]
    assert DROPPED_TERM not in _terms(sessions)


def test_the_expertise_service_applies_the_corrections_it_was_built_with(
    catalogue: CatalogueService, seeded_sessions: sessionmaker[Session]
) -> None:
    run_import(catalogue, "working-groups", data_dir=DATA_DIR)
    release = parse_panels(bundled("curated/panels.json"))
    retired = release.panels[0].slug
    corrections = RecordingCorrections(retire={retired})
    expertise = ExpertiseService(seeded_sessions, corrections)

    report = expertise.apply_panels(release)
    assert corrections.asked == ["rows panel"]
    assert report.status == "succeeded"
    assert "1 editors' override(s) kept" in " ".join(report.warnings)
    with seeded_sessions() as s:
        slugs = set(s.scalars(select(Panel.slug)))
    assert retired not in slugs  # the stand-in retired it
    assert release.panels[1].slug in slugs
    # The catalogue service it built to record its runs has the same corrections.
    assert expertise._catalogue._corrections is corrections


def test_the_services_cannot_be_built_without_corrections() -> None:
    with pytest.raises(TypeError):
        CatalogueService(sessionmaker())  # type: ignore[call-arg]  # the point of the test
    with pytest.raises(TypeError):
        ExpertiseService(sessionmaker())  # type: ignore[call-arg]  # the point of the test
