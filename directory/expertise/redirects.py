"""Permalinks that never break: former slugs of renamed or merged entities.

When an institution, panel, working group, network, EURACAN domain or body area gets a
new slug (a rename), or is merged into another (a merge), the old slug is recorded here
and its pages answer with a permanent redirect to the new one. Conditions need no table:
their permalink is the ORPHAcode, and Orphanet's own "moved to" links redirect them.

Chains are kept one hop long: recording ``b -> c`` repoints an existing ``a -> b`` to
``c``, and a slug that comes back into use stops redirecting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, DateTime, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from directory.clock import utcnow
from directory.db import Base
from directory.errors import InputRejected
from directory.reports import Problem
from directory.vocabulary import REDIRECT_KINDS

REASONS = ("rename", "merge")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_HOPS = 5


class SlugRedirect(Base):
    """A former slug of an entity, and the slug it now lives under."""

    __tablename__ = "slug_redirect"
    __table_args__ = (CheckConstraint("reason IN ('rename','merge')", name="reason"),)

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(100), primary_key=True)
    new_slug: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


@dataclass(frozen=True)
class RedirectView:
    kind: str
    old_slug: str
    new_slug: str
    reason: str
    created_at: dt.datetime


def _problems(kind: str, old: str, new: str, reason: str) -> list[Problem]:
    where = f"{kind}:{old}"
    found = []
    if kind not in REDIRECT_KINDS:
        found.append(Problem("redirect", where, f"kind must be one of {', '.join(REDIRECT_KINDS)}"))
    if reason not in REASONS:
        found.append(Problem("redirect", where, f"reason must be one of {', '.join(REASONS)}"))
    for name, slug in (("old slug", old), ("new slug", new)):
        if not _SLUG.match(slug) or len(slug) > 100:
            found.append(
                Problem("redirect", where, f"{name} {slug[:40]!r} is not a slug (a-z, 0-9, -)")
            )
    if old == new:
        found.append(Problem("redirect", where, "old and new slug are the same"))
    return found


class RedirectService:
    """Records slug changes; the only code that writes ``slug_redirect``."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def record(self, kind: str, old_slug: str, new_slug: str, reason: str = "rename") -> None:
        """``old_slug`` of ``kind`` now lives at ``new_slug``. Raises InputRejected."""
        problems = _problems(kind, old_slug, new_slug, reason)
        if problems:
            raise InputRejected(problems, f"cannot record redirect {kind}:{old_slug}")
        with self._sessions.begin() as session:
            self.record_in(session, kind, old_slug, new_slug, reason)

    @staticmethod
    def record_in(session: Session, kind: str, old_slug: str, new_slug: str, reason: str) -> None:
        """The same, inside a caller's transaction (e.g. an editor's slug change)."""
        # The new slug is live (again): it must not redirect anywhere.
        session.execute(
            delete(SlugRedirect).where(SlugRedirect.kind == kind, SlugRedirect.old_slug == new_slug)
        )
        # Whatever pointed at the old slug now points at the new one (one hop).
        session.execute(
            update(SlugRedirect)
            .where(SlugRedirect.kind == kind, SlugRedirect.new_slug == old_slug)
            .values(new_slug=new_slug)
        )
        existing = session.get(SlugRedirect, (kind, old_slug))
        if existing is None:
            session.add(
                SlugRedirect(kind=kind, old_slug=old_slug, new_slug=new_slug, reason=reason)
            )
        else:
            existing.new_slug, existing.reason = new_slug, reason


class RedirectQueries:
    """Read side: where a former slug lives now."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def target(self, kind: str, slug: str) -> str | None:
        if kind not in REDIRECT_KINDS:
            return None
        with self._sessions() as session:
            seen = {slug}
            current = slug
            for _ in range(MAX_HOPS):
                nxt = session.scalar(
                    select(SlugRedirect.new_slug).where(
                        SlugRedirect.kind == kind, SlugRedirect.old_slug == current
                    )
                )
                if nxt is None or nxt in seen:
                    break
                seen.add(nxt)
                current = nxt
            return current if current != slug else None

    def all(self) -> tuple[RedirectView, ...]:
        with self._sessions() as session:
            return tuple(
                RedirectView(r.kind, r.old_slug, r.new_slug, r.reason, r.created_at)
                for r in session.scalars(
                    select(SlugRedirect).order_by(SlugRedirect.kind, SlugRedirect.old_slug)
                )
            )
