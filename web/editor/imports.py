"""Editor views for imports: runs with their reports, and uploading a new source file.

An upload is first imported as a dry run (in a transaction that is rolled back),
which shows what would change, the override disagreements and every problem.
The file is kept under ``var/uploads/<token>/`` until a reviewer applies it (or
for a day); applying imports it for real and rebuilds the search index.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from directory.errors import InputRejected
from directory.numbers import ascii_int
from directory.records import ImportReport
from importers.registry import SOURCES, RunOptions, run_import
from web.editor import texts
from web.editor.auth import ANY_ROLE, REVIEWERS, EditorRequest, editor_view
from web.editor.contexts import (
    Choice,
    ImportRunPage,
    ImportsPage,
    Preview,
    RunRow,
    UploadPage,
)
from web.editor.paths import editor_path, twins
from web.editor.render import Translate, chrome, html, page, translator
from web.i18n import LANGS

KEEP_UPLOADS_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _run_row(er: EditorRequest, _: Translate, run: Any) -> RunRow:
    return RunRow(
        run=run,
        url=editor_path("imports", er.lang, run.id),
        status_label=texts.label(_, texts.STATUSES, run.status),
        file_name=Path(run.file_name).name,
    )


@editor_view(ANY_ROLE)
def imports(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    ctx = ImportsPage(
        page=page(er.request, er.lang, _("Imports"), twins("imports")),
        chrome=chrome(er, "imports"),
        rows=tuple(_run_row(er, _, r) for r in er.editor.queries.import_runs()),
        upload_url=editor_path("upload", er.lang),
    )
    return html(er.request, er.lang, "editor/imports.html", ctx)


@editor_view(ANY_ROLE)
def import_run(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    run_id = ascii_int(str(er.request.path_params.get("run_id", "")))
    run = er.editor.queries.import_run(run_id) if run_id is not None else None
    if run is None:
        from directory.errors import NotFound
        from web.views import not_found

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
    return html(er.request, er.lang, "editor/import_run.html", ctx)


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:100]
    return cleaned or "upload"


def _clean_old_uploads(root: Path) -> None:
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_UPLOADS_SECONDS
    for child in root.iterdir():
        if child.is_dir() and child.stat().st_mtime < cutoff:
            shutil.rmtree(child, ignore_errors=True)


def _preview(
    er: EditorRequest,
    _: Translate,
    source: str,
    file_name: str,
    token: str,
    reports: list[ImportReport] | None,
    rejected: InputRejected | None,
    *,
    applied: bool = False,
) -> Preview:
    if rejected is not None:
        return Preview(
            source=source,
            file_name=file_name,
            ok=False,
            status_label=texts.label(_, texts.STATUSES, "failed"),
            added=0,
            changed=0,
            retired=0,
            unchanged=0,
            warnings=(),
            problems=tuple(str(p) for p in rejected.problems[:500]),
            upload_token=token,
        )
    reports = reports or []
    return Preview(
        source=source,
        file_name=file_name,
        ok=True,
        status_label=texts.label(_, texts.STATUSES, reports[-1].status if reports else "dry_run"),
        added=sum(r.counts.added for r in reports),
        changed=sum(r.counts.changed for r in reports),
        retired=sum(r.counts.retired for r in reports),
        unchanged=sum(r.counts.unchanged for r in reports),
        warnings=tuple(w for r in reports for w in r.warnings)[:500],
        problems=tuple(str(p) for r in reports for p in r.problems)[:500],
        upload_token=token,
        changes=tuple(c for r in reports for c in r.changes),
        applied=applied,
        run_url=editor_path("imports", er.lang, reports[-1].run_id) if reports else None,
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
    )
    return html(er.request, er.lang, "editor/upload.html", ctx, status)


def _import(
    er: EditorRequest, source: str, path: Path, lang: str, dry_run: bool
) -> tuple[list[ImportReport] | None, InputRejected | None]:
    options = RunOptions(dry_run=dry_run, lang=lang)
    try:
        reports = run_import(
            er.editor.catalogue,
            source,
            data_dir=er.editor.data_dir,
            location=str(path),
            options=options,
        )
    except InputRejected as exc:
        return None, exc
    return reports, None


@editor_view(ANY_ROLE, upload=True)
def upload(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    if er.form is None:
        return _upload_page(er, _)
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
        name = _safe_name(file.filename)
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
    root = er.editor.upload_dir
    _clean_old_uploads(root)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir(parents=True, exist_ok=False)
    path = folder / name
    path.write_bytes(data)
    (folder / "upload.json").write_text(
        json.dumps({"source": source, "lang": lang, "name": name, "user": er.user_id}),
        encoding="utf-8",
    )
    reports, rejected = _import(er, source, path, lang, dry_run=True)
    preview = _preview(er, _, source, name, token, reports, rejected)
    return _upload_page(
        er, _, source=source, lang=lang, preview=preview, status=200 if preview.ok else 400
    )


def _apply(er: EditorRequest, _: Translate) -> Response:
    if er.session.user.role not in REVIEWERS:
        from web.editor.render import refusal

        return refusal(er.request, er.lang, "needs_reviewer", 403)
    token = er.field("upload")
    folder = er.editor.upload_dir / token
    meta_path = folder / "upload.json"
    if not TOKEN_RE.match(token) or not meta_path.is_file():
        return _upload_page(
            er, _, file_error=_("This upload has expired. Upload the file again."), status=400
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    source, lang, name = str(meta["source"]), str(meta["lang"]), str(meta["name"])
    if source not in SOURCES:
        return _upload_page(er, _, source_error=_("Choose a source."), status=400)
    reports, rejected = _import(er, source, folder / name, lang, dry_run=False)
    if rejected is None:
        shutil.rmtree(folder, ignore_errors=True)
        er.editor.reindex()
    preview = _preview(er, _, source, name, token, reports, rejected, applied=rejected is None)
    if preview.applied and preview.run_url:
        return RedirectResponse(preview.run_url, status_code=303)
    return _upload_page(er, _, source=source, lang=lang, preview=preview, status=400)
