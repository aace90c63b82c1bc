"""The public "report an error" form: no account, a honeypot, and a rate limit.

Every public page carries a small form (``templates/report_error_include.html``)
that posts here with the page's address. We keep the page, the entity it shows,
the message, and only the contact details the reporter chooses to leave; the
rate limit is counted in the database (shared by every server process) per keyed
hash of the client address, which is never stored (``directory/accounts/report_limits.py``).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.editorial.errors import InvalidInput
from directory.editorial.fields import FieldError
from directory.paths import is_site_page, page_path
from web.editor.auth import client_address, editor_state, lang_of
from web.editor.contexts import ReportPage
from web.editor.render import error_summary, html, page, simple_field, translator
from web.forms import FormRefused, read_form
from web.i18n import LANGS

HONEYPOT = "website"  # a field people do not see and bots like to fill in


def _clean_page(raw: str) -> str:
    """The page a report is about: a path on this site (never another site's URL)."""
    parts = urlsplit(raw.strip()[:500])
    if parts.scheme or parts.netloc:
        return ""
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    return page if is_site_page(page) else ""


def _render(
    request: Request,
    lang: str,
    page_url: str,
    *,
    message: str = "",
    contact: str = "",
    errors: dict[str, FieldError] | None = None,
    sent: bool = False,
    refused: str | None = None,
    status: int = 200,
) -> Response:
    _ = translator(request, lang)
    query = {"page": page_url} if page_url else {}
    paths = {
        lg: page_path("report", lg) + (f"?{urlencode(query)}" if query else "") for lg in LANGS
    }
    title = _("Thank you for your report") if sent else _("Report an error")
    message_field = simple_field(
        _,
        "message",
        "textarea",
        message,
        (errors or {}).get("message"),
        required=True,
        max_length=3000,
        hint=_(
            "Tell us what is wrong and, if you know, what is right. Do not write about your health."
        ),
    )
    contact_field = simple_field(
        _,
        "contact",
        "text",
        contact,
        (errors or {}).get("contact"),
        max_length=254,
        hint=_("Only if you want an answer. We use it for this report only."),
    )
    ctx = ReportPage(
        page=page(request, lang, title, paths),
        page_url=page_url,
        message=message_field,
        contact=contact_field,
        sent=sent,
        errors=error_summary((message_field, contact_field)),
        refused=refused,
    )
    response = html(request, lang, ctx, status)
    response.headers["cache-control"] = "no-store"
    return response


def _refused_form(request: Request, lang: str) -> str:
    _ = translator(request, lang)
    return _("The form held characters we cannot accept. Nothing was sent.")


def _foreign_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc != request.url.netloc


def _submit(request: Request, form: FormData) -> Response:
    lang = lang_of(request)
    _ = translator(request, lang)

    def get(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    page_url = _clean_page(get("page"))
    message, contact = get("message")[:5000], get("contact")[:500]
    if _foreign_origin(request):
        return _render(
            request, lang, page_url, refused=_("This form must be sent from this site."), status=403
        )
    state = editor_state(request)
    if get(HONEYPOT):
        # Most likely a robot: say thanks, keep nothing.
        return _render(request, lang, page_url, sent=True)
    if not state.report_limits.allow(client_address(request)):
        return _render(
            request,
            lang,
            page_url,
            message=message,
            contact=contact,
            refused=_("You have sent many reports in a short time. Please try again later."),
            status=429,
        )
    try:
        state.service.submit_feedback(lang, page_url or "/", message, contact)
    except InvalidInput as exc:
        return _render(
            request,
            lang,
            page_url,
            message=message,
            contact=contact,
            errors=exc.by_field(),
            status=400,
        )
    target = page_path("report", lang) + "?" + urlencode({"sent": "1", "page": page_url})
    return RedirectResponse(target, status_code=303)


async def report_error(request: Request) -> Response:
    lang = lang_of(request)
    if request.method == "POST":
        try:
            form = await read_form(request)
        except FormRefused:
            return _render(request, lang, "", refused=_refused_form(request, lang), status=400)
        try:
            return await run_in_threadpool(_submit, request, form)
        finally:
            await form.close()
    page_url = _clean_page(request.query_params.get("page", ""))
    return _render(request, lang, page_url, sent=request.query_params.get("sent") == "1")
