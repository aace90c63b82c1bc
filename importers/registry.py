"""Which sources exist, where their bundled files are, and how to run each.

``run_import`` wraps a source's pure parser with I/O: it reads the file (or
URL), parses it, hands the records to the catalogue service, and makes sure a
failure is recorded as a failed run with every problem, leaving the catalogue
as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from sqlalchemy.exc import SQLAlchemyError

from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from directory.reports import ImportReport, Problem
from directory.retirement import RetirementGuard
from importers.base import SourceFile, read_source
from importers.code_mappings import parse_code_mappings
from importers.editorial_names import parse_editorial_names
from importers.expertise_sources import (
    run_ecza,
    run_expertise_centres,
    run_institutions,
    run_networks,
    run_panels,
    run_patient_resources,
    run_priority_conditions,
    run_reference,
    run_search_aliases,
    run_soncos,
    run_sources,
    run_working_groups,
)
from importers.geonames import parse_geonames
from importers.lay_terms import parse_lay_terms
from importers.orphanet import parse_classification, parse_nomenclature
from importers.summaries import parse_summaries
from importers.xmlread import root_tag

DEFAULT_MAX_RETIRE_SHARE = 0.1  # EXW_IMPORT_MAX_RETIRE_SHARE's default


@dataclass(frozen=True)
class RunOptions:
    allow_partial: bool = False
    dry_run: bool = False
    lang: str = "nl"
    data_dir: Path | None = None  # set by run_import; sources that read bundled companions
    # Retiring more than this share of a source's rows needs allow_retire (retirement.py).
    max_retire_share: float = DEFAULT_MAX_RETIRE_SHARE
    allow_retire: bool = False


Runner = Callable[[CatalogueService, SourceFile, RunOptions], list[ImportReport]]


def _orphanet(service: CatalogueService, src: SourceFile, opts: RunOptions) -> list[ImportReport]:
    """Nomenclature or classification, recognised from the file's structure."""
    if b"<ClassificationList" in src.data[:4000]:
        return [service.apply_classification(parse_classification(src), dry_run=opts.dry_run)]
    if b"<DisorderList" in src.data[:4000] or b"<Disorder " in src.data[:4000]:
        return [service.apply_nomenclature(parse_nomenclature(src), dry_run=opts.dry_run)]
    # Neither: say what it is (its first element; the rest need not be read).
    tag = root_tag(src.data, src.name)
    raise InputRejected(
        [
            Problem(
                src.name,
                f"element <{tag}>",
                "not an Orphanet nomenclature or classification file (expected "
                "JDBOR/DisorderList or JDBOR/ClassificationList)",
            )
        ],
        f"{src.name}: not an Orphanet file",
    )


def _editorial_names(
    service: CatalogueService, src: SourceFile, opts: RunOptions
) -> list[ImportReport]:
    names, rejected = parse_editorial_names(src, opts.lang, allow_partial=opts.allow_partial)
    return [
        service.apply_editorial_names(
            names, dry_run=opts.dry_run, allow_partial=opts.allow_partial, rejected=rejected
        )
    ]


def _lay_terms(service: CatalogueService, src: SourceFile, opts: RunOptions) -> list[ImportReport]:
    terms, rejected = parse_lay_terms(src, allow_partial=opts.allow_partial)
    return [
        service.apply_lay_terms(
            terms, dry_run=opts.dry_run, allow_partial=opts.allow_partial, rejected=rejected
        )
    ]


def _summaries(service: CatalogueService, src: SourceFile, opts: RunOptions) -> list[ImportReport]:
    return [service.apply_proposed_summaries(parse_summaries(src), dry_run=opts.dry_run)]


def _geonames(service: CatalogueService, src: SourceFile, opts: RunOptions) -> list[ImportReport]:
    gazetteer, rejected = parse_geonames(src, allow_partial=opts.allow_partial)
    return [service.apply_gazetteer(gazetteer, dry_run=opts.dry_run, rejected=rejected)]


def _code_mappings(
    service: CatalogueService, src: SourceFile, opts: RunOptions
) -> list[ImportReport]:
    table, rejected = parse_code_mappings(src, allow_partial=opts.allow_partial)
    return [
        service.apply_code_mappings(
            table, dry_run=opts.dry_run, allow_partial=opts.allow_partial, rejected=rejected
        )
    ]


