"""Point 9 of issue 11: whole-query trigram matching against names, in the same index."""

from __future__ import annotations

from pathlib import Path

from search.engine import SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.engines.index_file import trigrams
from tests.support.search import condition


def engine(tmp_path: Path) -> EmbeddedEngine:
    e = EmbeddedEngine(tmp_path / "index.sqlite3", cache_size=0)
    e.rebuild(
        [
            condition(1, "Askin sarcoma"),
            condition(2, "Kaposi sarcoma"),
            condition(3, "Vandersteenhoven sarcoma"),  # a made-up eponym
        ]
    )
    return e


def test_a_name_spelt_by_ear_is_found_by_its_trigrams(tmp_path: Path) -> None:
    e = engine(tmp_path)
    # Written apart in four words, the eponym is no word of the index (words are joined up
    # to three), so the words alone only say "sarcoma"; the whole query shares most of
    # its trigrams with one name.
    hits = e.search(SearchQuery(text="van der steen hoven sarkoom")).hits
    assert hits[0].id == "condition:3"
    assert "typo" in hits[0].reasons


def test_without_the_trigram_index_the_name_is_not_first(tmp_path: Path) -> None:
    e = engine(tmp_path)
    opened = e._open()
    assert opened is not None
    opened[1].has_trigrams = False  # as an index from before format 5
    assert e.search(SearchQuery(text="van der steen hoven sarkoom")).hits[0].id != "condition:3"


def test_a_similar_name_keeps_the_organ_of_the_query(tmp_path: Path) -> None:
    # "nierkanker bij volwassenen" shares most trigrams with "leverkanker bij
    # volwassenen", and found it first; like a typo, a similar name keeps the organ.
    e = EmbeddedEngine(tmp_path / "index.sqlite3", cache_size=0)
    e.rebuild(
        [
            condition(210159, "Adult liver cancer", "Leverkanker bij volwassenen"),
            condition(217071, "Renal cell carcinoma", "Niercelcarcinoom", lay_nl=("nierkanker",)),
        ]
    )
    hits = e.search(SearchQuery(text="nierkanker bij volwassenen")).hits
    assert hits[0].id == "condition:217071"
    assert all("typo" not in h.reasons for h in hits if h.id == "condition:210159")
    liver = e.search(SearchQuery(text="leverkanker bij volwassen")).hits
    assert liver[0].id == "condition:210159"  # the same organ still matches


def test_trigrams() -> None:
    assert trigrams("sarcoom") == {"sar", "arc", "rco", "coo", "oom"}


def test_a_similar_name_keeps_the_organ_not_only_inside_another(tmp_path: Path) -> None:
    e = EmbeddedEngine(tmp_path / "index.sqlite3", cache_size=0)
    e.rebuild(
        [
            condition(56044, "Gallbladder cancer", "Galblaaskanker"),
            condition(284400, "Small cell carcinoma of the bladder", "Kleincellige blaaskanker"),
            condition(9, "Salivary gland cancer", "Speekselklierkanker"),
        ]
    )
    # "blaaskanker vrouw" looks like "galblaaskanker", but its "blaas" is the gallbladder's;
    # no name holds "vrouw", so the bladder's name with one of the two words comes first.
    hits = e.search(SearchQuery(text="blaaskanker vrouw")).hits
    assert [h.id for h in hits][:2] == ["condition:284400", "condition:56044"]
    # The gland's own name may hold "klier" inside "speekselklier": the name that looks
    # like the whole query is found as such.
    hits = e.search(SearchQuery(text="speekselklier vrouw")).hits
    assert hits[0].id == "condition:9"
    assert "typo" in hits[0].reasons


def test_holds_site_looks_past_a_longer_site() -> None:
    from search.engines.ranking import holds_site

    assert not holds_site("galblaaskanker", "blaas")
    assert holds_site("blaaskanker", "blaas")
    assert holds_site("galblaasenblaaskanker", "blaas")
    assert holds_site("galblaaskanker", "galblaas")


def test_a_similar_name_names_no_organ_the_query_does_not(tmp_path: Path) -> None:
    e = EmbeddedEngine(tmp_path / "index.sqlite3", cache_size=0)
    e.rebuild(
        [
            condition(67037, "Squamous cell carcinoma of head and neck", "Keelkanker"),
            condition(100088, "Rare thyroid carcinoma", "Schildklierkanker"),
        ]
    )
    # "navelkanker" shares "kanker" with "Keelkanker", enough trigrams, but no organ.
    assert e.search(SearchQuery(text="navelkanker")).hits == ()
    # A misspelt organ is still the organ.
    hits = e.search(SearchQuery(text="schildkliekanker")).hits
    assert [h.id for h in hits][:1] == ["condition:100088"]
