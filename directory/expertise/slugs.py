"""Slugs: the matching key of a name, the slug made from it, and English slugs.

Every entity's id is its Dutch slug (conditions: the ORPHAcode); it never changes and
the editor area, the search index and other entities' links use it. Panels, working
groups, networks and body areas may also have an English slug (``slug_en``), used in
the addresses of English pages (:class:`directory.paths.Permalinks`):

* it is made once, from the English name, when the row is imported (or, for rows
  older than English slugs, by ``expertisewijzer db upgrade``), unless the source
  file names one (``slug_en`` in ``panels.json``);
* a later change of the English name does not change it, so links keep working; a
  source file that names a new one makes the old one redirect to it;
* it is unique among every slug of its kind, Dutch, English or former, so an address
  names one entity in either language;
* a Dutch slug that is an abbreviation (``dsg``) or that the English name gives as
  well (``gist-consortium``) is the English slug too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue_version import Kept, VersionClock
from directory.expertise.models import BodyArea, Network, Panel, WorkingGroup
from directory.expertise.redirects import RedirectService, SlugRedirect
from directory.paths import MAX_SLUG, Permalinks
from directory.text import fold_name

# page kind (directory.paths.SEGMENTS) -> the model whose rows have an English slug
ENGLISH_SLUG_MODELS: dict[str, Any] = {
    "panel": Panel,
    "working_group": WorkingGroup,
    "network": Network,
    "body_area": BodyArea,
}
MAX_DERIVED = 60  # a slug made from a long English name is cut at a word
# Words a cut slug must not end on ("...-bile-ducts-and").
_DANGLING = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


def slugify(text: str) -> str:
    """``"Dutch Sarcoma Group"`` -> ``"dutch-sarcoma-group"`` (empty for a name without letters)."""
    return "-".join(fold_name(text).split())


def _compact(text: str) -> str:
    return slugify(text).replace("-", "")


def _shorten(slug: str) -> str:
    if len(slug) <= MAX_DERIVED:
        return slug
    words = slug[: MAX_DERIVED + 1].split("-")[:-1]  # whole words only
    while len(words) > 1 and words[-1] in _DANGLING:
        words.pop()
    return "-".join(words)


def english_slug(
    name_en: str | None, slug: str, *, neutral: Iterable[str | None] = (), taken: Iterable[str]
) -> str:
    """The English slug made for the entity whose Dutch slug is ``slug``.

    ``slug`` itself when there is no English name, when the slug is one of the
    ``neutral`` names (an abbreviation reads the same in both languages) or when the
    English name gives it; otherwise the English name as a slug, at most
    :data:`MAX_DERIVED` characters, with ``-2``, ``-3``, ... when it is ``taken``.
    """
    if not name_en or _compact(slug) in {_compact(n) for n in neutral if n}:
        return slug
    base = _shorten(slugify(name_en.replace("&", " and ")))
    if not base or base == slug:
        return slug
    used = set(taken) - {slug}
    candidate, n = base, 2
    while candidate in used:
        suffix = f"-{n}"
        candidate, n = base[: MAX_SLUG - len(suffix)] + suffix, n + 1
    return candidate


class EnglishSlugs:
    """Gives the rows of one kind their English slug, in the caller's transaction.

    Used by :class:`directory.expertise.services.ExpertiseService` (the writer) while
    it imports or creates rows; knows every slug of the kind in use, so the slugs it
    makes are unique.
    """

    def __init__(self, session: Session, kind: str) -> None:
        self._session = session
        self.kind = kind
        self._model = ENGLISH_SLUG_MODELS[kind]
        self._english: dict[str, str] = {}  # English slug -> the id of its entity
        # every slug in use or once used -> the id (Dutch slug) of the entity it names
        self._owner: dict[str, str] = {}
        for slug, slug_en in session.execute(select(self._model.slug, self._model.slug_en)):
            self._owner[slug] = slug
            if slug_en:
                self._owner[slug_en] = self._english[slug_en] = slug
        for old, new in session.execute(
            select(SlugRedirect.old_slug, SlugRedirect.new_slug).where(SlugRedirect.kind == kind)
        ):
            self._owner.setdefault(old, self._owner.get(new, ""))  # "": nobody now

    def clash(self, slug: str) -> str | None:
        """Why a new row cannot have the id ``slug``: another entity's English slug."""
        owner = self._english.get(slug)
        if owner is None or owner == slug:
            return None
        return f"{slug!r} is the English slug of {owner!r}"

    def assign(self, row: Any, name_en: str | None, *, neutral: Iterable[str | None] = ()) -> None:
        """Give ``row`` an English slug made from ``name_en`` unless it has one."""
        if row.slug_en is None:
            made = english_slug(name_en, row.slug, neutral=neutral, taken=self._owner)
            row.slug_en = made
            self._owner[made] = self._english[made] = row.slug

    def give(self, row: Any, slug_en: str) -> str | None:
        """Give ``row`` the English slug a source file names; why not, when it cannot.

        A row that had another English slug keeps its old address working: the old
        slug redirects to the new one.
        """
        current: str | None = row.slug_en
        if slug_en == current:
            return None
        owner = self._owner.get(slug_en)
        if owner is not None and owner != row.slug:
            whose = f"the slug of {owner!r}" if owner else "a former slug"
            return f"English slug {slug_en!r} is already {whose}"
        if current is not None and current != row.slug:
            RedirectService.record_in(self._session, self.kind, current, slug_en, "rename")
        row.slug_en = slug_en
        self._owner[slug_en] = self._english[slug_en] = row.slug
        return None

    def fill_missing(self) -> int:
        """Rows without an English slug (new, or made before slugs had one) get one made
        from their English name; how many."""
        rows = self._session.scalars(
            select(self._model).where(self._model.slug_en.is_(None)).order_by(self._model.id)
        ).all()
        for row in rows:
            self.assign(row, row.name_en, neutral=_neutral(row))
        return len(rows)


def _neutral(row: Any) -> tuple[str | None, ...]:
    return (getattr(row, "abbreviation", None),)


def load_permalinks(session: Session) -> Permalinks:
    """Every English slug that differs from its entity's id, read in one query."""
    parts = [
        select(literal(kind).label("kind"), model.slug, model.slug_en).where(
            model.slug_en.is_not(None), model.slug_en != model.slug
        )
        for kind, model in ENGLISH_SLUG_MODELS.items()
    ]
    rows = session.execute(union_all(*parts))
    return Permalinks.of((kind, slug, slug_en) for kind, slug, slug_en in rows)


class PermalinkQueries:
    """Read side: the current :class:`Permalinks`, re-read only when the catalogue's
    version has changed (an import or a published edit)."""

    def __init__(
        self, session_factory: sessionmaker[Session], version: VersionClock | None = None
    ) -> None:
        self._sessions = session_factory
        self._kept = Kept(load_permalinks, version)

    def current(self) -> Permalinks:
        return self._kept.get(self._sessions)
