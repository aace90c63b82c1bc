"""Proposals waiting for an editor: drafted translations of condition names, and drafted
plain-language summaries no editor has approved yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.models import ConditionName, ProposedSummary
from directory.conditions.queries import condition_refs
from directory.editorial.models import ConditionSummary


@dataclass(frozen=True)
class ProposedName:
    orphacode: int
    name_en: str
    preferred: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class ProposedSummaryView:
    orphacode: int
    name: str  # the condition's preferred name (Dutch where there is one)
    summary_nl: str
    summary_en: str
    based_on: str


def proposed_names(
    sessions: sessionmaker[Session], lang: str, offset: int, limit: int
) -> tuple[int, tuple[ProposedName, ...]]:
    """(how many, one page) of conditions whose editorial name in ``lang`` is a proposal."""
    with sessions() as session:
        codes_q = (
            select(ConditionName.orphacode)
            .where(
                ConditionName.lang == lang,
                ConditionName.origin == "editorial",
                ConditionName.kind == "preferred",
                ConditionName.proposed.is_(True),
            )
            .order_by(ConditionName.orphacode)
        )
        total = session.scalar(select(func.count()).select_from(codes_q.subquery())) or 0
        codes = list(session.scalars(codes_q.offset(offset).limit(limit)))
        names: dict[int, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
        for n in session.scalars(select(ConditionName).where(ConditionName.orphacode.in_(codes))):
            if n.origin == "orphanet" and n.lang == "en" and n.kind == "preferred":
                names[n.orphacode][("en", "preferred")].append(n.text)
            elif n.origin == "editorial" and n.lang == lang:
                names[n.orphacode][(lang, n.kind)].append(n.text)
        rows = tuple(
            ProposedName(
                orphacode=code,
                name_en=(names[code][("en", "preferred")] or [""])[0],
                preferred=(names[code][(lang, "preferred")] or [""])[0],
                synonyms=tuple(sorted(names[code][(lang, "synonym")])),
            )
            for code in codes
        )
        return total, rows


def proposed_summaries(
    sessions: sessionmaker[Session], offset: int, limit: int
) -> tuple[int, tuple[ProposedSummaryView, ...]]:
    """(how many, one page) of drafted summaries no editor has approved yet."""
    with sessions() as session:
        approved = select(ConditionSummary.orphacode)
        codes_q = (
            select(ProposedSummary.orphacode)
            .where(ProposedSummary.orphacode.not_in(approved))
            .distinct()
            .order_by(ProposedSummary.orphacode)
        )
        total = session.scalar(select(func.count()).select_from(codes_q.subquery())) or 0
        codes = list(session.scalars(codes_q.offset(offset).limit(limit)))
        texts: dict[int, dict[str, ProposedSummary]] = defaultdict(dict)
        for s in session.scalars(
            select(ProposedSummary).where(ProposedSummary.orphacode.in_(codes))
        ):
            texts[s.orphacode][s.lang] = s
        refs = condition_refs(session, codes)
        return total, tuple(
            ProposedSummaryView(
                orphacode=code,
                name=refs[code].title("nl").value if code in refs else f"ORPHA:{code}",
                summary_nl=texts[code]["nl"].text if "nl" in texts[code] else "",
                summary_en=texts[code]["en"].text if "en" in texts[code] else "",
                based_on=next(iter(texts[code].values())).based_on,
            )
            for code in codes
        )
