"""Provenance that people can read: who states a fact, where, and when.

Facts carry a list of sources, each either a reference into the source register
(``{"source": <slug>, "locator": ..., "read_on": ..., "note": ...}``, the register
being the ``source_document`` table, imported from ``data/curated/sources.json``) or
a free text an editor typed (``{"ref": ...}``). Pages show the publisher, the
page's title and date, the date the editors read it and a link; the ``locator``
(a section number, a table) is for editors only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.expertise.models import SourceDocument


@dataclass(frozen=True)
class SourceDocumentView:
    """One entry of the source register."""

    slug: str
    publisher: str
    publisher_kind: str
    title: str
    url: str | None
    page_date: str | None  # as the page gives it: YYYY, YYYY-MM or YYYY-MM-DD
    read_on: dt.date | None
    language: str | None
    note_nl: str | None
    note_en: str | None
    title_shown: bool = True  # False: ``title`` is our description, the page shows none


# How the register writes a title the page does not show: our own description after a
# marker in either language ("(page title not shown) Skipr: ..."). Read here, once, so a
# page in the other language does not show the marker's words.
TITLE_NOT_SHOWN = ("(page title not shown) ", "(paginatitel niet getoond) ")


def page_title(raw: str) -> tuple[str, bool]:
    """The title to show and whether it is the page's own (not our description)."""
    for marker in TITLE_NOT_SHOWN:
        if raw.startswith(marker):
            return raw[len(marker) :], False
    return raw, True


@dataclass(frozen=True)
class SourceView:
    """A source of one fact, resolved for display.

    ``document`` is the register entry when the fact cites one; ``text`` is the free
    text of a source an editor typed (or of a register slug that no longer exists).
    """

    document: SourceDocumentView | None
    text: str | None
    locator: str | None  # section, table or figure: shown to editors only
    read_on: dt.date | None  # when this fact was read there (else the register's date)
    note: str | None

    @property
    def url(self) -> str | None:
        if self.document is not None:
            return self.document.url
        if self.text and self.text.startswith(("https://", "http://")) and " " not in self.text:
            return self.text
        return None


Registry = Mapping[str, SourceDocumentView]


def load_registry(session: Session) -> dict[str, SourceDocumentView]:
    """Every current entry of the source register, by slug."""
    out = {}
    for d in session.scalars(
        select(SourceDocument)
        .where(SourceDocument.retired_at.is_(None))
        .order_by(SourceDocument.slug)
    ):
        title, shown = page_title(d.title)
        out[d.slug] = SourceDocumentView(
            slug=d.slug,
            publisher=d.publisher,
            publisher_kind=d.publisher_kind,
            title=title,
            url=d.url,
            page_date=d.page_date,
            read_on=d.read_on,
            language=d.language,
            note_nl=d.note_nl,
            note_en=d.note_en,
            title_shown=shown,
        )
    return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def source_views(raw: Iterable[Any] | None, registry: Registry) -> tuple[SourceView, ...]:
    """The stored sources of a fact (JSON list) as views; unknown entries are skipped."""
    out: list[SourceView] = []
    for item in raw or ():
        if not isinstance(item, dict):
            continue
        slug = item.get("source")
        document = registry.get(slug) if isinstance(slug, str) else None
        text = item.get("ref") if isinstance(item.get("ref"), str) else None
        if document is None and text is None:
            if not isinstance(slug, str):
                continue
            text = slug  # a register entry that has gone: show its id rather than nothing
        read_on = _date(item.get("read_on")) or _date(item.get("checked"))
        out.append(
            SourceView(
                document=document,
                text=text if document is None else None,
                locator=item.get("locator") if isinstance(item.get("locator"), str) else None,
                read_on=read_on or (document.read_on if document else None),
                note=item.get("note") if isinstance(item.get("note"), str) else None,
            )
        )
    return tuple(out)


def sources_text(raw: Iterable[Any] | None, registry: Registry) -> str:
    """One line of text for exports and editors: publisher, title, URL per source."""
    parts = []
    for s in source_views(raw, registry):
        if s.document is not None:
            d = s.document
            date = f" ({d.page_date})" if d.page_date else ""
            parts.append(f"{d.publisher}: {d.title}{date}" + (f" <{d.url}>" if d.url else ""))
        elif s.text:
            parts.append(s.text)
    return "; ".join(parts)
