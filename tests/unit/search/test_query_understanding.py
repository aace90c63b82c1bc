"""Query understanding: spelling keys, compounds, typos, codes, locations, the lexicon."""

from __future__ import annotations

import pytest

from directory.places.geo import Coordinates, GazetteerView, PlaceView
from directory.text import fold
from search import lexicon
from search.lexicon import TRANSLATIONS, translations
from search.query import names_a_disease, understand
from search.typo import deletions, distance, typo_budget
from search.variants import compound_parts, joins, split_compound, word_key
from tests.support.search import gazetteer

# -- spelling keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ("carcinoom", "carcinoma", "karcinoom", "carcinomen", "carcinomas"),  # c/k, Dutch/Latin
        ("lymfoom", "lymphoma", "lijmfoom", "limfoom"),  # ph/f, y/ij/i
        ("tumor", "tumour", "tumoren", "tumors", "tumours"),  # ou/o, plurals
        ("oesophageal", "esophageal"),  # oe/e
        ("leukaemia", "leukemia", "leukemie"),  # ae/e, -ia/-ie
        ("rhabdomyosarcoma", "rabdomyosarcoom", "rhabdomyosarcoom"),  # rh/r
        ("chondrosarcoom", "kondrosarcoom", "chondrosarkoom"),  # ch/k
        ("thymus", "tymus"),  # th/t; -us is not a plural
        ("neuroendocrine", "neuroendocriene"),  # -ine/-iene
        ("cancer", "kanker"),  # the key merges these: both languages meet
    ],
)
def test_spelling_variants_share_a_key(variants: tuple[str, ...]) -> None:
    assert len({word_key(v) for v in variants}) == 1, {v: word_key(v) for v in variants}


@pytest.mark.parametrize(
    ("a", "b"), [("bot", "been"), ("oog", "oor"), ("long", "lever"), ("penis", "pancreas")]
)
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    assert word_key(a) != word_key(b)


def test_numbers_are_their_own_key() -> None:
    assert word_key("1") == "1"
    assert word_key("2023") == "2023"


def test_adjacent_words_are_also_joined() -> None:
    assert [k for _i, _j, k in joins(["weke", "delen", "sarcoom"])] == [
        word_key("wekedelen"),
        word_key("wekedelensarcoom"),
        word_key("delensarcoom"),
    ]
    assert joins(["men", "2"]) == []  # a number is never glued to a word


def test_compounds_split_on_words_that_occur_on_their_own() -> None:
    heads = {word_key(w) for w in ("kanker", "sarcoom", "darm", "blinde", "zwezerik")}
    assert split_compound("zwezerikkanker", heads) == (word_key("zwezerik"), word_key("kanker"))
    assert split_compound("chondrosarcoom", heads) == (word_key("chondro"), word_key("sarcoom"))
    assert split_compound("kanker", heads) is None  # too short to be a compound
    parts = compound_parts("blindedarmkanker", heads)
    assert {word_key("blindedarm"), word_key("darm"), word_key("kanker")} <= parts


def test_a_word_after_a_negation_is_no_part_of_it() -> None:
    # "Familial nonmedullary thyroid carcinoma" is what "medullary" is not
    heads = {word_key(w) for w in ("medullary", "hodgkin", "kanker")}
    assert word_key("medullary") not in compound_parts("nonmedullary", heads)
    assert word_key("hodgkin") not in compound_parts("niethodgkin", heads)
    assert word_key("kanker") in compound_parts("darmkanker", heads | {word_key("darm")})


# -- typos ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "budget"),
    [("aml", 0), ("oog", 0), ("gist", 0), ("sarco", 1), ("thymoom", 1), ("glioblast", 2)],
)
def test_typo_budget_follows_meilisearch_defaults(word: str, budget: int) -> None:
    assert typo_budget(word) == budget
    assert typo_budget("12345") == 0


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [
        ("sarcoom", "sarcoom", 0),
        ("sarcoom", "farcoom", 1),  # first letter
        ("sarcoom", "sracoom", 1),  # transposition counts once
        ("sarcoom", "sarcom", 1),  # deletion
        ("sarcoom", "sarcooom", 1),  # insertion
        ("sarcoom", "sracom", 2),
        ("sarcoom", "xyz", 3),  # beyond the limit: limit + 1
    ],
)
def test_distance(a: str, b: str, d: int) -> None:
    assert distance(a, b, 2) == d