@dataclass(frozen=True)
class Source:
    name: str
    runner: Runner
    bundled: tuple[str, ...]  # files under the data directory, applied in this order
    help: str


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "orphanet",
            _orphanet,
            (
                "orphadata/ORPHAnomenclature_en_2023_neoplastic_subset.xml",
                "orphadata/ORPHAclassification_202_rare_neoplastic_diseases_en_2023.xml",
                "orphadata/en_product3_202.xml",
            ),
            "Orphanet nomenclature (Nomenclature Pack or product1) and classification "
            "(product3) XML, any language; the kind is recognised from the file.",
        ),
        Source(
            "dutch-names",
            _editorial_names,
            ("curated/dutch_names.csv",),
            "Editorial Dutch names and synonyms per ORPHAcode (CSV).",
        ),
        Source(
            "lay-terms",
            _lay_terms,
            ("curated/lay_terms.csv",),
            "Lay terms (plain words patients type) per ORPHAcode and language (CSV).",
        ),
        Source(
            "summaries",
            _summaries,
            ("curated/summaries_b1.csv",),
            "Plain-language summaries drafted by the editors from Orphanet's definitions, "
            "shown marked until an editor approves them (CSV).",
        ),
        Source(
            "geonames",
            _geonames,
            ("geonames/NL.txt",),
            "GeoNames Dutch four-digit postcodes and places with coordinates (tab separated).",
        ),
        # The expertise catalogue, in dependency order (docs/importers.md).
        Source(
            "sources",
            run_sources,
            ("curated/sources.json",),
            "The source register: every page, report or list the curated facts cite, with "
            "its publisher, title, date and when it was read (JSON).",
        ),
        Source(
            "institutions",
            run_institutions,
            ("curated/institutions.json",),
            "Institutions: the curated overlay (JSON) on the bundled RIVM hospital locations "
            "and GeoNames PC4 coordinates.",
        ),
        Source(
            "reference",
            run_reference,
            ("curated/reference.json",),
            "ERNs with Dutch members, EURACAN domains, body areas, shared-care roles (JSON).",
        ),
        Source(
            "networks",
            run_networks,
            ("curated/networks.json",),
            "Regional oncology networks, the head-and-neck network and other collaborations "
            "with each member's role (JSON).",
        ),
        Source(
            "working-groups",
            run_working_groups,
            ("curated/working_groups.json",),
            "National working groups, sub-groups and initiatives with scope and centres (JSON).",
        ),
        Source(
            "panels",
            run_panels,
            ("curated/panels.json",),
            "Expert panels and national tumour boards (JSON).",
        ),
        Source(
            "soncos",
            run_soncos,
            ("curated/soncos.json",),
            "SONCOS reference-centre requirements per tumour group (JSON).",
        ),
        Source(
            "ecza",
            run_ecza,
            ("curated/ecza_recognitions.csv",),
            "ECZA recognitions, one row per centre and ORPHAcode (CSV or XLSX).",
        ),
        Source(
            "expertise-centres",
            run_expertise_centres,
            ("curated/expertise_centres.json",),
            "Other named centres a public source states (national centres, reference "
            "centres, ENETS centres of excellence, the centre for children with cancer) (JSON).",
        ),
        Source(
            "patient-resources",
            run_patient_resources,
            ("curated/patient_resources.json",),
            "Patient organisations and plain-language information pages, with the "
            "conditions they are for (JSON).",
        ),
        Source(
            "priority-conditions",
            run_priority_conditions,
            ("curated/priority_conditions.csv",),
            "The rare cancers people look up most: the coverage report's list and the "
            "editors' worklist (CSV).",
        ),
        # Search support that needs the catalogue above (codes and slugs must exist).
        Source(
            "code-mappings",
            _code_mappings,
            ("curated/icd10_orphacodes.csv",),
            "Editorial ICD-10 -> ORPHAcode table for the neoplasm chapter (C00-D48), with "
            "the relation of each mapping (CSV).",
        ),
        Source(
            "search-aliases",
            run_search_aliases,
            ("curated/search_aliases.csv",),
            "Old, merged and informal names of institutions, panels, working groups and "
            "networks, each with its source (CSV).",
        ),
    )
}


def run_import(
    service: CatalogueService,
    source: str,
    *,
    data_dir: Path,
    location: str | None = None,
    client: httpx.Client | None = None,
    options: RunOptions | None = None,
) -> list[ImportReport]:
    """Import one source: its bundled files, or the file/URL at ``location``."""
    opts = options or RunOptions()
    if opts.data_dir is None:
        opts = replace(opts, data_dir=data_dir)
    spec = SOURCES[source]
    service = service.guarded(RetirementGuard(opts.max_retire_share, confirmed=opts.allow_retire))
    files = [location] if location else [str(data_dir / p) for p in spec.bundled]
    reports: list[ImportReport] = []
    for loc in files:
        try:
            src = read_source(loc, client)
            reports += spec.runner(service, src, opts)
        except InputRejected as exc:
            # Nothing of this file was written (one transaction); keep the report.
            service.record_failed_run(spec.name, loc, None, exc.problems)
            raise
        except SQLAlchemyError:
            raise  # the database, not the file: the caller says so (503, or the CLI's error)
        except Exception as exc:
            # A file no parser expected (security review D8): a problem like any other,
            # never a traceback or a 500. The transaction was rolled back all the same.
            rejected = InputRejected(
                [Problem(loc, "file", unreadable(exc))], f"{loc}: the file cannot be read"
            )
            service.record_failed_run(spec.name, loc, None, rejected.problems)
            raise rejected from exc
    return reports


def unreadable(exc: BaseException) -> str:
    """Why a file could not be imported, in words, for an exception no parser caught."""
    if isinstance(exc, MemoryError):
        return "the file needs more memory than an import may use"
    if isinstance(exc, RecursionError):
        return "the file is nested too deeply to read"
    return (
        f"the file cannot be read ({type(exc).__name__}): it is malformed, or not a file "
        "of this source"
    )
