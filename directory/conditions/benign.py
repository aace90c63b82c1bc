"""Which conditions are benign: Orphanet says so in a name, or in the name of a group.

Orphanet has no "benign" flag; its names and groups say it ("Benign schwannoma",
"Goedaardige vaattumor", "Rare benign breast tumor"). A condition is benign when one
of its own names says so (and none says malignant), or when it is in a benign group
and none of its own names says malignant. Search results and the browse pages label
such conditions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import ClassificationEdge, ConditionName

_BENIGN = re.compile(r"\b(?:benign|benigne|goedaardige?)\b", re.IGNORECASE)
_MALIGNANT = re.compile(
    r"\b(?:malignant|maligne|kwaadaardige?|\w*carcinoma|\w*carcinoom|\w*sarcoma|\w*sarcoom)\b",
    re.IGNORECASE,
)


def says_benign(names: Iterable[str]) -> bool:
    return any(_BENIGN.search(n) for n in names)


def says_malignant(names: Iterable[str]) -> bool:
    return any(_MALIGNANT.search(n) for n in names)


def benign_codes(session: Session) -> set[int]:
    """Every benign ORPHAcode of the catalogue (by its names, or a benign group's)."""
    names: dict[int, list[str]] = defaultdict(list)
    for code, text in session.execute(select(ConditionName.orphacode, ConditionName.text)):
        names[code].append(text)
    children: dict[int, list[int]] = defaultdict(list)
    for parent, child in session.execute(
        select(ClassificationEdge.parent_code, ClassificationEdge.child_code)
    ):
        children[parent].append(child)
    own = {c for c, ns in names.items() if says_benign(ns) and not says_malignant(ns)}
    found = set(own)
    stack = [c for c in own if c in children]
    seen: set[int] = set()
    while stack:
        group = stack.pop()
        if group in seen:
            continue
        seen.add(group)
        for child in children.get(group, ()):
            if not says_malignant(names.get(child, ())):
                found.add(child)
            stack.append(child)
    return found
