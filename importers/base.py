"""The importer pattern: read bytes (I/O), transform to typed records (pure), apply.

Every importer module exposes pure ``parse_*`` functions that take the raw
bytes and a file name and return records from :mod:`directory.conditions.records`, or
raise :class:`~directory.errors.InputRejected` listing every problem with its
file, line or element, field and reason. Reading files and URLs is done here,
with an ``httpx.Client`` that the caller creates (with timeouts) and passes in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from directory.errors import InputRejected
from directory.reports import Problem


@dataclass(frozen=True)
class SourceFile:
    """The bytes of one source file and where they came from."""

    name: str  # file name or URL, used in every problem message
    data: bytes
    url: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_source(location: str | Path, client: httpx.Client | None = None) -> SourceFile:
    """Read a local path, or an http(s) URL with the given client."""
    loc = str(location)
    if loc.startswith(("http://", "https://")):
        if client is None:
            raise InputRejected(
                [Problem(loc, "URL", "downloading needs an HTTP client (none given)")]
            )
        try:
            response = client.get(loc, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise InputRejected(
                [Problem(loc, "download", f"could not download: {exc}")],
                f"{loc}: download failed",
            ) from exc
        return SourceFile(name=loc.rsplit("/", 1)[-1] or loc, data=response.content, url=loc)
    path = Path(loc)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputRejected(
            [Problem(str(path), "file", f"cannot read the file: {exc.strerror or exc}")],
            f"{path}: unreadable",
        ) from exc
    return SourceFile(name=str(path), data=data)


_ORPHACODE = re.compile(r"^(?:ORPHA(?:CODE)?\s*[: ]?\s*)?([0-9]{1,9})$", re.IGNORECASE)


def orphacode(raw: str) -> int | None:
    """An ORPHAcode as sources write it (``178``, ``ORPHA:178``, ``orpha 178``), or None."""
    match = _ORPHACODE.match(raw.strip())
    code = int(match.group(1)) if match else 0
    return code or None


def not_an_orphacode(raw: str) -> str:
    return f"{raw!r} is not an ORPHAcode (a positive integer, optionally written ORPHA:123)"


# Rows read from one CSV or spreadsheet file at most: a hundred times the largest
# source we know (GeoNames' Dutch postcodes, about 4,300 lines). Beyond it the file
# is refused, not read on (security review D5).
MAX_ROWS = 200_000


@dataclass(frozen=True)
class CsvRow:
    """One line of a source file: its values by column, or why it could not be read.

    A row with ``error`` set has no values; the parser reports the error as a problem
    of that line and goes on with the next.
    """

    line: int
    values: dict[str, str]
    error: str | None = None


def read_csv(
    source: SourceFile, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[CsvRow]:
    """Decode UTF-8 CSV and check its header; yield rows with their line numbers.

    A missing required column, an unknown column or undecodable bytes reject the
    whole file with a message naming the column or the position.
    """
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = source.data[: exc.start].count(b"\n") + 1
        raise InputRejected(
            [Problem(source.name, f"line {line}", f"not valid UTF-8 ({exc.reason})")],
            f"{source.name}: wrong encoding",
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputRejected([Problem(source.name, "line 1", "the file is empty")]) from None
    header = [h.strip() for h in header]
    problems = [
        Problem(source.name, "line 1 (header)", "required column is missing", col)
        for col in required
        if col not in header
    ]
    allowed = set(required) | set(optional)
    problems += [
        Problem(
            source.name,
            "line 1 (header)",
            f"unknown column (expected: {', '.join(list(required) + list(optional))})",
            col,
        )
        for col in header
        if col not in allowed
    ]
    if problems:
        raise InputRejected(problems, f"{source.name}: wrong columns")
    rows = _bounded(reader, source.name)
    for values in rows:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield CsvRow(
                reader.line_num,
                {},
                error=f"has {len(values)} fields, the header has {len(header)}",
            )
            continue
        yield CsvRow(reader.line_num, {h: v.strip() for h, v in zip(header, values, strict=True)})


def _bounded(reader: Any, name: str) -> Iterator[list[str]]:
    """The reader's rows, at most :data:`MAX_ROWS`; a malformed line is a problem, not a crash.

    ``csv`` refuses a field over 131,072 characters with ``_csv.Error`` (security
    review D8): no source has such a field, so it is reported with its line.
    """
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = f"line {reader.line_num}"
            raise InputRejected(
                [Problem(name, where, f"not readable as CSV ({exc})")], f"{name}: malformed CSV"
            ) from exc
        if reader.line_num > MAX_ROWS + 1:
            raise InputRejected(
                [Problem(name, f"line {reader.line_num}", f"more than {MAX_ROWS:,} rows")],
                f"{name}: too many rows",
            )
        yield values
