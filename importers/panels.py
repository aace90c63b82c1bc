"""Expert panels and national tumour boards (``panels.json``).

Every row of the table in seed 000 (volume, purpose, requester, organisation,
composition, working method, turnaround, portal, feedback) and every
condition of the DRCP framework for national panels (seed 001 §1.5) has a
field here and a column in the catalogue (see docs/importers.md). The
``framework`` block (the DRCP checklist) is validated: each condition must
point at panel fields that exist.
"""

from __future__ import annotations

from directory.expertise.entity_fields import PANEL_TEXTS, EntityField
from directory.expertise.records import Bilingual, PanelRecord, PanelsRelease
from directory.vocabulary import PANEL_LEVELS, POPULATIONS, SUBMISSION_KINDS, SubmissionKind
from importers.base import SourceFile
from importers.curated import Element, JsonFile, records

SOURCE = "panels"
# The bilingual prose fields come from the panel's declaration: each has a key of its own
# name in panels.json (required with a text, required but nullable, or optional) and a
# pair of columns in the catalogue.
TEXT_FIELDS: tuple[EntityField, ...] = tuple(f for f in PANEL_TEXTS if f.source != "optional")
OPTIONAL_TEXT_FIELDS: tuple[EntityField, ...] = tuple(
    f for f in PANEL_TEXTS if f.source == "optional"
)
REQUIRED = (
    "slug", "name", "short_name", "aliases", "scope", "scope_orphacodes", "euracan_domain",
    "working_group", "level", "region", "coordinating_institution", "member_institutions",
    "disciplines", "turnaround_working_days", "submission_route", "founded",
    "clinical_trials_in_advice", "sources", "certainty",
    *(f.name for f in TEXT_FIELDS),
)  # fmt: skip
OPTIONAL = (
    "slug_en",
    "contact_email",
    "contact_phone",
    "website",
    "scope_exclude_orphacodes",
    "population",
    *(f.name for f in OPTIONAL_TEXT_FIELDS),
)


def parse_panels(source: SourceFile) -> PanelsRelease:
    """Panels; InputRejected listing every problem in the file."""
    file = JsonFile(source)
    root = file.root(["panels"], ["framework"])
    if "framework" in root.data:
        _check_framework(root)
    panels = [_panel(el) for el in records(file, root.objects("panels"), "panels", REQUIRED,
                                           OPTIONAL)]  # fmt: skip
    file.raise_if_problems("panels")
    return PanelsRelease(
        release=file.release(SOURCE), panels=tuple(panels), source_name=source.name
    )


def _panel(el: Element) -> PanelRecord:
    slug = el.slug()
    level = el.enum("level", PANEL_LEVELS) or "national"
    region = el.bilingual("region", required=False)
    if level == "regional" and region is None:
        el.problem("region", "a regional panel needs a region")
    texts: list[tuple[str, Bilingual | None]] = [
        (f.name, el.bilingual(f.name, required=f.source == "required")) for f in PANEL_TEXTS
    ]
    days = None
    if el.data.get("turnaround_working_days") is not None:
        t = el.child(el.data["turnaround_working_days"], "turnaround_working_days", ["min", "max"])
        if t is not None:
            low, high = t.integer("min", high=365), t.integer("max", high=365)
            if low is not None and high is not None:
                if low > high:
                    t.problem("min", f"min ({low}) is more than max ({high})")
                else:
                    days = (low, high)
    kind: SubmissionKind = "unknown"
    portal, url, email = None, None, None
    route = el.child(
        el.data.get("submission_route"), "submission_route", ["kind"], ["portal_name", "url",
                                                                      "email"]
    )  # fmt: skip
    if route is not None:
        kind = route.enum("kind", SUBMISSION_KINDS) or "unknown"
        portal = route.text("portal_name", required=False, max_len=200)
        url = route.url("url")
        email = route.email("email")
        if kind == "email" and email is None:
            route.problem("email", "submission by e-mail needs an e-mail address")
    founded = el.data.get("founded")
    if founded is not None and not (isinstance(founded, str) and founded.strip()):
        el.problem("founded", "must be a year as text, or null")
        founded = None
    return PanelRecord(
        slug=slug,
        name=el.bilingual("name") or Bilingual(slug, slug),
        short_name=el.text("short_name", required=False, max_len=200),
        aliases=el.strings("aliases"),
        level=level,
        region=region,
        euracan_domain=el.ref("euracan_domain"),
        working_group=el.ref("working_group"),
        coordinating_institution=el.ref("coordinating_institution"),
        member_institutions=el.refs("member_institutions"),
        scope=el.bilingual("scope"),
        scope_codes=el.codes("scope_orphacodes"),
        disciplines=el.bilingual_list("disciplines"),
        texts=tuple(texts),
        turnaround_days=days,
        submission_kind=kind,
        portal_name=portal,
        submission_url=url,
        submission_email=email,
        contact_email=el.email("contact_email"),
        contact_phone=el.text("contact_phone", required=False, max_len=50),
        website=el.url("website"),
        founded=founded.strip() if isinstance(founded, str) else None,
        clinical_trials_in_advice=el.boolean("clinical_trials_in_advice"),
        certainty=el.certainty(),
        sources=el.sources(),
        where=el.where,
        scope_exclude=el.codes("scope_exclude_orphacodes"),
        population=el.enum("population", POPULATIONS, required=False) or "all",
        slug_en=el.slug("slug_en") if el.data.get("slug_en") is not None else None,
    )


def _check_framework(root: Element) -> None:
    fw = root.child(root.data["framework"], "framework", ["conditions"], ["source", "description"])
    if fw is None:
        return
    fw.bilingual("description", required=False)
    fields = set(REQUIRED) | set(OPTIONAL)
    for n, item in enumerate(fw.objects("conditions"), start=1):
        c = fw.child(item, f"conditions[{n}]", ["slug", "section", "fields", "name"],
                     ["description"])  # fmt: skip
        if c is None:
            continue
        c.slug()
        c.text("section", max_len=20)
        c.bilingual("name")
        c.bilingual("description", required=False)
        for f in c.strings("fields"):
            if f not in fields:
                c.problem("fields", f"{f!r} is not a panel field")
