"""The source register (``sources.json``): every public page, report or list that the
curated facts cite, with who publishes it, its title and date, and when it was read.

Facts cite a register entry by slug (``{"source": "iknl-commissie-beentumoren"}``),
so that a page can say who states a fact and link to it, and an entry corrected
once is corrected everywhere.
"""

from __future__ import annotations

import re

from directory.expertise.records import SourceDocumentRecord, SourcesRelease
from directory.vocabulary import PUBLISHER_KINDS
from importers.base import SourceFile
from importers.curated import JsonFile, records

SOURCE = "sources"
PAGE_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_sources(source: SourceFile) -> SourcesRelease:
    """Register entries; InputRejected listing every problem in the file."""
    file = JsonFile(source)
    root = file.root(["sources"])
    out: list[SourceDocumentRecord] = []
    for el in records(
        file,
        root.objects("sources"),
        "sources",
        ["slug", "publisher", "publisher_kind", "title", "url", "page_date", "read_on"],
        ["language", "note"],
    ):
        slug = el.slug()
        page_date = el.data.get("page_date")
        if page_date is not None and not (
            isinstance(page_date, str) and PAGE_DATE_RE.match(page_date)
        ):
            el.problem("page_date", f"{page_date!r} is not YYYY, YYYY-MM or YYYY-MM-DD (or null)")
            page_date = None
        read_on = el.date("read_on")
        if read_on:
            file.checked_dates.append(read_on)
        language = el.enum("language", ("nl", "en"), required=False)
        out.append(
            SourceDocumentRecord(
                slug=slug,
                publisher=el.text("publisher", max_len=300) or "",
                publisher_kind=el.enum("publisher_kind", PUBLISHER_KINDS) or "other",
                title=el.text("title", max_len=500) or "",
                url=el.url("url"),
                page_date=page_date,
                read_on=read_on,
                language=language,
                note=el.bilingual("note", required=False),
                where=el.where,
            )
        )
    file.raise_if_problems("source register")
    return SourcesRelease(
        release=file.release(SOURCE), documents=tuple(out), source_name=source.name
    )
