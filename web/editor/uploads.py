"""Uploaded source files waiting for a second person to apply them.

An upload is kept under ``var/uploads/<token>/`` with ``upload.json`` (source,
language, file name, who uploaded it and when) for at most a day. Its uploader
can never apply it: like a draft, it waits for another reviewer, who finds it in
the list of waiting uploads (security review D2).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from directory.models import utcnow

KEEP_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
META = "upload.json"


@dataclass(frozen=True)
class PendingUpload:
    token: str
    source: str
    lang: str
    name: str  # the file's (cleaned) name
    user_id: int
    user_name: str
    uploaded_at: dt.datetime
    folder: Path

    @property
    def path(self) -> Path:
        return self.folder / self.name


def safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:100]
    return cleaned or "upload"


def clean_old(root: Path) -> None:
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for child in root.iterdir():
        if child.is_dir() and child.stat().st_mtime < cutoff:
            shutil.rmtree(child, ignore_errors=True)


def store(
    root: Path, data: bytes, *, source: str, lang: str, name: str, user_id: int, user_name: str
) -> PendingUpload:
    clean_old(root)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir(parents=True, exist_ok=False)
    upload = PendingUpload(
        token, source, lang, safe_name(name), user_id, user_name, utcnow(), folder
    )
    upload.path.write_bytes(data)
    meta = {
        "source": source,
        "lang": lang,
        "name": upload.name,
        "user": user_id,
        "user_name": user_name,
        "uploaded_at": upload.uploaded_at.isoformat(),
    }
    (folder / META).write_text(json.dumps(meta), encoding="utf-8")
    return upload


def load(root: Path, token: str) -> PendingUpload | None:
    """The waiting upload with this token, or None (unknown, expired or malformed)."""
    if not TOKEN_RE.match(token):
        return None
    folder = root / token
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if folder.stat().st_mtime < time.time() - KEEP_SECONDS:
            return None
        upload = PendingUpload(
            token=token,
            source=str(meta["source"]),
            lang=str(meta["lang"]),
            name=safe_name(str(meta["name"])),
            user_id=int(meta["user"]),
            user_name=str(meta.get("user_name", "")),
            uploaded_at=dt.datetime.fromisoformat(str(meta["uploaded_at"])),
            folder=folder,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return upload if upload.path.is_file() else None


def waiting(root: Path) -> tuple[PendingUpload, ...]:
    """Uploads waiting to be applied, newest first."""
    if not root.is_dir():
        return ()
    found = (load(root, child.name) for child in root.iterdir() if child.is_dir())
    return tuple(sorted((u for u in found if u), key=lambda u: u.uploaded_at, reverse=True))


def discard(upload: PendingUpload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)
