"""The fields of the expertise entities editors can edit, each declared once.

Each :class:`EntityField` says what a field of a panel, working group, institution or
network holds (its kind; one column, a Dutch and English pair, or a link held in another
table), what editors may do with it (and why not, when they may not), whether the public
page shows it, its label, and, for panels, where the page's sections show it and where
the importer finds it in ``panels.json``. The rest is derived from it:

* the editor's form for each kind (``directory.editorial.adapters.expertise_rows``) and
  the labels of its fields (``web.editor.texts``);
* for panels also the prose columns of :class:`~directory.expertise.models.Panel`
  (``<name>_nl`` and ``<name>_en``, type ``Text``), the importer's text fields
  (``importers.panels``), the rows of the public page's sections
  (``templates/panel.html``) and the referral summary (``web.views.panels``).

Adding a prose field to panels means: an :class:`EntityField` in :data:`PANEL_FIELDS`, an
Alembic migration for its two columns, its text in ``data/curated/panels.json``, and the
Dutch for its label in ``locales/nl`` (``scripts/i18n.py extract`` lists it). Labels are
English gettext message ids (``lazy`` marks them for extraction; ``babel.cfg`` reads this
file). ``tests/unit/directory/expertise/test_entity_fields.py`` checks that each
declaration, its model, the migrations and (for panels) the importer and the curated data
agree, and that every field a public page shows can be edited unless the declaration says
why not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from directory.vocabulary import (
    EDITABLE_NETWORK_KINDS,
    INSTITUTION_KINDS,
    PANEL_LEVELS,
    SUBMISSION_KINDS,
    WORKING_GROUP_KINDS,
)

# The kinds an editor's form knows (a subset of directory.editorial.fields.FieldKind).
FieldKind = Literal[
    "text", "textarea", "lines", "url", "email", "int", "bool", "choice", "slug", "orphacodes"
]
# Sections of the public panel page whose rows come from the declaration, in page order.
PageSection = Literal["submitting", "next", "who", "contact", "more"]
# Sections of the editor's form (labels in web.editor.texts.GROUPS), in form order.
EditorGroup = Literal["", "about", "submitting", "working", "contact", "links"]
EDITOR_GROUPS: tuple[EditorGroup, ...] = ("", "about", "submitting", "working", "contact", "links")
# In panels.json: a text is required; the key is required but its value may be null;
# the key may be left out. None: the importer reads the field in its own code.
SourceRule = Literal["required", "nullable", "optional"]

PROSE_LENGTH = 4000  # characters of an editor's prose field


def lazy(message: str) -> str:
    """Mark a label for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class EntityField:
    """One field of an expertise entity."""

    name: str  # the column, or the stem of the pair <name>_nl / <name>_en when bilingual
    kind: FieldKind
    label: str  # an English message id; the editor adds the language of a bilingual field
    bilingual: bool = False
    lang: Literal["nl", "en"] | None = None  # the language of a one-language text column
    required: bool = False  # an editor must fill it in
    max_length: int = 300
    max_items: int = 50
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[str, ...] = ()
    group: EditorGroup = ""
    create_only: bool = False  # the slug: set once, when the entity is made
    imported: bool = True  # an importer writes it too: an approved edit becomes an override
    link: bool = False  # held in another table (institutions, ORPHAcodes, ...), not a column
    editable: bool = True
    not_editable: str = ""  # why editors cannot change it; required when not editable
    # -- the public page --------------------------------------------------------------
    on_page: bool = False  # shown on the public page (by a section's loop or the template)
    section: PageSection | None = None  # panels: shown by this section's loop
    show: Literal["always", "if_set"] = "if_set"
    layout: Literal["row", "paragraph"] = "row"  # <dt>label</dt><dd>..</dd> or <p>label ..</p>
    page_label: str | None = None  # the page's label when it differs; "" shows none
    if_missing: str = ""  # shown instead of an empty value (with show="always")
    summary_label: str = ""  # in the panel's referral summary with this label ("" = not)
    # -- the importer (panels) ---------------------------------------------------------
    source: SourceRule | None = None

    @property
    def prose(self) -> bool:
        """A Dutch and English text pair of type Text."""
        return self.bilingual and self.kind == "textarea"

    @property
    def shown(self) -> bool:
        return self.on_page or self.section is not None

    @property
    def columns(self) -> tuple[str, ...]:
        if self.link:
            return ()
        return (f"{self.name}_nl", f"{self.name}_en") if self.bilingual else (self.name,)

    @property
    def shown_label(self) -> str:
        return self.label if self.page_label is None else self.page_label


def _prose(name: str, label: str, **kw: Any) -> EntityField:
    return EntityField(name, "textarea", label, bilingual=True, max_length=PROSE_LENGTH, **kw)


