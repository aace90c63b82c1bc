"""The editorial service: the only writer of the editor area's tables.

Accounts and sessions, login rate limits, drafts and their review (four eyes), the
audit trail, overrides, feedback reports and link-check results all change here.

An edit is a :class:`~directory.editorial.models.Draft` until a reviewer who is not
its author approves it. Approval applies the draft through the entity's adapter
(which writes through the owning catalogue service), writes one audit row per
changed field and the overrides for imported fields, all in ONE transaction; then
it calls ``on_published`` (the web layer rebuilds the search index there, which
swaps in atomically).

Every method checks the acting user's role itself, so the CLI and the web views
cannot forget to. Each group of methods is a module of its own (``proposals``,
``account_admin``, ``drafts``, ``override_review``, ``feedback``) on the shared
``service_base``.
"""

from __future__ import annotations

from directory.editorial.account_admin import AccountAdmin
from directory.editorial.drafts import Drafts
from directory.editorial.feedback import FeedbackAndLinks
from directory.editorial.override_review import OverrideReview
from directory.editorial.proposals import Proposals


class EditorialService(Proposals, AccountAdmin, Drafts, OverrideReview, FeedbackAndLinks):
    """Writes the editor area's tables. Construct with a session factory and the
    catalogue service (the owner of the catalogue tables the adapters write)."""
