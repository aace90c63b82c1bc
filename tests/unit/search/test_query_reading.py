"""How a query is read: sentences, question words per language, ages, children,
pregnancy, words with two meanings, pasted web addresses, common cancers."""

from __future__ import annotations

import pytest

from search.common_cancers import COMMON_CANCERS, common_cancer
from search.lexicon import query_language
from search.query import understand


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ik heb net gehoord dat ik een sarcoom heb in mijn been, waar moet ik heen",
         ("sarcoom", "been")),
        ("welk ziekenhuis is gespecialiseerd in mesothelioom", ("ziekenhuis", "mesothelioom")),
        ("waar kan ik terecht met een tumor in mijn oog", ("tumor", "oog")),
        ("I was just told I have a sarcoma in my leg, where should I go", ("sarcoma", "leg")),
        ("who can help with a rare kind of thyroid cancer", ("rare", "thyroid", "cancer")),
        ("my GP thinks it might be a neuroendocrine tumour", ("neuroendocrine", "tumour")),
    ],
)  # fmt: skip
def test_question_words_are_dropped(text: str, words: tuple[str, ...]) -> None:
    assert understand(text).words == words


def test_question_words_are_dropped_in_the_language_of_the_query() -> None:
    # "been" is a leg in Dutch and a form of "to be" in English; "kind" a child and a sort.
    assert "been" in understand("sarcoom in mijn been").words
    assert "been" not in understand("my wife has been diagnosed with cancer").words
    assert understand("my wife has been diagnosed with cancer").language == "en"
    assert understand("a rare kind of sarcoma").words == ("rare", "sarcoma")
    assert understand("leverkanker bij een kind").audience == ("children",)
    assert query_language(["sarcoom"], "en") == "en"  # no function words: the page's language


@pytest.mark.parametrize(
    ("text", "context", "audience"),
    [
        ("mijn zoon van 4 heeft een niertumor", ("zoon", "4"), ("children",)),
        ("my son is 3 and has a tumour in his kidney", ("son", "3"), ("children",)),
        ("onze baby heeft een tumor in zijn oog", ("baby",), ("children",)),
        ("ik ben 16 en heb botkanker", ("16",), ("children",)),
        ("ik ben 45 en heb botkanker", ("45",), ()),  # an older adult's age steers nothing
        ("ik ben 25 en heb zaadbalkanker", ("25",), ("young_adults",)),  # 18 to 39
        ("vrouw 39 met granulosaceltumor", ("39",), ("young_adults",)),
        ("ik ben zwanger en heb kanker", (), ("pregnancy",)),
    ],
)
def test_context_words_say_who_it_is_for(
    text: str, context: tuple[str, ...], audience: tuple[str, ...]
) -> None:
    u = understand(text)
    assert u.context == context
    assert u.audience == audience
    assert not set(context) & set(u.words)  # never searched for as words
    if "children" in audience:
        child = [t for t in u.terms if t.context]
        assert child
        assert child[0].optional  # steers, never required


def test_kinderen_alone_is_what_is_searched_for() -> None:
    assert understand("kinderen").words == ("kinderen",)


def test_words_with_two_meanings_are_named() -> None:
    assert understand("sarcoom been").ambiguous == ("been",)
    assert understand("sarcoom bot").ambiguous == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("https://www.orpha.net/en/disease/detail/178", 178),
        ("https://www.orpha.net/en/disease/detail/3394?name=soft%20tissue%20sarcoma", 3394),
        ("www.orpha.net/nl/disease/detail/668", 668),
        ("orpha.net/en/disease/detail/790", 790),
        ("https://www.orpha.net/consor/cgi-bin/OC_Exp.php?lng=EN&Expert=319", 319),
        ("http://www.orpha.net/consor/cgi-bin/OC_Exp.php?Lng=NL&Expert=99867", 99867),
    ],
)
def test_a_pasted_orphanet_page_is_its_orphacode(text: str, code: int) -> None:
    u = understand(text)
    assert u.orphacodes == (code,)
    assert u.words == ()  # "https", "www", "orpha", "net" are not searched for


def test_other_web_addresses_are_not_searched_as_words() -> None:
    assert understand("sarcoom https://www.example.org/info?x=1").words == ("sarcoom",)


def test_single_letters_are_not_words() -> None:
    assert understand("children's hospital").words == ("hospital",)
    assert understand("neurofibromatose type 1").words == ("neurofibromatose", "type", "1")


@pytest.mark.parametrize(
    ("words", "slug"),
    [
        (["borstkanker"], "breast"),
        (["kanker", "in", "de", "borst"], "breast"),
        (["darmkanker"], "colorectal"),
        (["dikkedarmkanker"], "colorectal"),
        (["kanker", "dikke", "darm"], "colorectal"),
        (["colon", "cancer"], "colorectal"),
        (["longkanker"], "lung"),
        (["prostate", "cancer"], "prostate"),
        (["huidkanker"], "skin"),
        (["melanoom", "huid"], "skin"),
        (["basaalcelcarcinoom"], "skin"),
        (["ziekte", "bowen"], "skin"),  # carcinoma in situ of the skin
        (["blaaskanker"], "bladder"),
        (["maagkanker"], "stomach"),
        (["pancreatic", "cancer"], "pancreas"),
        (["nierkanker"], "kidney"),
        (["eierstokkanker"], "ovary"),
        (["baarmoederkanker"], "uterus"),
        (["uterine", "cancer"], "uterus"),  # the adjective had no card
        (["endometrial", "carcinoma"], "uterus"),
    ],
)
def test_common_cancers_are_recognised(words: list[str], slug: str) -> None:
    found = common_cancer(words)
    assert found is not None
    assert found.slug == slug


