"""The closed sets of :mod:`directory.vocabulary` agree with the curated data, the
database constraints and the templates, and mypy catches a word outside them."""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterator
from typing import Any

import jinja2
import pytest
from jinja2 import nodes
from sqlalchemy import CheckConstraint

import directory.accounts.models
import directory.conditions.models
import directory.editorial.models
import directory.expertise.models
import directory.expertise.redirects
import directory.places.models  # noqa: F401  # registers its table
from config.settings import PROJECT_ROOT
from directory import vocabulary as v
from directory.db import Base
from directory.paths import SEGMENTS
from web.i18n import make_environments

ROOT = PROJECT_ROOT
CURATED = ROOT / "data" / "curated"


def test_every_tuple_is_its_literal_and_has_no_repeats() -> None:
    tuples = [
        value
        for name, value in vars(v).items()
        if name.isupper() and isinstance(value, tuple) and not name.startswith("EDITABLE")
    ]
    assert len(tuples) > 25
    for words in tuples:
        assert words
        assert len(set(words)) == len(words)
        assert all(isinstance(w, str) for w in words)
    assert set(v.CENTRE_KINDS) <= set(v.DESIGNATION_KINDS)
    assert set(v.SOURCED) <= set(v.CERTAINTIES)
    assert set(v.EDITABLE_NETWORK_KINDS) <= set(v.NETWORK_KINDS)
    assert set(v.DRAFT_ACTIONS) <= set(v.AUDIT_ACTIONS)
    assert set(v.SEARCH_ALIAS_KINDS) <= set(v.SEARCH_KINDS)
    assert set(v.SEARCH_KINDS) <= set(v.PAGE_KINDS)
    assert set(v.REDIRECT_KINDS) <= set(v.PAGE_KINDS)
    assert set(v.PAGE_KINDS) <= set(SEGMENTS)  # every page kind has its address


def test_the_vocabulary_imports_nothing_of_ours() -> None:
    tree = ast.parse((ROOT / "directory" / "vocabulary.py").read_text())
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert imported == {"__future__", "typing"}


def test_is_one_of() -> None:
    assert v.is_one_of("distance", v.SEARCH_SORTS)
    assert not v.is_one_of("name", v.SEARCH_SORTS)


# -- the curated data -------------------------------------------------------------------


def _values(node: Any, path: str) -> Iterator[str]:
    """The string values at ``path`` (``a[].b.c``; ``[]`` walks a list)."""
    head, _, rest = path.partition(".")
    many = head.endswith("[]")
    found = node.get(head.removesuffix("[]")) if isinstance(node, dict) else None
    for item in (found or []) if many else ([found] if found is not None else []):
        if rest:
            yield from _values(item, rest)
        elif isinstance(item, str):
            yield item


# (file, path to the values, the tuple they must be in)
JSON_FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("expertise_centres.json", "centres[].basis", v.CENTRE_BASES),
    ("expertise_centres.json", "centres[].population", v.POPULATIONS),
    ("expertise_centres.json", "centres[].certainty", v.CERTAINTIES),
    ("institutions.json", "institutions[].kind", v.INSTITUTION_KINDS),
    ("institutions.json", "institutions[].kind_certainty", v.CERTAINTIES),
    ("institutions.json", "institutions[].network_certainty", v.CERTAINTIES),
    ("institutions.json", "institutions[].extra_sites[].certainty", v.CERTAINTIES),
    ("institutions.json", "institutions[].status", v.INSTITUTION_STATUSES),
    ("institutions.json", "rivm_sites_closed[].certainty", v.CERTAINTIES),
    # every kind the curated file uses can be saved in the editor (the AYA network is
    # shared_care, which the editor did not offer: saving it would have failed)
    ("networks.json", "networks[].kind", v.EDITABLE_NETWORK_KINDS),
    ("networks.json", "networks[].members[].certainty", v.CERTAINTIES),
    ("networks.json", "networks[].members[].hn_region_certainty", v.CERTAINTIES),
    ("panels.json", "panels[].level", v.PANEL_LEVELS),
    ("panels.json", "panels[].submission_route.kind", v.SUBMISSION_KINDS),
    ("panels.json", "panels[].certainty", v.CERTAINTIES),
    ("panels.json", "panels[].population", v.POPULATIONS),
    ("patient_resources.json", "resources[].kind", v.PATIENT_RESOURCE_KINDS),
    ("reference.json", "erns[].nl_members[].certainty", v.CERTAINTIES),
    ("soncos.json", "soncos_reference_centres[].requirement_kind", v.SONCOS_REQUIREMENT_KINDS),
    ("soncos.json", "soncos_reference_centres[].certainty", v.CERTAINTIES),
    ("sources.json", "sources[].publisher_kind", v.PUBLISHER_KINDS),
    ("working_groups.json", "working_groups[].kind", v.WORKING_GROUP_KINDS),
]
CSV_FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("ecza_recognitions.csv", "level", v.ECZA_LEVELS),
    ("ecza_recognitions.csv", "certainty", v.CERTAINTIES),
    ("icd10_orphacodes.csv", "relation", v.MAPPING_RELATIONS),
    ("search_aliases.csv", "kind", v.SEARCH_ALIAS_KINDS),
    ("search_aliases.csv", "certainty", v.CERTAINTIES),
]


