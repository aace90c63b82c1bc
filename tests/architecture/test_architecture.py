"""Imports point one way: config <- directory <- importers, search <- web <- cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT

ROOT = PROJECT_ROOT
PACKAGES = ("config", "directory", "importers", "search", "web", "expertisewijzer")

# package -> packages it must not import
CLI = {"expertisewijzer"}  # the CLI package: cli, cli_editor, doctor (settings are in config)
FORBIDDEN = {
    # the settings are the lowest layer: every package may read them, they read none
    "config": {p for p in PACKAGES if p != "config"},
    "directory": {"importers", "search", "web", *CLI},
    "importers": {"search", "web", *CLI},
    "search": {"importers", "web", *CLI},
    "web": CLI,
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
    mods = set().union(*(imported_modules(p) for p in python_files("config")))
    assert not {m for m in mods if m.split(".")[0] in PACKAGES}


def test_only_settings_reads_the_environment() -> None:
    readers = []
    for package in PACKAGES:
        for path in python_files(package):
            if path.relative_to(ROOT).as_posix() == "config/settings.py":
                continue
            if "os.environ" in path.read_text() or "getenv(" in path.read_text():
                readers.append(str(path.relative_to(ROOT)))
    assert readers == []


# Writing the catalogue: SQL that changes rows, and the session calls that change rows.
WRITE_SQL = {"insert", "update", "delete"}
WRITE_CALLS = {"commit", "add_all", "merge", "flush", "bulk_save_objects", "bulk_insert_mappings"}
# The embedded search engine commits its own index file (a SQLite database of its own,
# rebuilt from the catalogue), never the catalogue.
OWN_FILES = {"search/engines/embedded.py": {"commit"}}


def _writes(name: str, source: str) -> list[str]:
    found = []
    allowed = OWN_FILES.get(name, set())
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [f"imports {a.name}" for a in node.names if a.name in WRITE_SQL]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            called = node.func.attr
            if called in WRITE_CALLS - allowed or (
                called == "add" and "session" in ast.unparse(node.func.value).lower()
            ):
                found.append(f"calls .{called}() at line {node.lineno}")
    return [f"{name} {what}" for what in found]


def test_only_the_catalogue_package_writes_the_catalogue() -> None:
    """One writer: importers are pure transforms, search reads, web and the CLI call the
    services of ``directory``; checked on the syntax tree of every module outside it."""
    offenders = [
        w for package in PACKAGES if package != "directory" for p in python_files(package)
        for w in _writes(str(p.relative_to(ROOT)), p.read_text())
    ]  # fmt: skip
    assert offenders == []


def test_the_writer_rule_finds_a_write() -> None:
    probe = (
        "from sqlalchemy import insert\ndef f(session):\n    session.add(1)\n    session.commit()\n"
    )
    assert _writes("web/probe.py", probe) == [
        "web/probe.py imports insert",
        "web/probe.py calls .add() at line 3",
        "web/probe.py calls .commit() at line 4",
    ]
    assert _writes("search/engines/embedded.py", "con.commit()\n") == []  # its own index


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports, anywhere in the file: at the top, in a
    function, or only for type checking (a circle is a circle for the reader too)."""
    paths = {_module_name(p): p for package in PACKAGES for p in python_files(package)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets |= {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    assert _circles(_import_graph()) == []


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_no_relative_imports() -> None:
    relative = []
    for package in PACKAGES:
        for path in python_files(package):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.ImportFrom) and node.level > 0:
                    relative.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert relative == []


# Each module holds one concept (issue 12, item 1): a module over about 600 lines says
# why at the top of its docstring, in a paragraph starting "Over 600 lines:".
MAX_LINES = 620
LONG_MODULE_REASON = "Over 600 lines:"


def _long_modules_without_reason(files: dict[str, str]) -> list[str]:
    """``files``: name -> source. The long ones whose docstring gives no reason."""
    found = []
    for name, source in sorted(files.items()):
        if source.count("\n") <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(source)) or ""
        if not any(p.startswith(LONG_MODULE_REASON) for p in doc.split("\n\n")):
            found.append(name)
    return found


def test_long_modules_say_why() -> None:
    files = {
        str(path.relative_to(ROOT)): path.read_text()
        for package in PACKAGES
        for path in python_files(package)
    }
    assert _long_modules_without_reason(files) == []


def test_the_size_rule_finds_a_long_module() -> None:
    body = "x = 1\n" * 700
    files = {
        "short.py": '"""Short."""\n' + "x = 1\n" * 10,
        "long.py": '"""A long one.\n\nIt is long."""\n' + body,
        "reasoned.py": '"""A long one.\n\nOver 600 lines: one concept."""\n' + body,
    }
    assert _long_modules_without_reason(files) == ["long.py"]


# -- web/: views, contexts, rendering and state (issue 12, item 3) ------------------------
# One module per page type in web/views/ and in web/contexts/. A view never imports
# another view (what two views share lives in a module that is no view: web/pages.py,
# web/labels.py, web/route_cards.py, web/browse_links.py ...); contexts, rendering and
# the app's state import no view; outside web/views/ only the wiring imports views
# (web/app.py), and the editor its 404 page (web.views.errors).
WEB_VIEWS = "web.views"
VIEW_IMPORTERS = {
    "web.app": {"web.views"},  # the routes: URL -> view
    "web.editor.admin": {"web.views.errors"},
    "web.editor.imports": {"web.views.errors"},
    "web.editor.navigation": {"web.views.errors"},
}


def _is_view(module: str) -> bool:
    return module == WEB_VIEWS or module.startswith(WEB_VIEWS + ".")


def _views_imported(path: Path) -> set[str]:
    return {m for m in imported_modules(path) if _is_view(m)}


