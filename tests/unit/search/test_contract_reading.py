"""The contract for issue 11 (how patients and GPs type), for every engine.

Same set-up as ``test_contract.py``: the embedded engine always runs; the Meilisearch
adapter runs when ``MEILISEARCH_URL`` is set and is skipped, visibly, otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.engine import SearchEngine, SearchQuery, SearchResults
from tests.support.search import contract_engine, issue11_documents


@pytest.fixture(
    scope="module", params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meilisearch)]
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchEngine]:
    yield from contract_engine(
        request.param, issue11_documents(), tmp_path_factory.mktemp("reading"), "reading"
    )


def ids(results: SearchResults) -> list[str]:
    return [h.id for h in results.hits]


def search(engine: SearchEngine, text: str, lang: str = "nl") -> SearchResults:
    return engine.search(SearchQuery(text=text, lang=lang))


# -- 1. guardrails on typo tolerance ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "wanted", "never"),
    [
        # maag/oog and tong/long are two letters apart: a known organ is never replaced.
        ("maagkanker", "condition:63443", "condition:101950"),
        ("tongkanker", "condition:502363", "condition:70573"),
        ("longkanker", "condition:70573", "condition:502363"),
    ],
)
def test_a_known_organ_is_never_turned_into_another(
    engine: SearchEngine, query: str, wanted: str, never: str
) -> None:
    found = ids(search(engine, query))
    assert found[:1] == [wanted]
    assert never not in found


def test_a_typo_inside_a_part_keeps_the_organ(engine: SearchEngine) -> None:
    found = ids(search(engine, "maagkankr"))
    assert "condition:63443" in found[:3]
    assert "condition:101950" not in found


def test_an_exact_match_ranks_above_a_typo_match(engine: SearchEngine) -> None:
    # "thymoom" is a word; "tymoom" a typo of it. The exact one wins, whatever else.
    assert ids(search(engine, "thymoom"))[:1] == ["condition:99867"]
    assert ids(search(engine, "botkanker"))[:1] in (["condition:223727"], ["condition:68411"])


def test_short_words_are_not_completed(engine: SearchEngine) -> None:
    # Completed, "go" and "in" would find "Gonadoblastoma" and "inflammation".
    assert search(engine, "go", lang="en").total == 0
    assert search(engine, "ost").total == 0  # not "Osteosarcoom"
    assert "institution:umcg" in ids(search(engine, "umc"))  # a known abbreviation


# -- 2. sentences ----------------------------------------------------------------------------


def test_a_whole_dutch_sentence_is_read_as_its_content_words(engine: SearchEngine) -> None:
    r = search(engine, "ik heb net gehoord dat ik een sarcoom heb in mijn been, waar moet ik heen")
    assert r.reading.words == ("sarcoom", "been")
    assert r.reading.ambiguous == ("been",)  # a leg or a bone: both readings are searched
    assert {"condition:223727", "condition:3394"} & set(ids(r)[:3])
    assert not any(h.kind == "institution" for h in r.hits[:3])  # "in", "heen" match nothing


def test_an_english_sentence_drops_its_question_words(engine: SearchEngine) -> None:
    r = search(engine, "I was just told I have a sarcoma in my leg, where should I go", "en")
    assert r.reading.words == ("sarcoma", "leg")
    assert r.reading.language == "en"
    assert "condition:3394" in ids(r)[:3]


def test_a_child_steers_to_the_childrens_centre(engine: SearchEngine) -> None:
    r = search(engine, "mijn zoon van 4 heeft een niertumor")
    assert r.reading.audience == ("children",)
    assert "zoon" in r.reading.context
    assert "4" in r.reading.context
    assert "4" not in r.reading.words  # an age is not a word to search for
    assert ids(r)[:1] == ["condition:654"]
    assert "institution:prinses-maxima-centrum" in ids(r)[:3]


def test_a_young_adults_age_steers_to_the_young_adults_network(engine: SearchEngine) -> None:
    r = search(engine, "ik ben 25 en heb botkanker")
    assert r.reading.audience == ("young_adults",)
    assert ids(r)[0].startswith("condition:")  # the disease first, then the network
    assert ids(r)[1] == "network:aya-zorgnetwerk"
    # An older adult's age steers nothing.
    assert search(engine, "ik ben 45 en heb botkanker").reading.audience == ()


def test_a_pregnancy_steers_to_the_pregnancy_panel(engine: SearchEngine) -> None:
    r = search(engine, "ik ben zwanger en er is kanker bij mij gevonden")
    assert r.reading.audience == ("pregnancy",)
    assert "panel:adviesgroep-kanker-in-de-zwangerschap" in ids(r)[:3]


# -- 3. relaxation that keeps what it knows ---------------------------------------------------


def test_an_unknown_word_is_ignored_not_the_known_one(engine: SearchEngine) -> None:
    r = search(engine, "thymoom blorpje")
    assert ids(r)[:1] == ["condition:99867"]
    assert r.reading.ignored == ("blorpje",)
    assert r.reading.words == ("thymoom",)


def test_a_query_with_any_matching_word_never_finds_nothing(engine: SearchEngine) -> None:
    r = search(engine, "chondrosarcoom thymoom")  # no document has both
    assert {"condition:55880", "condition:99867"} <= set(ids(r))


# -- 4. common cancers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "lang", "slug"),
    [
        ("borstkanker", "nl", "breast"),
        ("kanker in de dikke darm", "nl", "colorectal"),
        ("lung cancer", "en", "lung"),
        ("C50.9", "nl", "breast"),
    ],
)
def test_a_common_cancer_is_named(engine: SearchEngine, query: str, lang: str, slug: str) -> None:
    assert search(engine, query, lang).reading.common_cancer == slug


def test_rare_cancers_get_no_card(engine: SearchEngine) -> None:
    for query in ("dunne darmkanker", "galblaaskanker", "oogmelanoom", "thymoom"):
        assert search(engine, query).reading.common_cancer is None, query


# -- 5. codes GPs have --------------------------------------------------------------------------


def test_an_icd10_subcode_finds_its_mapped_category(engine: SearchEngine) -> None:
    assert ids(search(engine, "C49.2"))[:1] == ["condition:3394"]
    assert ids(search(engine, "icd-10 c49"))[:1] == ["condition:3394"]


def test_an_exact_icd10_mapping_ranks_above_a_broader_one(engine: SearchEngine) -> None:
    found = ids(search(engine, "C50"))
    assert found[:1] == ["condition:180257"]


def test_a_pasted_orphanet_page_finds_its_code(engine: SearchEngine) -> None:
    for url in (
        "https://www.orpha.net/en/disease/detail/99867?name=thymoma&mode=name",
        "http://www.orpha.net/consor/cgi-bin/OC_Exp.php?Lng=NL&Expert=99867",
    ):
        assert ids(search(engine, url))[:1] == ["condition:99867"], url


# -- 6. names people use --------------------------------------------------------------------------


def test_a_working_group_is_found_by_a_description_of_what_it_does(engine: SearchEngine) -> None:
    assert "working_group:dsg" in ids(search(engine, "werkgroep sarcomen"))[:3]
    assert "working_group:dsg" in ids(search(engine, "sarcoma working group", "en"))[:3]


def test_a_place_without_a_preposition_works_for_hospitals(engine: SearchEngine) -> None:
    r = search(engine, "ziekenhuis groningen")
    assert r.location is not None
    assert ids(r)[:1] == ["institution:umcg"]


# -- 7. results ---------------------------------------------------------------------------------


def test_an_obsolete_code_is_never_a_result_its_successor_is(engine: SearchEngine) -> None:
    found = ids(search(engine, "watson syndrome", "en"))
    assert "condition:3444" not in found
    assert found[:1] == ["condition:636"]


def test_a_benign_condition_is_labelled(engine: SearchEngine) -> None:
    hits = search(engine, "benign breast tumor", "en").hits
    assert hits[0].id == "condition:180253"
    assert hits[0].benign
    malignant = search(engine, "malignant breast", "en").hits
    assert malignant[0].id == "condition:180257"
    assert not malignant[0].benign
