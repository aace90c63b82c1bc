"""The tests mirror the code: where a test module may live, checked on the tree.

- ``tests/unit/<package>/...`` holds the tests of one application package (or one of
  its sub-packages: ``tests/unit/directory/expertise/`` tests ``directory/expertise/``);
  the folder must name a package that exists.
- ``tests/functional/<area>/`` holds tests through HTTP or the CLI of a running site,
  one folder per area: the public site, the editor area, the security review's
  defects, and servers in processes of their own.
- ``tests/postgres/`` holds tests that need PostgreSQL and nothing else (the many
  nodes test); everything else that runs on both databases is parametrised by the
  ``database_url`` fixture and lives with its package.
- ``tests/browser/`` drives Debian's chromium; ``tests/architecture/`` states the
  house rules.
- Helpers that are not tests live in ``tests/support/`` and are imported as
  ``tests.support.<name>``; the only ``conftest.py`` files are the root one and the
  browser folder's.
- Every test module's file name is unique in the tree: pytest imports test modules by
  their bare name (``prepend`` import mode, no ``__init__.py``), so two of one name
  would collide.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from config.settings import PROJECT_ROOT

TESTS = PROJECT_ROOT / "tests"
PACKAGES = ("config", "directory", "importers", "search", "web", "expertisewijzer")
FUNCTIONAL_AREAS = {"site", "editor", "security", "servers"}
FOLDERS_OF_THEIR_OWN = {"postgres", "browser", "architecture"}
CONFTESTS = {"conftest.py", "browser/conftest.py"}


def _is_package(path: Path) -> bool:
    return path.is_dir() and (path / "__init__.py").exists()


def layout_problems(paths: list[str], root: Path = PROJECT_ROOT) -> list[str]:
    """What is out of place among ``paths`` (Python files relative to ``tests/``)."""
    problems = []
    for rel in paths:
        parts = rel.split("/")
        name = parts[-1]
        if name == "conftest.py":
            if rel not in CONFTESTS:
                problems.append(f"{rel}: fixtures belong in tests/support/ (a plugin)")
            continue
        if parts[0] == "support":
            if name.startswith("test_"):
                problems.append(f"{rel}: a test module in tests/support/")
            continue
        if not name.startswith("test_"):
            problems.append(f"{rel}: a helper outside tests/support/")
            continue
        folder = parts[:-1]
        if not folder:
            problems.append(f"{rel}: a test module at the top of tests/")
        elif folder[0] == "unit":
            if len(folder) < 2 or folder[1] not in PACKAGES:
                problems.append(f"{rel}: tests/unit/<package>/ must name a package")
            elif not _is_package(root.joinpath(*folder[1:])):
                problems.append(f"{rel}: no package {'/'.join(folder[1:])} to mirror")
        elif folder[0] == "functional":
            if len(folder) != 2 or folder[1] not in FUNCTIONAL_AREAS:
                problems.append(f"{rel}: tests/functional/ has {sorted(FUNCTIONAL_AREAS)}")
        elif folder[0] not in FOLDERS_OF_THEIR_OWN or len(folder) != 1:
            problems.append(f"{rel}: not a folder of the layout")
    names = Counter(p.rsplit("/", 1)[-1] for p in paths if "/test_" in f"/{p}")
    problems += [f"{n}: {c} test modules of this name" for n, c in names.items() if c > 1]
    return problems


def _test_tree() -> list[str]:
    return sorted(
        str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts
    )


def test_every_test_module_is_where_the_layout_says() -> None:
    assert layout_problems(_test_tree()) == []


def test_the_layout_rule_finds_what_is_out_of_place() -> None:
    planted = [
        "test_loose.py",
        "unit/nowhere/test_a.py",
        "unit/directory/nowhere/test_b.py",
        "functional/misc/test_c.py",
        "editor/test_d.py",
        "unit/search/helpers.py",
        "unit/search/conftest.py",
        "support/test_e.py",
        "unit/search/test_twice.py",
        "functional/site/test_twice.py",
    ]
    found = layout_problems(planted)
    assert len(found) == len(planted) - 1  # the two of one name give one problem
    assert layout_problems(["unit/directory/expertise/test_ok.py", "support/x.py"]) == []


def test_every_test_under_postgres_needs_postgres() -> None:
    for path in (TESTS / "postgres").glob("test_*.py"):
        tree = ast.parse(path.read_text())
        marks = [
            node
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        ]
        assert marks, f"{path.name}: mark the module with pytestmark = pytest.mark.postgres"
        assert "postgres" in ast.unparse(marks[0].value), path.name
