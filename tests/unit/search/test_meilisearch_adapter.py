"""The Meilisearch adapter's pure parts, checked against Meilisearch's documented API.

No server is needed: settings, documents, filter expressions and query
translation are plain data. (The contract suite runs the adapter against a real
server when MEILISEARCH_URL is set.)

Documented API used as the reference:
https://www.meilisearch.com/docs/reference/api/settings (settings object),
https://www.meilisearch.com/docs/learn/filtering_and_sorting/filter_expression_reference,
https://www.meilisearch.com/docs/learn/filtering_and_sorting/geosearch,
https://www.meilisearch.com/docs/reference/api/documents (primary key format).
"""

from __future__ import annotations

import re
import threading

import pytest
from meilisearch import Client

from config.settings import Settings
from search.engine import Location, SearchQuery, SearchResults
from search.engines.meilisearch import MeilisearchEngine
from search.engines.meilisearch_index import FACETS, index_settings, meili_documents, synonyms
from search.engines.meilisearch_requests import (
    inside_group,
    query_filters,
    quote_filter_value,
    translate_query,
)
from search.engines.ranking import DocScore
from search.query import understand
from search.variants import word_key
from tests.support.search import GRONINGEN, documents, gazetteer, run_async

# The settings object's keys, as listed in the settings API reference.
DOCUMENTED_SETTINGS = {
    "dictionary",
    "displayedAttributes",
    "distinctAttribute",
    "faceting",
    "filterableAttributes",
    "localizedAttributes",
    "nonSeparatorTokens",
    "pagination",
    "proximityPrecision",
    "rankingRules",
    "searchableAttributes",
    "searchCutoffMs",
    "separatorTokens",
    "sortableAttributes",
    "stopWords",
    "synonyms",
    "typoTolerance",
    "embedders",
    "facetSearch",
    "prefixSearch",
}
BUILTIN_RULES = {"words", "typo", "proximity", "attribute", "sort", "exactness"}
DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,511}$")


def test_settings_use_only_documented_keys_and_values() -> None:
    s = index_settings()
    assert set(s) <= DOCUMENTED_SETTINGS
    for rule in s["rankingRules"]:
        assert rule in BUILTIN_RULES or re.fullmatch(r"[a-z_]+:(asc|desc)", rule)
    assert s["distinctAttribute"] == "entity"
    assert "_geo" in s["filterableAttributes"]
    assert "_geo" in s["sortableAttributes"]
    assert set(FACETS) <= set(s["filterableAttributes"])
    assert s["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    # localizedAttributes: patterns and ISO 639-3 locales
    localized = {tuple(x["attributePatterns"]): x["locales"] for x in s["localizedAttributes"]}
    assert localized == {("*_nl",): ["nld"], ("*_en",): ["eng"]}
    # Every searchable attribute is one the documents carry.
    doc = meili_documents(documents())[0]
    assert set(s["searchableAttributes"]) <= set(doc)


def test_synonyms_are_keys_both_ways_and_at_most_three_words() -> None:
    syn = synonyms()
    assert word_key("bot") in syn[word_key("bone")]
    assert word_key("bone") in syn[word_key("bot")]
    working_group = f"{word_key('working')} {word_key('group')}"
    assert word_key("werkgroep") in syn[working_group]
    assert working_group in syn[word_key("werkgroep")]
    for key, values in syn.items():
        assert len(key.split()) <= 3
        assert all(len(v.split()) <= 3 for v in values)
        assert key not in values


def test_one_document_per_site_with_geo_and_one_entity() -> None:
    docs = meili_documents(documents())
    umcg = [d for d in docs if d["entity"] == "institution:umcg"]
    assert len(umcg) == 2  # two sites
    assert {(d["_geo"]["lat"], d["_geo"]["lng"]) for d in umcg} == {
        (53.2254, 6.5813),
        (52.9939, 6.5625),
    }
    assert [d["is_primary"] for d in umcg] == [True, False]
    assert all(DOC_ID.match(d["uid"]) for d in docs)
    assert len({d["uid"] for d in docs}) == len(docs)
    # A document without a location is one document, without _geo.
    panel = [d for d in docs if d["entity"] == "panel:commissie-voor-beentumoren"]
    assert len(panel) == 1
    assert "_geo" not in panel[0]


def test_documents_carry_keys_groups_and_codes() -> None:
    docs = meili_documents(documents())
    chondro = next(d for d in docs if d["entity"] == "condition:55880")
    assert word_key("chondrosarcoom") in chondro["keys_names"].split()
    assert word_key("sarcoom") in chondro["keys_names"].split()  # part of the compound
    assert chondro["icd10"] == ["C41", "C41.9"]
    assert [g["orphacode"] for g in chondro["groups"]] == [68411]
    assert chondro["euracan_domain"] == ["sarcoma"]
    # Conditions with expertise get their institutions' sites, for distances.
    sites = {(d["_geo"]["lat"], d["_geo"]["lng"]) for d in docs if d["entity"] == chondro["entity"]}
    assert sites == {(53.2254, 6.5813), (52.9939, 6.5625)}


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("sarcoma", '"sarcoma"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("a OR kind = x", '"a OR kind = x"'),
        ("]) OR (", '"]) OR ("'),
        (178, "178"),
        (2.5, "2.5"),
        (True, "true"),
    ],
)
def test_filter_values_are_quoted_and_escaped(value: str | int | float, quoted: str) -> None:
    assert quote_filter_value(value) == quoted


