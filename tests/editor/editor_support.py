"""Helpers for the editor-area tests: a small real catalogue, a clock, source files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher

from directory.editorial_service import UserView
from directory.models import utcnow
from directory.records import NomenclatureEntry, NomenclatureRelease, ReleaseInfo
from directory.services import CatalogueService
from importers.base import SourceFile
from importers.editorial_names import parse_editorial_names
from importers.lay_terms import parse_lay_terms

# Real argon2id, with a small cost so that the suite stays fast. The production
# default (argon2-cffi's RFC 9106 profile) is checked in test_accounts.py.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the tests move forward; starts at the real time."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


ENTRIES = (
    # Real ORPHAcodes and their English Orphanet names (2023 nomenclature).
    NomenclatureEntry(178, "Chordoma", (), "Disease", 21394, "disorder", "active", None),
    NomenclatureEntry(
        319, "Skeletal Ewing sarcoma", (), "Disease", 21394, "disorder", "active", None
    ),
    NomenclatureEntry(3394, "Soft tissue sarcoma", (), "Category", 36561, "group", "active", None),
)


def nomenclature() -> NomenclatureRelease:
    info = ReleaseInfo(
        source="orphanet",
        version="test",
        release_date=dt.date(2023, 6, 1),
        language="en",
        licence="CC-BY-4.0",
        attribution="Orphanet",
        file_name="nomenclature-test.xml",
        sha256="1" * 64,
    )
    return NomenclatureRelease(info, "en", ENTRIES)


def import_dutch_names(catalogue: CatalogueService, tmp_path: Path, rows: str, **kw: bool):
    """Import a dutch_names.csv written by the test (the real importer, the real service)."""
    path = tmp_path / "dutch_names.csv"
    path.write_text("orphacode,name_en,preferred_nl,synonyms_nl,note\n" + rows, encoding="utf-8")
    names, rejected = parse_editorial_names(SourceFile(str(path), path.read_bytes()), "nl")
    return catalogue.apply_editorial_names(names, rejected=rejected, **kw)


def import_lay_terms(catalogue: CatalogueService, tmp_path: Path, rows: str, **kw: bool):
    path = tmp_path / "lay_terms.csv"
    path.write_text("orphacode,lang,term,note\n" + rows, encoding="utf-8")
    terms, rejected = parse_lay_terms(SourceFile(str(path), path.read_bytes()))
    return catalogue.apply_lay_terms(terms, rejected=rejected, **kw)


@dataclass
class Published:
    """Counts search-index rebuilds triggered by approvals."""

    calls: int = 0

    def __call__(self) -> None:
        self.calls += 1


@dataclass(frozen=True)
class Team:
    editor: UserView
    reviewer: UserView
    admin: UserView
    other_editor: UserView
