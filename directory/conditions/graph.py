"""The Orphanet classification as parent/child maps: ancestors, descendants, exclusions."""

from __future__ import annotations

from collections import defaultdict, deque

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from directory.conditions.models import ClassificationEdge


class ClassificationGraph:
    """The classification as parent/child maps (all classifications together)."""

    def __init__(self, session: Session) -> None:
        self.parents: dict[int, set[int]] = defaultdict(set)
        self.children: dict[int, set[int]] = defaultdict(set)
        for p, c in session.execute(
            select(ClassificationEdge.parent_code, ClassificationEdge.child_code)
        ):
            self.parents[c].add(p)
            self.children[p].add(c)

    @staticmethod
    def _walk(start: int, step: dict[int, set[int]]) -> dict[int, tuple[int, int]]:
        """code -> (distance, the neighbour of ``start`` on a shortest path) (BFS)."""
        found: dict[int, tuple[int, int]] = {}
        queue: deque[tuple[int, int, int]] = deque((n, 1, n) for n in step.get(start, ()))
        while queue:
            code, dist, first = queue.popleft()
            if code in found or code == start:
                continue
            found[code] = (dist, first)
            queue.extend((n, dist + 1, first) for n in step.get(code, ()))
        return found

    def ancestors(self, code: int) -> dict[int, int]:
        return {c: d for c, (d, _f) in self._walk(code, self.parents).items()}

    def excluded(self, code: int, exclusions: set[int] | frozenset[int]) -> bool:
        """Whether ``code`` is outside a scope that excludes ``exclusions`` (and below)."""
        if not exclusions:
            return False
        return code in exclusions or any(a in exclusions for a in self.ancestors(code))

    def descendants(self, code: int) -> dict[int, int]:
        return {c: d for c, (d, _f) in self._walk(code, self.children).items()}