def _view_import_offenders(files: dict[str, set[str]]) -> list[str]:
    """``files``: module -> the view modules it imports. Returns the imports that break
    the rules above."""
    found = []
    for module, views in sorted(files.items()):
        allowed = {module} if _is_view(module) else VIEW_IMPORTERS.get(module, set())
        bad = views - allowed
        found += [f"{module} imports {v}" for v in sorted(bad)]
    return found


def test_web_views_import_no_other_view_and_only_the_wiring_imports_views() -> None:
    files = {_module_name(p): _views_imported(p) for p in python_files("web")}
    assert _view_import_offenders(files) == []


def test_contexts_pages_and_state_import_no_view() -> None:
    web = ROOT / "web"
    paths = [web / "pages.py", web / "state.py", *sorted((web / "contexts").glob("*.py"))]
    assert {str(p.relative_to(ROOT)): _views_imported(p) for p in paths if _views_imported(p)} == {}


def test_the_view_rules_find_a_view_importing_a_view() -> None:
    files = {
        "web.views.search": {"web.views.panels"},
        "web.pages": {"web.views.errors"},
        "web.app": {"web.views"},
        "web.views.panels": {"web.views.panels"},
    }
    assert _view_import_offenders(files) == [
        "web.pages imports web.views.errors",
        "web.views.search imports web.views.panels",
    ]


def test_one_module_per_page_type() -> None:
    """Each public page context lives in the contexts module named like its view module."""
    views = {p.stem for p in (ROOT / "web" / "views").glob("*.py")} - {"__init__"}
    contexts = {p.stem for p in (ROOT / "web" / "contexts").glob("*.py")} - {"__init__"}
    # views that render no page context of their own: redirects, health, machine files
    assert views - contexts == {"root", "site"}
    # contexts that are parts of pages or the frame, not a page type with a view
    assert contexts - views == {"base", "labels"}


def _editor_screens() -> set[str]:
    """The editor's screen modules: the ones web/editor/routes.py wires."""
    tree = ast.parse((ROOT / "web" / "editor" / "routes.py").read_text())
    return {
        f"web.editor.{alias.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "web.editor"
        for alias in node.names
    }


def test_editor_screens_import_no_other_screen() -> None:
    """One module per screen group; what screens share is in modules that are no
    screen (render.py, rows.py, navigation.py, contexts.py ...)."""
    screens = _editor_screens()
    assert {"web.editor.login", "web.editor.drafts", "web.editor.admin"} <= screens
    offending = []
    for module in sorted(screens):
        path = ROOT / Path(*module.split(".")).with_suffix(".py")
        graph_targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                graph_targets.add(node.module)
                graph_targets |= {f"{node.module}.{a.name}" for a in node.names}
        offending += [f"{module} imports {t}" for t in sorted(graph_targets & screens - {module})]
    assert offending == []


# Domains inside directory/ (issue 12, item 1): domain -> the domains it may import.
# The top-level modules of directory/ (db, clock, text, errors, reports, caps, numbers,
# paths, vocabulary, catalogue_version, changes, retirement, override_outcomes) are its
# shared core: every domain may import them and they import no domain, except the
# whole-catalogue modules below.
DIRECTORY_DOMAINS: dict[str, set[str]] = {
    "places": set(),  # the base: the gazetteer
    "conditions": {"places"},  # the geonames source writes the gazetteer in a release run
    "expertise": {"conditions", "places"},
    "accounts": set(),
    "editorial": {"conditions", "places", "expertise", "accounts"},
}
# Core modules that read or copy every table: they may import any domain.
DIRECTORY_WHOLE_CATALOGUE = {"directory.backup"}
# No arrow points the wrong way. Where a lower domain needs something of a higher one, it
# declares what it needs as a Protocol and receives it when its service is built: the
# appliers of conditions/ and expertise/ get the editors' corrections that way
# (conditions/corrections.py, expertise/corrections.py, provided by editorial/corrections.py).


def _directory_domain(module: str) -> str | None:
    """``directory.<domain>...`` -> the domain, another ``directory`` module -> "core"."""
    parts = module.split(".")
    if parts[0] != "directory":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in DIRECTORY_DOMAINS else "core"


def _domain_violations(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    found = set()
    for module, targets in graph.items():
        here = _directory_domain(module)
        if here is None or module in DIRECTORY_WHOLE_CATALOGUE:
            continue
        allowed = {here, "core"} | DIRECTORY_DOMAINS.get(here, set())
        for target in targets:
            there = _directory_domain(target)
            if there is not None and there not in allowed:
                found.add((module, target))
    return found


def test_directory_domains_import_only_below_them() -> None:
    assert sorted(_domain_violations(_import_graph())) == []


def test_every_directory_module_belongs_to_a_domain_or_the_core() -> None:
    packages = {p.parent.name for p in (ROOT / "directory").glob("*/__init__.py")}
    assert packages == set(DIRECTORY_DOMAINS)


def test_a_domain_arrow_the_wrong_way_is_found() -> None:
    graph = {
        "directory.conditions.services": {"directory.editorial.models", "directory.db"},
        "directory.db": {"directory.conditions.models"},
        "directory.backup": {"directory.editorial.models"},
        "directory.editorial.services": {"directory.conditions.services"},
        "directory.accounts.services": {"directory.places.geo"},
        "directory.places.geo": {"directory.conditions.models", "directory.text"},
        "web.app": {"directory.editorial.services"},
    }
    assert _domain_violations(graph) == {
        ("directory.conditions.services", "directory.editorial.models"),
        ("directory.db", "directory.conditions.models"),
        ("directory.accounts.services", "directory.places.geo"),
        ("directory.places.geo", "directory.conditions.models"),
    }