@pytest.mark.parametrize(
    "words",
    [
        ["dunnedarmkanker"],  # small bowel: rare
        ["uterine", "sarcoma"],  # a sarcoma of the uterus is rare
        ["dunne", "darm", "kanker"],
        ["blinde", "darm", "kanker"],  # appendix: rare
        ["galblaaskanker"],  # gallbladder: rare
        ["melanoom"],  # eye and mucosa melanomas are rare
        ["oogmelanoom"],
        ["borst"],  # an organ alone is no cancer
        ["slokdarmkanker"],  # oesophagus: rare (below 6 per 100,000)
        ["schildklierkanker"],
    ],
)
def test_rare_cancers_are_not_common(words: list[str]) -> None:
    assert common_cancer(words) is None


def test_common_cancer_icd10_codes() -> None:
    assert common_cancer([], ["C50.9"]) == next(c for c in COMMON_CANCERS if c.slug == "breast")
    assert common_cancer([], ["C25.4"]) is None  # endocrine pancreas: neuroendocrine, rare
    assert common_cancer([], ["C18.1"]) is None  # the appendix: rare, inside colon's C18
    # NSCLC, the common lung cancer, is one letter from SCLC (small cell), which it found.
    assert common_cancer(["nsclc"]) == next(c for c in COMMON_CANCERS if c.slug == "lung")
    assert common_cancer([], ["C49"]) is None
    assert understand("C18.7").common is not None


def test_inflected_words_find_their_translations() -> None:
    from search.lexicon import translations

    assert "malignant" in translations("kwaadaardige")  # the lexicon has "kwaadaardig"
    assert "malignant" in translations("kwaadaardigen")
    assert translations("blorpje") == ()


def test_a_husband_or_wife_is_no_male_or_female() -> None:
    assert understand("mijn man heeft leukemie").words == ("leukemie",)
    assert "mannen" in understand("borstkanker bij mannen").words  # men, as a word


def test_function_words_are_no_places_even_where_a_village_has_the_name() -> None:
    from directory.places.geo import Coordinates, GazetteerView, PlaceView
    from directory.text import fold
    from tests.support.search import gazetteer as small

    base = small()
    places = {
        **base.places,
        fold("Een"): PlaceView("Een", "Drenthe", Coordinates(53.1, 6.4), 1),
    }
    view = GazetteerView(postcodes=base.postcodes, places=places)
    assert understand("kanker aan de nier bij een kind", view).location is None
    assert understand("sarcoom bij Groningen", view).location is not None


@pytest.mark.parametrize(
    ("text", "codes", "words"),
    [
        ("ICD-O C71.9", ("C71.9",), ()),
        ("icd-o-3 topografie C49.2", ("C49.2",), ()),
        ("ICD-O-3.2: C44.5 melanoom", ("C44.5",), ("melanoom",)),
        ("ICD-10-CM C49", ("C49",), ()),
        ("icd oog", (), ("icd", "oog")),  # not a prefix: "oog" is a word
    ],
)  # fmt: skip
def test_icd_o_topography_codes_are_read_as_icd10_codes(
    text: str, codes: tuple[str, ...], words: tuple[str, ...]
) -> None:
    u = understand(text)
    assert u.icd10 == codes
    assert u.words == words


def test_an_everyday_word_written_twice_is_refused() -> None:
    # A second line for the same word would silently replace the first one's words.
    from search.lexicon import _parse_one_way

    assert _parse_one_way("buikje = buik\nnavel = buik") == {
        "buikje": ("buik",),
        "navel": ("buik",),
    }
    with pytest.raises(ValueError, match="buikje"):
        _parse_one_way("buikje = buik\nbuikje = buik | abdomen")


def test_a_second_opinion_is_how_it_is_asked_in_english_too() -> None:
    # As words to find, "second opinion for a rare cancer" found the CUP platform first.
    assert understand("second opinion sarcoma", lang="en").words == ("sarcoma",)
    assert understand("tweede mening sarcoom", lang="nl").words == ("sarcoom",)


def test_a_childs_cancer_in_one_word_is_a_child_and_the_cancer() -> None:
    # "kinderkanker" found the general rare-tumour page and germ cell tumours, not the
    # place for children; "childhood" and "pediatric" are words for a child too.
    u = understand("kinderkanker nier")
    assert u.words == ("kanker", "nier")
    assert u.audience == ("children",)
    assert understand("childhood cancer", lang="en").audience == ("children",)
    assert understand("kinderziekenhuis").words == ("kinderziekenhuis",)


def test_complaints_only_are_read_as_complaints_and_nothing_is_searched() -> None:
    for text, lang in [
        ("nachtzweten", "nl"),
        ("vermoeid en blauwe plekken", "nl"),
        ("mijn kind heeft koorts", "nl"),
        ("headache and blurred vision", "en"),
        ("night sweats and weight loss", "en"),
    ]:
        u = understand(text, lang=lang)
        assert u.symptoms, text
        assert u.terms == (), text
    # A disease, a lump or a code next to a complaint is searched.
    assert not understand("hoofdpijn hersentumor").symptoms
    assert understand("hoofdpijn hersentumor").words == ("hoofdpijn", "hersentumor")
    assert not understand("bult in de hals").symptoms
    assert not understand("C71.9 hoofdpijn").symptoms
    assert not understand("night", lang="en").symptoms  # only a word that goes with one
