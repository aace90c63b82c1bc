"""Editor views for imports: runs with their reports, and uploading a new source file.

An upload is first imported as a dry run (in a transaction that is rolled back),
which shows what would change, the override disagreements and every problem.
The file then waits in the database (for a day, :mod:`directory.editorial.pending_uploads`;
any server node shows and applies it) until ANOTHER reviewer applies it, as with
drafts: its uploader never can (security review D2).
A run that would retire more than ``EXW_IMPORT_MAX_RETIRE_SHARE`` of a source's
rows is applied only when the reviewer ticks that they saw and accept the
retirements; an empty list never is.

Every import of an uploaded file, dry run or real, runs in a child process with
limits on its memory and time (:mod:`importers.bounded`), at most one at a time
per server process: a hostile or broken file cannot slow the site or exhaust
its memory (security review D5).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from directory.editorial.pending_uploads import TooManyWaiting
from directory.editorial.pending_uploads import WaitingUpload as Waiting
from directory.errors import InputRejected
from directory.numbers import ascii_int
from directory.reports import ChangeCounts, ImportReport, Problem
from directory.retirement import needs_confirmation, retired_share
from importers.bounded import ImportJob, run_bounded
from importers.registry import SOURCES
from web.editor import texts, uploads
from web.editor.auth import ANY_ROLE, REVIEWERS, editor_view
from web.editor.contexts import (
    Choice,
    ImportRunPage,
    ImportsPage,
    Preview,
    RunRow,
    UploadPage,
    WaitingUpload,
)
from web.editor.paths import editor_path, twins
from web.editor.render import Translate, chrome, html, page, refusal, translator
from web.editor.request import EditorRequest
from web.i18n import LANGS

CONFIRM_FIELD = "confirm_retire"


def _run_row(er: EditorRequest, _: Translate, run: Any) -> RunRow:
    return RunRow(
        run=run,
        url=editor_path("imports", er.lang, run.id),
        status_label=texts.label(_, texts.STATUSES, run.status),
        file_name=Path(run.file_name).name,
    )


def _review_url(er: EditorRequest, token: str) -> str:
    return editor_path("upload", er.lang) + "?upload=" + token


@editor_view(ANY_ROLE)
def imports(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    ctx = ImportsPage(
        page=page(er.request, er.lang, _("Imports"), twins("imports")),
        chrome=chrome(er, "imports"),
        rows=tuple(_run_row(er, _, r) for r in er.editor.queries.import_runs()),
        upload_url=editor_path("upload", er.lang),
        waiting=tuple(
            WaitingUpload(
                source=u.source,
                file_name=u.name,
                uploader=u.user_name,
                uploaded_at=u.uploaded_at,
                url=_review_url(er, u.token),
                mine=u.user_id == er.user_id,
            )
            for u in er.editor.uploads.waiting()
        ),
    )
    return html(er.request, er.lang, ctx)


@editor_view(ANY_ROLE)
def import_run(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    run_id = ascii_int(str(er.request.path_params.get("run_id", "")))
    run = er.editor.queries.import_run(run_id) if run_id is not None else None
    if run is None:
        from directory.errors import NotFound
        from web.views.errors import not_found

        return not_found(er.request, NotFound())
    ctx = ImportRunPage(
        page=page(
            er.request,
            er.lang,
            _("Import %(number)s") % {"number": run.id},
            twins("imports", run.id),
        ),
        chrome=chrome(er, "imports"),
        row=_run_row(er, _, run),
        imports_url=editor_path("imports", er.lang),
    )
    return html(er.request, er.lang, ctx)


def _preview(
    er: EditorRequest,
    _: Translate,
    upload: Waiting,
    reports: list[ImportReport] | None,
    rejected: InputRejected | None,
    *,
    applied: bool = False,
) -> Preview:
    mine = upload.user_id == er.user_id
    common: dict[str, Any] = {
        "source": upload.source,
        "file_name": upload.name,
        "upload_token": upload.token,
        "uploader": upload.user_name,
        "mine": mine,
    }
    if rejected is not None:
        return Preview(
            ok=False,
            status_label=texts.label(_, texts.STATUSES, "failed"),
            added=0,
            changed=0,
            retired=0,
            unchanged=0,
            warnings=(),
            problems=tuple(str(p) for p in rejected.problems),
            **common,
        )
    reports = reports or []
    counts = sum((r.counts for r in reports), ChangeCounts())
    share = er.editor.max_retire_share
    return Preview(
        ok=True,
        status_label=texts.label(_, texts.STATUSES, reports[-1].status if reports else "dry_run"),
        added=counts.added,
        changed=counts.changed,
        retired=counts.retired,
        unchanged=counts.unchanged,
        warnings=tuple(w for r in reports for w in r.warnings),
        problems=tuple(str(p) for r in reports for p in r.problems),
        changes=tuple(c for r in reports for c in r.changes),
        applied=applied,
        run_url=editor_path("imports", er.lang, reports[-1].run_id) if reports else None,
        can_apply=er.session.user.can_review and not mine,
        needs_confirmation=needs_confirmation(counts, share),
        retired_percent=round(retired_share(counts) * 100),
        allowed_percent=round(share * 100),
        **common,
    )


def _upload_page(
    er: EditorRequest,
    _: Translate,
    *,
    source: str = "",
    lang: str = "nl",
    preview: Preview | None = None,
    source_error: str | None = None,
    file_error: str | None = None,
    status: int = 200,
) -> Response:
    ctx = UploadPage(
        page=page(er.request, er.lang, _("Upload a source file"), twins("upload")),
        chrome=chrome(er, "imports"),
        sources=tuple(Choice(name, f"{name}: {spec.help}") for name, spec in SOURCES.items()),
        source=source,
        lang=lang if lang in LANGS else "nl",
        action_url=editor_path("upload", er.lang),
        apply_url=editor_path("upload", er.lang),
        can_apply=er.session.user.can_review,
        preview=preview,
        source_error=source_error,
        file_error=file_error,
        imports_url=editor_path("imports", er.lang),
    )
    return html(er.request, er.lang, ctx, status)


def _import(
    er: EditorRequest, upload: Waiting, *, dry_run: bool, allow_retire: bool = False
) -> tuple[list[ImportReport] | None, InputRejected | None]:
    """Import the upload in a bounded child process (one at a time in this process)."""
    state = er.editor
    if not state.import_slot.acquire(blocking=False):
        busy = Problem(upload.name, "file", "another import is running; try again in a minute")
        return None, InputRejected([busy], "busy")
    try:
        with uploads.staged(state.uploads, upload, state.var_dir) as path:
            if path is None:  # applied or expired meanwhile, on this node or another
                gone = Problem(upload.name, "file", "this upload was applied or has expired")
                return None, InputRejected([gone], "gone")
            job = ImportJob(
                database_url=state.database_url,
                source=upload.source,
                location=str(path),
                data_dir=str(state.data_dir),
                dry_run=dry_run,
                lang=upload.lang,
                allow_retire=allow_retire,
                max_retire_share=state.max_retire_share,
            )
            return run_bounded(job, state.import_limits, state.catalogue), None
    except InputRejected as exc:
        return None, exc
    finally:
        state.import_slot.release()


def _show(er: EditorRequest, _: Translate, upload: Waiting) -> Response:
    """A waiting upload's dry run, done again now (the catalogue may have changed since)."""
    reports, rejected = _import(er, upload, dry_run=True)
    preview = _preview(er, _, upload, reports, rejected)
    return _upload_page(
        er,
        _,
        source=upload.source,
        lang=upload.lang,
        preview=preview,
        status=200 if preview.ok else 400,
    )


