"""Each public page context matches its template: it implements the page-context
protocol (its template and the page frame), and every name its template reads (with
the templates it extends, includes and imports) is a field of the context, of the page
frame, or a global of the environment. A template that reads ``ctx.missing`` fails here,
not on the one page that renders it."""

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

from web.contexts.base import Page, PageContext
from web.i18n import make_environments

ROOT = Path(__file__).resolve().parent.parent
# What html_page gives every template besides the environment's globals.
RENDER_NAMES = {"ctx", "page", "links"}


def context_classes() -> list[type]:
    """Every class in web/contexts/ with a ``page`` field: a public page's context."""
    found = []
    for path in sorted((ROOT / "web" / "contexts").glob("*.py")):
        module = importlib.import_module(f"web.contexts.{path.stem}")
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


def _templates(env: jinja2.Environment, name: str, seen: set[str]) -> Iterator[nodes.Template]:
    """The template ``name`` and every template it extends, includes or imports."""
    if name in seen:
        return
    seen.add(name)
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source)
    yield tree
    for ref in meta.find_referenced_templates(tree):
        assert ref is not None, f"{name} names a template only known at run time"
        yield from _templates(env, ref, seen)


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
    assert len(CONTEXTS) >= 15
    assert {"ConditionPage", "SearchPage", "PanelPage", "ErrorPage", "ListingPage"} <= names


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
    (tmp_path / "part.html").write_text("{{ ctx['heading'] }} {{ ctx.missing }}")
    (tmp_path / "probe.html").write_text(
        '{% extends "frame.html" %}{% block b %}{{ ctx.heading }} {{ nowhere }}'
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
        "probe.html reads ctx.missing",
        "probe.html reads page.colour",
    ]
