"""UI texts of the editor area that depend on data: field labels, reasons, statuses.

Each text is an English gettext message id marked with :func:`lazy` so that
``scripts/i18n.py extract`` finds it; views translate it for the page language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from directory.editorial.fields import FieldError
from directory.expertise.entity_fields import labelled_columns


def lazy(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


# Labels of fields by name. A panel's fields have theirs in its declaration
# (directory.expertise.entity_fields); field_label finds both.
FIELD_LABELS: dict[str, str] = {
    # conditions
    "name_nl": lazy("Dutch name"),
    "synonyms_nl": lazy("Other Dutch names (one per line)"),
    "lay_terms_nl": lazy("Words patients use, Dutch (one per line)"),
    "lay_terms_en": lazy("Words patients use, English (one per line)"),
    "summary_nl": lazy("Plain-language summary, Dutch"),
    "summary_en": lazy("Plain-language summary, English"),
    # common to the expertise entities
    "slug": lazy("Short name in the web address (slug)"),
    "name": lazy("Official name"),
    "name_en": lazy("Name in English"),
    "aliases": lazy("Other names (one per line)"),
    "website": lazy("Website"),
    "level": lazy("Level"),
    "kind": lazy("Kind"),
    "scope_nl": lazy("Scope, Dutch"),
    "scope_en": lazy("Scope, English"),
    "scope_orphacodes": lazy("ORPHAcodes it covers"),
    "orphacodes": lazy("ORPHAcodes"),
    "description_nl": lazy("Description, Dutch"),
    "description_en": lazy("Description, English"),
    "notes_nl": lazy("Notes, Dutch"),
    "notes_en": lazy("Notes, English"),
    "how_to_submit_nl": lazy("How to submit a case, Dutch"),
    "how_to_submit_en": lazy("How to submit a case, English"),
    "institutions": lazy("Institutions (slugs, one per line)"),
    "working_group": lazy("Working group (slug)"),
    "abbreviation": lazy("Abbreviation"),
    "checked_on": lazy("Checked on"),
    "valid_from": lazy("Recognised from"),
    "valid_until": lazy("Recognised until"),
    "source_ref": lazy("Source"),
    "label_nl": lazy("Name, Dutch"),
    "label_en": lazy("Name, English"),
    "note_nl": lazy("Note, Dutch"),
    "note_en": lazy("Note, English"),
    "source_version": lazy("Version of the report"),
    "source_section": lazy("Chapter or section"),
    "citation_nl": lazy("What the source says, Dutch"),
    "citation_en": lazy("What the source says, English"),
    "retired": lazy("Retired"),
    # links of panels and working groups
    "centre_institutions": lazy("Centres (slugs of institutions, one per line)"),
    "members": lazy("Members: the institution's slug and its role, one per line"),
    # sites
    "key": lazy("Short name of the location (key)"),
    "institution": lazy("Hospital or centre (slug)"),
    "address": lazy("Street and number"),
    "postcode": lazy("Postcode"),
    "city": lazy("Place"),
    # forms of the editor area itself
    "reason": lazy("Reason for this change"),
    "comment": lazy("Comment"),
    "email": lazy("E-mail address"),
    "display_name": lazy("Name"),
    "role": lazy("Role"),
    "password": lazy("Password"),
    "current_password": lazy("Your current password"),
    "new_password": lazy("New password"),
    "message": lazy("What is wrong?"),
    "contact": lazy("Your e-mail address or phone number (optional)"),
    "note": lazy("Note"),
    "status": lazy("Status"),
    "file": lazy("File"),
    "source": lazy("Source"),
}

ERRORS: dict[str, str] = {
    "required": lazy("Fill in this field."),
    "required_with": lazy("Fill in this field as well."),
    "too_long": lazy("Use at most %(max)s characters."),
    "too_short": lazy("Write at least %(min)s characters."),
    "item_too_long": lazy("Each line may have at most %(max)s characters."),
    "too_many": lazy("Give at most %(max)s lines."),
    "control_characters": lazy("Remove the invisible control characters."),
    "one_line": lazy("Write this on one line."),
    "not_url": lazy("Give a full web address that starts with https:// or http://."),
    "not_email": lazy("Give an e-mail address like name@example.org."),
    "not_slug": lazy("Use lower-case letters, digits and hyphens only, like my-panel-name."),
    "not_choice": lazy("Choose one of the options."),
    "not_date": lazy("Give a date as year-month-day, like 2026-03-31."),
    "not_int": lazy("Give a whole number."),
    "out_of_range": lazy("Give a number from %(min)s to %(max)s."),
    "not_orphacode": lazy("“%(value)s” is not an ORPHAcode. Give numbers, like 178."),
    "unknown_orphacode": lazy("ORPHA:%(value)s is not in the catalogue."),
    "inactive_orphacode": lazy(
        "ORPHA:%(value)s is no longer in use at Orphanet. Choose the code that replaces it."
    ),
    "not_member_line": lazy(
        "“%(value)s”: give the short name of the institution and its role, like “umcg member”."
    ),
    "unknown_role": lazy("“%(value)s” is not a role. Roles: %(roles)s."),
    "unknown_slug": lazy("“%(value)s” is not in the catalogue."),
    "unknown_institution": lazy(
        "“%(value)s” is not the short name (slug) of an institution in the catalogue. "
        "Did you mean: %(suggestions)s?"
    ),
    "dates_order": lazy("This date must not be before the other date."),
    "min_max_order": lazy("The most must not be less than the fewest."),
    "id_taken": lazy("This short name is already in use."),
    "term_taken": lazy("“%(item)s” is already a word for %(value)s."),
    "not_postcode": lazy("Give a Dutch postcode, like 9713 GZ."),
    "unknown_postcode": lazy("We do not know where postcode %(value)s is. Check the postcode."),
    "alias_taken": lazy("“%(item)s” is already a name of %(value)s."),
    "no_changes": lazy("You did not change anything."),
    "already_retired": lazy("This is already retired."),
    "email_taken": lazy("There is already an account with this e-mail address."),
    "password_too_short": lazy("Use at least %(min)s characters."),
    "last_admin": lazy("There must be at least one active administrator."),
    "wrong_password": lazy("This password is not right."),
    "too_many_tries": lazy(
        "Too many wrong passwords. For your safety, try again in %(minutes)s minutes."
    ),
    "nothing_to_revert": lazy("There is nothing to bring back: this version is the current one."),
    "not_page": lazy("This page address is not valid."),
    "invalid": lazy("Something in the form is not right."),
}

CONFLICTS: dict[str, str] = {
    "changed_since": lazy(
        "Someone else changed this, or saved a draft for it, after you opened the form. "
        "Nothing was saved. Compare with the current values below; your input is kept. "
        "Save again to make your draft."
    ),
    "stale_form": lazy("This form is out of date. Nothing was saved. Please check and save again."),
    "create_pending": lazy("Someone already proposed a new entry with this short name."),
    "not_pending": lazy("This draft has already been handled by someone else."),
    "id_taken": lazy("Something with this short name was published in the meantime."),
    "entity_gone": lazy("This entry no longer exists."),
    "user_changed": lazy("Someone else changed this account at the same time. Nothing was saved."),
    "feedback_changed": lazy("Someone else handled this report at the same time."),
}

PERMISSIONS: dict[str, str] = {
    "own_draft": lazy("You cannot approve or reject your own draft: another reviewer must."),
    "needs_reviewer": lazy("Only reviewers can approve or reject drafts."),
    "needs_admin": lazy("Only administrators can manage accounts."),
    "not_author": lazy("Only the author can withdraw a draft."),
    "cannot_create": lazy("New entries of this kind cannot be made here."),
    "cannot_retire": lazy("Entries of this kind cannot be retired."),
    "inactive_user": lazy("Your account is not active."),
}

KINDS: dict[str, str] = {
    "condition": lazy("Condition"),
    "institution": lazy("Hospital or centre"),
    "panel": lazy("Expert panel"),
    "working_group": lazy("Working group"),
    "soncos": lazy("SONCOS reference centre"),
    "ecza": lazy("ECZA recognition"),
    "network": lazy("Network"),
    "site": lazy("Location of a hospital or centre"),
    "user": lazy("Account"),
}

ACTIONS: dict[str, str] = {
    "create": lazy("New"),
    "update": lazy("Change"),
    "retire": lazy("Retire"),
    "revert": lazy("Bring back an earlier version"),
    "drop_override": lazy("Give back to the source"),
    "check": lazy("Checked"),
    "keep_override": lazy("Correction kept"),
    "account": lazy("Account"),
}

STATUSES: dict[str, str] = {
    "pending": lazy("Waiting for review"),
    "approved": lazy("Published"),
    "rejected": lazy("Rejected"),
    "withdrawn": lazy("Withdrawn"),
    "new": lazy("New"),
    "handled": lazy("Handled"),
    "dismissed": lazy("Not needed"),
    "succeeded": lazy("Succeeded"),
    "failed": lazy("Failed"),
    "partial": lazy("Partly done"),
    "dry_run": lazy("Dry run"),
}

ROLES: dict[str, str] = {
    "editor": lazy("Editor"),
    "reviewer": lazy("Reviewer"),
    "admin": lazy("Administrator"),
}

GROUPS: dict[str, str] = {
    "about": lazy("What it does"),
    "submitting": lazy("Submitting a case"),
    "working": lazy("How it works"),
    "contact": lazy("Contact"),
    "names": lazy("Names"),
    "lay_terms": lazy("Words patients use"),
    "summaries": lazy("Plain-language summary"),
    "links": lazy("Institutions and conditions"),
    "": lazy("Details"),
}


# Labels of the values of choice fields (level, kinds).
CHOICES: dict[str, str] = {
    "national": lazy("National"),
    "regional": lazy("Regional"),
    "portal": lazy("Web portal"),
    "platform": lazy("Online platform"),
    "email": lazy("E-mail"),
    "mdo": lazy("Discussed in a tumour board (MDO)"),
    "unknown": lazy("Not known"),
    "national_working_group": lazy("National working group"),
    "professional_society": lazy("Professional society"),
    "initiative": lazy("Initiative for one rare cancer"),
    "patient_platform": lazy("Patient platform"),
    "umc": lazy("University medical centre"),
    "categorical_cancer_centre": lazy("Categorical cancer centre"),
    "childrens_cancer_centre": lazy("Children's cancer centre"),
    "top_clinical": lazy("Top-clinical hospital"),
    "general": lazy("General hospital"),
    "radiotherapy": lazy("Radiotherapy centre"),
    "other": lazy("Other"),
    "hospital": lazy("Hospital"),
    "regional_oncology": lazy("Regional oncology network"),
    "head_and_neck": lazy("Head and neck network"),
    "tumour_type": lazy("Network for one kind of tumour"),
    "outpatient_clinic": lazy("Outpatient clinic"),
    "childrens_hospital": lazy("Children's hospital"),
    "treatment_centre": lazy("Treatment centre"),
    "cluster": lazy("Group of conditions (cluster)"),
    "disease": lazy("Disease"),
    "subtype": lazy("Subtype of a disease"),
    "reference_centre_requirements": lazy("Requirements for reference centres"),
    "treatment_in_reference_centre": lazy("Treatment only in a reference centre"),
}


IN_LANGUAGE: dict[str, str] = {"nl": lazy("%(label)s, Dutch"), "en": lazy("%(label)s, English")}
DECLARED_LABELS = labelled_columns()


def field_label(_: Callable[[str], str], name: str) -> str:
    """A field's label: from FIELD_LABELS, else from the panel's declaration (with the
    language of a Dutch or English field), else the name itself."""
    if name in FIELD_LABELS:
        return _(FIELD_LABELS[name])
    if name in DECLARED_LABELS:
        message, lang = DECLARED_LABELS[name]
        return _(IN_LANGUAGE[lang]) % {"label": _(message)} if lang else _(message)
    return name


def label(_: Callable[[str], str], table: Mapping[str, str], key: str) -> str:
    message = table.get(key)
    return _(message) if message else key


def error_text(_: Callable[[str], str], error: FieldError) -> str:
    message = ERRORS.get(error.code, ERRORS["invalid"])
    try:
        return _(message) % dict(error.params)
    except (KeyError, TypeError, ValueError):
        return _(ERRORS["invalid"])
