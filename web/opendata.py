"""The open-data download: the whole catalogue as CSV and JSON, with provenance and licence.

Each CSV row carries provenance columns (source, version, release date and licence of each
fact); the JSON file states the licence, the attributions and every source release once,
and points to them from each record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from directory.conditions.queries import ReleaseView
from directory.expertise.export import (
    CatalogueExport,
    ConditionExportRow,
    ExpertiseExportRow,
    NameFact,
)
from directory.paths import entity_path

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NOTE = (
    "Expertisewijzer open data, licensed CC BY 4.0. Contains Orphanet data (CC BY 4.0) and "
    "editorial translations by the Expertisewijzer editors (not Orphanet's official Dutch "
    "nomenclature). Cite as: Expertisewijzer (date of download), with the attributions below."
)

CSV_COLUMNS = (
    "orphacode",
    "status",
    "level",
    "disorder_type",
    "name_en",
    "name_nl",
    "synonyms_en",
    "synonyms_nl",
    "parents",
    "successor",
    "url_nl",
    "url_en",
    "name_en_origin",
    "name_en_source",
    "name_en_source_version",
    "name_en_source_date",
    "name_nl_origin",
    "name_nl_source",
    "name_nl_source_version",
    "name_nl_source_date",
    "record_source",
    "record_source_version",
    "record_source_date",
    "licence",
)


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _name_provenance(export: CatalogueExport, fact: NameFact | None) -> list[str]:
    if fact is None:
        return ["", "", "", ""]
    r = export.release(fact.release_id)
    if r is None:
        return [fact.origin, "", "", ""]
    return [fact.origin, r.source, r.version, _date(r.release_date)]


def _release_columns(release: ReleaseView | None) -> list[str]:
    if release is None:
        return ["", "", ""]
    return [release.source, release.version, _date(release.release_date)]


def _csv_row(export: CatalogueExport, row: ConditionExportRow, base_url: str) -> list[str]:
    return [
        str(row.orphacode),
        row.status,
        row.level or "",
        row.disorder_type or "",
        row.name_en.text if row.name_en else "",
        row.name_nl.text if row.name_nl else "",
        " | ".join(row.synonyms_en),
        " | ".join(row.synonyms_nl),
        " ".join(str(p) for p in row.parents),
        str(row.successor) if row.successor else "",
        base_url + entity_path("condition", row.orphacode, "nl"),
        base_url + entity_path("condition", row.orphacode, "en"),
        *_name_provenance(export, row.name_en),
        *_name_provenance(export, row.name_nl),
        *_release_columns(export.release(row.release_id)),
        LICENCE,
    ]


def _safe_cell(value: str) -> str:
    # Spreadsheets run cells that start with these characters as formulas.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# A byte-order mark first: spreadsheet programs (Excel) then read the file as UTF-8, so
# "Máxima" and "Oogziekenhuis – Rotterdam" come out right; CSV readers skip it.
BOM = "\ufeff"


def catalogue_csv(export: CatalogueExport, base_url: str) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in export.conditions:
        writer.writerow([_safe_cell(v) for v in _csv_row(export, row, base_url)])
    return out.getvalue()


EXPERTISE_COLUMNS = (
    "designation_id",
    "kind",
    "level",
    "label_nl",
    "label_en",
    "institution",
    "institution_name",
    "orphacode",
    "source_orphacode",
    "valid_from",
    "valid_until",
    "certainty",
    "url_nl",
    "url_en",
    "source_reference",
    "source_version",
    "source_section",
    "checked_on",
    "source",
    "source_release_version",
    "source_release_date",
    "licence",
)


def _expertise_row(export: CatalogueExport, row: ExpertiseExportRow, base_url: str) -> list[str]:
    return [
        str(row.designation_id),
        row.kind,
        row.level or "",
        row.label_nl or "",
        row.label_en or "",
        row.institution_slug,
        row.institution_name,
        str(row.orphacode) if row.orphacode else "",
        str(row.source_code) if row.source_code else "",
        _date(row.valid_from),
        _date(row.valid_until),
        row.certainty or "",
        base_url + entity_path("institution", row.institution_slug, "nl"),
        base_url + entity_path("institution", row.institution_slug, "en"),
        row.source_ref,
        row.source_version or "",
        row.source_section or "",
        _date(row.checked_on),
        *_release_columns(export.release(row.release_id)),
        LICENCE,
    ]


def expertise_csv(export: CatalogueExport, base_url: str) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPERTISE_COLUMNS)
    for row in export.expertise:
        writer.writerow([_safe_cell(v) for v in _expertise_row(export, row, base_url)])
    return out.getvalue()


def _release_json(r: ReleaseView) -> dict[str, Any]:
    return {
        "id": r.id,
        "source": r.source,
        "version": r.version,
        "release_date": _date(r.release_date),
        "language": r.language,
        "licence": r.licence,
        "attribution": r.attribution,
        "file_name": r.file_name,
        "url": r.url,
    }


def _name_json(fact: NameFact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {"text": fact.text, "origin": fact.origin, "release": fact.release_id}


def catalogue_json(
    export: CatalogueExport, base_url: str, generated: dt.datetime
) -> dict[str, Any]:
    return {
        "title": "Expertisewijzer: rare cancers in the Netherlands (open data)",
        "generated_at": generated.replace(microsecond=0).isoformat(),
        "licence": {"name": LICENCE, "url": LICENCE_URL, "note": LICENCE_NOTE},
        "sources": [_release_json(r) for r in export.releases],
        "conditions": [
            {
                "orphacode": row.orphacode,
                "status": row.status,
                "level": row.level,
                "disorder_type": row.disorder_type,
                "name": {"en": _name_json(row.name_en), "nl": _name_json(row.name_nl)},
                "synonyms": {"en": list(row.synonyms_en), "nl": list(row.synonyms_nl)},
                "parents": list(row.parents),
                "successor": row.successor,
                "url": {
                    lang: base_url + entity_path("condition", row.orphacode, lang)
                    for lang in ("nl", "en")
                },
                "release": row.release_id,
            }
            for row in export.conditions
        ],
        "expertise": [
            dict(zip(EXPERTISE_COLUMNS, _expertise_row(export, row, base_url), strict=True))
            | {"release": row.release_id}
            for row in export.expertise
        ],
    }
