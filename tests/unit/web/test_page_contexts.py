"""Each page context (public pages and editor screens) matches its template: it
implements the page-context protocol (its template and the page frame), and every name
its template reads (with the templates it extends, includes and imports) is a field of
the context, of the page frame, or a global of the environment. A template that reads
``ctx.missing`` fails here, not on the one page that renders it."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta, nodes

from config.settings import PROJECT_ROOT
from web.contexts.base import Page, PageContext
from web.i18n import make_environments

ROOT = PROJECT_ROOT
# What html_page gives every template besides the environment's globals.
RENDER_NAMES = {"ctx", "page", "links"}


# The modules that hold page contexts: the public pages', and the editor area's.
CONTEXT_MODULES = [
    *(f"web.contexts.{p.stem}" for p in sorted((ROOT / "web" / "contexts").glob("*.py"))),
    "web.editor.contexts",
    "web.editor.proposals",
]


def context_classes() -> list[type]:
    """Every class of those modules with a ``page`` field: a page's context."""
    found = []
    for name in CONTEXT_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and dataclasses.is_dataclass(cls)
                and "page" in {f.name for f in dataclasses.fields(cls)}
            ):
                found.append(cls)
    return found


CONTEXTS = context_classes()


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return make_environments(ROOT / "templates", ROOT / "locales")["nl"]


def _templates(
    env: jinja2.Environment, name: str, seen: set[object], only: frozenset[str] | None = None
) -> Iterator[nodes.Template]:
    """The template ``name`` and every template it extends, includes or imports; of a
    template whose macros are imported by name (``{% from ... import a %}``) only those
    macros and the macros they call."""
    if (name, only) in seen:
        return
    seen.add((name, only))
    assert env.loader is not None
    tree = env.parse(env.loader.get_source(env, name)[0])
    if only is not None:
        macros = {m.name: m for m in tree.find_all(nodes.Macro)}
        keep: set[str] = set()
        todo = list(only)
        while todo:
            wanted = todo.pop()
            if wanted in macros and wanted not in keep:
                keep.add(wanted)
                todo += [
                    c.node.name
                    for c in macros[wanted].find_all(nodes.Call)
                    if isinstance(c.node, nodes.Name)
                ]
        tree = nodes.Template([macros[m] for m in sorted(keep)], lineno=1)
        tree.set_environment(env)
    yield tree
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        ref = node.template
        assert isinstance(ref, nodes.Const), f"{name} names a template only known at run time"
        assert isinstance(ref.value, str), f"{name} includes one of several templates"
        names = None
        if isinstance(node, nodes.FromImport):
            names = frozenset(n[0] if isinstance(n, tuple) else n for n in node.names)
        yield from _templates(env, ref.value, seen, names)


def _attributes(tree: nodes.Template, variable: str) -> set[str]:
    """The attributes read of ``variable``: ``ctx.x`` and ``ctx["x"]``."""
    found = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name) and node.node.name == variable:
            if isinstance(node, nodes.Getattr):
                found.add(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                found.add(node.arg.value)
    return found


def _bound(tree: nodes.Template) -> set[str]:
    """The names a template binds (``set``, ``for``, ``with``, a macro, its arguments,
    an import). Jinja's own analysis counts a name set inside an ``{% if %}``, at the top
    of a child template, or around an ``{% include %}`` as undeclared where a block or
    the included template reads it: a name bound anywhere in the family is its own."""
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    bound |= {n.name for n in tree.find_all(nodes.Macro)}
    bound |= {n.target for n in tree.find_all(nodes.Import)}
    for node in tree.find_all(nodes.FromImport):
        bound |= {name[1] if isinstance(name, tuple) else name for name in node.names}
    return bound


def _provided(cls: type) -> set[str]:
    """The fields, properties and methods of a context or frame class."""
    return {f.name for f in dataclasses.fields(cls)} | {
        n for n in dir(cls) if not n.startswith("_")
    }


def mismatches(env: jinja2.Environment, cls: type) -> list[str]:
    """What the template of ``cls`` reads that neither the context, the frame, the
    renderer nor the environment gives."""
    template: str = cls.template  # type: ignore[attr-defined]
    trees = list(_templates(env, template, set()))
    found = []
    free = set().union(*(meta.find_undeclared_variables(t) for t in trees))
    free -= set().union(*(_bound(t) for t in trees))
    found += [f"{template} reads {n}" for n in sorted(free - RENDER_NAMES - set(env.globals))]
    ctx = set().union(*(_attributes(t, "ctx") for t in trees))
    found += [f"{template} reads ctx.{a}" for a in sorted(ctx - _provided(cls))]
    page = set().union(*(_attributes(t, "page") for t in trees))
    found += [f"{template} reads page.{a}" for a in sorted(page - _provided(Page))]
    return found


def test_every_page_type_has_a_context() -> None:
    names = {cls.__name__ for cls in CONTEXTS}
    assert len(CONTEXTS) >= 30
    assert {"ConditionPage", "SearchPage", "PanelPage", "ErrorPage", "ListingPage"} <= names
    assert {"DashboardPage", "EditPage", "DraftPage", "LoginPage", "ReportPage"} <= names


@pytest.mark.parametrize("cls", CONTEXTS, ids=lambda c: c.__name__)
def test_the_context_implements_the_protocol(cls: type) -> None:
    """What mypy checks at each ``html_page`` call, for every context class."""
    if not isinstance(getattr(cls, "template", None), str):
        # a base of other contexts, whose kinds name their templates (InfoPage)
        assert [c for c in CONTEXTS if issubclass(c, cls) and c is not cls], cls
        return
    assert isinstance(cls.template, str)  # type: ignore[attr-defined]
    assert (ROOT / "templates" / cls.template).is_file()  # type: ignore[attr-defined]
    hints = typing.get_type_hints(cls)
    assert hints["page"] is Page
    assert typing.get_origin(hints["template"]) is typing.ClassVar
    assert {"template", "page"} == {n for n in dir(PageContext) if not n.startswith("_")}


@pytest.mark.parametrize(
    "cls", [c for c in CONTEXTS if isinstance(getattr(c, "template", None), str)],
    ids=lambda c: c.__name__,
)  # fmt: skip
def test_the_context_matches_its_template(env: jinja2.Environment, cls: type) -> None:
    assert mismatches(env, cls) == []


def test_a_mismatch_is_caught(tmp_path: Path) -> None:
    (tmp_path / "frame.html").write_text(
        "{{ page.title }} {{ page.colour }}{% block b %}{% endblock %}"
    )
    (tmp_path / "macros.html").write_text(
        "{% macro used() %}{{ ctx.from_macro }}{% endmacro %}"
        "{% macro unused() %}{{ ctx.never_called }}{% endmacro %}"
    )
    (tmp_path / "part.html").write_text("{{ ctx['heading'] }} {{ ctx.missing }}")
    (tmp_path / "probe.html").write_text(
        '{% extends "frame.html" %}{% from "macros.html" import used %}'
        "{% block b %}{{ used() }}{{ ctx.heading }} {{ nowhere }}"
        '{% include "part.html" %}{{ _("Search") }} {{ entity_url("panel", 1) }}{% endblock %}'
    )
    env = make_environments(tmp_path, ROOT / "locales")["nl"]

    @dataclasses.dataclass(frozen=True)
    class ProbePage:
        template: typing.ClassVar[str] = "probe.html"
        page: Page
        heading: str

    assert mismatches(env, ProbePage) == [
        "probe.html reads nowhere",
        "probe.html reads ctx.from_macro",
        "probe.html reads ctx.missing",
        "probe.html reads page.colour",
    ]
