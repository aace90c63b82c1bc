"""One request to the editor area, after authentication and the CSRF check: what every
editor screen receives (:func:`web.editor.auth.editor_view` makes it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from directory.accounts.sessions import SessionInfo

if TYPE_CHECKING:
    from web.editor.state import EditorState


@dataclass(frozen=True)
class EditorRequest:
    """One request to the editor area, after authentication and the CSRF check."""

    request: Request
    lang: str
    session: SessionInfo
    form: FormData | None
    editor: EditorState

    @property
    def user_id(self) -> int:
        return self.session.user.id

    def field(self, name: str, default: str = "") -> str:
        if self.form is None:
            return default
        value = self.form.get(name, default)
        return value if isinstance(value, str) else default

    def fields(self) -> dict[str, str]:
        if self.form is None:
            return {}
        return {k: v for k, v in self.form.multi_items() if isinstance(v, str)}


Handler = Callable[[EditorRequest], Response]
