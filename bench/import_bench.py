"""Benchmark of the expertise catalogue: full import, counts, harmonised look-ups.

    .venv/bin/python bench/import_bench.py [--lookups 200]

Prints one table:
* the full import of every bundled source into a fresh SQLite catalogue (each
  source one transaction), against parsing the same files without writing;
* a second import of everything (nothing changes), the idempotence check;
* counts after the import: institutions, sites, designations per kind (and how
  many name an institution), conditions with at least one designation;
* the harmonised view of a condition (own + inherited + descendants), p50/p95
  over varied ORPHAcodes, against reading the condition's own designations only.
"""

from __future__ import annotations

import argparse
import atexit
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from directory.conditions.models import Condition  # noqa: E402
from directory.conditions.services import CatalogueService  # noqa: E402
from directory.db import alembic_config, make_engine, make_session_factory  # noqa: E402
from directory.editorial.corrections import EDITOR_CORRECTIONS  # noqa: E402
from directory.expertise.kinds import SECTION_ORDER  # noqa: E402
from directory.expertise.models import Designation, DesignationCondition  # noqa: E402
from directory.expertise.queries import ExpertiseQueries  # noqa: E402
from importers.base import read_source  # noqa: E402
from importers.ecza import parse_ecza  # noqa: E402
from importers.institutions import GEONAMES_FILE, RIVM_FILE, parse_institutions  # noqa: E402
from importers.panels import parse_panels  # noqa: E402
from importers.reference import parse_networks, parse_reference  # noqa: E402
from importers.registry import SOURCES, run_import  # noqa: E402
from importers.soncos import parse_soncos  # noqa: E402
from importers.working_groups import parse_working_groups  # noqa: E402

DATA = ROOT / "data"
EXPERTISE_SOURCES = ("institutions", "reference", "networks", "working-groups", "panels",
                     "soncos", "ecza")  # fmt: skip


def migrate(url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(ROOT, url), "heads")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def parse_only() -> float:
    """Read and check every expertise file, write nothing (the baseline of the import)."""
    t = time.perf_counter()
    c = DATA / "curated"
    parse_institutions(read_source(c / "institutions.json"), read_source(DATA / RIVM_FILE),
                       read_source(DATA / GEONAMES_FILE))  # fmt: skip
    parse_reference(read_source(c / "reference.json"))
    parse_networks(read_source(c / "networks.json"))
    parse_working_groups(read_source(c / "working_groups.json"))
    parse_panels(read_source(c / "panels.json"))
    parse_soncos(read_source(c / "soncos.json"))
    parse_ecza(read_source(c / "ecza_recognitions.csv"))
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lookups", type=int, default=200)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="exw-import-bench-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # leave nothing behind
    url = f"sqlite:///{tmp / 'catalogue.sqlite3'}"
    migrate(url)
    sessions = make_session_factory(make_engine(url))
    service = CatalogueService(sessions, EDITOR_CORRECTIONS)

    per_source: dict[str, float] = {}
    for name in SOURCES:
        t = time.perf_counter()
        run_import(service, name, data_dir=DATA)
        per_source[name] = time.perf_counter() - t
    full = sum(per_source.values())
    expertise_time = sum(per_source[s] for s in EXPERTISE_SOURCES)

    t = time.perf_counter()
    changed = 0
    for name in SOURCES:
        for r in run_import(service, name, data_dir=DATA):
            if name in EXPERTISE_SOURCES:
                changed += r.counts.added + r.counts.changed + r.counts.retired
    again = time.perf_counter() - t
    baseline = min(parse_only() for _ in range(3))

    queries = ExpertiseQueries(sessions)
    counts = queries.counts()
    with sessions() as s:
        codes = list(s.scalars(select(Condition.orphacode).where(Condition.status == "active")))
    rng = random.Random(20261126)
    sample = [rng.choice(codes) for _ in range(args.lookups)]
    queries.for_condition(sample[0])  # warm-up
    harmonised, own_only = [], []
    for code in sample:
        t = time.perf_counter()
        queries.for_condition(code)
        harmonised.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with sessions() as s:
            s.scalars(
                select(Designation)
                .join(DesignationCondition)
                .where(DesignationCondition.orphacode == code, Designation.retired_at.is_(None))
            ).all()
        own_only.append((time.perf_counter() - t) * 1000)

    rows: list[tuple[str, str, str]] = [
        ("full import, all sources (SQLite)", f"{full:.2f} s", "one transaction per file"),
        (
            "  of which the expertise sources",
            f"{expertise_time:.2f} s",
            f"parsing them only: {baseline:.2f} s",
        ),
    ]
    rows += [(f"    {name}", f"{per_source[name]:.2f} s", "") for name in EXPERTISE_SOURCES]
    rows += [
        (
            "import again (nothing changes)",
            f"{again:.2f} s",
            f"expertise rows added/changed/retired: {changed}",
        ),
        ("institutions", str(counts.institutions), ""),
        ("sites", str(counts.sites), f"with coordinates: {counts.sites_with_coordinates}"),
    ]
    total = sum(counts.designations.values())
    total_named = sum(counts.designations_with_institution.values())
    rows.append(("designations", str(total), f"naming an institution: {total_named}"))
    for kind in SECTION_ORDER:
        named = counts.designations_with_institution[kind]
        rows.append(
            (f"  {kind}", str(counts.designations[kind]), f"naming an institution: {named}")
        )
    rows += [
        ("conditions with >= 1 designation", str(counts.conditions_with_designation),
         f"of {len(codes)} active codes"),
        ("conditions with a named centre of their own", str(counts.conditions_with_named_centre),
         "any designation naming an institution"),
        ("conditions covered incl. inherited", str(counts.conditions_covered),
         "own or inherited from a group"),
        ("panels / working groups / networks",
         f"{counts.panels} / {counts.working_groups} / {counts.networks}", ""),
        (f"harmonised view of a condition, p50 / p95 ({args.lookups} codes)",
         f"{statistics.median(harmonised):.1f} / {pct(harmonised, 95):.1f} ms",
         f"own designations only: {statistics.median(own_only):.1f} / "
         f"{pct(own_only, 95):.1f} ms"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"Expertise catalogue import benchmark · Python {platform.python_version()} · "
          f"{platform.machine()}")  # fmt: skip
    print(f"{'measure'.ljust(width)}  {'value':>16}  baseline / note")
    print("-" * (width + 40))
    for label, value, note in rows:
        print(f"{label.ljust(width)}  {value:>16}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
