"""What the editorial service refuses, each with a stable ``code`` the web layer translates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from directory.editorial.entities import EntityState
from directory.editorial.fields import (
    FieldError,
)

# -- errors ---------------------------------------------------------------------------


class EditorialError(Exception):
    """Base class; ``code`` is a stable reason the web layer translates."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        super().__init__(message or code)


class PermissionDenied(EditorialError):
    """The acting user's role (or authorship) does not allow this."""


class InvalidInput(EditorialError):
    """Input failed validation; nothing was written. ``typed`` is what was submitted."""

    def __init__(
        self, errors: Iterable[FieldError], typed: Mapping[str, str] | None = None
    ) -> None:
        self.errors = tuple(errors)
        self.typed = dict(typed or {})
        super().__init__("invalid", "; ".join(f"{e.field}: {e.code}" for e in self.errors))

    def by_field(self) -> dict[str, FieldError]:
        found: dict[str, FieldError] = {}
        for e in self.errors:
            found.setdefault(e.field, e)
        return found


class Conflict(EditorialError):
    """Someone else changed the same thing first; ``current`` is the state now, if known."""

    def __init__(self, code: str, current: EntityState | None = None) -> None:
        self.current = current
        super().__init__(code)


class RateLimited(EditorialError):
    """Too many failed logins for this account or from this client."""

    def __init__(self, scope: str, retry_after: int) -> None:
        self.scope = scope
        self.retry_after = retry_after
        super().__init__(f"rate_limited_{scope}")


class InvalidCredentials(EditorialError):
    def __init__(self) -> None:
        super().__init__("invalid_credentials")