@pytest.mark.parametrize(("file", "path", "words"), JSON_FIELDS)
def test_curated_json_uses_only_the_vocabulary(file: str, path: str, words: tuple[str]) -> None:
    found = set(_values(json.loads((CURATED / file).read_text()), path))
    assert found, f"{file}: nothing at {path}; the test no longer reads what it should"
    assert found <= set(words), f"{file} {path}: {sorted(found - set(words))}"


@pytest.mark.parametrize(("file", "column", "words"), CSV_FIELDS)
def test_curated_csv_uses_only_the_vocabulary(file: str, column: str, words: tuple[str]) -> None:
    with (CURATED / file).open(newline="", encoding="utf-8") as f:
        found = {row[column] for row in csv.DictReader(f)} - {""}
    assert found, f"{file}: no values in {column}"
    assert found <= set(words), f"{file} {column}: {sorted(found - set(words))}"


def test_the_curated_data_uses_every_designation_level_word_it_declares() -> None:
    """A word nobody uses is a word to drop: the sets that describe the data are complete
    and no larger (the editor and API sets, and the rare words below, are not checked)."""
    used = {
        (file, path): set(_values(json.loads((CURATED / file).read_text()), path))
        for file, path, _ in JSON_FIELDS
    }
    assert used["expertise_centres.json", "centres[].basis"] == set(v.CENTRE_BASES)
    assert used["panels.json", "panels[].level"] == set(v.PANEL_LEVELS)
    assert used["sources.json", "sources[].publisher_kind"] == set(v.PUBLISHER_KINDS)
    assert used["working_groups.json", "working_groups[].kind"] == set(v.WORKING_GROUP_KINDS)


# -- the database -----------------------------------------------------------------------

# (table, column) -> the tuple its CHECK constraint must list, in this order.
CONSTRAINTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("designation", "kind"): v.DESIGNATION_KINDS,
    ("designation", "population"): v.POPULATIONS,
    ("panel", "level"): v.PANEL_LEVELS,
    ("institution", "kind"): v.INSTITUTION_KINDS,
    ("institution", "status"): v.INSTITUTION_STATUSES,
    ("source_document", "publisher_kind"): v.PUBLISHER_KINDS,
    ("patient_resource", "kind"): v.PATIENT_RESOURCE_KINDS,
    ("condition", "level"): v.CONDITION_LEVELS,
    ("condition_name", "origin"): v.NAME_ORIGINS,
    ("cross_reference", "origin"): v.NAME_ORIGINS,
    ("search_alias", "kind"): v.SEARCH_ALIAS_KINDS,
    ("draft", "action"): v.DRAFT_ACTIONS,
    ("draft", "status"): v.DRAFT_STATUSES,
    ("feedback_report", "status"): v.FEEDBACK_STATUSES,
    ("editor_user", "role"): v.ROLES,
}


def _check_lists() -> dict[tuple[str, str], tuple[str, ...]]:
    found = {}
    for table in Base.metadata.tables.values():
        for c in table.constraints:
            if isinstance(c, CheckConstraint):
                text = str(c.sqltext)
                m = re.search(r"(\w+) IN \(([^)]*)\)", text)
                if m:
                    found[table.name, m.group(1)] = tuple(re.findall(r"'([^']*)'", m.group(2)))
    return found