SLUG = EntityField("slug", "slug", lazy("Short name in the web address (slug)"), required=True,
                   max_length=100, create_only=True, imported=False)  # fmt: skip

PANEL_FIELDS: tuple[EntityField, ...] = (
    SLUG,
    EntityField("name", "text", lazy("Name"), bilingual=True, required=True, on_page=True),
    EntityField("short_name", "text", lazy("Short name"), max_length=200, on_page=True),
    EntityField("aliases", "lines", lazy("Other names (one per line)"), max_length=200),
    EntityField("level", "choice", lazy("Level"), required=True, choices=PANEL_LEVELS,
               on_page=True),
    EntityField("region", "text", lazy("Region"), bilingual=True, on_page=True),
    # 001 1.5.1 target group; 000 scope
    _prose("scope", lazy("Scope"), group="about", on_page=True),
    # How to submit a case
    # 000 "Webportaal"; 001 1.5.8 how to submit
    EntityField("submission_kind", "choice", lazy("How cases are submitted"), required=True,
               choices=SUBMISSION_KINDS, group="submitting", on_page=True),
    EntityField("portal_name", "text", lazy("Name of the portal"), max_length=200,
               group="submitting", on_page=True),
    EntityField("submission_url", "url", lazy("Web address for submitting"), max_length=500,
               group="submitting", on_page=True),
    EntityField("submission_email", "email", lazy("E-mail address for submitting"),
               max_length=200, group="submitting", on_page=True),
    # 000 "Aanvrager"; 001 1.5.4
    _prose("who_may_submit", lazy("Who may submit"), group="submitting", section="submitting",
           show="always", summary_label=lazy("Who may submit"), source="required"),
    # 001 1.5.5
    _prose("requester_role", lazy("What the requesting doctor does"), group="submitting",
           section="submitting", source="optional"),
    # 001 1.5.1 (which patients)
    _prose("criteria", lazy("Which patients"), group="submitting", section="submitting",
           source="optional"),
    # 001 1.5.8 minimum data
    _prose("what_to_include", lazy("What to include"), group="submitting",
           section="submitting", show="always", summary_label=lazy("What to include"),
           source="required"),
    # 001 1.5.6
    _prose("patient_consent", lazy("Informing the patient and consent"), group="submitting",
           section="submitting", show="always", summary_label=lazy("Patient consent"),
           source="required"),
    # 001 1.5.8 privacy
    _prose("privacy", lazy("Privacy"), group="submitting", section="submitting",
           source="optional"),
    # What happens next
    # 000 "Werkwijze"; 001 1.5.8 logistics
    _prose("working_method", lazy("Working method"), group="working", section="next",
           show="always", source="required"),
    # 001 1.5.7
    _prose("meeting_rhythm", lazy("How often the panel meets"), group="working",
           section="next", show="always", source="required"),
    # 000 "Gemiddelde doorlooptijd"
    _prose("turnaround", lazy("Turnaround"), group="working", section="next", show="always",
           if_missing=lazy("Not known"), summary_label=lazy("Turnaround"), source="nullable"),
    EntityField("turnaround_days_min", "int", lazy("Turnaround, fewest working days"),
               min_value=0, max_value=365, group="working", on_page=True),
    EntityField("turnaround_days_max", "int", lazy("Turnaround, most working days"),
               min_value=0, max_value=365, group="working", on_page=True),
    # 000 "Terugkoppeling"
    _prose("feedback_route", lazy("How the advice comes back"), group="working",
           section="next", show="always", summary_label=lazy("How the advice comes back"),
           source="required"),
    EntityField("clinical_trials_in_advice", "bool", lazy("The advice lists clinical trials"),
               group="working", on_page=True),
    # Who is in the panel
    EntityField("disciplines", "lines", lazy("Specialties in the panel (one per line)"),
               bilingual=True, max_length=200, group="working", on_page=True),
    # 001 1.5.8 chair
    _prose("chair", lazy("Chair"), group="working", section="who", layout="paragraph",
           page_label=lazy("Chair:"), source="nullable"),
    # 000 "Organisatie"; 001 1.5.3
    _prose("organisation", lazy("Where the experts come from"), group="working",
           section="who", layout="paragraph", page_label="", source="optional"),
    # Contact
    _prose("contact_route", lazy("Contact"), group="contact", section="contact",
           show="always", layout="paragraph", page_label="", summary_label=lazy("Contact"),
           source="required"),
    EntityField("contact_email", "email", lazy("Contact e-mail address"), max_length=200,
               group="contact", on_page=True),
    EntityField("contact_phone", "text", lazy("Contact phone number"), max_length=50,
               group="contact", on_page=True),
    EntityField("website", "url", lazy("Website"), max_length=500, group="contact",
               on_page=True),
    # More about this panel
    # 000 "Functie"; 001 1.3 aim
    _prose("purpose", lazy("Purpose"), group="about", section="more", show="always",
           source="required"),
    # 001 1.5.2
    _prose("tasks", lazy("Tasks"), group="about", section="more", source="optional"),
    # 000 "Volume"
    _prose("volume", lazy("Number of cases"), group="about", section="more",
           source="nullable"),
    EntityField("founded", "text", lazy("Since"), max_length=50, group="about",
               section="more"),
    _prose("funding", lazy("Funding"), group="about", section="more", source="nullable"),
    # 001 1.5.9
    _prose("database", lazy("Database"), group="about", section="more", source="optional"),
    # 001 1.5.10
    _prose("evaluation", lazy("Evaluation"), group="about", section="more",
           source="optional"),
    # 001 1.5.11
    _prose("communication", lazy("Communication"), group="about", section="more",
           source="optional"),
    # 001 1.4.4
    _prose("international", lazy("International cooperation"), group="about",
           section="more", source="optional"),
    _prose("notes", lazy("Notes"), group="contact", section="more", source="nullable"),
    # Links to other entities (tables of their own)
    EntityField("coordinating_institution", "text", lazy("Coordinating institution (slug)"),
               max_length=100, group="links", link=True, on_page=True),
    EntityField("member_institutions", "lines", lazy("Member institutions (slugs, one per line)"),
               max_length=100, max_items=60, group="links", link=True, on_page=True),
    EntityField("scope_orphacodes", "orphacodes", lazy("ORPHAcodes it covers"), max_items=300,
               group="links", link=True, on_page=True),
    EntityField("working_group", "text", lazy("Working group"), link=True, on_page=True,
               editable=False,
               not_editable="set in panels.json: a panel belongs to the working group that "
                            "lists it, which editors change on the working group"),
    EntityField("euracan_domain", "text", lazy("EURACAN domain"), link=True, on_page=True,
               editable=False,
               not_editable="EURACAN's own list of domains, imported from panels.json"),
)  # fmt: skip