def test_symmetric_deletions_meet() -> None:
    # A typo in the first letter: "kordom" vs "xordom" share a deletion.
    assert deletions("kordom", 1) & deletions("xordom", 1)
    assert "ordom" in deletions("kordom", 1)
    assert len(deletions("abc", 2)) == 7  # abc, ab, ac, bc, a, b, c


# -- codes, locations and words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("ORPHA:178", (178,)),
        ("orpha 178", (178,)),
        ("ORPHAcode: 178", (178,)),
        ("ORPHA-code 178", (178,)),
        ("orphanet #178", (178,)),
        ("orphanummer 178", (178,)),
        ("178", (178,)),
        ("chordoom ORPHA:178 en ORPHA:668", (178, 668)),
    ],
)
def test_orphacodes(text: str, codes: tuple[int, ...]) -> None:
    assert understand(text).orphacodes == codes


@pytest.mark.parametrize(
    ("text", "icd", "words"),
    [
        ("C41.9", ("C41.9",), ()),
        ("c41,9", ("C41.9",), ()),
        ("ICD-10 c49", ("C49",), ()),
        ("botkanker C41", ("C41",), ("botkanker",)),
        ("a12 tumor", (), ("a12", "tumor")),  # lower case without ICD-10: a word
        ("c 71.9", ("C71.9",), ()),  # written apart, as some records print it
        ("C 40.2 kind", ("C40.2",), ("kind",)),
        ("icd-10 c 49", ("C49",), ()),
        ("groep C 12", (), ("groep", "12")),  # apart and without a subcode: no code
        # A tumour's code without its dot, as hospital systems print it.
        ("c492", ("C49.2",), ()),
        ("D481 desmoid", ("D48.1",), ("desmoid",)),
        ("ziekenhuis bij de n201", (), ("ziekenhuis", "n201")),  # a road, not a tumour's code
        ("c4921", (), ("c4921",)),
    ],
)
def test_icd10_codes(text: str, icd: tuple[str, ...], words: tuple[str, ...]) -> None:
    u = understand(text)
    assert u.icd10 == icd
    assert u.words == words


def test_a_postcode_in_the_words_is_a_location() -> None:
    u = understand("sarcoom 9712", gazetteer())
    assert u.words == ("sarcoom",)
    assert u.location is not None
    assert u.location.place == "Groningen"
    for text in ("sarcoom 9712AB", "sarcoom 9712 ab", "9712 AB"):
        located = understand(text, gazetteer())
        assert located.location is not None
        assert "ab" not in located.words


def test_a_bare_four_digit_number_is_an_orphacode_first() -> None:
    u = understand("9712", gazetteer())
    assert u.orphacodes == (9712,)
    assert u.location is None
    assert u.number_location is not None  # used when no such ORPHAcode exists


def test_a_place_after_a_location_word_is_removed_from_the_words() -> None:
    for text in (
        "sarcoom bij Groningen",
        "sarcoom in de buurt van groningen",
        "sarcoma near Groningen",
    ):
        u = understand(text, gazetteer())
        assert u.location is not None
        assert u.location.source == "place"
        assert u.words in (("sarcoom",), ("sarcoma",))


def test_a_bare_place_name_is_a_location_but_stays_an_optional_word() -> None:
    u = understand("umc groningen", gazetteer())
    assert u.location is not None
    assert u.words == ("umc", "groningen")
    assert [t.optional for t in u.terms] == [False, True]
    alone = understand("groningen", gazetteer())
    assert alone.location is None  # a single word is what is searched for


def test_a_hospital_word_is_optional_next_to_what_it_is_for() -> None:
    def optional(text: str) -> dict[str, bool]:
        return {t.word: t.optional for t in understand(text, gazetteer()).terms}

    assert optional("welk ziekenhuis behandelt sarcoom") == {"ziekenhuis": True, "sarcoom": False}
    assert optional("which hospital treats sarcoma")["hospital"] is True
    assert optional("expertisecentrum oogmelanoom")["expertisecentrum"] is True
    assert optional("catharina ziekenhuis") == {"catharina": False, "ziekenhuis": True}
    # Only words for a place of care (and a place): they are what is searched for.
    assert optional("ziekenhuis bij Nijmegen") == {"ziekenhuis": False}
    assert optional("academisch ziekenhuis groningen") == {
        "academisch": False,
        "ziekenhuis": False,
        "groningen": True,
    }
    # "umc" narrows the choice to university centres: it stays required.
    assert optional("umc sarcoom")["umc"] is False