def test_filter_rejects_non_finite_numbers() -> None:
    with pytest.raises(ValueError, match="finite"):
        quote_filter_value(float("nan"))


def test_query_filters_and_within_or_within() -> None:
    q = SearchQuery(
        text="x",
        kinds=("condition", "panel"),
        filters={"euracan_domain": ("sarcoma", 'we"ird'), "not_a_facet": ("x",)},
    )
    assert query_filters(q) == [
        'kind IN ["condition", "panel"]',
        'euracan_domain IN ["sarcoma", "we\\"ird"]',
    ]


def test_words_are_sent_as_keys_and_codes_as_filters() -> None:
    u = understand("Chondrosarkoom", gazetteer())
    req = translate_query(u, SearchQuery(text="Chondrosarkoom"), None, depth=20)
    assert req.q == word_key("chondrosarcoma")
    assert req.params["limit"] == 20
    assert set(req.params["facets"]) == set(FACETS)
    code = translate_query(
        understand("ORPHA:55880 C41.9"), SearchQuery(text="ORPHA:55880 C41.9"), None, depth=10
    )
    assert code.q == ""
    # A subcode also finds a mapping of its category.
    assert code.params["filter"] == ['(orphacode IN [55880]) OR (icd10 IN ["C41.9", "C41"])']


def test_location_sorts_by_geo_point_only_when_asked() -> None:
    loc = Location(GRONINGEN, "9712", "postcode", "Groningen")
    u = understand("sarcoom", gazetteer())
    relevance = translate_query(u, SearchQuery(text="sarcoom"), loc, depth=10)
    assert "sort" not in relevance.params
    by_distance = translate_query(u, SearchQuery(text="sarcoom", sort="distance"), loc, depth=10)
    assert by_distance.params["sort"] == [f"_geoPoint({GRONINGEN.lat}, {GRONINGEN.lon}):asc"]


def test_only_a_place_asks_for_what_is_nearby() -> None:
    u = understand("ziekenhuis bij Groningen", gazetteer())
    assert u.location is not None
    req = translate_query(u, SearchQuery(text="ziekenhuis bij Groningen"), u.location, depth=10)
    assert req.q == ""
    assert 'kind IN ["institution"]' in req.params["filter"]
    assert req.params["sort"][0].startswith("_geoPoint(")
    umc = understand("umc bij Groningen", gazetteer())
    named = translate_query(umc, SearchQuery(text="umc"), umc.location, depth=10)
    assert named.q == word_key("umc") + " "  # a short last word is not completed


def test_hostile_filter_values_stay_inside_their_quotes() -> None:
    q = SearchQuery(text="x", filters={"network": ('x"] OR _geoRadius(0, 0, 1) OR kind IN ["',)})
    (expr,) = query_filters(q)
    # Exactly one unescaped opening and one closing quote around the value.
    unescaped = re.findall(r'(?<!\\)"', expr)
    assert len(unescaped) == 2


def test_the_client_is_built_with_a_timeout() -> None:
    settings = Settings.from_env(
        {
            "EXW_SEARCH_ENGINE": "meilisearch",
            "MEILISEARCH_URL": "http://127.0.0.1:9",
            "EXW_MEILISEARCH_TIMEOUT": "2.5",
        }
    )
    engine = MeilisearchEngine.from_settings(settings, gazetteer())
    assert isinstance(engine.client, Client)
    assert engine.client.config.timeout == 3  # whole seconds, rounded up
    assert engine.timeout_ms == 2500


