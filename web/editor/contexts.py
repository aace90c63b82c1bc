"""Typed page contexts of the editor area and of the public "report an error" page.

Templates get one of these frozen dataclasses as ``ctx`` (and its ``page``); they
do no I/O. Every text shown is already in the page language or carries its own
language (``*_lang``); values are plain strings, so markup is always escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from directory.accounts.sessions import UserView
from directory.conditions.queries import Text
from directory.editorial.queries.dashboard import Dashboard, Worklists
from directory.editorial.queries.feedback import FeedbackView
from directory.editorial.queries.history import AuditView, LastChecked
from directory.editorial.queries.import_runs import ImportRunView
from directory.editorial.review import ReviewDates
from directory.editorial.service_base import LinkResult
from directory.expertise.coverage import CoverageReport
from web.contexts.base import Page


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False
    count: int | None = None


@dataclass(frozen=True)
class EditorChrome:
    """What every editor page shows: who is logged in, the menu, the logout form."""

    user: UserView
    role_label: str
    csrf_token: str
    links: tuple[NavLink, ...]
    logout_url: str
    account_url: str
    flash: str | None = None  # a message after a redirect ("Draft saved")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldView:
    """One form field: its label, what to show in it, and what is wrong with it."""

    name: str
    label: str
    kind: str  # text | textarea | lines | url | email | date | int | bool | choice | ...
    value: str  # exactly what the editor typed, or the stored value
    error: str | None = None
    lang: str | None = None  # language of the text in it
    required: bool = False
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    hint: str | None = None

    @property
    def input_id(self) -> str:
        return f"f-{self.name}"

    @property
    def multiline(self) -> bool:
        return self.kind in ("textarea", "lines", "orphacodes")


@dataclass(frozen=True)
class FieldGroup:
    heading: str
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class ShownValue:
    """A stored value for reading: one or more lines of text, in a language."""

    lines: tuple[str, ...]
    lang: str | None = None
    empty: bool = False


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: ShownValue
    after: ShownValue


@dataclass(frozen=True)
class ErrorSummaryItem:
    label: str
    message: str
    anchor: str


@dataclass(frozen=True)
class LoginPage:
    template: ClassVar[str] = "editor/login.html"
    page: Page
    csrf_token: str
    email: str
    next: str
    error: str | None = None
    notice: str | None = None


@dataclass(frozen=True)
class RefusalPage:
    template: ClassVar[str] = "editor/refusal.html"
    page: Page
    heading: str
    explanation: str
    login_url: str | None = None


@dataclass(frozen=True)
class ExpiringView:
    label: str
    valid_until: dt.date
    expired: bool
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ReviewRow:
    """A page due for a check: what it is, when it was last checked, when it is due."""

    kind_label: str
    title: str
    url: str  # its history page in the editor area, where an editor marks it checked
    dates: ReviewDates


@dataclass(frozen=True)
class LinkRow:
    link: LinkResult
    title: str
    edit_url: str | None


@dataclass(frozen=True)
class DashboardPage:
    template: ClassVar[str] = "editor/dashboard.html"
    page: Page
    chrome: EditorChrome
    dashboard: Dashboard
    expiring: tuple[ExpiringView, ...]
    reviews: tuple[ReviewRow, ...]
    review_counts: tuple[tuple[str, int], ...]  # (kind label, how many due) per kind
    broken_links: tuple[LinkRow, ...]
    drafts_url: str
    feedback_url: str
    overrides_url: str
    coverage: CoverageReport | None = None  # the worklists of conditions without a centre
    gaps_url: str = ""  # the public page with the same figures
    work: Worklists | None = None  # unconfirmed facts, undated recognitions, proposals ...
    proposals_url: str = ""
    work_urls: dict[tuple[str, str], str] | None = None  # (kind, id) -> where to look


@dataclass(frozen=True)
class DraftRow:
    id: int
    url: str
    kind_label: str
    title: str
    title_lang: str
    action_label: str
    status_label: str
    author: str
    created_at: dt.datetime
    stale: bool
    mine: bool


@dataclass(frozen=True)
class DraftListPage:
    template: ClassVar[str] = "editor/drafts.html"
    page: Page
    chrome: EditorChrome
    rows: tuple[DraftRow, ...]
    status: str
    statuses: tuple[NavLink, ...]


@dataclass(frozen=True)
class DraftPage:
    template: ClassVar[str] = "editor/draft.html"
    page: Page
    chrome: EditorChrome
    row: DraftRow
    reason: str
    changes: tuple[ChangeRow, ...]
    reviewer: str | None
    reviewed_at: dt.datetime | None
    review_comment: str | None
    status: str
    action_url: str
    history_url: str | None
    can_review: bool
    can_withdraw: bool
    error: str | None = None
    comment: str = ""
    comment_error: str | None = None


@dataclass(frozen=True)
class CatalogueRow:
    title: str
    title_lang: str
    entity_id: str
    edit_url: str
    history_url: str
    public_url: str | None


@dataclass(frozen=True)
class CataloguePage:
    template: ClassVar[str] = "editor/catalogue.html"
    page: Page
    chrome: EditorChrome
    kinds: tuple[NavLink, ...]
    kind: str
    kind_label: str
    query: str
    rows: tuple[CatalogueRow, ...]
    new_url: str | None


@dataclass(frozen=True)
class ConflictView:
    message: str
    current: tuple[ChangeRow, ...]  # label, "yours" (before) vs "now" (after)


@dataclass(frozen=True)
class EditPage:
    template: ClassVar[str] = "editor/edit.html"
    page: Page
    chrome: EditorChrome
    kind: str
    kind_label: str
    title: str
    title_lang: str
    creating: bool
    groups: tuple[FieldGroup, ...]
    token: str
    reason: FieldView
    action_url: str
    errors: tuple[ErrorSummaryItem, ...] = ()
    form_error: str | None = None
    conflict: ConflictView | None = None
    history_url: str | None = None
    public_url: str | None = None
    retire_url: str | None = None
    pending: int = 0
    last_checked: LastChecked | None = None
    check_url: str | None = None


@dataclass(frozen=True)
class RevisionRow:
    revision: int
    at: dt.datetime
    author: str | None
    approver: str | None
    reason: str
    action_label: str
    changes: tuple[ChangeRow, ...]
    can_revert: bool


@dataclass(frozen=True)
class OverrideRow:
    id: int
    kind_label: str
    title: str
    entity_url: str
    field_label: str
    value: ShownValue
    source_value: ShownValue
    last_source_value: ShownValue
    disagrees: bool
    reason: str
    created_by: str | None
    created_at: dt.datetime
    last_import_at: dt.datetime | None


@dataclass(frozen=True)
class HistoryPage:
    template: ClassVar[str] = "editor/history.html"
    page: Page
    chrome: EditorChrome
    kind_label: str
    title: str
    title_lang: str
    revisions: tuple[RevisionRow, ...]
    other: tuple[AuditView, ...]
    other_labels: tuple[str, ...]
    overrides: tuple[OverrideRow, ...]
    pending: tuple[DraftRow, ...]
    last_checked: LastChecked | None
    edit_url: str
    revert_url: str
    check_url: str
    public_url: str | None
    error: str | None = None
    reason: str = ""
    can_revert_to_start: bool = False  # back to how it was before the first editor change


@dataclass(frozen=True)
class OverridesPage:
    template: ClassVar[str] = "editor/overrides.html"
    page: Page
    chrome: EditorChrome
    rows: tuple[OverrideRow, ...]
    action_url: str
    error: str | None = None


@dataclass(frozen=True)
class RunRow:
    run: ImportRunView
    url: str
    status_label: str
    file_name: str


@dataclass(frozen=True)
class WaitingUpload:
    """An uploaded file that waits for a second person to apply it."""

    source: str
    file_name: str
    uploader: str
    uploaded_at: dt.datetime
    url: str  # its dry run, and for another reviewer the button to apply it
    mine: bool


@dataclass(frozen=True)
class ImportsPage:
    template: ClassVar[str] = "editor/imports.html"
    page: Page
    chrome: EditorChrome
    rows: tuple[RunRow, ...]
    upload_url: str
    waiting: tuple[WaitingUpload, ...] = ()


@dataclass(frozen=True)
class ImportRunPage:
    template: ClassVar[str] = "editor/import_run.html"
    page: Page
    chrome: EditorChrome
    row: RunRow
    imports_url: str


@dataclass(frozen=True)
class Preview:
    """The outcome of a dry run of an uploaded file, and the token to apply it."""

    source: str
    file_name: str
    ok: bool
    status_label: str
    added: int
    changed: int
    retired: int
    unchanged: int
    warnings: tuple[str, ...]
    problems: tuple[str, ...]
    upload_token: str
    changes: tuple[str, ...] = ()  # row by row: added, changed (old → new), removed
    applied: bool = False
    run_url: str | None = None
    uploader: str = ""
    mine: bool = False  # the viewer uploaded it: someone else must apply it
    can_apply: bool = False  # a reviewer who did not upload it
    needs_confirmation: bool = False  # it retires more than the allowed share
    retired_percent: int = 0
    allowed_percent: int = 0


@dataclass(frozen=True)
class UploadPage:
    template: ClassVar[str] = "editor/upload.html"
    page: Page
    chrome: EditorChrome
    sources: tuple[Choice, ...]
    source: str
    lang: str
    action_url: str
    apply_url: str
    can_apply: bool
    preview: Preview | None = None
    errors: tuple[ErrorSummaryItem, ...] = ()
    source_error: str | None = None
    file_error: str | None = None
    imports_url: str = ""


@dataclass(frozen=True)
class FeedbackRow:
    """One visitor's report. What it is about: the entity's name (in the page language
    where it has one) with links to its public page and its edit form; an entity that
    is unknown or retired by now shows its id, without links."""

    report: FeedbackView
    status_label: str
    kind_label: str | None  # what kind of page the report is about ("Condition")
    entity_name: Text | None  # its name, or None: show the id
    public_url: str | None
    edit_url: str | None
    page_link: str | None = None  # the reported page, when it is safely a page of this site


@dataclass(frozen=True)
class FeedbackQueuePage:
    template: ClassVar[str] = "editor/feedback.html"
    page: Page
    chrome: EditorChrome
    rows: tuple[FeedbackRow, ...]
    status: str
    statuses: tuple[NavLink, ...]
    choices: tuple[Choice, ...]
    action_url: str
    error: str | None = None


@dataclass(frozen=True)
class UserRow:
    user: UserView
    role_label: str
    url: str
    is_self: bool


@dataclass(frozen=True)
class UsersPage:
    template: ClassVar[str] = "editor/users.html"
    page: Page
    chrome: EditorChrome
    rows: tuple[UserRow, ...]
    new_fields: tuple[FieldView, ...]
    action_url: str
    errors: tuple[ErrorSummaryItem, ...] = ()


@dataclass(frozen=True)
class UserPage:
    template: ClassVar[str] = "editor/user.html"
    page: Page
    chrome: EditorChrome
    row: UserRow
    roles: tuple[Choice, ...]
    action_url: str
    password: FieldView
    error: str | None = None


@dataclass(frozen=True)
class AccountPage:
    template: ClassVar[str] = "editor/account.html"
    page: Page
    chrome: EditorChrome
    current: FieldView
    password: FieldView
    action_url: str


@dataclass(frozen=True)
class ReportPage:
    """The public "report an error" page (also shown after sending)."""

    template: ClassVar[str] = "report_error.html"
    page: Page
    page_url: str  # the page the report is about
    message: FieldView
    contact: FieldView
    sent: bool = False
    errors: tuple[ErrorSummaryItem, ...] = field(default_factory=tuple)
    refused: str | None = None
