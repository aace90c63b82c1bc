"""Reading the curated JSON files of ``data/curated/`` (format: docs/data-formats.md).

A :class:`JsonFile` parses the bytes and hands out :class:`Element` views;
each typed getter validates one field and records a
:class:`~directory.reports.Problem` (file, element path, field, reason) instead
of raising, so that a whole file is checked and every problem reported at
once. Unknown fields are problems too: a misspelt field name must not be
silently ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from directory.conditions.records import ReleaseInfo
from directory.errors import InputRejected
from directory.expertise.records import Bilingual, BilingualList, CodeRef, Ref, SourceRef
from directory.reports import Problem
from directory.vocabulary import CERTAINTIES, Certainty, word_in
from importers.base import SourceFile

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CURATED_LICENCE = "CC-BY-4.0"
CURATED_ATTRIBUTION = (
    "Curated by the Expertisewijzer editors from the seed documents (IKNL, DRCP, Medisch "
    "Contact, oncology networks, shared-care model) and public sources; every record names "
    "its source and the date it was checked."
)
_MISSING = object()

_Word = TypeVar("_Word", bound=str)


class JsonFile:
    """A parsed JSON file and the problems found while reading it."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.checked_dates: list[dt.date] = []
        try:
            self.data: Any = json.loads(source.data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            line = source.data[: exc.start].count(b"\n") + 1
            raise InputRejected(
                [Problem(source.name, f"line {line}", f"not valid UTF-8 ({exc.reason})")],
                f"{source.name}: wrong encoding",
            ) from exc
        except json.JSONDecodeError as exc:
            raise InputRejected(
                [Problem(source.name, f"line {exc.lineno}, column {exc.colno}", exc.msg)],
                f"{source.name}: not valid JSON",
            ) from exc
        except (ValueError, RecursionError) as exc:  # a 100,000-digit number; deep nesting
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
            raise InputRejected(
                [Problem(source.name, "file", f"not usable JSON: {reason}")],
                f"{source.name}: not valid JSON",
            ) from exc

    @property
    def name(self) -> str:
        return self.source.name

    def problem(self, where: str, field: str | None, reason: str) -> None:
        self.problems.append(Problem(self.source.name, where, reason, field))

    def root(self, required: Sequence[str], optional: Sequence[str] = ()) -> Element:
        if not isinstance(self.data, dict):
            raise InputRejected(
                [Problem(self.name, "document", "expected a JSON object at the top level")],
                f"{self.name}: wrong structure",
            )
        return Element(self, self.data, "document", required, optional)

    def raise_if_problems(self, what: str) -> None:
        if self.problems:
            raise InputRejected(
                self.problems, f"{self.name}: {len(self.problems)} problem(s) in the {what}"
            )

    def release(self, source: str, *, licence: str = CURATED_LICENCE) -> ReleaseInfo:
        """Identity of this file; its date is the latest date a record was checked."""
        date = max(self.checked_dates) if self.checked_dates else None
        return ReleaseInfo(
            source=source,
            version=f"{date.isoformat() if date else 'undated'} ({self.source.sha256[:12]})",
            release_date=date,
            language=None,
            licence=licence,
            attribution=CURATED_ATTRIBUTION,
            file_name=self.name.rsplit("/", 1)[-1],
            sha256=self.source.sha256,
            url=self.source.url,
        )


class Element:
    """One JSON object at a path, with typed, validating getters."""

    def __init__(
        self,
        file: JsonFile,
        data: dict[str, Any],
        where: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> None:
        self.file = file
        self.data = data
        self.where = where
        self.ok = True
        for name in required:
            if name not in data:
                self.problem(name, "required field is missing")
        allowed = set(required) | set(optional)
        for name in data:
            if name not in allowed:
                expected = ", ".join(sorted(allowed))
                self.problem(name, f"unknown field (expected one of: {expected})")

    def problem(self, field: str | None, reason: str) -> None:
        self.ok = False
        self.file.problem(self.where, field, reason)

    def _get(self, field: str) -> Any:
        return self.data.get(field, _MISSING)

    # scalars ----------------------------------------------------------------------

    def text(self, field: str, *, required: bool = True, max_len: int = 20_000) -> str | None:
        value = self._get(field)
        if value is _MISSING or value is None:
            if required and value is None:
                self.problem(field, "must not be null")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(field, "must be a non-empty string")
            return None
        if len(value) > max_len:
            self.problem(field, f"is longer than {max_len} characters")
            return None
        return value.strip()

    def slug(self, field: str = "slug", *, pattern: re.Pattern[str] = SLUG_RE) -> str:
        value = self.text(field, max_len=100)
        if value is not None and not pattern.match(value):
            self.problem(field, f"{value!r} is not a slug (lowercase letters, digits, hyphens)")
            return ""
        return value or ""

    def enum(self, field: str, values: tuple[_Word, ...], *, required: bool = True) -> _Word | None:
        """The field's value if it is one of ``values`` (typed as their ``Literal``)."""
        value = self._get(field)
        if value is _MISSING or (value is None and not required):
            return None
        word = word_in(value, values)
        if word is not None:
            return word
        self.problem(field, f"{value!r} is not one of: {', '.join(values)}")
        return None

    def certainty(self, field: str = "certainty", *, required: bool = True) -> Certainty | None:
        return self.enum(field, CERTAINTIES, required=required)

    def integer(self, field: str, *, low: int = 0, high: int = 10**9) -> int | None:
        value = self._get(field)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(field, f"must be a whole number from {low} to {high}")
            return None
        return value

    def boolean(self, field: str) -> bool | None:
        value = self._get(field)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, bool):
            self.problem(field, "must be true, false or null")
            return None
        return value

    def url(self, field: str) -> str | None:
        value = self.text(field, required=False, max_len=500)
        if value is not None and not value.startswith(("https://", "http://")):
            self.problem(field, f"{value!r} is not an http(s) URL")
            return None
        return value

    def email(self, field: str) -> str | None:
        value = self.text(field, required=False, max_len=200)
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value):
            self.problem(field, f"{value!r} is not an e-mail address")
            return None
        return value

    def strings(self, field: str) -> tuple[str, ...]:
        value = self._get(field)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(field, "must be a list of non-empty strings")
            return ()
        return tuple(v.strip() for v in value)

    def integers(self, field: str) -> tuple[int, ...]:
        value = self._get(field)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.problem(field, "must be a list of whole numbers")
            return ()
        return tuple(value)

    # bilingual ----------------------------------------------------------------------

    def bilingual(self, field: str, *, required: bool = True) -> Bilingual | None:
        value = self._get(field)
        if value is _MISSING or value is None:
            if required and value is None:
                self.problem(field, 'must not be null (expected {"nl": ..., "en": ...})')
            return None
        if (
            not isinstance(value, dict)
            or set(value) != {"nl", "en"}
            or not all(isinstance(v, str) and v.strip() for v in value.values())
        ):
            self.problem(field, 'must be {"nl": "...", "en": "..."} with two non-empty texts')
            return None
        return Bilingual(value["nl"].strip(), value["en"].strip())

    def bilingual_list(self, field: str) -> BilingualList:
        value = self._get(field)
        if value is _MISSING or value is None:
            return BilingualList((), ())
        if not isinstance(value, dict) or set(value) - {"nl", "en", "source"}:
            self.problem(field, 'must be {"nl": [...], "en": [...]}')
            return BilingualList((), ())
        nl, en = value.get("nl"), value.get("en")
        if not (
            isinstance(nl, list)
            and isinstance(en, list)
            and all(isinstance(v, str) for v in nl + en)
        ):
            self.problem(field, "nl and en must be lists of strings")
            return BilingualList((), ())
        if len(nl) != len(en):
            self.problem(field, f"nl has {len(nl)} items but en has {len(en)}")
            return BilingualList((), ())
        return BilingualList(tuple(nl), tuple(en))

    # references ------------------------------------------------------------------------

    def ref(self, field: str) -> Ref | None:
        value = self.text(field, required=False, max_len=300)
        return Ref(value, self.where, field) if value is not None else None

    def refs(self, field: str) -> tuple[Ref, ...]:
        return tuple(
            Ref(v, f"{self.where}, item {n}", field)
            for n, v in enumerate(self.strings(field), start=1)
        )

    def codes(self, field: str) -> tuple[CodeRef, ...]:
        value = self._get(field)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list):
            self.problem(field, 'must be a list of {"code": ..., "name_en": ...}')
            return ()
        out: list[CodeRef] = []
        for n, item in enumerate(value, start=1):
            where = f"{self.where}, {field}[{n}]"
            code = item.get("code") if isinstance(item, dict) else item
            name = item.get("name_en") if isinstance(item, dict) else None
            extra = set(item) - {"code", "name_en"} if isinstance(item, dict) else set()
            if isinstance(code, bool) or not isinstance(code, int) or code <= 0 or extra:
                self.ok = False
                self.file.problem(
                    where, field, f"{item!r} is not an ORPHAcode reference (positive integer code)"
                )
                continue
            out.append(CodeRef(code, where, field, name if isinstance(name, str) else None))
        return tuple(out)

    def sources(self, field: str = "sources", *, required: bool = True) -> tuple[SourceRef, ...]:
        value = self._get(field)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list) or (required and not value):
            self.problem(field, "must be a non-empty list of sources")
            return ()
        out: list[SourceRef] = []
        for n, item in enumerate(value, start=1):
            src = self.child(
                item, f"{field}[{n}]", [], ["source", "locator", "ref", "read_on", "note"]
            )
            if src is None:
                continue
            slug = src.text("source", required=False, max_len=100)
            ref = src.text("ref", required=False, max_len=2000)
            if slug is None and ref is None:
                src.problem("source", 'each source needs "source" (a register slug) or "ref"')
                continue
            if slug is not None and not SLUG_RE.match(slug):
                src.problem("source", f"{slug!r} is not a source slug")
                continue
            read_on = src.date("read_on")
            if read_on:
                self.file.checked_dates.append(read_on)
            out.append(
                SourceRef(
                    ref=ref,
                    read_on=read_on,
                    note=src.text("note", required=False),
                    source=slug,
                    locator=src.text("locator", required=False, max_len=2000),
                )
            )
        return tuple(out)

    def date(self, field: str) -> dt.date | None:
        value = self._get(field)
        if value is _MISSING or value is None:
            return None
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            pass
        self.problem(field, f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    # nested ------------------------------------------------------------------------------

    def child(
        self, value: Any, path: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> Element | None:
        where = f"{self.where}, {path}"
        if not isinstance(value, dict):
            self.ok = False
            self.file.problem(where, None, "expected a JSON object")
            return None
        element = Element(self.file, value, where, required, optional)
        if not element.ok:
            self.ok = False
        return element

    def objects(self, field: str) -> list[Any]:
        value = self._get(field)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.problem(field, "must be a list")
            return []
        return value


def records(
    file: JsonFile,
    items: list[Any],
    label: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> Iterator[Element]:
    """Elements of a top-level list, each at path ``label[n] (slug 'x')``; slugs unique."""
    seen: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        slug = item.get("slug") if isinstance(item, dict) else None
        where = f"{label}[{n}]" + (f" (slug {slug!r})" if isinstance(slug, str) else "")
        if not isinstance(item, dict):
            file.problem(where, None, "expected a JSON object")
            continue
        element = Element(file, item, where, required, optional)
        if isinstance(slug, str):
            if slug in seen:
                element.problem("slug", f"{slug!r} is used twice (also {label}[{seen[slug]}])")
            seen[slug] = n
        yield element
