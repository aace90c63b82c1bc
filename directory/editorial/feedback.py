"""Feedback reports from the public pages, and the results of link checks."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, update

from directory.editorial.errors import (
    Conflict,
    InvalidInput,
)
from directory.editorial.fields import (
    FieldError,
)
from directory.editorial.models import (
    FeedbackReport,
    LinkCheck,
)
from directory.editorial.service_base import (
    MAX_FEEDBACK,
    MAX_REASON,
    EditorialBase,
    LinkResult,
    entity_of_path,
)
from directory.errors import NotFound
from directory.expertise.slugs import load_permalinks
from directory.paths import LANGS, is_site_page


class FeedbackAndLinks(EditorialBase):
    """Reports and link checks."""

    # -- feedback --------------------------------------------------------------------------

    def submit_feedback(self, lang: str, page_url: str, message: str, contact: str | None) -> int:
        """Store a public "report an error" message. No account, no address, no cookies."""
        message = message.replace("\r\n", "\n").strip()
        contact = (contact or "").strip() or None
        page_url = page_url.strip()
        errors = []
        if len(message) < 5:
            errors.append(FieldError("message", "too_short", {"min": 5}))
        elif len(message) > MAX_FEEDBACK:
            errors.append(FieldError("message", "too_long", {"max": MAX_FEEDBACK}))
        if contact is not None and len(contact) > 254:
            errors.append(FieldError("contact", "too_long", {"max": 254}))
        if not is_site_page(page_url):
            errors.append(FieldError("page", "not_page"))
        if lang not in LANGS:
            lang = "nl"
        if errors:
            raise InvalidInput(
                errors, {"message": message, "contact": contact or "", "page": page_url}
            )
        entity = entity_of_path(page_url)
        with self._sessions() as session, session.begin():
            if entity is not None:  # an English page's address has the English slug
                entity = (entity[0], load_permalinks(session).entity_id(*entity))
            report = FeedbackReport(
                created_at=self._clock(),
                lang=lang,
                page_url=page_url,
                entity_kind=entity[0] if entity else None,
                entity_id=entity[1] if entity else None,
                message=message,
                contact=contact,
                status="new",
            )
            session.add(report)
            session.flush()
            return report.id

    def handle_feedback(
        self, report_id: int, user_id: int, status: str, note: str, expected_version: int
    ) -> None:
        if status not in ("new", "handled", "dismissed"):
            raise InvalidInput([FieldError("status", "not_choice")])
        note = note.strip()
        if len(note) > MAX_REASON:
            raise InvalidInput([FieldError("note", "too_long", {"max": MAX_REASON})])
        with self._sessions() as session, session.begin():
            self._user(session, user_id)
            claimed = session.execute(
                update(FeedbackReport)
                .where(FeedbackReport.id == report_id, FeedbackReport.version == expected_version)
                .values(
                    status=status,
                    note=note or None,
                    handled_by=user_id,
                    handled_at=self._clock(),
                    version=FeedbackReport.version + 1,
                )
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
                if session.get(FeedbackReport, report_id) is None:
                    raise NotFound(f"no feedback report {report_id}")
                raise Conflict("feedback_changed")

    # -- link checks -------------------------------------------------------------------------

    def record_link_results(self, results: Iterable[LinkResult]) -> int:
        """Replace the stored link-check results with this run's."""
        rows = list(results)
        with self._sessions() as session, session.begin():
            session.execute(delete(LinkCheck))
            seen: set[tuple[str, str, str, str]] = set()
            for r in rows:
                key = (r.entity_kind, r.entity_id, r.field, r.url)
                if key in seen:
                    continue
                seen.add(key)
                session.add(
                    LinkCheck(
                        entity_kind=r.entity_kind,
                        entity_id=r.entity_id,
                        field=r.field,
                        url=r.url[:500],
                        checked_at=r.checked_at,
                        ok=r.ok,
                        status_code=r.status_code,
                        error=(r.error or None) and (r.error or "")[:500],
                    )
                )
        return len(seen)
