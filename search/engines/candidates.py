"""Candidates of the embedded engine: a document found for a query, with its score and
why; and what happens to the candidates once they are found: obsolete codes give way to
their successors, a query that names a group brings the group's members, and a question
about a child or a pregnancy brings the place for it forward.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from search.engine import (
    RelatedRef,
    SearchQuery,
)
from search.engines.index_reader import (
    DocInfo,
    IndexReader,
)
from search.engines.ranking import (
    W_BENIGN,
    W_NO_SITE,
    DocScore,
)

MEMBER_GAP = 45.0  # members of a group query rank this far below the group
CODE_TIER = (99, 0)  # codes and nearby institutions rank above every text match


@dataclass(slots=True)
class Candidate:
    rowid: int
    score: float
    reasons: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    exact: bool = False
    typos: bool = False
    member_of: RelatedRef | None = None
    distance_km: float | None = None
    # (words matched, in halves, -typos): the first two ranking rules; the score orders ties.
    tier: tuple[int, int] = (0, 0)

    def rank_key(self) -> tuple[int, int, float]:
        return (-self.tier[0], -self.tier[1], -self.score)


def scored(info: DocInfo, ds: DocScore, bm25: float) -> Candidate:
    score = ds.score + max(-15.0, min(10.0, 15.0 * (info.boost - 1.0)))
    if info.kind == "condition":
        score -= W_NO_SITE * ds.missing_sites
        if info.benign and ds.cancer_asked:
            score -= W_BENIGN
    score += min(3.0, max(0.0, bm25 * 0.05))  # FTS5's bm25 only breaks ties
    matched = [m.field.text for m in ds.matched_fields][:3]
    return Candidate(
        info.rowid,
        score,
        list(ds.reasons),
        matched,
        exact=ds.exact,
        typos=ds.typos,
        tier=(ds.words, -ds.typo_count),
    )


def passes(info: DocInfo, query: SearchQuery) -> bool:
    if query.kinds and info.kind not in query.kinds:
        return False
    for facet, values in query.filters.items():
        if not values:
            continue
        have = (info.kind,) if facet == "kind" else info.facets.get(facet, ())
        if not set(have) & set(values):
            return False
    return True


def with_group_members(
    con: sqlite3.Connection,
    index: IndexReader,
    kept: list[Candidate],
    infos: dict[int, DocInfo],
    query: SearchQuery,
) -> list[Candidate]:
    """A query that names a group also brings the group's members, right below it.

    Deeper in the group, the conditions that match the words themselves count as members
    too, and come first: "leukemie" names the blood-cancer group (a lay term), whose own
    members are groups and syndromes; the leukaemias are a level further down.
    """
    if not kept:
        return kept
    top = min(kept, key=lambda c: c.rank_key())
    info = infos[top.rowid]
    if info.kind != "condition" or info.level != "group" or not top.exact:
        return kept
    member_rows = [r for code in info.children for r in index.by_code.get(code, ())]
    member_rows += [
        c.rowid
        for c in kept
        if c.score > 0 and info.orphacode in infos[c.rowid].ancestors and c.rowid != top.rowid
    ]
    members = index.docs(con, member_rows)
    infos.update(members)
    present = {c.rowid: c for c in kept}
    title, title_lang = info.title(query.lang)
    ref = RelatedRef("condition", info.entity_id, title, title_lang, info.orphacode)
    base = top.score - MEMBER_GAP
    for rowid, member in members.items():
        if not passes(member, query) or member.status != "active":
            continue
        prev = present.get(rowid)
        # Members that match the words themselves come first among the members.
        own = min(max(prev.score, 0.0), 400.0) / 1000.0 if prev is not None else 0.0
        score = base + own
        if prev is not None:
            if prev.rank_key() > (-top.tier[0], -top.tier[1], -score):
                prev.score = score
                prev.tier = top.tier
                prev.member_of = ref
                prev.reasons.append("member_of_group")
            continue
        c = Candidate(rowid, score, ["member_of_group"], member_of=ref, tier=top.tier)
        kept.append(c)
        present[rowid] = c
    return kept


def with_successors(
    con: sqlite3.Connection,
    index: IndexReader,
    kept: list[Candidate],
    infos: dict[int, DocInfo],
    query: SearchQuery,
) -> list[Candidate]:
    """Obsolete and deprecated codes are never results: their successors take their place.

    An inactive code without a successor is left out, unless it was asked for by its
    ORPHAcode (its page says what became of it). A closed hospital stays (only one
    without a successor is indexed): its page says that it closed.
    """
    if all(infos[c.rowid].status == "active" for c in kept):
        return kept
    out = {
        c.rowid: c
        for c in kept
        if infos[c.rowid].status == "active" or infos[c.rowid].kind == "institution"
    }
    inactive = [c for c in kept if c.rowid not in out]
    found = index.docs(
        con,
        (
            r
            for c in inactive
            for code in infos[c.rowid].successors
            for r in index.by_code.get(code, ())[:1]
        ),
    )
    infos.update(found)
    for c in inactive:
        info = infos[c.rowid]
        rows = [r for code in info.successors for r in index.by_code.get(code, ())[:1]]
        heirs = [r for r in rows if r in found and found[r].status == "active"]
        heirs = [r for r in heirs if passes(found[r], query)]
        if not heirs and c.tier == CODE_TIER and "code" in c.reasons:
            out.setdefault(c.rowid, c)
            continue
        for r in heirs:
            heir = Candidate(
                r,
                c.score,
                [*c.reasons, "successor"],
                list(c.matched),
                exact=c.exact,
                typos=c.typos,
                tier=c.tier,
            )
            prev = out.get(r)
            if prev is None or prev.rank_key() > heir.rank_key():
                out[r] = heir
    return list(out.values())


def for_audience(
    con: sqlite3.Connection,
    index: IndexReader,
    audience: str,
    kept: list[Candidate],
    infos: dict[int, DocInfo],
    query: SearchQuery,
) -> list[Candidate]:
    """A question about a child or a pregnancy: the place for it comes second (or first).

    Children: the children's cancer centre; pregnancy: the panels and groups named
    for cancer in pregnancy. Both are read from the documents when the index is
    built, so nothing here names an institution.
    """
    rowids = index.audiences.get(audience, ())
    centres = index.docs(con, rowids)
    wanted = [r for r in rowids if r in centres and passes(centres[r], query)]
    if not wanted:
        return kept
    infos.update(centres)
    if any(c.rowid in wanted for c in kept[:2]):
        return kept  # already first or second
    rest = [c for c in kept if c.rowid not in wanted]
    head = rest[:1]
    added = [
        next((c for c in kept if c.rowid == r), None) or Candidate(r, 0.0, ["audience"])
        for r in wanted
    ]
    for c in added:
        if "audience" not in c.reasons:
            c.reasons.append("audience")
    return head + added + rest[1:]
