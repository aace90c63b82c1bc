"""ICD-10 codes GPs have: the editorial table, Orphanet's mappings, and their relation."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import select

from config.settings import PROJECT_ROOT
from directory.conditions.models import CrossReference
from directory.conditions.queries import CatalogueQueries
from directory.conditions.records import mapping_relation
from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from importers.base import SourceFile, read_source
from importers.code_mappings import icd10_problem, parse_code_mappings
from importers.orphanet import parse_classification, parse_nomenclature
from search.common_cancers import common_cancer
from search.documents import icd10_mappings

ROOT = PROJECT_ROOT
TABLE = ROOT / "data" / "curated" / "icd10_orphacodes.csv"
PRODUCT3 = ROOT / "data" / "orphadata" / "en_product3_202.xml"
NOMENCLATURE = ROOT / "data" / "orphadata" / "ORPHAnomenclature_en_2023_neoplastic_subset.xml"
NL_SAMPLE = ROOT / "tests" / "data" / "orphanet" / "nl_product1_synthetic.xml"
HEADER = "icd10,orphacode,orpha_name_en,relation,origin,note\n"


def rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- the bundled table --------------------------------------------------------------------------


def test_every_check_name_is_the_2025_english_name() -> None:
    names = {
        int(d.findtext("OrphaCode") or 0): d.findtext("Name")
        for d in ET.parse(PRODUCT3).iter("Disorder")
    }
    wrong = [
        (r["icd10"], r["orphacode"])
        for r in rows()
        if names.get(int(r["orphacode"])) != r["orpha_name_en"]
    ]
    assert wrong == []


def test_every_row_is_an_editorial_neoplasm_code_with_a_relation() -> None:
    table = rows()
    assert len(table) >= 100
    for r in table:
        assert icd10_problem(r["icd10"]) is None, r
        assert r["relation"] in ("exact", "broader", "narrower"), r
        assert r["origin"] == "editorial", r
        assert r["note"], r  # every mapping says why


def test_common_cancer_codes_map_only_as_broader_and_name_the_common_cancer() -> None:
    for r in rows():
        if common_cancer([], [r["icd10"]]) is not None:
            assert r["relation"] == "broader", r
    for code in ("C50", "C18", "C34", "C61", "C43"):
        assert common_cancer([], [code]) is not None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("C7A.0", "ICD-10-CM"),
        ("D49", "outside"),
        ("E11", "not an ICD-10"),
        ("E34", "neoplasm chapter"),  # only E34.0, the carcinoid syndrome, is allowed
        ("Q86", "neoplasm chapter"),
        ("C49.123", "not an ICD-10"),
    ],
)
def test_codes_outside_the_neoplasm_chapter_are_refused(code: str, problem: str) -> None:
    found = icd10_problem(code)
    assert found is not None
    assert problem in found


@pytest.mark.parametrize("code", ["E34.0", "O01", "O01.1", "Q85", "Q85.1"])
def test_the_few_codes_outside_the_chapter_that_name_these_conditions(code: str) -> None:
    assert icd10_problem(code) is None


def test_the_parser_reports_every_bad_row() -> None:
    data = HEADER + (
        "C49,3394,Soft tissue sarcoma,narrower,editorial,ok\n"
        "C7A,3394,Soft tissue sarcoma,narrower,editorial,CM code\n"
        "C49,x,Soft tissue sarcoma,narrower,editorial,bad code\n"
        "C49,71209,Rare soft tissue tumor,wider,editorial,bad relation\n"
        "C50,180257,Rare malignant breast tumor,broader,orphanet,not editorial\n"
        "C49,3394,Soft tissue sarcoma,exact,editorial,twice\n"
    )
    with pytest.raises(InputRejected) as e:
        parse_code_mappings(SourceFile("t.csv", data.encode()))
    assert [(p.location, p.field) for p in e.value.problems] == [
        ("line 3", "icd10"),
        ("line 4", "orphacode"),
        ("line 5", "relation"),
        ("line 6", "origin"),
        ("line 7", "icd10"),
    ]
    table, rejected = parse_code_mappings(SourceFile("t.csv", data.encode()), allow_partial=True)
    assert [(e.code, e.orphacode, e.relation) for e in table.entries] == [("C49", 3394, "narrower")]
    assert len(rejected) == 5


# -- Orphanet's mapping relation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "relation"),
    [
        ("E (Exact mapping: the two concepts are equivalent)", "exact"),
        ("NTBT (ORPHA code's Narrower Term maps to a Broader Term)", "broader"),
        ("NTBT (ORPHA-code is nauwer dan de ICD-code)", "broader"),
        ("BTNT (ORPHA code's Broader Term maps to a Narrower Term)", "narrower"),
        ("ND (not yet decided/unable to decide)", ""),
        ("W (Wrong mapping: the two concepts are different)", None),
        ("narrower", "narrower"),
        (None, ""),
    ],
)
def test_orphanets_mapping_relation_is_read(raw: str | None, relation: str | None) -> None:
    assert mapping_relation(raw) == relation


def test_a_wrong_orphanet_mapping_is_not_searched() -> None:
    from directory.conditions.queries import CrossRefView

    mappings = icd10_mappings(
        [
            CrossRefView(
                "ICD-10", "C41.9", "NTBT (ORPHA code's Narrower Term maps to a Broader Term)"
            ),
            CrossRefView("ICD-10", "C49", "W (Wrong mapping)"),
            CrossRefView("ICD-11", "2B50.Z", "E (Exact mapping)"),
            CrossRefView("ICD-10", "c40", "narrower", "editorial"),
        ]
    )
    assert [(m.code, m.relation, m.origin) for m in mappings] == [
        ("C41.9", "broader", "orphanet"),
        ("C40", "narrower", "editorial"),
    ]


# -- importing: editorial and Orphanet rows live side by side ---------------------------------


def test_editorial_rows_and_orphanets_rows_do_not_touch_each_other(
    service: CatalogueService,
    sessions,
    tmp_path: Path,  # type: ignore[no-untyped-def]  # fixture
) -> None:
    service.apply_nomenclature(parse_nomenclature(read_source(NOMENCLATURE)))
    service.apply_classification(parse_classification(read_source(PRODUCT3)))
    table = tmp_path / "icd.csv"
    table.write_text(
        HEADER
        + "C41,55880,Chondrosarcoma,broader,editorial,bone\n"
        + "C41.9,55880,Chondrosarcoma,narrower,editorial,same code as Orphanet's\n",
        encoding="utf-8",
    )
    first = service.apply_code_mappings(parse_code_mappings(read_source(table))[0])
    assert first.counts.added == 2
    # Orphanet's product1 maps ORPHA:55880 to C41.9 too: both rows are kept, apart.
    service.apply_nomenclature(parse_nomenclature(read_source(NL_SAMPLE)))
    with sessions() as s:
        stored = {
            (x.code, x.origin, x.relation)
            for x in s.scalars(select(CrossReference).where(CrossReference.orphacode == 55880))
        }
    assert ("C41", "editorial", "broader") in stored
    assert ("C41.9", "editorial", "narrower") in stored
    assert ("C41.9", "orphanet", "NTBT (ORPHA-code is nauwer dan de ICD-code)") in stored
    again = service.apply_code_mappings(parse_code_mappings(read_source(table))[0])
    assert (again.counts.added, again.counts.unchanged) == (0, 2)
    # The condition page shows Orphanet's mappings only.
    detail = CatalogueQueries(sessions).condition(55880)
    assert detail is not None
    assert {(x.system, x.code) for x in detail.xrefs} == {("ICD-10", "C41.9"), ("ICD-11", "2B50.Z")}


def test_a_wrong_check_name_or_code_rejects_the_table(
    service: CatalogueService, tmp_path: Path
) -> None:
    service.apply_nomenclature(parse_nomenclature(read_source(NOMENCLATURE)))
    table = tmp_path / "icd.csv"
    table.write_text(
        HEADER + "C41,55880,Osteosarcoma,broader,editorial,wrong name\n"
        "C49,99999999,Nothing,narrower,editorial,no such code\n",
        encoding="utf-8",
    )
    with pytest.raises(InputRejected) as e:
        service.apply_code_mappings(parse_code_mappings(read_source(table))[0])
    assert {p.field for p in e.value.problems} == {"orphacode"}
    table.write_text(
        HEADER + "C41,55880,Osteosarcoma,broader,editorial,wrong name\n", encoding="utf-8"
    )
    with pytest.raises(InputRejected) as e:
        service.apply_code_mappings(parse_code_mappings(read_source(table))[0])
    assert [p.field for p in e.value.problems] == ["orpha_name_en"]


# -- searching ------------------------------------------------------------------------------------


def test_the_bundled_catalogue_answers_icd10_codes(loaded) -> None:  # type: ignore[no-untyped-def]
    from search.engine import SearchQuery

    def first(q: str) -> str:
        return loaded.engine.search(SearchQuery(text=q)).hits[0].id

    assert first("C45.0") == "condition:50251"  # exact
    assert first("C49.2") in ("condition:3394", "condition:71209")  # subcode -> category
    assert first("C22.1") == "condition:70567"
    breast = loaded.engine.search(SearchQuery(text="C50.9"))
    assert breast.reading.common_cancer == "breast"
    assert breast.hits[0].id == "condition:180257"


def test_an_icd10_code_with_words_puts_the_hit_with_both_first(loaded) -> None:  # type: ignore[no-untyped-def]
    from search.engine import SearchQuery

    hits = loaded.engine.search(SearchQuery(text="C71.9 glioblastoom")).hits
    assert hits[0].id == "condition:360"  # in the group C71 maps to, and named by the words
    assert "condition:98062" in [h.id for h in hits[:3]]  # the group itself


def test_the_codes_own_hit_with_every_word_comes_before_its_group(loaded) -> None:  # type: ignore[no-untyped-def]
    from search.engine import SearchQuery

    # O01 is the molar pregnancy (its group), O01.0 the complete mole: "O01.0 mola" found
    # the partial mole first (in the group, and every word in its name).
    hits = [h.id for h in loaded.engine.search(SearchQuery(text="O01.0 mola")).hits]
    assert hits[:1] == ["condition:254688"]
    assert "condition:254693" in hits


def test_codes_outside_the_neoplasm_chapter_and_the_appendix(loaded) -> None:  # type: ignore[no-untyped-def]
    from search.engine import SearchQuery

    def search(q: str):  # type: ignore[no-untyped-def]
        return loaded.engine.search(SearchQuery(text=q))

    assert search("E34.0").hits[0].id == "condition:100093"  # carcinoid syndrome
    assert search("icd-10 Q85.1").hits[0].id == "condition:805"  # tuberous sclerosis
    appendix = search("C18.1")  # inside colon's C18, but rare: no common-cancer card
    assert appendix.reading.common_cancer is None
    assert appendix.hits[0].id in ("condition:423982", "condition:100079")