def test_database_constraints_list_the_vocabulary() -> None:
    found = _check_lists()
    missing = set(CONSTRAINTS) - set(found)
    assert not missing, f"no CHECK constraint found for {sorted(missing)}"
    for key, words in CONSTRAINTS.items():
        assert found[key] == words, key


# -- templates --------------------------------------------------------------------------

# The expressions templates compare with a word, and the set the word must be in.
TEMPLATE_WORDS: dict[str, tuple[str, ...]] = {
    "d.kind": v.DESIGNATION_KINDS,
    "a.relation": v.RELATIONS,
    "d.certainty": v.CERTAINTIES,
    "m.certainty": v.CERTAINTIES,
    "i.kind_certainty": v.CERTAINTIES,
    "labels.certainty[]": v.CERTAINTIES,
    "p.level": v.PANEL_LEVELS,
    "d.population": v.POPULATIONS,
    "doc.publisher_kind": v.PUBLISHER_KINDS,
    "lc.status": v.INSTITUTION_STATUSES,
    "r.kind": v.PATIENT_RESOURCE_KINDS,
    "item.hit.kind": v.SEARCH_KINDS,
    "item.hit.status": v.INSTITUTION_STATUSES,  # only a closed hospital is not "active"
    "p.coverage": v.COVERAGES,
    "ctx.status": v.DRAFT_STATUSES,
    "n.origin": v.NAME_ORIGINS,
}
# Comparisons with words of one page or form, not of the catalogue's vocabulary.
NOT_VOCABULARY = {
    "ctx.kind",  # the listing page's and the proposals page's own tabs
    "f.kind",  # an editor form field's input kind
    "f.name",  # an editor form field's name
    "title.origin",  # a condition title's origin (orphanet, editorial, proposed)
    "c.ref.status",  # Orphanet's status of a condition
}
# Attribute names that hold vocabulary words: a comparison on one of them must be listed.
WORD_ATTRIBUTES = {
    "kind",
    "certainty",
    "kind_certainty",
    "relation",
    "level",
    "population",
    "publisher_kind",
    "status",
    "coverage",
    "origin",
    "action",
    "role",
    "sort",
}


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _dotted(node.node)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _words(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.Tuple | nodes.List):
        return [w for item in node.items for w in _words(item)]
    return []


def template_words(source: str, env: jinja2.Environment) -> list[tuple[str, str]]:
    """(expression, word) for each ``expr == 'word'``, ``expr != ...``, ``expr in (...)``
    and ``expr['word']`` in a template."""
    found = []
    tree = env.parse(source)
    for cmp in tree.find_all(nodes.Compare):
        sides = [cmp.expr, *(op.expr for op in cmp.ops)]
        names = [d for s in sides if (d := _dotted(s))]
        words = [w for s in sides for w in _words(s)]
        found += [(n, w) for n in names for w in words]
    for item in tree.find_all(nodes.Getitem):
        name = _dotted(item.node)
        if name:
            found += [(f"{name}[]", w) for w in _words(item.arg)]
    return found


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return make_environments(ROOT / "templates", ROOT / "locales")["nl"]


def _problems(found: list[tuple[str, str]]) -> list[str]:
    problems = []
    for name, word in found:
        if name in TEMPLATE_WORDS:
            if word not in TEMPLATE_WORDS[name]:
                problems.append(f"{name} == {word!r}: not a word of its set")
        elif name not in NOT_VOCABULARY and name.rsplit(".", 1)[-1] in WORD_ATTRIBUTES:
            problems.append(f"{name} == {word!r}: add {name} to TEMPLATE_WORDS or NOT_VOCABULARY")
    return problems


def test_templates_compare_only_with_vocabulary_words(env: jinja2.Environment) -> None:
    problems, seen = [], set()
    for path in sorted((ROOT / "templates").rglob("*.html")):
        found = template_words(path.read_text(), env)
        seen |= {name for name, _ in found}
        problems += [f"{path.relative_to(ROOT)}: {p}" for p in _problems(found)]
    assert problems == []
    # every listed expression is still compared somewhere (else take it off)
    assert set(TEMPLATE_WORDS) <= seen


