"""Links to other sites: the ones the public pages show, and what the link check found
(as the :class:`~directory.editorial.service_base.LinkResult` it stored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.editorial.models import LinkCheck
from directory.editorial.service_base import LinkResult
from directory.expertise.models import Ern, Institution, Network, Panel, WorkingGroup


@dataclass(frozen=True)
class OutboundLink:
    """A link to another site that a public page shows."""

    entity_kind: str
    entity_id: str
    field: str
    url: str


# The entities whose public pages link out, and the fields that hold the links.
_LINK_FIELDS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("institution", Institution, ("website",)),
    ("panel", Panel, ("website", "submission_url")),
    ("working_group", WorkingGroup, ("website",)),
    ("network", Network, ("website",)),
    ("ern", Ern, ("website",)),
)


def links(session: Session, *, broken_only: bool) -> tuple[LinkResult, ...]:
    q = select(LinkCheck).order_by(LinkCheck.entity_kind, LinkCheck.entity_id)
    if broken_only:
        q = q.where(LinkCheck.ok.is_(False))
    return tuple(
        LinkResult(
            c.entity_kind,
            c.entity_id,
            c.field,
            c.url,
            c.ok,
            c.status_code,
            c.error,
            c.checked_at,
        )
        for c in session.scalars(q)
    )


def outbound_links(session: Session) -> tuple[OutboundLink, ...]:
    """Every external link the public pages show, for the link check."""
    found: list[OutboundLink] = []
    for kind, model, fields in _LINK_FIELDS:
        for row in session.scalars(select(model).where(model.retired_at.is_(None))):
            for name in fields:
                url = getattr(row, name)
                if isinstance(url, str) and url.startswith(("http://", "https://")):
                    found.append(OutboundLink(kind, str(row.slug), name, url))
    return tuple(sorted(found, key=lambda o: (o.entity_kind, o.entity_id, o.field)))
