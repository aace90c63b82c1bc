"""Rendering helpers shared by the editor views: pages, chrome, fields, values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from directory.editorial.fields import FieldError, FieldSpec, FieldValue, form_text
from web.contexts.base import Alternate, Page, PageContext
from web.editor import texts
from web.editor.contexts import (
    Choice,
    EditorChrome,
    ErrorSummaryItem,
    FieldView,
    NavLink,
    RefusalPage,
    ShownValue,
)
from web.editor.paths import editor_path
from web.i18n import LANGS, render
from web.permalinks import permalinks

if TYPE_CHECKING:
    from web.editor.request import EditorRequest
    from web.state import AppState

Translate = Callable[[str], str]


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.exw
    return state


def translator(request: Request, lang: str) -> Translate:
    translations = app_state(request).translations[lang]

    def _(message: str) -> str:
        return str(translations.gettext(message))

    return _


def page(request: Request, lang: str, title: str, paths: Mapping[str, str]) -> Page:
    """A page of the editor area: never indexed, linked to its twin in the other language."""
    base = app_state(request).settings.base_url
    return Page(
        lang=lang,
        title=title,
        description="",
        canonical=base + paths[lang],
        alternates=tuple(Alternate(lg, paths[lg]) for lg in LANGS),
        noindex=True,
        site_url=base,
    )


def html(request: Request, lang: str, ctx: PageContext, status: int = 200) -> Response:
    """Render ``ctx`` with its template, as :func:`web.pages.html_page` does."""
    links = permalinks(request)
    body = render(app_state(request).envs, lang, ctx.template, links=links, ctx=ctx, page=ctx.page)
    return HTMLResponse(body, status_code=status, headers={"content-language": lang})


FLASH = {
    "saved": texts.lazy("Your draft is saved. A reviewer will look at it."),
    "published": texts.lazy(
        "Published. The search index is being updated; this takes a few seconds."
    ),
    "reindex_failed": texts.lazy(
        "Published, but updating the search index failed. Run “expertisewijzer index”."
    ),
    "rejected": texts.lazy("The draft is rejected; its author can see your comment."),
    "withdrawn": texts.lazy("The draft is withdrawn."),
    "checked": texts.lazy("Marked as checked today."),
    "kept": texts.lazy("The correction is kept."),
    "handled": texts.lazy("The report is updated."),
    "user_saved": texts.lazy("The account is saved."),
    "password": texts.lazy("The password is changed."),
}


def chrome(er: EditorRequest, current: str) -> EditorChrome:
    _ = translator(er.request, er.lang)
    user = er.session.user
    lang = er.lang
    items = [
        ("dashboard", texts.lazy("Overview")),
        ("drafts", texts.lazy("Drafts to review")),
        ("catalogue", texts.lazy("Catalogue")),
        ("overrides", texts.lazy("Corrections")),
        ("proposals", texts.lazy("Proposals to check")),
        ("imports", texts.lazy("Imports")),
        ("feedback", texts.lazy("Reports from visitors")),
    ]
    if user.is_admin:
        items.append(("users", texts.lazy("Accounts")))
    flash_code = er.request.query_params.get("done", "")
    flash = _(FLASH[flash_code]) if flash_code in FLASH else None
    return EditorChrome(
        user=user,
        role_label=texts.label(_, texts.ROLES, user.role),
        csrf_token=er.session.csrf_token,
        links=tuple(
            NavLink(_(label), editor_path(key, lang), current=key == current)
            for key, label in items
        ),
        logout_url=editor_path("logout", lang),
        account_url=editor_path("account", lang),
        flash=flash,
    )


def field_views(
    _: Translate,
    specs: Iterable[FieldSpec],
    values: Mapping[str, FieldValue],
    typed: Mapping[str, str] | None = None,
    errors: Mapping[str, FieldError] | None = None,
    choice_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[FieldView, ...]:
    """Form fields showing what the editor typed (after a failed save) or the stored value."""
    result = []
    for spec in specs:
        shown = (
            typed[spec.name]
            if typed is not None and spec.name in typed
            else form_text(spec, values.get(spec.name))
        )
        error = (errors or {}).get(spec.name)
        choices: tuple[Choice, ...] = ()
        if spec.kind == "choice":
            labels = (choice_labels or {}).get(spec.name, texts.CHOICES)
            choices = (() if spec.required else (Choice("", _(texts.CHOICES["unknown"])),)) + tuple(
                Choice(c, _(labels[c]) if c in labels else c) for c in spec.choices
            )
        elif spec.kind == "bool":
            choices = (
                Choice("", _("Not known")),
                Choice("yes", _("Yes")),
                Choice("no", _("No")),
            )
        result.append(
            FieldView(
                name=spec.name,
                label=texts.field_label(_, spec.name),
                kind=spec.kind,
                value=shown,
                error=texts.error_text(_, error) if error else None,
                lang=spec.lang,
                required=spec.required,
                max_length=spec.max_length if spec.kind not in ("lines", "orphacodes") else None,
                choices=choices,
            )
        )
    return tuple(result)


def simple_field(
    _: Translate,
    name: str,
    kind: str = "text",
    value: str = "",
    error: FieldError | None = None,
    *,
    required: bool = False,
    max_length: int | None = None,
    choices: tuple[Choice, ...] = (),
    hint: str | None = None,
) -> FieldView:
    return FieldView(
        name=name,
        label=texts.field_label(_, name),
        kind=kind,
        value=value,
        error=texts.error_text(_, error) if error else None,
        required=required,
        max_length=max_length,
        choices=choices,
        hint=hint,
    )


def error_summary(fields: Iterable[FieldView]) -> tuple[ErrorSummaryItem, ...]:
    return tuple(
        ErrorSummaryItem(f.label, f.error, f"#{f.input_id}") for f in fields if f.error is not None
    )


def shown(value: Any, lang: str | None = None) -> ShownValue:
    """A stored value for reading (in a draft, the history, an override)."""
    if value is None or value == "" or value == []:
        return ShownValue((), lang, empty=True)
    if isinstance(value, bool):
        return ShownValue(("✓" if value else "✗",), None)
    if isinstance(value, list):
        return ShownValue(tuple(str(v) for v in value), lang)
    return ShownValue((str(value),), lang)


REFUSALS = {
    "login_needed": (
        texts.lazy("Please log in"),
        texts.lazy("This part of the site is for editors. Log in to continue."),
    ),
    "csrf": (
        texts.lazy("The form has expired"),
        texts.lazy(
            "We could not check that this form came from this site, so nothing was done. "
            "Go back, reload the page and try again."
        ),
    ),
    "needs_editor": (
        texts.lazy("Not allowed"),
        texts.lazy("Your account cannot do this."),
    ),
    "needs_reviewer": (
        texts.lazy("Not allowed"),
        texts.lazy("Only reviewers can do this."),
    ),
    "needs_admin": (
        texts.lazy("Not allowed"),
        texts.lazy("Only administrators can manage accounts."),
    ),
    "too_large": (
        texts.lazy("Too much data"),
        texts.lazy("What you sent is too large. Nothing was done."),
    ),
    "own_upload": (
        texts.lazy("Not allowed"),
        texts.lazy(
            "You uploaded this file yourself. Another reviewer must apply it: four eyes on "
            "every published change."
        ),
    ),
    "bad_form": (
        texts.lazy("Not understood"),
        texts.lazy("The form held characters we cannot accept. Nothing was done."),
    ),
}


def refusal(request: Request, lang: str, code: str, status: int) -> Response:
    _ = translator(request, lang)
    heading, explanation = REFUSALS.get(code, REFUSALS["needs_editor"])
    login_url = editor_path("login", lang) if code == "login_needed" else None
    ctx = RefusalPage(
        page=page(request, lang, _(heading), {lg: editor_path("dashboard", lg) for lg in LANGS}),
        heading=_(heading),
        explanation=_(explanation),
        login_url=login_url,
    )
    response = html(request, lang, ctx, status=status)
    response.headers["cache-control"] = "no-store"
    return response
