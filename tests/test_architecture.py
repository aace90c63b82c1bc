"""Imports point one way: directory <- importers, search <- web <- cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("directory", "importers", "search", "web", "expertisewijzer")

# package -> packages it must not import
FORBIDDEN = {
    "directory": {"importers", "search", "web", "expertisewijzer.cli"},
    "importers": {"search", "web", "expertisewijzer.cli"},
    "search": {"importers", "web", "expertisewijzer.cli"},
    "web": {"expertisewijzer.cli"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package: str) -> None:
    offending = []
    for path in python_files(package):
        for module in imported_modules(path):
            for banned in FORBIDDEN[package]:
                if module == banned or module.startswith(banned + "."):
                    offending.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offending == []


def test_settings_import_nothing_of_ours() -> None:
    mods = imported_modules(ROOT / "expertisewijzer" / "settings.py")
    assert not {m for m in mods if m.split(".")[0] in PACKAGES}


def test_only_settings_reads_the_environment() -> None:
    readers = []
    for package in PACKAGES:
        for path in python_files(package):
            if path.name == "settings.py" and package == "expertisewijzer":
                continue
            if "os.environ" in path.read_text() or "getenv(" in path.read_text():
                readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_importers_do_not_write_the_database_themselves() -> None:
    """Only the catalogue services write: importers never open sessions or commit."""
    offenders = []
    for path in python_files("importers"):
        text = path.read_text()
        if ".commit(" in text or "session.add(" in text or "sessionmaker" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