def test_panel_words_ask_for_a_panel_and_are_optional_next_to_a_disease() -> None:
    u = understand("landelijk mdo sarcoom aanmelden", gazetteer())
    assert {t.word: t.optional for t in u.terms} == {
        "landelijk": True,
        "mdo": True,
        "sarcoom": False,
    }  # "aanmelden" (to submit) is a question word
    assert u.asks_for_panel
    assert understand("tumorboard", gazetteer()).asks_for_panel
    # In two English words: as a word to find, "board" found the thymus tumour board
    # (and "cancer in pregnancy advisory board") next to "national sarcoma board".
    board = understand("how do I refer to the national sarcoma board", gazetteer(), "en")
    assert {t.word: t.optional for t in board.terms} == {
        "national": True,
        "sarcoma": False,
        "board": True,
    }
    assert board.asks_for_panel
    werkgroep = understand("landelijke werkgroep neuro oncologie", gazetteer())
    assert not werkgroep.asks_for_panel
    assert [t.optional for t in werkgroep.terms] == [True, False, False, False]


def test_a_limb_stands_for_its_tissue_when_nothing_else_says_what_grows() -> None:
    def read(text: str) -> dict[str, tuple[bool, set[str]]]:
        return {
            t.word: (t.optional, {a.surface for a in t.alternatives})
            for t in understand(text, gazetteer()).terms
        }

    # "A lump in my thigh": the catalogue names the tissue (soft tissue, bone), not the
    # place, so the limb is matched by its tissues and stays required.
    for text, limb in (
        ("knobbel in mijn dij", "dij"),
        ("lump in my thigh", "thigh"),
        ("zwelling aan mijn onderarm die groeit", "onderarm"),
        ("bovenbeen", "bovenbeen"),
    ):
        optional, alternatives = read(text)[limb]
        assert not optional, text
        assert {"wekedelen", "bot", "soft tissue", "bone"} <= alternatives, text
    # Next to a word that says what it is, the limb only says where: optional, and only
    # next to a sarcoma does it still point to the soft tissue and the bone.
    assert read("sarcoom in mijn dij")["dij"][0] is True
    assert "wekedelen" in read("sarcoom in mijn dij")["dij"][1]
    optional, alternatives = read("melanoom op mijn arm")["arm"]
    assert optional
    assert "wekedelen" not in alternatives
    assert read("huidkanker op mijn been")["been"][0] is True


def test_a_word_in_capitals_is_an_abbreviation_not_a_question_word() -> None:
    # "net" is a filler ("ik heb net gehoord"), NET a neuroendocrine tumour.
    assert understand("NET pancreas").words == ("net", "pancreas")
    assert understand("mijn vader heeft een NET in de alvleesklier").words == (
        "net",
        "alvleesklier",
    )
    assert understand("ik heb net gehoord dat ik leverkanker heb").words == ("leverkanker",)
    # A query all in capitals is not a list of abbreviations.
    assert understand("IK HEB NET GEHOORD DAT IK LEVERKANKER HEB").words == ("leverkanker",)
    # An abbreviation that only says how the question is asked is still dropped.
    assert understand("my GP thinks it is a NET", lang="en").words == ("net",)


def test_a_location_word_without_a_place_is_dropped() -> None:
    # "near my knee": with no place after it, "near" says nothing, and must not count as
    # the word that says what grows in the knee.
    terms = {t.word: t for t in understand("lump near my knee", gazetteer(), "en").terms}
    assert set(terms) == {"lump", "knee"}
    assert not terms["knee"].optional
    assert "soft tissue" in {a.surface for a in terms["knee"].alternatives}
    assert understand("sarcoom in de buurt", gazetteer()).words == ("sarcoom",)


def test_a_melanoma_on_a_limb_is_the_common_skin_melanoma() -> None:
    for text in ("melanoom op mijn arm", "melanoma on my leg", "melanoom bovenbeen"):
        common = understand(text, gazetteer()).common
        assert common is not None, text
        assert common.slug == "skin", text
    assert understand("melanoom in het oog", gazetteer()).common is None
    assert understand("melanoom", gazetteer()).common is None


