"""Reading an XLSX workbook within bounds: its size unpacked, its dimensions, its rows.

openpyxl trusts the workbook. A 1.6 kB file whose one cell is at XFD1048576 made it
build a million rows of 16,384 empty cells (20 s of CPU); a 0.45 MB one unpacked a
140 MB ``sharedStrings.xml`` into 613 MB of memory (security review D5). So before
openpyxl reads a byte, the zip's members are added up as they unpack (the sizes a
zip declares are what :mod:`zipfile` will unpack, no more); the sheet's declared
dimensions are checked; and rows are read only up to :data:`MAX_ROWS` and
:data:`MAX_COLUMNS`, whatever the workbook says.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

from directory.errors import InputRejected
from directory.reports import Problem
from importers.base import MAX_ROWS, SourceFile

MAX_UNPACKED_BYTES = 32 * 1024 * 1024  # every part of the workbook together, unpacked
MAX_MEMBERS = 1000
MAX_COLUMNS = 100


def _refuse(source: SourceFile, where: str, reason: str) -> InputRejected:
    return InputRejected([Problem(source.name, where, reason)], f"{source.name}: {reason}")


def check_package(source: SourceFile) -> None:
    """Refuse a workbook that would unpack to more than :data:`MAX_UNPACKED_BYTES`."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(source, "file", f"not a readable XLSX workbook ({exc})") from exc
    if len(members) > MAX_MEMBERS:
        raise _refuse(source, "file", f"the workbook has more than {MAX_MEMBERS} parts")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        mb = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise _refuse(
            source, "file", f"the workbook unpacks to {unpacked:,} bytes, more than {mb} MB"
        )


def first_sheet(source: SourceFile) -> tuple[Any, Any]:
    """The read-only workbook and its first worksheet, both checked (close the workbook)."""
    from openpyxl import load_workbook

    check_package(source)
    try:
        book = load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as exc:
        raise _refuse(source, "file", f"not a readable XLSX workbook ({exc})") from exc
    if not book.worksheets:
        book.close()
        raise _refuse(source, "file", "the workbook has no worksheet")
    sheet = book.worksheets[0]
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
        book.close()
        raise _refuse(
            source,
            "file",
            f"the worksheet says it spans {rows:,} rows and {columns:,} columns; at most "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns are read",
        )
    # The declared size is only a claim: read what is there, within our own bounds.
    sheet.reset_dimensions()
    return book, sheet


def sheet_rows(source: SourceFile, sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of at most :data:`MAX_ROWS` + 1 rows and :data:`MAX_COLUMNS`."""
    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    try:
        for n, values in enumerate(rows, start=1):
            if n > MAX_ROWS + 1:  # the header and MAX_ROWS rows
                raise _refuse(source, f"row {n}", f"the worksheet has more than {MAX_ROWS:,} rows")
            yield n, tuple(values)
    except (ParseError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _refuse(source, "file", f"the worksheet cannot be read ({exc})") from exc
