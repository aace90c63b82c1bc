"""What editors may change of a condition: names, lay terms, summaries, links."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.models import Condition, ConditionName, LayTerm, SourceRelease
from directory.editorial.entities import EDITOR_SOURCE, ApplyContext, EntityListItem, EntityState
from directory.editorial.fields import FieldError, FieldSpec, FieldValue
from directory.editorial.models import ConditionSummary
from directory.editorial.overrides import sorted_terms
from directory.numbers import ascii_int

# -- conditions -------------------------------------------------------------------------


class ConditionAdapter:
    """Editorial content of a condition: Dutch names, lay terms, plain-language summaries.

    The condition itself (its code, level, official names) comes from Orphanet and
    is not editable; it cannot be created or retired here.
    """

    kind: str = "condition"
    can_create: bool = False
    can_retire: bool = False
    fields: tuple[FieldSpec, ...] = (
        FieldSpec("name_nl", "text", max_length=300, lang="nl", imported=True, group="names"),
        FieldSpec(
            "synonyms_nl",
            "lines",
            max_length=300,
            lang="nl",
            imported=True,
            max_items=40,
            group="names",
        ),
        FieldSpec(
            "lay_terms_nl",
            "lines",
            max_length=200,
            lang="nl",
            imported=True,
            max_items=60,
            group="lay_terms",
        ),
        FieldSpec(
            "lay_terms_en",
            "lines",
            max_length=200,
            lang="en",
            imported=True,
            max_items=60,
            group="lay_terms",
        ),
        FieldSpec("summary_nl", "textarea", max_length=2000, lang="nl", group="summaries"),
        FieldSpec("summary_en", "textarea", max_length=2000, lang="en", group="summaries"),
    )

    @staticmethod
    def _code(entity_id: str) -> int | None:
        return ascii_int(entity_id)

    def load(self, session: Session, entity_id: str) -> EntityState | None:
        code = self._code(entity_id)
        cond = session.get(Condition, code) if code is not None else None
        if cond is None or code is None:
            return None
        names = list(session.scalars(select(ConditionName).where(ConditionName.orphacode == code)))
        official = {
            n.lang: n.text for n in names if n.origin == "orphanet" and n.kind == "preferred"
        }
        nl_pref = next(
            (
                n.text
                for n in names
                if n.origin == "editorial" and n.lang == "nl" and n.kind == "preferred"
            ),
            None,
        )
        nl_syn = sorted(
            n.text
            for n in names
            if n.origin == "editorial" and n.lang == "nl" and n.kind == "synonym"
        )
        terms: dict[str, list[str]] = {"nl": [], "en": []}
        for t in session.scalars(select(LayTerm).where(LayTerm.orphacode == code)):
            terms.setdefault(t.lang, []).append(t.term)
        summaries = {
            s.lang: s.text
            for s in session.scalars(
                select(ConditionSummary).where(ConditionSummary.orphacode == code)
            )
        }
        release_ids = {n.release_id for n in names} | {cond.release_id}
        imported = session.scalar(
            select(func.max(SourceRelease.imported_at)).where(
                SourceRelease.id.in_(release_ids), SourceRelease.source != EDITOR_SOURCE
            )
        )
        title, title_lang = (
            (official["en"], "en")
            if "en" in official
            else ((nl_pref, "nl") if nl_pref else (f"ORPHA:{code}", "en"))
        )
        return EntityState(
            kind=self.kind,
            entity_id=str(code),
            title=f"{title} (ORPHA:{code})",
            title_lang=title_lang,
            values={
                "name_nl": nl_pref,
                "synonyms_nl": nl_syn,
                "lay_terms_nl": sorted_terms(terms["nl"]),
                "lay_terms_en": sorted_terms(terms["en"]),
                "summary_nl": summaries.get("nl"),
                "summary_en": summaries.get("en"),
            },
            source_checked=imported.date() if imported else None,
        )

    def normalize(self, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
        result = dict(values)
        for name in ("lay_terms_nl", "lay_terms_en"):
            terms = result.get(name)
            if isinstance(terms, list):
                unique: dict[str, str] = {}
                for t in terms:
                    unique.setdefault(str(t).casefold(), str(t))
                result[name] = sorted_terms(unique.values())
        syn = result.get("synonyms_nl")
        if isinstance(syn, list):
            preferred = result.get("name_nl")
            result["synonyms_nl"] = sorted(str(s) for s in syn if s != preferred)
        return result

    def validate(
        self, session: Session, entity_id: str, values: Mapping[str, FieldValue], action: str
    ) -> list[FieldError]:
        errors = []
        if values.get("synonyms_nl") and not values.get("name_nl"):
            errors.append(FieldError("name_nl", "required_with", {"other": "synonyms_nl"}))
        code = self._code(entity_id)
        for lang in ("nl", "en"):
            terms = values.get(f"lay_terms_{lang}")
            if code is None or not isinstance(terms, list) or not terms:
                continue
            # A term may point at one condition per language (search relies on it).
            taken = session.execute(
                select(LayTerm.term, LayTerm.orphacode).where(
                    LayTerm.lang == lang,
                    LayTerm.orphacode != code,
                    func.lower(LayTerm.term).in_([str(t).lower() for t in terms]),
                )
            ).first()
            if taken is not None:
                errors.append(
                    FieldError(
                        f"lay_terms_{lang}",
                        "term_taken",
                        {"item": taken[0], "value": f"ORPHA:{taken[1]}"},
                    )
                )
        return errors

    def apply(
        self,
        session: Session,
        entity_id: str,
        action: str,
        changes: Mapping[str, FieldValue],
        values: Mapping[str, FieldValue],
        ctx: ApplyContext,
    ) -> None:
        code = int(entity_id)
        if "name_nl" in changes or "synonyms_nl" in changes:
            name = values.get("name_nl")
            synonyms = values.get("synonyms_nl")
            ctx.catalogue.set_editorial_names(
                session,
                code,
                "nl",
                name if isinstance(name, str) and name else None,
                tuple(str(s) for s in synonyms) if isinstance(synonyms, list) else (),
                ctx.release,
            )
        for lang in ("nl", "en"):
            if f"lay_terms_{lang}" in changes:
                terms = values.get(f"lay_terms_{lang}")
                ctx.catalogue.set_lay_terms(
                    session,
                    code,
                    lang,
                    tuple(str(t) for t in terms) if isinstance(terms, list) else (),
                    ctx.release,
                )
            if f"summary_{lang}" in changes:
                text = values.get(f"summary_{lang}")
                row = session.get(ConditionSummary, (code, lang))
                if not text:
                    if row is not None:
                        session.delete(row)
                elif row is None:
                    session.add(
                        ConditionSummary(
                            orphacode=code,
                            lang=lang,
                            text=str(text),
                            origin="editor",
                            updated_at=utcnow(),
                            updated_by=ctx.author_id,
                        )
                    )
                else:
                    row.text, row.updated_at, row.updated_by = str(text), utcnow(), ctx.author_id

    def find(self, session: Session, text: str, limit: int) -> tuple[EntityListItem, ...]:
        text = text.strip()
        digits = text.upper().removeprefix("ORPHA").removeprefix(":").strip()
        code = ascii_int(digits)
        if code is not None:
            match = ConditionName.orphacode == code
        elif text:
            like = f"%{text.lower()}%"
            match = or_(
                func.lower(ConditionName.text).like(like),
                ConditionName.orphacode.in_(
                    select(LayTerm.orphacode).where(func.lower(LayTerm.term).like(like))
                ),
            )
        else:  # nothing typed: the conditions that have editorial content
            match = ConditionName.origin == "editorial"
        codes = session.scalars(
            select(ConditionName.orphacode)
            .where(match)
            .distinct()
            .order_by(ConditionName.orphacode)
            .limit(limit)
        )
        items = []
        for code in list(codes):
            state = self.load(session, str(code))
            if state is not None:
                items.append(
                    EntityListItem(self.kind, state.entity_id, state.title, state.title_lang)
                )
        return tuple(items)