def test_a_part_of_the_body_is_no_place_unless_a_location_word_says_so() -> None:
    # Lies is a village on Terschelling, Spier one in Drenthe; "lies" is also the groin.
    base = gazetteer()
    places = dict(base.places)
    for name, province, n in (("Lies", "Friesland", 1), ("Spier", "Drenthe", 1)):
        places[fold(name)] = PlaceView(name, province, Coordinates(53.39, 5.33), n)
    gaz = GazetteerView(postcodes=base.postcodes, places=places)
    for text in (
        "kanker in mijn lies",
        "tumor in de lies",
        "sarcoom lies",
        "sarcoom spier",
        "a lump in my groin",
    ):
        assert understand(text, gaz).location is None, text
    for text, place in (("ziekenhuis in lies", "Lies"), ("ziekenhuis bij spier", "Spier")):
        located = understand(text, gaz).location
        assert located is not None, text
        assert located.label == place, text


def test_unknown_postcodes_are_not_locations() -> None:
    assert understand("sarcoom 6679", gazetteer()).location is None


def test_stopwords_go_unless_nothing_else_is_left() -> None:
    assert understand("kanker in het oog").words == ("kanker", "oog")
    assert understand("de het een").words == ("de", "het", "een")


def test_when_it_was_said_is_no_word_to_search_for() -> None:
    # "last week" was read as "weke" (soft, of soft tissue): a mesothelioma question
    # found soft-tissue sarcoma second.
    for text, words in (
        ("my husband was diagnosed with mesothelioma last week", ("mesothelioma",)),
        ("vorige week kreeg ik de diagnose sarcoom", ("sarcoom",)),
        ("wat is een gist tumor en waar word je behandeld", ("gist", "tumor")),
    ):
        assert understand(text).words == words, text


def test_translations_both_ways_and_phrases() -> None:
    assert "bone" in translations("bot")
    assert "bot" in translations("bone")
    assert "soft tissue" in translations("weke delen")
    assert translations("piemel") == ("penis",)  # plain Dutch, one way only
    assert "piemel" not in translations("penis")
    u = understand("soft tissue sarcoma")
    spans = {(s.first, s.last, s.alternative.keys) for s in u.spans}
    assert (0, 1, (word_key("weke"), word_key("delen"))) in spans
    assert all(v for v in TRANSLATIONS.values())


def test_the_lexicon_is_written_as_queries_are_read() -> None:
    # A query is folded (lower case, no accents, no hyphens or apostrophes) before its
    # words are looked up: a word written otherwise ("patiëntenplatform", "hoofd-hals",
    # "m'n") is never found, and its key is not the index's key.
    words: set[str] = set()
    for value in vars(lexicon).values():
        if isinstance(value, frozenset):
            words |= {w for w in value if isinstance(w, str)}
    for key, others in TRANSLATIONS.items():
        words |= {key, *others}
    assert len(words) > 500
    assert sorted(w for w in words if w != fold(w)) == []


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00\x1f", "x" * 10_000, '"', "((", "ORPHA:", "C", "🦴", "\ud800", "0000 AB"],
)
def test_anything_can_be_understood(text: str) -> None:
    u = understand(text, gazetteer())
    assert len(u.text) <= 500
    assert all(t.key for t in u.terms)


def test_body_words_keep_a_key_of_their_own() -> None:
    # The spelling rules would merge these with unrelated words of the catalogue:
    # "keel" (throat) with "cel"/"cell", "oor" (ear) with "or", "bil" (buttock) with
    # "bile", "nek" (neck) with NEC; and "keelkanker" with "cell cancer" written together.
    assert word_key("keel") not in {word_key("cel"), word_key("cell")}
    assert word_key("keelkanker") != word_key("cellcancer")
    assert word_key("oor") != word_key("or")
    assert word_key("oorkanker") != word_key("orkanker")
    assert word_key("tumoroor") != word_key("tumoror")
    assert word_key("bil") != word_key("bile")
    assert word_key("nek") == word_key("neck") != word_key("nec")
    assert word_key("nektumor") != word_key("nectumor")
    # The rest of the rules still apply to the word's other part.
    assert word_key("keelholte") == word_key("keelholten")
    assert split_compound("keelkanker", {word_key("kanker")}) == ("keel", word_key("kanker"))


