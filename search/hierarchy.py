"""Relations between documents that search uses: groups of a condition, expertise sites.

Expertise recognised for a group applies to its members, so a hit for a disease
shows the groups it belongs to. Groups so general that they hold a large share
of the catalogue ("Rare tumor") tell the user nothing and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from directory.conditions.benign import says_benign, says_malignant
from search.engine import GeoPoint, SearchDocument

GENERIC_SHARE = 0.4  # a group holding more of the catalogue than this is no useful context


def ancestors(docs: Sequence[SearchDocument]) -> dict[int, tuple[int, ...]]:
    """Per ORPHAcode its groups (breadth first: parents, then their parents, ...)."""
    parents: dict[int, tuple[int, ...]] = {}
    children: dict[int, set[int]] = defaultdict(set)
    for d in docs:
        if d.kind == "condition" and d.orphacode is not None:
            parents[d.orphacode] = d.parents
            for p in d.parents:
                children[p].add(d.orphacode)
    n_conditions = max(1, len(parents))
    sizes: dict[int, int] = {}
    for code in children:
        seen: set[int] = set()
        stack = list(children[code])
        while stack:
            c = stack.pop()
            if c in seen or c == code:
                continue
            seen.add(c)
            stack.extend(children.get(c, ()))
        sizes[code] = len(seen)
    generic = {code for code, size in sizes.items() if size > GENERIC_SHARE * n_conditions}
    result: dict[int, tuple[int, ...]] = {}
    for code in parents:
        order: list[int] = []
        frontier = list(parents[code])
        seen_up = {code}
        while frontier:
            nxt: list[int] = []
            for p in frontier:
                if p in seen_up:
                    continue
                seen_up.add(p)
                if p not in generic:
                    order.append(p)
                nxt.extend(parents.get(p, ()))
            frontier = nxt
        result[code] = tuple(order)
    return result


def expertise_locations(docs: Sequence[SearchDocument]) -> dict[str, tuple[GeoPoint, ...]]:
    """Locations of conditions without their own: the sites of their expertise institutions.

    Condition documents name the institutions with expertise in the facet
    ``institution`` (slugs); "sarcoom 9712" can then say how far the nearest is.
    """
    sites = {d.entity_id: d.locations for d in docs if d.kind == "institution" and d.locations}
    out: dict[str, tuple[GeoPoint, ...]] = {}
    for d in docs:
        if d.kind != "condition" or d.locations:
            continue
        points: list[GeoPoint] = []
        for slug in d.facets.get("institution", ()):
            points.extend(sites.get(slug, ()))
        if points:
            out[d.id] = tuple(dict.fromkeys(points))
    return out


def mark_benign(docs: Sequence[SearchDocument]) -> list[SearchDocument]:
    """Conditions that Orphanet calls benign, by name or by a group they are in.

    The rule is :mod:`directory.conditions.benign`'s (the browse pages use it too): a condition is
    benign when one of its names says so, or when it is in a benign group and none of
    its own names says malignant.
    """
    groups = ancestors(docs)
    by_code = {d.orphacode: d for d in docs if d.kind == "condition" and d.orphacode}

    def names(d: SearchDocument) -> tuple[str, ...]:
        return (d.title_en, d.title_nl, *d.names_en, *d.names_nl)

    benign_groups = {
        code for code, d in by_code.items() if d.level == "group" and says_benign(names(d))
    }
    out: list[SearchDocument] = []
    for d in docs:
        if d.kind != "condition" or d.orphacode is None:
            out.append(d)
            continue
        malignant = says_malignant(names(d))
        inherited = bool(benign_groups & set(groups.get(d.orphacode, ())))
        benign = not malignant and (says_benign(names(d)) or inherited)
        out.append(replace(d, benign=True) if benign else d)
    return out
