"""Helpers shared by the expertise tests (in-memory and bundled source files)."""

from __future__ import annotations

from config.settings import PROJECT_ROOT
from importers.base import SourceFile

DATA_DIR = PROJECT_ROOT / "data"


def source(name: str, text_or_bytes: str | bytes) -> SourceFile:
    """An in-memory source file (the name is what problems will mention)."""
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return SourceFile(name=name, data=data)


def bundled(relative: str) -> SourceFile:
    path = DATA_DIR / relative
    return SourceFile(name=str(path), data=path.read_bytes())