def test_an_adult_next_to_a_disease_only_steers() -> None:
    for text, word in (
        ("hersentumor bij volwassenen", "volwassenen"),
        ("eye cancer in adults", "adults"),
        ("sarcoom bij een volwassene", "volwassene"),
    ):
        terms = {t.word: t.optional for t in understand(text, gazetteer()).terms}
        assert terms[word] is True, text
        assert not all(terms.values()), text
    # Alone it is what is searched for.
    assert [t.optional for t in understand("volwassenen", gazetteer()).terms] == [False]


def test_a_melanoma_in_a_part_lined_with_mucosa_is_a_mucosal_melanoma() -> None:
    def alternatives(text: str, word: str) -> set[str]:
        terms = {t.word: t for t in understand(text, gazetteer()).terms}
        return {a.surface for a in terms[word].alternatives}

    assert {"slijmvlies", "mucosa"} <= alternatives("melanoom in de mond", "mond")
    assert {"slijmvlies", "mucosa"} <= alternatives("vaginal melanoma", "vaginal")
    # Without a melanoma the mouth is the mouth.
    assert "slijmvlies" not in alternatives("kanker in de mond", "mond")


def test_a_pancoast_tumour_is_the_common_lung_cancer() -> None:
    common = understand("pancoast tumour", gazetteer(), "en").common
    assert common is not None
    assert common.slug == "lung"


def test_next_to_a_part_of_the_body_a_word_for_cancer_also_means_a_tumour() -> None:
    def surfaces(text: str, word: str, lang: str) -> set[str]:
        terms = {t.word: t for t in understand(text, gazetteer(), lang).terms}
        return {a.surface for a in terms[word].alternatives}

    assert {"tumor", "carcinoma"} <= surfaces("rare colon cancer", "cancer", "en")
    assert {"tumor", "carcinoom"} <= surfaces("zeldzame kanker in de dikke darm", "kanker", "nl")
    # Not the words panels describe themselves with, and not without a part of the body.
    assert "malignant" not in surfaces("rare colon cancer", "cancer", "en")
    assert "tumor" not in surfaces("kanker ziekenhuis amsterdam", "kanker", "nl")


def test_teenagers_are_children() -> None:
    for text, lang in (("bone cancer in teenagers", "en"), ("botkanker bij tieners", "nl")):
        assert understand(text, gazetteer(), lang).audience == ("children",), text


def test_how_rare_is_no_word_to_search_for() -> None:
    # "zeer zeldzame vorm van kanker in mijn wang" found the anaplastic thyroid carcinoma
    # working group first: its description says "een zeer zeldzame ... vorm".
    for text, lang, words in (
        ("zeer zeldzame vorm van kanker in mijn wang", "nl", ("zeldzame", "kanker", "wang")),
        ("een hele zeldzame tumor", "nl", ("zeldzame", "tumor")),
        ("extremely rare cancer of the cheek", "en", ("rare", "cancer", "cheek")),
    ):
        assert understand(text, gazetteer(), lang).words == words, text


def test_a_growth_word_before_a_part_of_the_body_is_no_compound() -> None:
    # Dutch puts the part first ("halstumor"): "tumor ... hals" written together is
    # "tumorhals", with the key of "tumorale" (Rare tumoral disease came first).
    joined = {s.alternative.surface for s in understand("zeldzame tumor in de hals").spans}
    assert "tumorhals" not in joined
    assert "zeldzametumor" in joined  # other joins stay
    assert "weketumor" in {s.alternative.surface for s in understand("weke tumor").spans}


def test_a_lineage_letter_stays_with_its_cell() -> None:
    # Single letters are dropped, and "T-cell lymphoma" found mantle cell lymphoma first.
    assert understand("cutaneous t cell lymphoma", None, "en").words == (
        "cutaneous",
        "tcell",
        "lymphoma",
    )
    assert understand("T-cellymfoom huid").words == ("tcellymfoom", "huid")
    assert understand("b cel lymfoom").words == ("bcel", "lymfoom")
    assert understand("vitamine b tekort").words == ("vitamine", "tekort")  # not a cell


def test_skin_is_also_cutaneous_in_english_and_dutch_names() -> None:
    assert set(translations("skin")) >= {"huid", "cutaan"}