def test_an_unreachable_server_gives_no_results_not_an_error() -> None:
    # Port 9 (discard) on localhost: nothing listens; the call fails fast.
    client = Client("http://127.0.0.1:9", timeout=1)
    engine = MeilisearchEngine(client, "nothing", gazetteer(), timeout=1)
    assert engine.search(SearchQuery(text="sarcoom")).hits == ()
    assert engine.count() == 0


def test_async_searches_run_the_blocking_client_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = MeilisearchEngine(Client("http://127.0.0.1:9", timeout=1), "x", gazetteer(), timeout=1)
    threads: list[int] = []

    def search(query: SearchQuery) -> SearchResults:
        threads.append(threading.get_ident())
        return SearchResults(hits=(), total=0)

    monkeypatch.setattr(engine, "search", search)

    async def main() -> tuple[int, SearchResults]:
        return threading.get_ident(), await engine.search_async(SearchQuery(text="sarcoom"))

    loop_thread, results = run_async(main)
    assert results.total == 0
    assert len(threads) == 1
    assert threads[0] != loop_thread


# -- issue 11: the same gains with Meilisearch's own features -----------------------------------


def test_known_words_are_never_corrected() -> None:
    from search.engines.meilisearch_index import vocabulary

    known = vocabulary(documents())
    s = index_settings(known)
    disabled = set(s["typoTolerance"]["disableOnWords"])
    assert word_key("chondrosarcoom") in disabled  # a word of the names
    assert word_key("sarcoom") in disabled  # a compound part
    assert {word_key("maag"), word_key("oog"), word_key("tong"), word_key("long")} <= disabled
    assert s["rankingRules"][:2] == ["words", "typo"]  # exact above typo
    assert "keys_former" in s["searchableAttributes"]
    assert {"audience", "benign", "status"} <= set(s["filterableAttributes"])


def test_abbreviations_the_catalogue_does_not_use_are_one_way_synonyms() -> None:
    syn = synonyms()
    assert word_key("peritoneum") in syn[word_key("hipec")]
    assert word_key("hipec") not in syn.get(word_key("peritoneum"), [])


def test_a_sentence_is_sent_as_its_content_words_known_first() -> None:
    from search.engines.meilisearch_requests import query_words

    known = {word_key("sarcoom"), word_key("thymoom")}
    u = understand("ik heb net gehoord dat ik een blorpje en een sarcoom heb, waar moet ik heen")
    words, unknown = query_words(u, known)
    assert words == [word_key("sarcoom"), word_key("blorpje")]  # unknown last: dropped first
    assert unknown == ("blorpje",)
    req = translate_query(u, SearchQuery(text=u.text), None, depth=10, known=known)
    assert req.params["matchingStrategy"] == "last"
    assert req.q == f"{word_key('sarcoom')} {word_key('blorpje')}"
    # Obsolete codes are no results; a closed hospital is (its page says it closed).
    assert '(status = "active" OR kind = "institution")' in req.params["filter"]


def test_a_compound_of_the_lexicons_words_is_sent_as_its_parts() -> None:
    from search.engines.meilisearch_requests import query_words

    words, unknown = query_words(understand("maagkanker"))
    assert words == [word_key("maag"), word_key("kanker")]  # a typo stays inside a part
    assert unknown == ()


def test_children_and_age_are_not_sent_as_words() -> None:
    u = understand("mijn zoon van 4 heeft een niertumor")
    req = translate_query(u, SearchQuery(text=u.text), None, depth=10)
    assert req.q == f"{word_key('nier')} {word_key('tumor')}"  # parts of the lexicon
    assert u.audience == ("children",)


def test_documents_carry_audience_benign_relations_and_former_names() -> None:
    from tests.support.search import issue11_documents

    docs = {d["entity"]: d for d in meili_documents(issue11_documents())}
    assert docs["institution:prinses-maxima-centrum"]["audience"] == ["children"]
    assert docs["panel:adviesgroep-kanker-in-de-zwangerschap"]["audience"] == ["pregnancy"]
    assert docs["network:aya-zorgnetwerk"]["audience"] == ["young_adults"]
    assert docs["condition:180253"]["benign"] is True
    assert docs["condition:180257"]["icd10_relation"] == {"C50": "broader"}
    assert docs["condition:3394"]["icd10"] == ["C49"]
    # The obsolete code's names are searchable on its successor.
    assert word_key("watson") in docs["condition:636"]["keys_former"].split()
    assert docs["condition:3444"]["status"] == "obsolete"


