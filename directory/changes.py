"""Row-level changes of a dry run, so editors see what an upload would change.

:class:`ChangeRecorder` listens to a session's flushes and writes one line per row
added, changed (with old and new values) or removed. The catalogue service attaches
it to the transaction of a dry run, which is then rolled back. Bulk statements
(``session.execute(delete(...))``) are not seen; the counts still include them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

# Bookkeeping that changes with every run and says nothing to an editor.
SKIP_TABLES = {"import_run", "source_release"}
SKIP_COLUMNS = {"release_id", "first_release_id", "updated_at", "created_at", "imported_at"}
KEY_COLUMNS = (
    "slug",
    "key",
    "orphacode",
    "lang",
    "kind",
    "term",
    "text",
    "postcode",
    "parent_code",
    "child_code",
    "system",
    "code",
    "name",
)
MAX_VALUE = 80


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _label(obj: Any) -> str:
    table = obj.__table__.name
    columns = obj.__table__.columns.keys()
    parts = [
        f"{name}={_show(getattr(obj, name))}"
        for name in KEY_COLUMNS
        if name in columns and getattr(obj, name, None) is not None
    ][:3]
    return f"{table} ({', '.join(parts)})" if parts else table


class ChangeRecorder:
    """Collects the changes a session flushes, up to ``limit`` lines."""

    def __init__(self, session: Session, limit: int = 2000) -> None:
        self.lines: list[str] = []
        self.more = 0
        self._limit = limit
        self._added: set[int] = set()
        self._session = session
        event.listen(session, "before_flush", self._before_flush)

    def close(self) -> list[str]:
        event.remove(self._session, "before_flush", self._before_flush)
        if self.more:
            return [*self.lines, f"... and {self.more} more changes"]
        return list(self.lines)

    def _add(self, line: str) -> None:
        if len(self.lines) < self._limit:
            self.lines.append(line)
        else:
            self.more += 1

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        for obj in session.new:
            if obj.__table__.name in SKIP_TABLES:
                continue
            self._added.add(id(obj))
            self._add(f"added: {_label(obj)}")
        for obj in session.dirty:
            if obj.__table__.name in SKIP_TABLES or id(obj) in self._added:
                continue
            state = inspect(obj)
            diffs = []
            for attr in state.mapper.column_attrs:
                if attr.key in SKIP_COLUMNS:
                    continue
                history = state.attrs[attr.key].history
                if history.has_changes() and history.deleted:
                    old = history.deleted[0]
                    new = history.added[0] if history.added else None
                    if old != new:
                        diffs.append(f"{attr.key}: {_show(old)} → {_show(new)}")
            if diffs:
                self._add(f"changed: {_label(obj)}: {'; '.join(diffs)}")
        for obj in session.deleted:
            if obj.__table__.name not in SKIP_TABLES:
                self._add(f"removed: {_label(obj)}")