WORKING_GROUP_FIELDS: tuple[EntityField, ...] = (
    SLUG,
    EntityField("name", "text", lazy("Name"), bilingual=True, required=True, on_page=True),
    EntityField("abbreviation", "text", lazy("Abbreviation"), max_length=50, on_page=True),
    EntityField("kind", "choice", lazy("Kind"), required=True, choices=WORKING_GROUP_KINDS,
                on_page=True),
    _prose("scope", lazy("Scope"), group="about", on_page=True),
    _prose("description", lazy("Description"), group="about", on_page=True),
    EntityField("domain_label", "text", lazy("Name of its domain"), bilingual=True,
                group="about", on_page=True),
    EntityField("website", "url", lazy("Website"), max_length=500, group="contact",
                on_page=True),
    _prose("notes", lazy("Notes"), group="contact", on_page=True),
    EntityField("centre_institutions", "lines",
                lazy("Centres (slugs of institutions, one per line)"), max_length=100,
                max_items=60, group="links", link=True, on_page=True),
    EntityField("scope_orphacodes", "orphacodes", lazy("ORPHAcodes it covers"), max_items=300,
                group="links", link=True, on_page=True),
    EntityField("parent", "text", lazy("Part of"), link=True, on_page=True, editable=False,
                not_editable="the tree of working groups comes from working_groups.json, "
                             "whose importer refuses a cycle"),
    EntityField("euracan_domain", "text", lazy("EURACAN domain"), link=True, on_page=True,
                editable=False,
                not_editable="EURACAN's own list of domains, imported with the groups"),
    EntityField("partner_institutions", "lines", lazy("Preferred partners"), link=True,
                on_page=True, editable=False,
                not_editable="a preferred partner is a network membership: editors change "
                             "it on the network"),
    EntityField("initiatives", "lines", lazy("Panels of the group"), on_page=True,
                editable=False,
                not_editable="the page lists the panels that name the group; editors change "
                             "that on the panel"),
)  # fmt: skip

