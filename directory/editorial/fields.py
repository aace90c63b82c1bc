"""Fields of editable entities: what each holds, and server-side parsing and validation.

Every field an editor can change is described by a :class:`FieldSpec`. The form
sends strings; :func:`parse_field` turns one into a typed, JSON-compatible value
or a :class:`FieldError` naming the field and a reason code (translated by the web
layer). Values are stored as JSON in drafts, audit entries and overrides, so they
are restricted to ``str``, ``int``, ``bool``, lists of those, and ``None``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Literal
from urllib.parse import urlsplit

from directory.numbers import ascii_int

FieldKind = Literal[
    "text",  # one line
    "textarea",  # several lines of prose
    "lines",  # a list, one item per line
    "url",
    "email",
    "date",  # ISO yyyy-mm-dd
    "int",
    "bool",  # yes / no / unknown
    "choice",
    "slug",  # lowercase ascii words joined by hyphens
    "orphacode",
    "orphacodes",  # a list of ORPHAcodes, one per line or separated by commas
]

FieldValue = str | int | bool | list[str] | list[int] | None

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not ours to judge.
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_CONTROL = {"Cc", "Cf", "Co", "Cs"}
_ALLOWED_CONTROL = {"\n", "\t"}


@dataclass(frozen=True)
class FieldSpec:
    """One editable field of an entity kind."""

    name: str
    kind: FieldKind
    required: bool = False
    max_length: int = 300  # per item for lists
    lang: str | None = None  # the language of the text in it (for ``lang`` attributes)
    choices: tuple[str, ...] = ()
    imported: bool = False  # an importer writes it too: approved edits become overrides
    max_items: int = 50
    min_value: int | None = None
    max_value: int | None = None
    create_only: bool = False  # the entity id (slug): set once, when the entity is created
    group: str = ""  # for laying out long forms in sections


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field: a reason code and its parameters."""

    field: str
    code: str
    params: Mapping[str, str | int] = dc_field(default_factory=dict)


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in _CONTROL and ch not in _ALLOWED_CONTROL for ch in text)


def _clean(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def _split_lines(raw: str) -> list[str]:
    items: list[str] = []
    for line in _clean(raw).split("\n"):
        item = " ".join(line.split())
        if item and item not in items:
            items.append(item)
    return items


def is_url(value: str) -> bool:
    """An absolute http(s) URL with a host and no spaces."""
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in parts.netloc


def is_email(value: str) -> bool:
    return len(value) <= 254 and EMAIL_RE.match(value) is not None


def parse_field(spec: FieldSpec, raw: str | None) -> tuple[FieldValue, FieldError | None]:
    """Parse one submitted form value. Returns the value and an error (or None).

    On an error the returned value is the cleaned input, so nothing typed is lost.
    """
    text = _clean(raw or "")
    name = spec.name

    def err(code: str, **params: str | int) -> FieldError:
        return FieldError(name, code, params)

    if _has_control(text):
        return text, err("control_characters")
    if spec.kind in ("lines", "orphacodes"):
        items = (
            _split_lines(text)
            if spec.kind == "lines"
            else [p for p in re.split(r"[\s,;]+", text) if p]
        )
        if not items:
            return [], (err("required") if spec.required else None)
        if len(items) > spec.max_items:
            return items, err("too_many", max=spec.max_items)
        if spec.kind == "lines":
            long = [i for i in items if len(i) > spec.max_length]
            if long:
                return items, err("item_too_long", max=spec.max_length, item=long[0][:40])
            return items, None
        codes: list[int] = []
        for item in items:
            digits = item.upper().removeprefix("ORPHA").removeprefix(":")
            code = ascii_int(digits)
            if not code:
                return items, err("not_orphacode", value=item[:40])
            if code not in codes:
                codes.append(code)
        return codes, None
    if not text:
        return None, (err("required") if spec.required else None)
    if spec.kind not in ("textarea",) and "\n" in text:
        return text, err("one_line")
    if len(text) > spec.max_length:
        return text, err("too_long", max=spec.max_length, length=len(text))
    if spec.kind == "url":
        return (text, None) if is_url(text) else (text, err("not_url"))
    if spec.kind == "email":
        return (text, None) if is_email(text) else (text, err("not_email"))
    if spec.kind == "slug":
        return (text, None) if SLUG_RE.match(text) else (text, err("not_slug"))
    if spec.kind == "choice":
        return (text, None) if text in spec.choices else (text, err("not_choice"))
    if spec.kind == "bool":
        if text in ("yes", "no"):
            return text == "yes", None
        return text, err("not_choice")
    if spec.kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat(), None
        except ValueError:
            return text, err("not_date")
    if spec.kind == "int":
        if not re.fullmatch(r"-?[0-9]{1,9}", text):
            return text, err("not_int")
        value = int(text)
        if (spec.min_value is not None and value < spec.min_value) or (
            spec.max_value is not None and value > spec.max_value
        ):
            return text, err(
                "out_of_range",
                min=spec.min_value if spec.min_value is not None else "",
                max=spec.max_value if spec.max_value is not None else "",
            )
        return value, None
    if spec.kind == "orphacode":
        digits = text.upper().removeprefix("ORPHA").removeprefix(":").strip()
        code = ascii_int(digits)
        if not code:
            return text, err("not_orphacode", value=text[:40])
        return code, None
    return text, None


def parse_form(
    specs: Iterable[FieldSpec], raw: Mapping[str, str | None], *, creating: bool = False
) -> tuple[dict[str, FieldValue], dict[str, str], list[FieldError]]:
    """Parse the submitted fields: (values, what was typed per field, errors).

    A field missing from ``raw`` was not on the form and stays as it is (when
    creating, it is empty). Forms submit every field they show, empty or not.
    """
    values: dict[str, FieldValue] = {}
    typed: dict[str, str] = {}
    errors: list[FieldError] = []
    for spec in specs:
        if (spec.create_only and not creating) or (spec.name not in raw and not creating):
            continue
        raw_value = raw.get(spec.name)
        typed[spec.name] = raw_value or ""
        value, error = parse_field(spec, raw_value)
        values[spec.name] = value
        if error is not None:
            errors.append(error)
    return values, typed, errors


def form_text(spec: FieldSpec, value: FieldValue) -> str:
    """A stored value as the text an editor sees in the form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def values_hash(values: Mapping[str, FieldValue], retired: bool = False) -> str:
    """A stable fingerprint of an entity's editable values (for concurrent-edit checks)."""
    blob = json.dumps({"v": dict(values), "r": retired}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def same_value(a: FieldValue | object, b: FieldValue | object) -> bool:
    """Equality for stored values: empty text, empty list and None are all 'nothing'."""

    def norm(v: object) -> object:
        if v in ("", [], ()):
            return None
        if isinstance(v, tuple):
            return list(v)
        return v

    return norm(a) == norm(b)


def dates_in_order(values: Mapping[str, FieldValue], first: str, second: str) -> FieldError | None:
    """An error on ``second`` when both dates are set and ``second`` is before ``first``."""
    a, b = values.get(first), values.get(second)
    if isinstance(a, str) and isinstance(b, str):
        try:
            if dt.date.fromisoformat(b) < dt.date.fromisoformat(a):
                return FieldError(second, "dates_order", {"other": first})
        except ValueError:
            return None
    return None