def test_rare_only_steers_next_to_a_word_that_says_which_cancer() -> None:
    # "a rare cancer called chordoma" found the rare tumours' group first ("rare cancer"
    # is its name), and "called" was a word to search for.
    u = understand("I was just diagnosed with a rare cancer called chordoma", None, "en")
    assert [(t.word, t.optional) for t in u.terms] == [
        ("rare", True),
        ("cancer", True),  # before "called" it only describes what follows
        ("chordoma", False),
    ]
    # Alone with a word for cancer, "zeldzame" is what the query is about; next to a
    # growth in a part of the body it asks for the rare tumours of that part.
    assert [t.optional for t in understand("zeldzame kanker").terms] == [False, False]
    for text in ("zeldzame longkanker", "zeldzame dikkedarmkanker", "rare lung cancer"):
        assert not any(t.optional for t in understand(text).terms), text


def test_a_head_is_the_brain_or_the_head_and_neck() -> None:
    u = understand("tumor in mijn hoofd")
    assert u.ambiguous == ("hoofd",)
    (head,) = [t for t in u.terms if t.word == "hoofd"]
    assert {a.surface for a in head.alternatives} >= {"hoofd", "hersenen", "brain"}


@pytest.mark.parametrize(
    ("word", "disease"),
    [
        ("chordoom", True),
        ("liposarcoom", True),  # begins with "lip", names a disease all the same
        ("paraganglioma", True),
        ("longkanker", False),  # a growth in a part of the body
        ("dikkedarmkanker", False),
        ("canal", False),  # a passage of a part of the body
        ("zeldzame", False),
        ("tumor", False),
        ("hals", False),
        ("type", False),  # "a rare type of lung cancer" asks for the rare lung tumours
    ],
)
def test_which_words_name_a_disease(word: str, disease: bool) -> None:
    assert names_a_disease(word) is disease


def test_a_doctors_note_about_the_patient_is_no_search_word() -> None:
    # "pt met C49.2 liposarcoom dij": "pt" found the soft-tissue sarcoma group before
    # the liposarcoma; "vrouw 45 jaar" found OLVG (Onze Lieve Vrouwe Gasthuis) second.
    for text, lang, words in (
        ("pt met C49.2 liposarcoom dij, verwijzing", "nl", ("liposarcoom", "dij")),
        ("vrouw 45 jaar met granulosaceltumor", "nl", ("granulosaceltumor",)),
        ("62yo male, C22.1 cholangiocarcinoma, advice", "en", ("cholangiocarcinoma",)),
        ("pat. met thymoom", "nl", ("thymoom",)),
    ):
        assert understand(text, gazetteer(), lang).words == words, text
    # Without an age a man is what the query is about ("borstkanker bij mannen").
    assert "mannen" in understand("borstkanker bij mannen").words
    assert understand("jongen van 12 met botkanker").audience == ("children",)
    assert understand("meisje 8jr botkanker").audience == ("children",)


def test_a_negation_stays_with_the_word_it_negates() -> None:
    # "niet" is a stop word: "niet hodgkin lymfoom" found Hodgkin lymphoma first.
    u = understand("niet hodgkin lymfoom")
    assert u.words == ("niethodgkin", "lymfoom")
    (term,) = [t for t in u.terms if t.word == "niethodgkin"]
    assert "nonhodgkin" in {a.surface for a in term.alternatives}
    # Non-small cell lung cancer is the common one, not small cell lung cancer.
    assert understand("niet kleincellig longcarcinoom").words == ("nsclc", "longcarcinoom")
    assert understand("non small cell lung cancer", None, "en").common is not None
    # "niet" before any other word is still a stop word.
    assert understand("ze weten niet waar de tumor zit").words == ("tumor", "zit")


def test_a_part_of_the_body_is_never_completed_as_a_prefix() -> None:
    # "cheek" found CHEK2 (a gene, typed as a lay term of hereditary breast cancer).
    last = understand("cancer in my cheek", None, "en").terms[-1]
    assert last.word == "cheek"
    assert not any(a.prefix for a in last.alternatives)
    assert any(a.prefix for a in understand("chondrosarc").terms[-1].alternatives)


def test_a_size_is_no_word_and_a_number_by_the_sex_is_an_age() -> None:
    u = understand("mevr 67 jr, GIST maag 6 cm, mdo?")
    assert [t.word for t in u.terms if not t.context] == ["gist", "maag", "mdo"]
    assert understand("GIST maag 6cm").terms[-1].word == "maag"
    u = understand("vrouw 38 met granulosaceltumor")
    assert [t.word for t in u.terms if not t.context] == ["granulosaceltumor"]
    assert "38" in u.context
    assert [t.word for t in understand("men type 2").terms][-1] == "2"  # no age, no size