INSTITUTION_FIELDS: tuple[EntityField, ...] = (
    SLUG,
    EntityField("name", "text", lazy("Official name"), lang="nl", required=True, on_page=True),
    EntityField("name_en", "text", lazy("Name in English"), lang="en", required=True,
                on_page=True),
    EntityField("aliases", "lines", lazy("Other names (one per line)"), max_items=60,
                link=True, on_page=True),
    EntityField("kind", "choice", lazy("Kind"), required=True, choices=INSTITUTION_KINDS,
                on_page=True),
    EntityField("website", "url", lazy("Website"), max_length=500, on_page=True),
    _prose("notes", lazy("Notes"), on_page=True),
    EntityField("kind_certainty", "choice", lazy("How sure the kind is"), on_page=True,
                editable=False,
                not_editable="says how sure the source of the kind is; it changes with the "
                             "kind's source in institutions.json"),
    EntityField("status", "choice", lazy("Status"), on_page=True, editable=False,
                not_editable="a merger or closure is recorded with its source in "
                             "institutions.json, with the date and the successor"),
    EntityField("ended_on", "text", lazy("Ended on"), on_page=True, editable=False,
                not_editable="part of a merger or closure (see status)"),
    EntityField("successor", "text", lazy("Successor"), link=True, on_page=True,
                editable=False, not_editable="part of a merger or closure (see status)"),
    _prose("lifecycle", lazy("Merger or closure"), on_page=True, editable=False,
           not_editable="part of a merger or closure (see status)"),
    EntityField("corrections", "lines", lazy("Corrections"), on_page=True, editable=False,
                not_editable="corrections of public sources, each with the source it "
                             "corrects; kept in institutions.json"),
    EntityField("sites", "lines", lazy("Locations"), link=True, on_page=True, editable=False,
                not_editable="each location is an entry of its own (kind site) in the editor "
                             "area"),
    EntityField("memberships", "lines", lazy("Networks"), link=True, on_page=True,
                editable=False, not_editable="edited on the network"),
)  # fmt: skip

NETWORK_FIELDS: tuple[EntityField, ...] = (
    SLUG,
    EntityField("name", "text", lazy("Official name"), lang="nl", required=True, on_page=True),
    EntityField("name_en", "text", lazy("Name in English"), lang="en", imported=False,
                on_page=True),
    EntityField("kind", "choice", lazy("Kind"), required=True, choices=EDITABLE_NETWORK_KINDS,
                on_page=True),
    EntityField("aliases", "lines", lazy("Other names (one per line)"), max_length=200,
                on_page=True),
    EntityField("region", "text", lazy("Region"), bilingual=True, on_page=True),
    _prose("description", lazy("Description"), group="about", on_page=True),
    EntityField("website", "url", lazy("Website"), max_length=500, group="contact",
                imported=False, on_page=True),
    EntityField("members", "lines",
                lazy("Members: the institution's slug and its role, one per line"),
                max_length=150, max_items=150, group="links", link=True, on_page=True),
)  # fmt: skip

ENTITY_FIELDS: Mapping[str, tuple[EntityField, ...]] = {
    "panel": PANEL_FIELDS,
    "working_group": WORKING_GROUP_FIELDS,
    "institution": INSTITUTION_FIELDS,
    "network": NETWORK_FIELDS,
}
# Columns that are no field editors see: keys, provenance and bookkeeping, per kind.
BOOKKEEPING_COLUMNS: Mapping[str, frozenset[str]] = {
    "panel": frozenset({"id", "slug_en", "euracan_domain_id", "working_group_id",
                        "coordinating_institution_id", "certainty", "sources", "checked_on",
                        "release_id", "retired_at"}),
    "working_group": frozenset({"id", "slug_en", "parent_id", "euracan_domain_id", "sources",
                                "checked_on", "release_id", "retired_at"}),
    "institution": frozenset({"id", "origin", "rivm_organisations", "successor_id", "sources",
                              "checked_on", "release_id", "updated_at", "retired_at"}),
    "network": frozenset({"id", "slug_en", "status", "sources", "checked_on", "release_id",
                          "retired_at"}),
}  # fmt: skip

# The panel's prose fields the importer reads into PanelRecord.texts and the page shows.
PANEL_TEXTS: tuple[EntityField, ...] = tuple(f for f in PANEL_FIELDS if f.prose and f.source)
PANEL_SECTIONS: Mapping[PageSection, tuple[EntityField, ...]] = {
    section: tuple(f for f in PANEL_FIELDS if f.section == section)
    for section in ("submitting", "next", "who", "contact", "more")
}
PANEL_SUMMARY: tuple[EntityField, ...] = tuple(f for f in PANEL_FIELDS if f.summary_label)


def editor_order(fields: tuple[EntityField, ...]) -> tuple[EntityField, ...]:
    """The editable fields in the order of the editor's form (by group, then as declared)."""
    editable = [f for f in fields if f.editable]
    return tuple(sorted(editable, key=lambda f: EDITOR_GROUPS.index(f.group)))


def labelled_columns() -> dict[str, tuple[str, str | None]]:
    """Every declared column (or link) name: its label and the language of its text.

    A name several kinds share has one label
    (tests/unit/directory/expertise/test_entity_fields.py checks it)."""
    out: dict[str, tuple[str, str | None]] = {}
    for fields in ENTITY_FIELDS.values():
        for f in fields:
            if f.bilingual:
                out[f"{f.name}_nl"] = (f.label, "nl")
                out[f"{f.name}_en"] = (f.label, "en")
            else:
                out[f.name] = (f.label, None)
    return out