def test_icd10_hits_are_ordered_by_relation() -> None:
    from search.engines.meilisearch_requests import icd_rank

    exact = {"icd10_relation": {"C50": "exact"}}
    broader = {"icd10_relation": {"C50": "broader"}}
    sub = {"icd10_relation": {"C50.9": "exact"}}
    hits = sorted([broader, sub, exact], key=lambda h: icd_rank(h, ("C50",)))
    assert hits == [exact, broader, sub]


class _FakeIndex:
    """Answers like a Meilisearch index with canned documents: enough to check what the
    adapter does with an answer (no server here)."""

    def __init__(self, docs: list[dict[str, object]], known: list[str]) -> None:
        self.docs = docs
        self.known = known
        self.requests: list[tuple[str, dict[str, object]]] = []

    def get_typo_tolerance(self) -> object:
        return type("Typo", (), {"disable_on_words": self.known})()

    def search(self, q: str, params: dict[str, object]) -> dict[str, object]:
        self.requests.append((q, params))
        filters = " ".join(str(f) for f in params.get("filter", []))  # type: ignore[attr-defined]  # a list
        if "audience" in filters:
            hits = [d for d in self.docs if d.get("audience") and d["is_primary"]]
        else:
            words = q.split()
            hits = [d for d in self.docs if any(w in str(d["keys_names"]).split() for w in words)]
        return {"hits": hits, "estimatedTotalHits": len(hits)}


class _FakeClient:
    def __init__(self, index: _FakeIndex) -> None:
        self._index = index

    def index(self, name: str) -> _FakeIndex:
        return self._index


def test_the_adapter_reads_an_answer_as_the_embedded_engine_does() -> None:
    from search.engines.meilisearch_index import vocabulary
    from tests.support.search import issue11_documents

    docs = issue11_documents()
    fake = _FakeIndex(meili_documents(docs), vocabulary(docs))
    engine = MeilisearchEngine(_FakeClient(fake), "x", gazetteer())  # type: ignore[arg-type]  # a fake
    r = engine.search(SearchQuery(text="mijn zoon van 4 heeft een nefroblastoom blorpje"))
    ids = [h.id for h in r.hits]
    assert ids[:2] == ["condition:654", "institution:prinses-maxima-centrum"]  # second place
    assert r.reading.audience == ("children",)
    assert r.reading.ignored == ("blorpje",)
    assert r.reading.words == ("nefroblastoom",)
    q, params = fake.requests[0]
    assert q == f"{word_key('nefroblastoom')} {word_key('blorpje')}"
    assert params["matchingStrategy"] == "last"
    assert engine.search(SearchQuery(text="borstkanker")).reading.common_cancer == "breast"


def test_a_closed_hospitals_hit_says_it_closed() -> None:
    from search.engine import SearchDocument
    from search.engines.meilisearch_index import vocabulary

    docs = [
        SearchDocument(
            id="institution:mc-emmeloord",
            kind="institution",
            entity_id="mc-emmeloord",
            title_nl="MC Emmeloord",
            title_en="MC Emmeloord",
            names_nl=("MC Emmeloord",),
            names_en=("MC Emmeloord",),
            status="closed",
        )
    ]
    fake = _FakeIndex(meili_documents(docs), vocabulary(docs))
    engine = MeilisearchEngine(_FakeClient(fake), "x", gazetteer())  # type: ignore[arg-type]  # a fake
    hits = engine.search(SearchQuery(text="mc emmeloord")).hits
    assert [(h.id, h.status) for h in hits] == [("institution:mc-emmeloord", "closed")]


def test_hits_deeper_in_the_named_group_come_before_its_other_members() -> None:
    def hit(entity: str, *groups: int) -> tuple[dict[str, object], DocScore]:
        ds = DocScore(1.0, None, [], ["name"], False, False)
        return {"entity": entity, "groups": [{"orphacode": g} for g in groups]}, ds

    aml, dccg, cll = (
        hit("condition:519", 171895, 68347),
        hit("working_group:dccg"),
        hit("condition:67038", 68347),
    )
    inside, rest = inside_group([aml, dccg, cll], 68347)
    assert [h["entity"] for h, _ in inside] == ["condition:519", "condition:67038"]
    assert [h["entity"] for h, _ in rest] == ["working_group:dccg"]
    assert inside_group([aml], None) == ([], [aml])
