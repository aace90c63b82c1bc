"""The security review's hostile files (its appendix), made on the fly."""

from __future__ import annotations

import io
import zipfile

ECZA_HEADER = (
    "centre_name",
    "institutions",
    "orphacode",
    "orpha_name_en",
    "level",
    "ern",
    "recognised_from",
    "recognised_until",
    "certainty",
    "source",
)

OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_TYPE = (
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{OOXML}.sharedStrings+xml"/>'
)
RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{DOC_RELS}"><sheets>{{sheets}}</sheets></workbook>'
)
SHEET_ENTRY = '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "{shared}</Relationships>"
)
SHARED_REL = f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _header_cells() -> str:
    cols = "ABCDEFGHIJ"
    return "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip(cols, ECZA_HEADER, strict=True)
    )


def sheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}">'
        f"{dim}<sheetData>{rows}</sheetData></worksheet>"
    )


def header_row() -> str:
    return f'<row r="1">{_header_cells()}</row>'


def xlsx(
    sheet_xml: str | None,
    *,
    shared_strings: str | None = None,
    content_types: str | None = None,
) -> bytes:
    out = io.BytesIO()
    shared = shared_strings is not None
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            content_types
            if content_types is not None
            else CONTENT_TYPES.format(shared=SHARED_TYPE if shared else ""),
        )
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.format(sheets=SHEET_ENTRY if sheet_xml else ""))
        z.writestr(
            "xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(shared=SHARED_REL if shared else "")
        )
        if sheet_xml is not None:
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """The header, and one cell at XFD1048576 (1.6 kB)."""
    rows = (
        header_row()
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    return xlsx(sheet(rows, "A1:XFD1048576"))


def hidden_row_bomb() -> bytes:
    """The same cell, with a dimension that lies (says A1:J1)."""
    rows = (
        header_row() + '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    return xlsx(sheet(rows, "A1:J1"))


def shared_strings_bomb(entries: int = 3_000_000) -> bytes:
    """The header only, and a sharedStrings.xml of ``entries`` strings (small zipped)."""
    body = "<si><t>" + "a" * 40 + "</t></si>"
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{entries}" '
        f'uniqueCount="{entries}">' + body * entries + "</sst>"
    )
    return xlsx(sheet(header_row()), shared_strings=strings)


def rows_bomb(rows: int = 2_000_000) -> bytes:
    """The header and ``rows`` rows of one blank cell each."""
    body = "".join(f'<row r="{n}"><c r="A{n}"/></row>' for n in range(2, rows + 2))
    return xlsx(sheet(header_row() + body))


def no_sheets() -> bytes:
    return xlsx(None)


def malformed_content_types() -> bytes:
    return xlsx(sheet(header_row()), content_types="<Types><unclosed>")


def entity_in_sheet() -> bytes:
    doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
    return xlsx(doctype + f'<worksheet xmlns="{NS}"><sheetData>&e;</sheetData></worksheet>')


def truncated_sheet() -> bytes:
    return xlsx(sheet(header_row())[:-40])


def one_row(values: tuple[str, ...]) -> bytes:
    cells = "".join(
        f'<c r="{col}2" t="inlineStr"><is><t>{v}</t></is></c>'
        for col, v in zip("ABCDEFGHIJ", values, strict=True)
        if v
    )
    return xlsx(sheet(header_row() + f'<row r="2">{cells}</row>', "A1:J2"))
