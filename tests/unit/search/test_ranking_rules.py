"""Ranking rules of issue 11 that the relevance floors only cover indirectly: word rarity,
a definition that holds every word, and the issue's own examples of a known word
corrected into another (``sarcoom bovenbeen`` read as the BovenIJ hospital, ``HIPEC`` as
``hiper`` and Von Hippel-Lindau), on the embedded engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.engine import SearchDocument, SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.engines.ranking import (
    MIN_WEIGHT,
    PANEL_WINDOW,
    QueryScorer,
    TermPlan,
    build_field,
    in_another_site,
    panel_first,
    rarity,
)
from search.query import Alternative
from search.variants import word_key
from tests.support.search import condition, gazetteer


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    assert rarity(1) == rarity(8) == 1.0
    assert rarity(32) < rarity(8)
    assert rarity(128) < rarity(32)
    assert rarity(100_000) == MIN_WEIGHT


def _hospital(slug: str, name: str) -> SearchDocument:
    return SearchDocument(
        id=f"institution:{slug}",
        kind="institution",
        entity_id=slug,
        title_nl=name,
        title_en=name,
        names_nl=(name,),
        names_en=(name,),
    )


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedEngine:
    docs = [
        # "ziekenhuis" is in many names, "chondrosarcoom" in one.
        *(_hospital(f"h{i}", f"Ziekenhuis nummer {i}") for i in range(40)),
        condition(55880, "Chondrosarcoma", "Chondrosarcoom"),
        # Every query word only in the definition of one; one word of four in the name of
        # another, three of four in the name of a third.
        condition(
            1001,
            "Alpha disease",
            "Alfaziekte",
            text_en="A slow growth of the pleura with thickened plaques in older miners.",
        ),
        condition(1002, "Pleura disease", "Pleuraziekte"),
        condition(1003, "Pleura plaques of miners", "Pleuraplaques bij mijnwerkers"),
        # The examples: a hospital two edits from a word of the query, a
        # condition two edits from an abbreviation.
        condition(3394, "Soft tissue sarcoma", "Wekedelensarcoom", lay_nl=("sarcoom",)),
        _hospital("bovenij", "BovenIJ ziekenhuis"),
        condition(892, "Von Hippel-Lindau disease", "Ziekte van Von Hippel-Lindau"),
        condition(
            168811,
            "Malignant peritoneal mesothelioma",
            "Maligne peritoneaal mesothelioom",
            names_en=("HIPEC-treated peritoneal mesothelioma",),
        ),
        # A part of the body and an abbreviation with the same key ("nek" and NEC), and
        # a word with the key of "dij" (thigh) in another name.
        condition(
            506098, "Neuroendocrine carcinoma", "Neuro-endocrien carcinoom", names_nl=("NEC",)
        ),
        condition(290849, "Rare head and neck tumor", "Zeldzame hoofd-halstumor"),
        condition(4001, "Tumor that grows slowly", "Tumor die langzaam groeit"),
        condition(4002, "Soft tissue sarcoma of the limbs", "Wekedelensarcoom van de ledematen"),
        # A lump in a limb: the general page, the tissue pages, a sarcoma of neither.
        condition(98057, "Rare tumor", "Zeldzame tumor", level="group"),
        condition(71209, "Rare soft tissue tumor", "Zeldzame wekedelentumor", level="group"),
        condition(223727, "Bone sarcoma", "Botsarcoom", level="group"),
        condition(33276, "Kaposi sarcoma", "Kaposi-sarcoom"),
        # "oor" (ear) has the key of "or".
        condition(145, "Hereditary breast or ovarian cancer", "Erfelijke borst- of eierstokkanker"),
        condition(100084, "Neuroendocrine tumor of the middle ear", "Neuro-endocriene oortumor"),
        # A part of the body inside the name of another: "blaas" in "galblaas", "bladder"
        # in "gall bladder", "nier" in "bijnier".
        condition(56044, "Carcinoma of gallbladder", "Carcinoom van de galblaas"),
        condition(
            284400,
            "Small cell carcinoma of the bladder",
            "Kleincellig blaascarcinoom",
            names_en=("Small cell bladder cancer",),
        ),
        condition(1501, "Adrenocortical carcinoma", "Bijniercarcinoom"),
        condition(217071, "Renal cell carcinoma", "Niercarcinoom"),
        # Compounds: one a name holds whole ("longkanker"), one with two known splits
        # ("dikke" + "darmkanker", "dikkedarm" + "kanker"), one for a place ("centrum").
        condition(
            70573, "Small cell lung cancer", "Kleincellig longcarcinoom", lay_nl=("longkanker",)
        ),
        condition(101945, "Rare tumor of the lungs", "Zeldzame longtumor", level="group"),
        condition(
            100080, "Neuroendocrine tumor of the colon", "Neuro-endocriene tumor van het colon"
        ),
        condition(440437, "Familial colorectal cancer", "Familiaire darmkanker"),
        condition(9001, "Thick skin syndrome", "Syndroom van de dikke huid"),
        # A compound whose first part has many translations ("dikkedarm": colon,
        # colorectal, large intestine) and whose last part has a rare one (malignancy).
        condition(
            423991,
            "Rare epithelial tumor of colon",
            "Zeldzame epitheliale tumor van de dikke darm",
            level="group",
        ),
        condition(443909, "Hereditary nonpolyposis colorectal cancer", "Lynch-syndroom"),
        condition(9002, "Malignancy of the large intestine", "Maligniteit van de dikke darm"),
        # Parts of the body no name holds, and the broader site that names their tumours.
        condition(
            98058,
            "Rare urinary tract tumor",
            "Zeldzame tumor van de urinewegen",
            level="group",
            names_nl=("Zeldzame blaas- of urinewegkanker",),
            names_en=("Rare urinary tract cancer",),
        ),
        condition(
            502363,
            "Squamous cell carcinoma of the oral cavity",
            "Plaveiselcelcarcinoom van de mondholte",
        ),
        # The canal of another part of the body; glands of two parts.
        condition(424013, "Carcinoma of the anal canal", "Carcinoom van het anale kanaal"),
        condition(101950, "Rare eye tumor", "Zeldzame oogtumor", level="group"),
        condition(
            276142, "Rare tumor of salivary glands", "Zeldzame speekselkliertumor", level="group"
        ),
        _hospital("umc", "Universitair Medisch Centrum"),
    ]
    e = EmbeddedEngine(tmp_path_factory.mktemp("rules") / "index.sqlite3", gazetteer())
    e.rebuild(docs)
    return e


def ids(engine: EmbeddedEngine, text: str, lang: str = "nl") -> list[str]:
    return [h.id for h in engine.search(SearchQuery(text=text, lang=lang)).hits]


def test_rarity_puts_the_rare_words_document_first(engine: EmbeddedEngine) -> None:
    assert ids(engine, "ziekenhuis chondrosarcoom")[:1] == ["condition:55880"]


def test_a_definition_with_every_word_counts_as_a_full_match(engine: EmbeddedEngine) -> None:
    found = ids(engine, "growth pleura plaques miners", "en")
    # A full match in the definition beats a name with one of the words; a name with
    # more than half of them still comes first (docs/search.md, "Ranking").
    assert found.index("condition:1003") < found.index("condition:1001")
    assert found.index("condition:1001") < found.index("condition:1002")


def test_a_known_word_next_to_an_unknown_one_is_not_corrected(engine: EmbeddedEngine) -> None:
    r = engine.search(SearchQuery(text="sarcoom bovenbeen", lang="nl"))
    # A sarcoma in the thigh: of the soft tissue or of the bone.
    assert r.hits[0].id in {"condition:3394", "condition:223727"}
    assert "institution:bovenij" not in [h.id for h in r.hits]
    assert r.corrected is None


def test_an_abbreviation_is_not_corrected_into_another_word(engine: EmbeddedEngine) -> None:
    r = engine.search(SearchQuery(text="HIPEC", lang="nl"))
    assert "condition:892" not in [h.id for h in r.hits]
    assert [h.id for h in r.hits][:1] == ["condition:168811"]


def test_a_panel_comes_first_only_when_it_matches_as_many_words_as_the_best_hit() -> None:
    def first(hits: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return panel_first(hits, lambda h: h[0], lambda h: h[1])

    assert first([("condition", 4), ("condition", 4), ("panel", 4)]) == [
        ("panel", 4),
        ("condition", 4),
        ("condition", 4),
    ]
    fewer = [("condition", 4), ("panel", 2)]  # the panel matches fewer of the words
    assert first(fewer) == fewer
    far = [("condition", 4)] * PANEL_WINDOW + [("panel", 4)]
    assert first(far) == far
    assert first([]) == []


def test_a_groups_members_do_not_push_the_panel_out_of_the_window() -> None:
    # "expert panel bone tumours": the rare bone tumours' group brought twenty members
    # along, and the bone tumour committee came twenty-first.
    hits = [("group", 4), *[("member", 4)] * 20, ("panel", 4)]
    moved = panel_first(hits, lambda h: h[0], lambda h: h[1], lambda h: h[0] == "member")
    assert moved[0] == ("panel", 4)
    assert panel_first(hits, lambda h: h[0], lambda h: h[1]) == hits  # members counted


def test_a_part_of_the_body_matches_only_a_part_of_the_body(engine: EmbeddedEngine) -> None:
    # "nek" (neck) has the key of NEC, "dij" (thigh) that of "die": as a name's word they
    # made neuroendocrine carcinoma the answer to a lump in the neck.
    for text, lang in (("knobbel in mijn nek", "nl"), ("lump in my neck", "en"), ("nek", "nl")):
        hits = engine.search(SearchQuery(text=text, lang=lang)).hits
        assert [h.id for h in hits][:1] == ["condition:290849"], text
        assert all("NEC" not in h.matched for h in hits), text
    assert ids(engine, "NEC")[:1] == ["condition:506098"]  # the abbreviation still finds it
    hits = engine.search(SearchQuery(text="dij", lang="nl")).hits
    assert all("Tumor die langzaam groeit" not in h.matched for h in hits)


def test_a_lump_in_a_limb_finds_the_soft_tissue_and_bone_tumours(engine: EmbeddedEngine) -> None:
    tissue = {"condition:3394", "condition:4002", "condition:71209", "condition:223727"}
    for text, lang in (
        ("knobbel in mijn dij", "nl"),
        ("kanker in mijn lies", "nl"),
        ("lump in my thigh", "en"),
        ("tumor in mijn bovenbeen", "nl"),
    ):
        found = ids(engine, text, lang)
        # First a tissue's page, before the general one and before "a tumour that grows".
        assert found[0] in tissue, (text, found)
        assert "condition:98057" not in found[:2], (text, found)
    # Next to a sarcoma the limb is optional and still puts the tissue's sarcomas first.
    found = ids(engine, "sarcoom in mijn dij")
    assert found.index("condition:223727") < found.index("condition:33276")


def test_a_limb_in_a_compound_stands_for_its_tissue(engine: EmbeddedEngine) -> None:
    # "heupkanker", "kniekanker" found nothing: no name holds the hip or the knee.
    tissue = {"condition:3394", "condition:4002", "condition:71209", "condition:223727"}
    for text in ("heupkanker", "kniekanker", "voettumor"):
        found = ids(engine, text)
        assert found, text
        assert found[0] in tissue, (text, found)


def test_a_part_of_the_body_no_name_holds_finds_its_broader_site(engine: EmbeddedEngine) -> None:
    # "plasbuiskanker" (the urethra) found nothing; its tumours are rare urinary tract tumours.
    for text, lang in (
        ("plasbuiskanker", "nl"),
        ("kanker van de plasbuis", "nl"),
        ("urethral cancer", "en"),
    ):
        assert ids(engine, text, lang)[:1] == ["condition:98058"], text
    for text in ("wangkanker", "tandvleeskanker"):
        assert ids(engine, text)[:1] == ["condition:502363"], text


def test_a_compounds_related_words_are_not_crowded_out_by_translations(
    engine: EmbeddedEngine,
) -> None:
    # With ten combinations, "dikkedarm" x "kanker" translated every way left out
    # "dikke darm" + "tumor", and the rare colon tumours were not found first.
    assert ids(engine, "zeldzame dikkedarmkanker")[:1] == ["condition:423991"]


def test_a_part_of_a_compound_with_a_stop_words_key_matches_only_its_translations(
    engine: EmbeddedEngine,
) -> None:
    # "oorkanker" (ear cancer) found hereditary breast "or" ovarian cancer first.
    found = ids(engine, "oorkanker")
    assert "condition:145" not in found
    assert found[:1] == ["condition:100084"]


def test_a_part_of_the_body_does_not_match_inside_another(engine: EmbeddedEngine) -> None:
    # "blaaskanker" found gallbladder carcinoma first, "bladder cancer" too (through a
    # lay term written apart, "gall bladder cancer").
    for text, lang in (("bladder cancer", "en"), ("blaaskanker", "nl")):
        hits = engine.search(SearchQuery(text=text, lang=lang)).hits
        assert [h.id for h in hits][:1] == ["condition:284400"], text
        # No name of the gallbladder's matches the bladder: at most its full text does
        # (a name may match "cancer", which next to an organ also means a carcinoma).
        gall = [h for h in hits if h.id == "condition:56044"]
        assert all(not h.matched or "definition" in h.reasons for h in gall), text
    assert ids(engine, "gallbladder carcinoma", "en")[:1] == ["condition:56044"]
    found = ids(engine, "nierkanker")
    assert found[:1] == ["condition:217071"]
    assert "condition:1501" not in found
    # Written apart in a name, the first word makes it another part of the body.
    apart = build_field("lay", "gall bladder cancer", set())
    assert apart is not None
    (bladder,) = apart.index["blader"]
    assert in_another_site(apart, bladder, "blader")
    alone = build_field("lay", "bladder cancer", set())
    assert alone is not None
    assert not in_another_site(alone, alone.index["blader"][0], "blader")
    # The spelling rules fold the middle of a compound: "baarmoederhalskanker" has the key
    # "barmuderalskanker", so "hals" (neck) is found by the cervix's own key.
    cervix = build_field("lay", "baarmoederhalskanker", {"barmuder", "hals", "kanker"})
    assert cervix is not None
    (neck,) = cervix.index["hals"]
    assert in_another_site(cervix, neck, "hals")
    assert ids(engine, "zeldzame tumor in de hals")[:1] == ["condition:290849"]


def test_a_compound_matches_its_parts_even_when_a_name_holds_it_whole(
    engine: EmbeddedEngine,
) -> None:
    # "longkanker" is a lay name of one lung cancer: "zeldzame longkanker" is about the
    # rare lung tumours too.
    assert ids(engine, "zeldzame longkanker")[:1] == ["condition:101945"]
    assert ids(engine, "longkanker")[:1] == ["condition:70573"]  # the whole word first


def test_a_compound_is_split_both_ways_when_one_reading_matches_nothing(
    engine: EmbeddedEngine,
) -> None:
    # "dikke" and "darmkanker" are both known words; "dikkedarm" + "kanker" is the colon.
    assert "condition:100080" in ids(engine, "dikkedarmkanker")


def test_a_compound_for_a_place_of_care_or_a_complaint_finds_what_it_is_for(
    engine: EmbeddedEngine,
) -> None:
    # "sarcoomcentrum": no name holds "sarcoom" and "centrum"; it found nothing.
    assert ids(engine, "sarcoomcentrum")[:1] == ["condition:3394"]
    # A complaint is the same: "botpijn" (bone pain) is about the bone.
    assert ids(engine, "botpijn")[:1] == ["condition:223727"]


def test_a_name_without_the_part_of_the_body_asked_for_ranks_lower(
    engine: EmbeddedEngine,
) -> None:
    # "cancer in the ear canal": the anal canal's carcinoma names the canal and a
    # carcinoma, the middle ear's tumour the ear and a tumour; the ear is what matters.
    found = ids(engine, "cancer in the ear canal", "en")
    assert found[:1] == ["condition:100084"]
    assert "condition:424013" in found  # still found, below

    # A gland says no place of its own: the lacrimal does ("lacrimal gland tumor" found
    # the salivary glands' tumours before the eye's when the gland counted as a place).
    def term(word: str) -> TermPlan:
        alt = Alternative((word_key(word),), 0.0, "exact", surface=word)
        return TermPlan((alt,), False, 1.0, False, True)

    assert QueryScorer([term("gland"), term("ear")], []).sites == [1]
    # A word that names the disease outweighs the part of the body ("paraganglioma
    # neck": the paraganglioma's names hold no neck).
    assert QueryScorer([term("paraganglioma"), term("neck")], []).sites == []


def test_a_name_written_exactly_as_typed_wins_a_tie_of_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # "AML" and "AMML" fold to one key (double letters single), "CLL" and "cHL" too
    # (an h after a consonant goes): "AML" found acute myelomonocytic leukaemia first.
    docs = [
        condition(
            517,
            "Acute myelomonocytic leukemia",
            "Acute myelomonocytaire leukemie",
            names_en=("AMML",),
        ),
        condition(519, "Acute myeloid leukemia", "Acute myeloïde leukemie", names_en=("AML",)),
        condition(391, "Classic Hodgkin lymphoma", "Klassiek hodgkinlymfoom", names_en=("cHL",)),
        condition(
            67038,
            "Chronic lymphocytic leukemia",
            "Chronische lymfatische leukemie",
            names_en=("CLL",),
        ),
    ]
    for order in (docs, docs[::-1]):
        e = EmbeddedEngine(tmp_path / f"i{len(order)}{order[0].id}.sqlite3", gazetteer())
        e.rebuild(order)
        assert ids(e, "AML")[:1] == ["condition:519"]
        assert ids(e, "CLL")[:1] == ["condition:67038"]


def test_a_negation_in_a_name_is_no_stop_word() -> None:
    # "Familiair niet-medullair schildkliercarcinoom" is not covered by "erfelijk medullair
    # schildkliercarcinoom": with "niet" a stop word it ranked as an exact name.
    denied = build_field("name", "Familiair niet-medullair schildkliercarcinoom", set())
    plain = build_field("name", "Familiair medullair schildkliercarcinoom", set())
    assert denied is not None
    assert plain is not None
    assert denied.content == plain.content + 1
    kidney = build_field("name", "tumor van de nier", set())
    assert kidney is not None
    assert kidney.content == 2  # "van" and "de" are stop words


def test_a_name_need_not_say_cancer_to_be_one(tmp_path: Path) -> None:
    docs = [
        # "cancer" in many names, as in the catalogue, where it weighs little.
        *(condition(5000 + i, f"Cancer number {i}") for i in range(100)),
        # "cancer" in one's lay term and the part of the body in its definition; the
        # part of the body in the other's name, which says "mesothelioma", not "cancer".
        condition(
            50251,
            "Pleural mesothelioma",
            lay_en=("asbestos cancer",),
            text_en="A tumour of the pleura that may grow into the pericardium.",
        ),
        condition(
            685004,
            "Primary pericardial mesothelioma",
            names_en=("Mesothelioma of the pericardium",),
        ),
    ]
    e = EmbeddedEngine(tmp_path / "index.sqlite3", gazetteer())
    e.rebuild(docs)
    # "cancer" is what every entry is: a name without it counts the word half, like a
    # word found only in the definition, so the name with the part of the body wins.
    found = ids(e, "cancer of the pericardium", "en")
    assert found[:2] == ["condition:685004", "condition:50251"]


def _plan(word: str, *, site: bool = False) -> TermPlan:
    return TermPlan(
        (Alternative((word_key(word),), 0.0, "exact", surface=word),), False, body_site=site
    )


def test_a_part_of_the_body_need_not_be_named_next_to_an_organs_compound() -> None:
    # "een knobbeltje in mijn hals ... schildklierkanker": the thyroid is in the neck, and
    # the names of its cancers hold no "hals" (the working group came first).
    assert QueryScorer([_plan("hals", site=True), _plan("schildklierkanker")], []).sites == []
    # A tissue says what grows, not where: "huidkanker op haar neus" keeps the nose.
    assert QueryScorer([_plan("huidkanker"), _plan("neus", site=True)], []).sites == [1]
    assert QueryScorer([_plan("kanker"), _plan("neus", site=True)], []).sites == [1]


def test_a_benign_condition_comes_after_a_cancer_when_a_cancer_is_asked_for(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    docs = [
        replace(condition(673538, "Haemangioma of spleen"), benign=True),
        condition(86854, "Lymphoma of spleen"),
        *(condition(5000 + i, f"Cancer number {i}") for i in range(20)),
    ]
    e = EmbeddedEngine(tmp_path / "index.sqlite3", gazetteer())
    e.rebuild(docs)
    # Neither name says "cancer"; the benign haemangioma is the less likely answer.
    assert ids(e, "cancer of the spleen", "en")[:2] == ["condition:86854", "condition:673538"]
    # Asked for a growth, not a cancer, the benign one is not put after.
    assert ids(e, "haemangioma spleen", "en")[:1] == ["condition:673538"]