def _expired(er: EditorRequest, _: Translate) -> Response:
    message = _("This upload has expired or was applied already. Upload the file again.")
    return _upload_page(er, _, file_error=message, status=400)


@editor_view(ANY_ROLE, upload=True)
def upload(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    if er.form is None:
        token = er.request.query_params.get("upload", "")
        if not token:
            return _upload_page(er, _)
        waiting = er.editor.uploads.get(token)
        return _show(er, _, waiting) if waiting else _expired(er, _)
    if er.field("action") == "apply":
        return _apply(er, _)
    source = er.field("source")
    lang = er.field("lang", "nl")
    if lang not in LANGS:
        lang = "nl"
    source_error = None if source in SOURCES else _("Choose a source.")
    file = er.form.get("file")
    file_error = None
    data = b""
    name = ""
    if not isinstance(file, UploadFile) or not file.filename:
        file_error = _("Choose a file.")
    else:
        limit = er.editor.upload_max_bytes
        data = file.file.read(limit + 1)
        name = file.filename
        if len(data) > limit:
            file_error = _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        elif not data:
            file_error = _("The file is empty.")
    if source_error or file_error:
        return _upload_page(
            er,
            _,
            source=source,
            lang=lang,
            source_error=source_error,
            file_error=file_error,
            status=400,
        )
    try:
        stored = er.editor.uploads.store(
            data,
            source=source,
            lang=lang,
            name=name,
            user_id=er.user_id,
            user_name=er.session.user.display_name,
        )
    except TooManyWaiting as full:
        message = _(
            "%(count)s uploads are waiting to be applied already. Ask a reviewer to apply "
            "them, or wait until they expire (after a day), and upload this file again."
        ) % {"count": full.waiting}
        return _upload_page(er, _, source=source, lang=lang, file_error=message, status=409)
    del data
    return _show(er, _, stored)


def _apply(er: EditorRequest, _: Translate) -> Response:
    if er.session.user.role not in REVIEWERS:
        return refusal(er.request, er.lang, "needs_reviewer", 403)
    waiting = er.editor.uploads.get(er.field("upload"))
    if waiting is None:
        return _expired(er, _)
    if waiting.user_id == er.user_id:
        # Four eyes, as for drafts: whoever uploaded a file never applies it.
        return refusal(er.request, er.lang, "own_upload", 403)
    if waiting.source not in SOURCES:
        return _upload_page(er, _, source_error=_("Choose a source."), status=400)
    confirmed = er.field(CONFIRM_FIELD) == "yes"
    reports, rejected = _import(er, waiting, dry_run=False, allow_retire=confirmed)
    if rejected is None:
        er.editor.uploads.discard(waiting.token)
        er.editor.reindex()
    preview = _preview(er, _, waiting, reports, rejected, applied=rejected is None)
    if preview.applied and preview.run_url:
        return RedirectResponse(preview.run_url, status_code=303)
    return _upload_page(
        er, _, source=waiting.source, lang=waiting.lang, preview=preview, status=400
    )
