"""The catalogue service on SQLite and on a real PostgreSQL 15."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import PROJECT_ROOT
from directory.conditions.models import ClassificationEdge, Condition, ConditionName, ImportRun
from directory.conditions.queries import CatalogueQueries
from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from importers.base import SourceFile, read_source
from importers.editorial_names import parse_editorial_names
from importers.orphanet import parse_classification, parse_nomenclature
from importers.registry import RunOptions, run_import

ROOT = PROJECT_ROOT
ORPHA = ROOT / "data" / "orphadata"
NOMENCLATURE = ORPHA / "ORPHAnomenclature_en_2023_neoplastic_subset.xml"
CLS_2023 = ORPHA / "ORPHAclassification_202_rare_neoplastic_diseases_en_2023.xml"
CLS_2025 = ORPHA / "en_product3_202.xml"
NL_SAMPLE = ROOT / "tests" / "data" / "orphanet" / "nl_product1_synthetic.xml"


@pytest.fixture(scope="module")
def parsed():
    return {
        "nomenclature": parse_nomenclature(read_source(NOMENCLATURE)),
        "cls2023": parse_classification(read_source(CLS_2023)),
        "cls2025": parse_classification(read_source(CLS_2025)),
    }


def snapshot(sessions) -> dict[str, object]:
    """Everything that matters in the catalogue, to compare before and after."""
    with sessions() as s:
        return {
            "conditions": sorted(
                (c.orphacode, c.level, c.status, c.disorder_type)
                for c in s.scalars(select(Condition))
            ),
            "names": sorted(
                (n.orphacode, n.lang, n.kind, n.origin, n.text)
                for n in s.scalars(select(ConditionName))
            ),
            "edges": sorted(
                (e.parent_code, e.child_code) for e in s.scalars(select(ClassificationEdge))
            ),
        }


def test_nomenclature_then_classifications(
    service: CatalogueService, sessions, queries, parsed
) -> None:
    r1 = service.apply_nomenclature(parsed["nomenclature"])
    assert r1.status == "succeeded"
    assert r1.counts.added == 1166
    r2 = service.apply_classification(parsed["cls2023"])
    assert r2.counts.added == 1191  # edges; every code already existed
    r3 = service.apply_classification(parsed["cls2025"])
    assert r3.counts.retired > 0
    assert r3.counts.added > 0
    with sessions() as s:
        edges = s.scalar(select(func.count()).select_from(ClassificationEdge))
    assert edges == len(parsed["cls2025"].edges)

    # A code new in 2025 exists, with its level derived from its disorder type.
    codes_2023 = {n.orphacode for n in parsed["cls2023"].nodes}
    new = next(
        n
        for n in parsed["cls2025"].nodes
        if n.orphacode not in codes_2023
        and n.orphacode not in {e.orphacode for e in parsed["nomenclature"].entries}
    )
    detail = queries.condition(new.orphacode)
    assert detail is not None
    assert detail.ref.title("en").value == new.name
    assert detail.ref.level in {"group", "disorder", "subtype"}

    # Polyhierarchy: a code with several parents lists them all.
    multi = {}
    for e in parsed["cls2025"].edges:
        multi.setdefault(e.child, set()).add(e.parent)
    code, parents = next((c, p) for c, p in multi.items() if len(p) > 1)
    detail = queries.condition(code)
    assert {p.orphacode for p in detail.parents} == parents


def test_reimport_changes_nothing(service, sessions, parsed) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    service.apply_classification(parsed["cls2025"])
    before = snapshot(sessions)
    again = service.apply_nomenclature(parsed["nomenclature"])
    again_cls = service.apply_classification(parsed["cls2025"])
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)
    assert (again_cls.counts.added, again_cls.counts.changed, again_cls.counts.retired) == (0, 0, 0)
    assert snapshot(sessions) == before


def test_older_classification_does_not_replace_newer(service, sessions, parsed) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    service.apply_classification(parsed["cls2025"])
    before = snapshot(sessions)
    report = service.apply_classification(parsed["cls2023"])
    assert report.counts.changed == report.counts.added == report.counts.retired == 0
    assert any("older" in w for w in report.warnings)
    assert snapshot(sessions) == before


def test_redirects_are_followed(service, queries, parsed) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    assert queries.successor(3444) == 636
    detail = queries.condition(3444)
    assert detail.ref.status == "deprecated"
    assert [(r.orphacode, k) for r, k in detail.redirects_to] == [(636, "moved_to")]
    nf1 = queries.condition(636)
    assert 3444 in {r.orphacode for r, _ in nf1.redirected_from}
    assert queries.successor(636) is None  # active codes have no successor


def test_failed_import_leaves_catalogue_exactly_as_before(
    service, sessions, parsed, tmp_path: Path
) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    before = snapshot(sessions)
    broken = tmp_path / "broken.xml"
    broken.write_bytes(NOMENCLATURE.read_bytes()[:200_000])
    with pytest.raises(InputRejected) as exc:
        run_import(service, "orphanet", data_dir=ROOT / "data", location=str(broken))
    assert "broken.xml" in str(exc.value)
    assert snapshot(sessions) == before
    with sessions() as s:
        last = s.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert last.status == "failed"
    assert last.problems
    assert "broken.xml" in last.problems[0]["file"]


def test_error_mid_transaction_rolls_back(service, sessions, parsed, monkeypatch) -> None:
    """A failure after rows were written inside the transaction writes nothing."""
    service.apply_nomenclature(parsed["nomenclature"])
    service.apply_classification(parsed["cls2023"])
    before = snapshot(sessions)
    import directory.conditions.appliers.classification as services_module

    real = services_module._sync_preferred
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 500:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services_module, "_sync_preferred", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        service.apply_classification(parsed["cls2025"])
    assert calls["n"] == 500
    assert snapshot(sessions) == before


def test_dutch_nomenclature_and_editorial_names(service, queries, parsed) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    service.apply_classification(parsed["cls2025"])
    nl = parse_nomenclature(read_source(NL_SAMPLE))
    report = service.apply_nomenclature(nl)
    assert report.counts.added == 0
    assert report.counts.changed == 3
    detail = queries.condition(55880)
    assert detail.ref.title("nl").value == "Chondrosarcoom"
    assert detail.ref.title("nl").origin == "orphanet"
    assert detail.ref.title("en").value == "Chondrosarcoma"
    assert {(x.system, x.code) for x in detail.xrefs} == {("ICD-10", "C41.9"), ("ICD-11", "2B50.Z")}
    assert detail.definitions["nl"].value.startswith("Een kwaadaardige tumor")

    csv = SourceFile(
        "names.csv",
        (
            b"orphacode,name_en,preferred_nl,synonyms_nl,note\n"
            b"55880,Chondrosarcoma,Chondrosarcoom (redactie),Kraakbeenkanker,\n"
            b"319,Skeletal Ewing sarcoma,Ewing-sarcoom,Ewingsarcoom | Ewing sarcoom,\n"
        ),
    )
    names, rejected = parse_editorial_names(csv)
    assert rejected == ()
    service.apply_editorial_names(names)
    # The official Orphanet Dutch name wins over ours; ours is kept and told apart.
    detail = queries.condition(55880)
    assert detail.ref.title("nl").value == "Chondrosarcoom"
    editorial = [n for n in detail.names if n.origin == "editorial"]
    assert {(n.kind, n.text) for n in editorial} == {
        ("preferred", "Chondrosarcoom (redactie)"),
        ("synonym", "Kraakbeenkanker"),
    }
    ewing = queries.condition(319)
    assert ewing.ref.title("nl").value == "Ewing-sarcoom"
    assert ewing.ref.title("nl").origin == "editorial"
    # A condition without any Dutch name falls back to English, and says so.
    other = queries.condition(166113)
    assert other.ref.title("nl").lang == "en"


def test_editorial_names_unknown_code_strict_and_partial(service, sessions, parsed) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    csv = SourceFile(
        "names.csv",
        (b"orphacode,preferred_nl,synonyms_nl\n55880,Chondrosarcoom,\n123456789,Bestaat niet,\n"),
    )
    names, _ = parse_editorial_names(csv)
    before = snapshot(sessions)
    with pytest.raises(InputRejected) as exc:
        service.apply_editorial_names(names)
    assert "ORPHA:123456789" in str(exc.value)
    assert snapshot(sessions) == before
    report = service.apply_editorial_names(names, allow_partial=True)
    assert report.status == "partial"
    assert report.counts.added == 1
    assert [p.location for p in report.problems] == ["ORPHA:123456789"]
    with sessions() as s:
        run = s.get(ImportRun, report.run_id)
        assert run.status == "partial"
        assert run.problems[0]["location"] == "ORPHA:123456789"


def test_editorial_names_bad_rows(tmp_path) -> None:
    csv = SourceFile(
        "names.csv",
        (
            b"orphacode,preferred_nl,synonyms_nl\n"
            b"abc,Iets,\n"
            b"55880,,\n"
            b"55880,Chondrosarcoom,\n"
            b"55880,Nogmaals,\n"
            b"1,2,3,4\n"
        ),
    )
    with pytest.raises(InputRejected) as exc:
        parse_editorial_names(csv)
    got = [(p.location, p.field) for p in exc.value.problems]
    assert got == [
        ("line 2", "orphacode"),
        ("line 3", "preferred_nl"),
        ("line 5", "orphacode"),
        ("line 6", None),
    ]
    wrong_header = SourceFile("names.csv", b"code,naam\n1,a\n")
    with pytest.raises(InputRejected) as exc:
        parse_editorial_names(wrong_header)
    fields = {p.field for p in exc.value.problems}
    assert {"orphacode", "preferred_nl", "code", "naam"} <= fields


def test_dry_run_writes_nothing_but_records_the_run(service, sessions, parsed) -> None:
    report = service.apply_nomenclature(parsed["nomenclature"], dry_run=True)
    assert report.status == "dry_run"
    assert report.counts.added == 1166
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Condition)) == 0
        run = s.get(ImportRun, report.run_id)
        assert run.status == "dry_run"
        assert run.added == 1166


def test_bundled_import_runs_in_order(service, queries) -> None:
    reports = []
    for source in ("orphanet", "dutch-names"):
        reports += run_import(service, source, data_dir=ROOT / "data", options=RunOptions())
    assert [r.status for r in reports] == ["succeeded"] * len(reports)
    assert queries.count_conditions() >= 1166
    assert queries.condition(55880).ref.title("nl").value
    assert {r.source for r in queries.releases()} >= {
        "orphanet-nomenclature",
        "orphanet-classification-202",
        "editorial-names-nl",
    }


def test_queries_classification_view(service, queries, parsed) -> None:
    service.apply_nomenclature(parsed["nomenclature"])
    service.apply_classification(parsed["cls2025"])
    rare_tumor = queries.condition(98057)
    assert rare_tumor.ref.level == "group"
    assert len(rare_tumor.children) == 22
    assert [p.orphacode for p in rare_tumor.parents] == [250908]
    assert CatalogueQueries.__doc__
