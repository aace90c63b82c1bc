"""Runners of the expertise sources, registered in :mod:`importers.registry`.

Each runner reads what it needs besides the given file (the institutions
source also reads the bundled RIVM and GeoNames files), parses it with the
source's pure parser and hands the records to the :class:`ExpertiseService`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from directory.conditions.services import CatalogueService
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.expertise.services import ExpertiseService
from directory.reports import ImportReport
from importers.base import SourceFile, read_source
from importers.ecza import parse_ecza
from importers.expertise_centres import parse_expertise_centres
from importers.institutions import GEONAMES_FILE, RIVM_FILE, parse_institutions
from importers.panels import parse_panels
from importers.patient_resources import parse_patient_resources
from importers.priority_conditions import parse_priority_conditions
from importers.reference import parse_networks, parse_reference
from importers.search_aliases import parse_search_aliases
from importers.soncos import parse_soncos
from importers.sources import parse_sources
from importers.working_groups import parse_working_groups

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class Options(Protocol):
    @property
    def allow_partial(self) -> bool: ...

    @property
    def dry_run(self) -> bool: ...

    @property
    def data_dir(self) -> Path | None: ...


def _service(catalogue: CatalogueService) -> ExpertiseService:
    return ExpertiseService(catalogue.session_factory, EDITOR_CORRECTIONS, catalogue)


def run_sources(catalogue: CatalogueService, src: SourceFile, opts: Options) -> list[ImportReport]:
    return [_service(catalogue).apply_sources(parse_sources(src), dry_run=opts.dry_run)]


def run_expertise_centres(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    data = parse_expertise_centres(src)
    return [
        _service(catalogue).apply_expertise_centres(
            data, dry_run=opts.dry_run, allow_partial=opts.allow_partial
        )
    ]


def run_patient_resources(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    data = parse_patient_resources(src)
    return [_service(catalogue).apply_patient_resources(data, dry_run=opts.dry_run)]


def run_priority_conditions(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    data = parse_priority_conditions(src)
    return [_service(catalogue).apply_priority_conditions(data, dry_run=opts.dry_run)]


def run_search_aliases(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    aliases, rejected = parse_search_aliases(src, allow_partial=opts.allow_partial)
    return [
        _service(catalogue).apply_search_aliases(
            aliases, dry_run=opts.dry_run, allow_partial=opts.allow_partial, rejected=rejected
        )
    ]


def run_institutions(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    """``src`` is the curated overlay; RIVM and GeoNames come from the data directory."""
    data_dir = opts.data_dir or DEFAULT_DATA_DIR
    rivm = read_source(data_dir / RIVM_FILE)
    geonames = read_source(data_dir / GEONAMES_FILE)
    data = parse_institutions(src, rivm, geonames)
    return [_service(catalogue).apply_institutions(data, dry_run=opts.dry_run)]


def run_reference(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    data = parse_reference(src)
    return [
        _service(catalogue).apply_reference(
            data, dry_run=opts.dry_run, allow_partial=opts.allow_partial
        )
    ]


def run_networks(catalogue: CatalogueService, src: SourceFile, opts: Options) -> list[ImportReport]:
    data = parse_networks(src)
    return [
        _service(catalogue).apply_networks(
            data, dry_run=opts.dry_run, allow_partial=opts.allow_partial
        )
    ]


def run_working_groups(
    catalogue: CatalogueService, src: SourceFile, opts: Options
) -> list[ImportReport]:
    data = parse_working_groups(src)
    return [
        _service(catalogue).apply_working_groups(
            data, dry_run=opts.dry_run, allow_partial=opts.allow_partial
        )
    ]


def run_panels(catalogue: CatalogueService, src: SourceFile, opts: Options) -> list[ImportReport]:
    data = parse_panels(src)
    return [
        _service(catalogue).apply_panels(
            data, dry_run=opts.dry_run, allow_partial=opts.allow_partial
        )
    ]


def run_soncos(catalogue: CatalogueService, src: SourceFile, opts: Options) -> list[ImportReport]:
    data = parse_soncos(src)
    return [
        _service(catalogue).apply_soncos(
            data, dry_run=opts.dry_run, allow_partial=opts.allow_partial
        )
    ]


def run_ecza(catalogue: CatalogueService, src: SourceFile, opts: Options) -> list[ImportReport]:
    data, rejected, protected = parse_ecza(src, allow_partial=opts.allow_partial, collect=True)
    return [
        _service(catalogue).apply_ecza(
            data,
            dry_run=opts.dry_run,
            allow_partial=opts.allow_partial,
            rejected=rejected,
            protected_keys=protected,
        )
    ]
