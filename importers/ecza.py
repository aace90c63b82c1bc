"""ECZA recognitions: the official list format, one row per centre and ORPHAcode.

Reads CSV (UTF-8) and XLSX (first worksheet, header in row 1); the columns are
documented in docs/importers.md. The parser checks each row on its own (shape,
ORPHAcode syntax, level, dates and their order, certainty); the catalogue
service then resolves institutions and ORPHAcodes (following deprecated codes
to their successor, rejecting unknown ones). Strict by default: one bad row
rejects the file. With ``allow_partial`` the valid rows are written and the
rejected ones are listed in the run report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from directory.conditions.records import ReleaseInfo
from directory.errors import InputRejected
from directory.expertise.appliers.ecza import ecza_key
from directory.expertise.records import Bilingual, CodeRef, EczaRelease, EczaRow, Ref, SourceRef
from directory.reports import Problem
from directory.vocabulary import CERTAINTIES, ECZA_LEVELS, SOURCED, word_in
from importers.base import CsvRow, SourceFile, not_an_orphacode, orphacode, read_csv
from importers.curated import SLUG_RE
from importers.spreadsheet import first_sheet, sheet_rows

SOURCE = "ecza"
REQUIRED = (
    "centre_name",
    "institutions",
    "orphacode",
    "level",
    "recognised_from",
    "recognised_until",
)
# ``sources``: slugs of the source register, each optionally with ``#locator``, separated by
# ``|``; ``source``: a free-text source (the official list's own column). One is required.
OPTIONAL = (
    "orpha_name_en",
    "ern",
    "certainty",
    "source",
    "sources",
    "note_nl",
    "note_en",
    "exclude_orphacodes",
)
LEVELS = ECZA_LEVELS
ATTRIBUTION = (
    "VWS-recognised expertise centres for rare conditions (ECZA), as made known by the seed "
    "documents and public statements; each row names its source."
)
LICENCE = "CC-BY-4.0"


def is_xlsx(source: SourceFile) -> bool:
    return source.name.lower().endswith(".xlsx") or source.data[:4] == b"PK\x03\x04"


def read_xlsx(source: SourceFile) -> Iterator[CsvRow]:
    """Rows of the first worksheet as :class:`CsvRow` (line = the spreadsheet row)."""
    book, sheet = first_sheet(source)  # checked: size unpacked, dimensions
    rows = (values for _n, values in sheet_rows(source, sheet))
    header_row = next(rows, None)
    if header_row is None:
        book.close()
        raise InputRejected([Problem(source.name, "row 1", "the worksheet is empty")])
    header = [str(h).strip() if h is not None else "" for h in header_row]
    while header and header[-1] == "":
        header.pop()
    problems = [
        Problem(source.name, "row 1 (header)", "required column is missing", col)
        for col in REQUIRED
        if col not in header
    ]
    problems += [
        Problem(
            source.name,
            "row 1 (header)",
            f"unknown column (expected: {', '.join(REQUIRED + OPTIONAL)})",
            col or "(empty)",
        )
        for col in header
        if col not in REQUIRED + OPTIONAL
    ]
    if problems:
        book.close()
        raise InputRejected(problems, f"{source.name}: wrong columns")
    for n, values in enumerate(rows, start=2):
        cells = list(values)[: len(header)]
        if not any(c not in (None, "") for c in cells):
            continue
        cells += [None] * (len(header) - len(cells))
        yield CsvRow(n, {h: _cell_text(c) for h, c in zip(header, cells, strict=True)})
    book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(raw: str) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


def parse_source_list(raw: str) -> tuple[tuple[SourceRef, ...], str | None]:
    """``"slug#locator | slug2"`` as source refs, or the reason it cannot be read."""
    out: list[SourceRef] = []
    for part in (p.strip() for p in raw.split("|")):
        if not part:
            continue
        slug, _sep, locator = part.partition("#")
        slug = slug.strip()
        if not SLUG_RE.match(slug):
            return (), f"{slug!r} is not a source slug (see sources.json)"
        out.append(SourceRef(source=slug, locator=locator.strip() or None))
    return tuple(out), None


def parse_ecza(
    source: SourceFile, *, allow_partial: bool = False, collect: bool = False
) -> tuple[EczaRelease, tuple[Problem, ...], tuple[str, ...]]:
    """Rows, rejected rows' problems, and the keys of rows rejected but identifiable.

    Raises InputRejected when the file itself is unusable (encoding, columns,
    not a workbook), and (strict) when any row is invalid unless ``collect``:
    then the problems are returned so that the service can report them together
    with the institutions and codes it cannot resolve.
    """
    xlsx = is_xlsx(source)
    rows = read_xlsx(source) if xlsx else read_csv(source, REQUIRED, OPTIONAL)
    unit = "row" if xlsx else "line"
    problems: list[Problem] = []
    protected: list[str] = []
    out: list[EczaRow] = []
    for row in rows:
        where = f"{unit} {row.line}"
        if row.error is not None:
            problems.append(Problem(source.name, where, row.error))
            continue
        v = row.values
        bad: list[Problem] = []

        def fail(field: str, reason: str, where: str = where, bad: list[Problem] = bad) -> None:
            bad.append(Problem(source.name, where, reason, field))

        centre = v["centre_name"]
        if not centre:
            fail("centre_name", "the centre name is empty")
        elif len(centre) > 300:
            fail("centre_name", "the centre name is over 300 characters")
        code = orphacode(v["orphacode"])
        if code is None:
            fail("orphacode", not_an_orphacode(v["orphacode"]))
        level = word_in(v["level"].lower(), LEVELS)
        if level is None:
            fail("level", f"{v['level']!r} is not one of: {', '.join(LEVELS)}")
        dates: dict[str, dt.date | None] = {}
        for col in ("recognised_from", "recognised_until"):
            try:
                dates[col] = _date(v[col])
            except ValueError:
                fail(col, f"{v[col]!r} is not a date (YYYY-MM-DD)")
                dates[col] = None
        start, end = dates["recognised_from"], dates["recognised_until"]
        if start and end and start > end:
            fail(
                "recognised_until",
                f"the recognition ends ({end}) before it starts ({start}): dates out of order",
            )
        given_certainty = v.get("certainty", "") or None
        certainty = word_in(given_certainty, CERTAINTIES)
        if given_certainty is not None and certainty is None:
            fail("certainty", f"{given_certainty!r} is not one of: {', '.join(CERTAINTIES)}")
        names = [n.strip() for n in re.split(r"[;|]", v["institutions"]) if n.strip()]
        if not names and certainty not in SOURCED:
            fail(
                "institutions",
                "no institution given; only allowed when the row is sourced (certainty "
                "'confirmed' or 'reported': a source says centres are recognised without "
                "naming them)",
            )
        sources, why = parse_source_list(v.get("sources", ""))
        if why:
            fail("sources", why)
        if not v.get("source") and not sources:
            fail("sources", "every row needs its source (sources or source)")
        excluded: list[CodeRef] = []
        for part in (p.strip() for p in re.split(r"[;|]", v.get("exclude_orphacodes", ""))):
            if not part:
                continue
            found = orphacode(part)
            if found is None:
                fail("exclude_orphacodes", not_an_orphacode(part))
            else:
                excluded.append(CodeRef(found, where, "exclude_orphacodes"))
        note_nl, note_en = v.get("note_nl", ""), v.get("note_en", "")
        if bool(note_nl) != bool(note_en):
            fail("note_nl" if not note_nl else "note_en", "a note needs both nl and en")
        if bad:
            problems += bad
            if centre and code:
                protected.append(ecza_key(centre, code))
            continue
        assert code is not None  # checked above
        assert level is not None  # checked above
        ern = v.get("ern", "")
        out.append(
            EczaRow(
                line=row.line,
                centre_name=centre,
                institutions=tuple(Ref(n, where, "institutions") for n in names),
                code=CodeRef(code, where, "orphacode", v.get("orpha_name_en") or None),
                level=level,
                ern=Ref(ern, where, "ern") if ern else None,
                valid_from=start,
                valid_until=end,
                certainty=certainty,
                source_ref=v.get("source", ""),
                sources=sources,
                note=Bilingual(note_nl, note_en) if note_nl and note_en else None,
                exclude=tuple(excluded),
            )
        )
    if problems and not allow_partial and not collect:
        raise InputRejected(problems, f"{source.name}: {len(problems)} invalid row(s)")
    info = ReleaseInfo(
        source=SOURCE,
        version=source.sha256[:12],
        release_date=None,
        language=None,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    release = EczaRelease(release=info, rows=tuple(out), source_name=source.name)
    return release, tuple(problems), tuple(protected)