def _linked_kinds(source: str, env: jinja2.Environment) -> list[str]:
    """The kinds templates give ``entity_url(kind, ...)`` and the ``link(kind, ...)`` macro."""
    return [
        w
        for call in env.parse(source).find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in {"entity_url", "link"}
        for w in _words(call.args[0])
    ]


def test_templates_link_only_to_page_kinds(env: jinja2.Environment) -> None:
    found = {
        (path.name, kind)
        for path in (ROOT / "templates").rglob("*.html")
        for kind in _linked_kinds(path.read_text(), env)
    }
    assert len(found) > 10
    assert {(p, k) for p, k in found if k not in v.PAGE_KINDS} == set()
    assert _linked_kinds("{{ link('working-group', 'x', t) }}", env) == ["working-group"]


def test_a_typo_in_a_template_is_caught(env: jinja2.Environment) -> None:
    source = (
        "{% if d.kind == 'soncos_reference_center' %}x{% endif %}{{ labels.certainty['sure'] }}"
    )
    assert _problems(template_words(source, env)) == [
        "d.kind == 'soncos_reference_center': not a word of its set",
        "labels.certainty[] == 'sure': not a word of its set",
    ]
    new = "{% if x.population != 'babies' %}x{% endif %}"
    assert _problems(template_words(new, env)) == [
        "x.population == 'babies': add x.population to TEMPLATE_WORDS or NOT_VOCABULARY"
    ]


# -- mypy -------------------------------------------------------------------------------


def test_mypy_catches_a_word_outside_the_vocabulary() -> None:
    """About 1.5 s: mypy on a snippet, following imports silently."""
    api = pytest.importorskip("mypy.api")
    snippet = (
        "from directory.vocabulary import DesignationKind, SearchSort\n"
        'ok: DesignationKind = "soncos_reference_centre"\n'
        'bad: DesignationKind = "soncos_reference_center"\n'
        'sort: SearchSort = "name"\n'
    )
    out, _err, status = api.run(
        ["--no-incremental", "--follow-imports=silent", "--strict", "--config-file=", "-c", snippet]
    )
    assert status == 1
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert [e.split(":")[1] for e in errors] == ["3", "4"], out


# -- the labels pages show for the words -------------------------------------------------

# ExpertiseLabels field -> the words it must label, every one of them.
LABELLED: dict[str, tuple[str, ...]] = {
    "kind": v.DESIGNATION_KINDS,
    "kind_short": v.DESIGNATION_KINDS,
    "explanation": v.DESIGNATION_KINDS,
    "level": v.ECZA_LEVELS + v.PANEL_LEVELS + v.SONCOS_REQUIREMENT_KINDS + v.CENTRE_BASES,
    "certainty": v.CERTAINTIES,
    "certainty_explained": v.CERTAINTIES,
    "publisher_kind": v.PUBLISHER_KINDS,
    "population": v.POPULATIONS,
    "institution_kind": v.INSTITUTION_KINDS,
    "site_kind": v.SITE_KINDS,
    "network_kind": v.NETWORK_KINDS,
    "group_kind": v.WORKING_GROUP_KINDS,
    "submission_kind": v.SUBMISSION_KINDS,
}


def test_every_word_has_its_label() -> None:
    tree = ast.parse((ROOT / "web" / "labels.py").read_text())
    found: dict[str, set[str]] = {}
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "ExpertiseLabels":
            for kw in call.keywords:
                assert isinstance(kw.value, ast.Dict)
                found[str(kw.arg)] = {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
    assert set(found) == set(LABELLED)
    for name, words in LABELLED.items():
        assert found[name] == set(words), name


def test_the_editor_area_labels_every_word_it_shows() -> None:
    from web.editor import texts

    assert set(v.DRAFT_ACTIONS) <= set(texts.ACTIONS)
    # The audit trail's actions: every one has its label but "approve" (an approved name
    # proposal), which the history shows untranslated as "approve" today: a known gap,
    # left as it is because this change keeps every page the same.
    assert set(texts.ACTIONS) == set(v.AUDIT_ACTIONS) - {"approve"}
    assert set(v.DRAFT_STATUSES) | set(v.FEEDBACK_STATUSES) <= set(texts.STATUSES)
    assert set(texts.ROLES) == set(v.ROLES)
