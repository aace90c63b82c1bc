"""Names people use: old and merged hospital names, groups described in Dutch, places."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT
from directory.errors import InputRejected
from directory.expertise.search_aliases import AliasView
from importers.base import SourceFile
from importers.search_aliases import parse_search_aliases
from search.documents import descriptions, with_aliases
from search.engine import SearchDocument, SearchQuery
from search.hierarchy import mark_benign
from tests.support.editor import copy_sqlite
from tests.support.search import condition

HEADER = "kind,slug,lang,alias,source,certainty,note\n"
ROOT = PROJECT_ROOT


def test_the_parser_checks_every_row() -> None:
    data = HEADER + (
        "institution,erasmus-mc,,Dijkzigt,merged 2002,public-knowledge,\n"
        "hospital,erasmus-mc,,Dijkzigt,x,,bad kind\n"
        "institution,Erasmus MC,,Dijkzigt,x,,bad slug\n"
        "institution,erasmus-mc,fr,Dijkzigt,x,,bad language\n"
        "institution,erasmus-mc,,,x,,no alias\n"
        "institution,erasmus-mc,,AZR,,,no source\n"
        "institution,erasmus-mc,,dijkzigt,x,,twice\n"
        "institution,erasmus-mc,,AZR,x,sure,bad certainty\n"
        f"institution,erasmus-mc,,Oud,{'x' * 501},,source too long for the catalogue\n"
    )
    with pytest.raises(InputRejected) as e:
        parse_search_aliases(SourceFile("a.csv", data.encode()))
    assert [p.field for p in e.value.problems] == [
        "kind", "slug", "lang", "alias", "source", "alias", "certainty", "source",
    ]  # fmt: skip


def test_an_alias_of_an_unknown_entity_is_refused(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from directory.db import make_engine, make_session_factory
    from directory.editorial.corrections import EDITOR_CORRECTIONS
    from directory.expertise.services import ExpertiseService

    # A copy: a refused release is recorded as a failed run, and the loaded catalogue is
    # shared with every test of this process (the upload tests count its failed runs).
    copy = tmp_path / "catalogue.sqlite3"
    copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), copy)
    engine = make_engine(f"sqlite:///{copy}")
    service = ExpertiseService(make_session_factory(engine), EDITOR_CORRECTIONS)
    bad = parse_search_aliases(
        SourceFile("a.csv", (HEADER + "institution,no-such-hospital,,X,y,,\n").encode())
    )[0]
    with pytest.raises(InputRejected) as e:
        service.apply_search_aliases(bad, dry_run=True)
    engine.dispose()
    assert "no-such-hospital" in e.value.problems[0].reason


def test_aliases_are_searchable_names_in_their_language() -> None:
    doc = SearchDocument(
        id="institution:x", kind="institution", entity_id="x", title_nl="X", title_en="X",
        names_nl=("X",), names_en=("X",),
    )  # fmt: skip
    folded = with_aliases(
        doc,
        [
            AliasView("Dijkzigt", None, "s"),
            AliasView("Oud", "nl", "s"),
            AliasView("AZR", None, "s"),
        ],
    )
    assert folded.names_nl == ("X", "Dijkzigt", "Oud", "AZR")
    assert folded.names_en == ("X", "Dijkzigt", "AZR")
    assert "AZR" in folded.codes  # an abbreviation is also a code


def test_groups_are_described_in_both_languages() -> None:
    nl, en = descriptions(
        "national_working_group",
        "Sarcomen en andere tumoren van bot en weke delen.",
        "Sarcomas and other tumours of bone and soft tissue.",
    )
    assert nl == "Landelijke werkgroep: sarcomen en andere tumoren van bot en weke delen"
    assert en == "National working group: sarcomas and other tumours of bone and soft tissue"
    assert descriptions("panel", None, "Thymic tumours.") == (
        "Expertpanel: thymic tumours",
        "Expert panel: thymic tumours",
    )


def test_a_groups_description_is_what_it_covers_not_the_notes_after_it() -> None:
    # "Dit is geen zeldzame kanker" made the panel answer "zeldzame dikkedarmkanker".
    nl, en = descriptions(
        "panel",
        "Uitzaaiingen in de lever van dikkedarmkanker. Dit is geen zeldzame kanker.",
        "Liver metastases of colorectal cancer. This is not a rare cancer.",
    )
    assert nl == "Expertpanel: uitzaaiingen in de lever van dikkedarmkanker"
    assert en == "Expert panel: liver metastases of colorectal cancer"
    # A full stop inside the sentence ("o.a.", a number) does not end it.
    assert descriptions("panel", "Tumoren o.a. van de lever, 2.5 cm.", None)[0] == (
        "Expertpanel: tumoren o.a. van de lever, 2.5 cm"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dijkzigt", "institution:erasmus-mc"),
        ("protonentherapie", "institution:umcg"),
        ("protonentherapie", "institution:hollandptc"),
        ("protonenbestraling", "institution:maastro"),
        ("zon-ptc", "institution:maastro"),
        ("azg", "institution:umcg"),
        ("academisch ziekenhuis leiden", "institution:lumc"),
        ("groot ziekengasthuis", "institution:jeroen-bosch"),
        ("werkgroep neuro-endocriene tumoren", "working_group:dbnets"),
        ("neuroendocrine tumour working group", "working_group:dbnets"),
        ("werkgroep voor leukemie en lymfoom", "working_group:hovon"),
        ("oncologienetwerk groningen", "network:groningen-drenthe"),
        ("regional oncology network friesland", "network:oncologisch-netwerk-friesland"),
    ],
)
def test_the_bundled_catalogue_knows_the_names(loaded, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    hits = loaded.engine.search(SearchQuery(text=query)).hits
    assert expected in [h.id for h in hits[:3]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ziekenhuis groningen", {"institution:umcg", "institution:martini"}),
        ("ziekenhuis zwolle", {"institution:isala"}),
        ("academisch ziekenhuis nijmegen", {"institution:radboudumc"}),
        ("kanker ziekenhuis amsterdam", {"institution:nki-avl", "institution:amsterdam-umc"}),
        ("children's hospital rotterdam", {"institution:erasmus-mc"}),
    ],
)
def test_a_place_without_a_preposition_finds_its_hospitals(
    loaded, query: str, expected: set[str]
) -> None:  # type: ignore[no-untyped-def]
    results = loaded.engine.search(
        SearchQuery(text=query, lang="en" if "hospital" in query else "nl")
    )
    assert results.location is not None
    assert expected & {h.id for h in results.hits[:2]}


def test_benign_conditions_are_marked_by_name_or_group() -> None:
    docs = mark_benign(
        [
            condition(1, "Rare benign breast tumor", level="group", children=(2, 3)),
            condition(2, "Giant adenofibroma of the breast", parents=(1,)),
            condition(3, "Malignant phyllodes tumor", parents=(1,)),
            condition(4, "Benign schwannoma"),
            condition(5, "Chondrosarcoma"),
            condition(6, "Goedaardige vaattumor", "Goedaardige vaattumor"),
        ]
    )
    assert [d.benign for d in docs] == [True, True, False, True, False, True]


@pytest.mark.parametrize(
    ("query", "lang", "expected", "never"),
    [
        # "keel" is not "cel": not Merkel *cell* or granulosa *cell* cancer
        ("keelkanker", "nl", "condition:67037", {"condition:79140", "condition:99915"}),
        ("throat cancer", "en", "condition:67037", {"condition:79140", "condition:99915"}),
        # "oor" is not "or": not "Macrophage or histiocytic tumor"
        ("ear tumour", "en", "condition:100084", {"condition:98288", "condition:79386"}),
        ("tumor in mijn oor", "nl", "condition:98061", {"condition:79386"}),
        # an adult steers, it does not find every name with "adult" in it
        ("hersentumor bij volwassenen", "nl", "condition:98062", {"condition:874"}),
        ("eye cancer in adults", "en", "condition:101950", {"condition:210159"}),
        # a melanoma in the mouth or nose is the mucosal melanoma, not mouth cancer
        ("melanoom in mijn neus", "nl", "condition:168999", set()),
        ("melanoma in the mouth", "en", "condition:168999", set()),
        # no name pairs the spleen with a cancer word: the spleen's tumours, not definitions
        ("miltkanker", "nl", "condition:86854", set()),
        # the pelvis is read like a limb: its bone and soft tissue
        ("tumor in mijn bekken", "nl", "condition:68411", set()),
        # "cancer" next to an organ also matches the tumours the catalogue names, before
        # a working group whose description holds every word
        ("rare thyroid cancer", "en", "condition:100088", set()),
        ("rare colon cancer", "en", "condition:423991", set()),
        # a bone of the trunk is read like a limb: "borstbeen" (sternum) is no breast
        ("tumor borstbeen", "nl", "condition:68411", {"condition:180261"}),
        # the epididymis leads to the paratesticular tumours
        ("bijbaltumor", "nl", "condition:363472", set()),
        # small parts and an old word lead to the broader site the catalogue names
        ("strottenklepje kanker", "nl", "condition:494550", set()),
        ("kanker aan de huig", "nl", "condition:500478", set()),
        ("buikspeekselklierkanker", "nl", "condition:180824", set()),
        # a compound whose last part has three letters ("bot") was left out: "kanker in
        # het kaakbot" found every cancer (the general page, penile cancer, ...)
        ("kanker in het kaakbot", "nl", "condition:314422", {"condition:398043"}),
        # a growth word is not joined to the part after it ("tumorhals" is "tumorale")
        ("zeldzame tumor in de hals", "nl", "condition:290849", {"condition:250908"}),
        # a disease's name outweighs a part of the body its names do not hold: with a
        # penalty of 40 for the missing neck, "paraganglioma neck" found head and neck
        # squamous cell carcinoma first
        ("paraganglioma neck", "en", "condition:573163", set()),
        ("paraganglioom in de hals", "nl", "condition:573163", set()),
        # heredity in the words people use: genetic testing, cancer in the family
        ("erfelijkheidsonderzoek kanker", "nl", "condition:140162", {"condition:398043"}),
        ("kanker in de familie", "nl", "condition:140162", set()),
        # "T-cell": the letter stays with its cell
        ("cutaneous t cell lymphoma", "en", "condition:171901", {"condition:178563"}),
        # a part of the body before a compound no name holds: what the rest names
        # ("kaakbotkanker" found nothing at all)
        ("kaakbotkanker", "nl", "condition:223727", set()),
        # small parts of the body in two English words, and their broader site
        ("tumour of the tear gland", "en", "condition:101950", {"condition:182130"}),
        ("kidney pelvis cancer", "en", "condition:598216", set()),
        ("brain lining tumour", "en", "condition:252025", set()),
        # a kind of tumour after a word no name holds: the kind alone ("ivoorosteoom", an
        # ivory osteoma, found nothing at all)
        ("ivoorosteoom", "nl", "condition:674965", set()),
        # how a lump grows says nothing of what it is ("snelgroeiende" matched a
        # definition's words: the GRF tumour came first), and the thigh is a limb
        ("snelgroeiende knobbel in dij", "nl", "condition:71209", {"condition:97261"}),
        ("orbit tumour", "en", "condition:52994", set()),
        # "klierkanker" is what many call lymphoma
        ("klierkanker", "nl", "condition:223735", set()),
        # benign tumours of bone and the sweat gland carcinomas, which Orphanet does not
        # list on their own, lead to their group
        ("osteoid osteoma", "en", "condition:68411", set()),
        ("chondroblastoom", "nl", "condition:68411", set()),
        ("zweetklierkanker", "nl", "condition:79386", set()),
        # a doctor's note: a number next to the sex is an age, a size is no word
        # ("vrouw 38" found OLVG, the Onze Lieve Vrouwe Gasthuis; "4 cm" MEN type 4), and
        # "verdenking" (suspected) is how it is asked
        ("vrouw 38 met granulosaceltumor ovarium", "nl", "condition:99915", {"institution:olvg"}),
        (
            "bijnierincidentaloom 4 cm",
            "nl",
            "condition:100091",
            {"condition:99812", "condition:276152"},
        ),
        ("pheo verdenking", "nl", "condition:573163", set()),
        # "that does not go away" says how a lump behaves, not what it is: as a word that
        # says what, it took the limb's tissues away (the thymic tumours came first)
        ("bult in de lies die niet weggaat", "nl", "condition:71209", {"condition:100100"}),
        ("lump in my groin that does not go away", "en", "condition:3394", {"condition:213531"}),
        # a gene people read in a letter from the geneticist
        ("RET mutation", "en", "condition:653", set()),
        ("TP53 mutatie", "nl", "condition:524", set()),
        ("MLH1", "nl", "condition:144", set()),
        # old names a doctor or an old letter still uses
        ("hypernefroom", "nl", "condition:217071", set()),
        ("askin tumor", "nl", "condition:319", {"condition:79386"}),
        ("lymfosarcoom", "nl", "condition:223735", set()),
        # the chest wall is read like a limb: its bone and soft tissue ("wall" was
        # completed to Waldenström's macroglobulinaemia, which came first)
        ("cancer in the chest wall", "en", "condition:223727", {"condition:33226"}),
        ("lump in the abdominal wall", "en", "condition:3394", set()),
        # a histiocytic neoplasm Orphanet's neoplasms do not list ("chester" was corrected
        # to "center": three hospitals came first)
        ("erdheim chester", "nl", "condition:98288", {"institution:haaglanden-mc"}),
        # the tailbone is read like a limb ("tumor in het staartbeen" found the general
        # rare-tumour page and the pituitary tumours)
        ("tumor in het staartbeen", "nl", "condition:68411", {"condition:304055"}),
        # benign salivary tumours by the names doctors use ("pleomorf adenoom" found the
        # undifferentiated pleomorphic sarcoma first, "warthin tumor" the pituitary)
        ("pleomorf adenoom", "nl", "condition:454821", set()),
        ("warthin tumor", "nl", "condition:276148", {"condition:304055"}),
        # the retroperitoneum is read like a limb: its soft tissue ("sarcoma
        # retroperitoneum" found the clear cell sarcoma of the kidney first), and a
        # referral "pathway" is how it is asked (it found the optic pathway glioma)
        ("sarcoma retroperitoneum referral pathway", "en", "condition:3394", {"condition:2086"}),
        ("LCNEC", "en", "condition:101945", set()),
        # the chest is a part of the body, never completed: "borstkas" was a prefix of
        # "borstkanker" (hereditary breast cancer came second)
        ("kanker in de borstkas", "nl", "working_group:nvalt", {"condition:227535"}),
    ],
)
def test_words_that_sound_alike_or_say_who_do_not_find_other_diseases(
    loaded, query: str, lang: str, expected: str, never: set[str]
) -> None:  # type: ignore[no-untyped-def]
    found = [h.id for h in loaded.engine.search(SearchQuery(text=query, lang=lang)).hits]
    assert expected in found[:3], (query, found[:5])
    assert not never & set(found[:5]), (query, found[:5])


def test_a_lay_word_for_a_group_lists_the_conditions_it_names_first(loaded) -> None:  # type: ignore[no-untyped-def]
    # "leukemie" is a lay term of the blood-cancer group, whose own members are groups and
    # syndromes (Bloom syndrome); the leukaemias are further down and come first.
    for lang, query in (("nl", "leukemie"), ("en", "leukaemia")):
        found = [h.id for h in loaded.engine.search(SearchQuery(text=query, lang=lang)).hits]
        assert found[0] == "condition:68347"
        leukaemias = {"condition:519", "condition:513", "condition:521", "condition:67038"}
        assert len(leukaemias & set(found[:8])) >= 3, found[:8]
        assert "condition:125" not in found[:8], found[:8]  # Bloom syndrome


def test_hereditary_reaches_familial_and_a_denied_word_does_not_count(loaded) -> None:  # type: ignore[no-untyped-def]
    # "hereditary" did not reach "familial", and the familial NON-medullary carcinoma
    # matched "medullary" (as a part of "nonmedullary", and with "niet" a stop word).
    for lang, query in (
        ("en", "hereditary medullary thyroid cancer"),
        ("nl", "erfelijk medullair schildkliercarcinoom"),
    ):
        found = [h.id for h in loaded.engine.search(SearchQuery(text=query, lang=lang)).hits]
        assert found[0] == "condition:99361", (query, found[:3])


@pytest.mark.parametrize(
    ("query", "lang", "first"),
    [
        # Left out as no name's word, "onderkaak" let any malignant tumour come first
        # (penile cancer); as a part of the body it keeps the jaw's tumours ahead.
        ("kwaadaardige tumor in de onderkaak", "nl", "condition:99880"),
        # what the tumour makes: the adrenal group came before the pheochromocytoma
        ("tumour that makes adrenaline", "en", "condition:573163"),
        # an age says who, not what ("oudere" was read as a typo of "other")
        ("AML bij ouderen", "nl", "condition:519"),
        ("AML elderly", "en", "condition:519"),
        # what a panel reviews asks for a panel, and only says which: "pathology panel
        # lymphoma" found the thymoma pathology panel first
        ("pathology panel lymphoma", "en", "panel:hovon-diagnostische-panels"),
        ("lymfoom pathologiepanel", "nl", "panel:hovon-diagnostische-panels"),
        ("pathologie revisie sarcoom", "nl", "condition:3394"),
        ("pathologie revisie thymoom", "nl", "panel:thymomenpanel-pathologie"),
        # what follows "called" names it; the words before only describe it
        ("my son has a brain tumour called medulloblastoma", "en", "condition:616"),
        ("mijn vader heeft een hersentumor genaamd glioblastoom", "nl", "condition:360"),
        (
            "mijn opa heeft een zeldzame huidkanker, merkelcel heet het geloof ik",
            "nl",
            "condition:79140",
        ),
        # a mole is the skin's, unless the words say pregnancy or name a molar pregnancy
        ("mole on my back", "en", "condition:294057"),
        ("changing mole", "en", "condition:294057"),
        ("complete mole", "en", "condition:254688"),
        ("mole pregnancy", "en", "condition:99927"),
        # a mucosa's melanoma in one word is the mucosal melanoma ("vulvamelanoom" found
        # uveal melanoma first: "vulva" was in no name)
        ("vulvamelanoom", "nl", "condition:168999"),
        ("anusmelanoom", "nl", "condition:168999"),
        # a rare form Orphanet does not list on its own ("low grade" found the
        # low-grade astrocytoma first)
        ("low grade serous ovarian", "en", "condition:398934"),
        # a part of the body alone, from a compound, is no abbreviation with its key
        # ("lippentumor" found lymphomatoid papulosis, "LyP", first)
        ("lippentumor", "nl", "condition:502366"),
    ],
)
def test_plain_words_lead_to_the_disease_first(loaded, query: str, lang: str, first: str) -> None:  # type: ignore[no-untyped-def]
    found = [h.id for h in loaded.engine.search(SearchQuery(text=query, lang=lang)).hits]
    assert found[0] == first, (query, found[:5])


def test_words_that_only_describe_are_searched_when_the_name_is_unknown(loaded) -> None:  # type: ignore[no-untyped-def]
    # "a tumour called pancoast": "pancoast" is in no name and "tumour" only describes it;
    # with nothing left to search for, it found nothing at all.
    for lang, query in (("en", "a tumour called pancoast"), ("nl", "een tumor genaamd xyzabc")):
        results = loaded.engine.search(SearchQuery(text=query, lang=lang))
        assert results.total > 0, query
