"""The rare cancers people look up most name their centres, each with its source, or say
plainly that none is named and give the route that exists (issue 10, point 2); closed
hospitals lead to their successor (point 3). On the bundled catalogue."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from directory.paths import Permalinks, entity_path

# condition -> institutions the bundled sources name for it (own, or for its group)
NAMED = {
    3394: {"nki-avl", "amsterdam-umc", "erasmus-mc", "lumc", "mumc-plus", "radboudumc", "umcg"},
    44890: {"nki-avl"},  # GIST
    223727: {"amsterdam-umc", "lumc", "radboudumc", "umcg"},  # bone sarcoma
    668: {"amsterdam-umc", "lumc", "radboudumc", "umcg"},  # osteosarcoma, via bone sarcoma
    39044: {"lumc", "het-oogziekenhuis-rotterdam"},  # uveal melanoma
    790: {"amsterdam-umc"},  # retinoblastoma
    100092: {"umcu", "nki-avl", "amsterdam-umc"},  # GEP-NEN
    1501: {"lumc", "erasmus-mc", "umcg", "radboudumc", "maxima-mc"},  # adrenocortical
    79140: {"nki-avl", "erasmus-mc"},  # Merkel cell carcinoma
    254685: {"radboudumc"},  # gestational trophoblastic disease
    150: {"nki-avl", "umcu", "erasmus-mc", "umcg", "amsterdam-umc"},  # nasopharyngeal carcinoma
    631251: {"nki-avl", "lumc"},  # cancer of unknown primary
    178: {"amsterdam-umc", "lumc", "radboudumc", "umcg"},  # chordoma, the bone-tumour centres
    50251: {"nki-avl"},  # pleural mesothelioma
    182067: {"haaglanden-mc", "umcg", "mumc-plus", "amsterdam-umc", "etz"},  # glioma
    46135: {"erasmus-mc"},  # primary CNS lymphoma, its brain tumour centre
    55881: {"amsterdam-umc", "lumc", "radboudumc", "umcg"},  # adamantinoma
    658590: {"het-oogziekenhuis-rotterdam"},  # eyelid sebaceous carcinoma
    97289: {"nki-avl"},  # thymic carcinoid
    636: {"erasmus-mc"},  # neurofibromatosis type 1, its ENCORE centre
    637: {"lumc"},  # NF2-related schwannomatosis, its nerve centre
    201: {"radboudumc"},  # Cowden syndrome, through PTEN hamartoma tumour syndrome
    70482: {"umcg", "lumc", "amsterdam-umc"},  # oesophageal carcinoma, own hospital profiles
    # leiomyosarcoma of the small intestine, the sarcoma centres
    104076: {"nki-avl", "amsterdam-umc", "erasmus-mc", "lumc", "mumc-plus", "radboudumc", "umcg"},
    502363: {"umcg", "umcu", "erasmus-mc", "amsterdam-umc"},  # oral cavity SCC
    145: {"nki-avl", "erasmus-mc"},  # hereditary breast-ovarian cancer syndrome
    144: {"nki-avl", "erasmus-mc"},  # Lynch syndrome
    252175: {"umcg", "radboudumc", "etz"},  # vestibular schwannoma
    # pituitary tumours and craniopharyngioma, the expertise centres for pituitary disorders
    304055: {"umcg", "amsterdam-umc", "erasmus-mc", "lumc", "radboudumc", "umcu"},
    54595: {"umcg", "amsterdam-umc", "erasmus-mc", "lumc", "radboudumc", "umcu"},
    85443: {"umcg"},  # AL amyloidosis, its amyloidosis expertise centre
    314701: {"umcg"},  # primary systemic amyloidosis, through AL amyloidosis
    168999: {"umcu"},  # mucosal melanoma, its melanoma centre page
    # tenosynovial giant cell tumour and desmoid tumour, the sarcoma centres
    66627: {"nki-avl", "amsterdam-umc", "erasmus-mc", "lumc", "mumc-plus", "radboudumc", "umcg"},
    873: {"nki-avl", "amsterdam-umc", "erasmus-mc", "lumc", "mumc-plus", "radboudumc", "umcg"},
    321: {"olvg"},  # multiple osteochondromas, its HME-MO centre
    210589: {"radboudumc"},  # rare infantile haemangiomas, its HECOVAN centre
    137935: {"radboudumc"},  # airway infantile haemangioma, through rare infantile haemangioma
    562: {"amsterdam-umc"},  # McCune-Albright syndrome, its fibrous dysplasia centre
    52: {"umcg"},  # Alagille syndrome, where almost all Dutch patients are operated on
    423776: {"nki-avl", "radboudumc"},  # hereditary gastric cancer, its NFU-certified centres
    97287: {"amsterdam-umc"},  # lung carcinoid, its NET expertise centre page
    100100: {"nki-avl", "erasmus-mc", "mumc-plus"},  # thymic tumour group, the thymus centres
    252131: {"lumc"},  # benign peripheral nerve sheath tumours, its nerve centre
    252164: {"lumc"},  # benign schwannoma, through the benign nerve sheath tumours
    252183: {"lumc"},  # neurofibroma, the national centre for its surgery
    252025: {"umcg"},  # tumour of the meninges, its brain and skull-base tumour centre
    263662: {"umcg"},  # familial multiple meningioma, through the tumours of the meninges
    524: {"radboudumc"},  # Li-Fraumeni syndrome, the coordinator of ERN GENTURIS
    404560: {"radboudumc", "lumc"},  # FAMMM syndrome; LUMC through its 2015 recognition
    # familial colorectal cancer type X, through hereditary nonpolyposis colon cancer
    440437: {"radboudumc"},
    906: {"erasmus-mc"},  # Wiskott-Aldrich syndrome, its primary immunodeficiency centre
    540: {"erasmus-mc"},  # familial HLH, through the inherited lymphoproliferative syndromes
    458775: {"amsterdam-umc", "erasmus-mc", "radboudumc", "umcu"},  # congenital haemangioma
    141179: {"amsterdam-umc", "erasmus-mc", "radboudumc", "umcu"},  # NICH, vascular anomaly centres
    1059: {"amsterdam-umc", "erasmus-mc", "radboudumc", "umcu"},  # blue rubber bleb naevus
    542: {"lumc"},  # primary cutaneous lymphoma, its referral centre (recognised 2015)
    2584: {"lumc"},  # classic mycosis fungoides, through the cutaneous lymphomas
    3162: {"lumc"},  # Sézary syndrome
    31112: {"erasmus-mc"},  # dermatofibrosarcoma protuberans, its rare skin disease centre
    626: {"erasmus-mc", "amsterdam-umc"},  # large congenital naevus (NNN names both)
    618: {"radboudumc", "lumc"},  # familial melanoma, LUMC's recognised centre
    # rare uterine cancer and rare uterine adnexal tumour, the gynaecological cancer centres
    213564: {"umcg", "catharina", "erasmus-mc"},
    180220: {"umcg", "catharina", "erasmus-mc"},
    # polyposis, kidney-cancer and other rare syndromes on ERN GENTURIS's own pages,
    # the network's coordinator
    247798: {"radboudumc"},  # MUTYH-related polyposis
    401911: {"radboudumc"},  # AXIN2-related polyposis
    447877: {"radboudumc"},  # polymerase proofreading-related polyposis
    454840: {"radboudumc"},  # NTHL1-related polyposis
    480536: {"radboudumc"},  # MSH3-related polyposis
    661526: {"radboudumc"},  # MBD4-related tumour predisposition syndrome
    2929: {"radboudumc"},  # juvenile polyposis syndrome
    329971: {"radboudumc"},  # generalised juvenile polyposis, through juvenile polyposis
    79076: {"radboudumc"},  # juvenile polyposis of infancy, through juvenile polyposis
    2869: {"radboudumc"},  # Peutz-Jeghers syndrome
    157798: {"radboudumc"},  # serrated polyposis syndrome
    157794: {"radboudumc"},  # hereditary mixed polyposis syndrome
    122: {"radboudumc"},  # Birt-Hogg-Dubé syndrome
    523: {"radboudumc"},  # hereditary leiomyomatosis and renal cell cancer
    47044: {"radboudumc"},  # hereditary papillary renal cell carcinoma
    289539: {"radboudumc"},  # BAP1 tumour predisposition syndrome
    252202: {"radboudumc"},  # constitutional mismatch repair deficiency
    319462: {"radboudumc"},  # cancer predisposition due to biallelic BRCA2 variants
    910: {"erasmus-mc"},  # xeroderma pigmentosum
    90342: {"erasmus-mc"},  # xeroderma pigmentosum variant
    220295: {"erasmus-mc"},  # xeroderma pigmentosum-Cockayne syndrome complex
    191: {"erasmus-mc"},  # Cockayne syndrome
    90321: {"erasmus-mc"},  # Cockayne syndrome type 1, through Cockayne syndrome
    1466: {"erasmus-mc"},  # COFS syndrome, through Cockayne syndrome
    634518: {"radboudumc"},  # neurofibromatosis/schwannomatosis (group)
    377: {"mumc-plus"},  # Gorlin syndrome
    88673: {"amsterdam-umc", "lumc", "mumc-plus", "olvg"},  # hepatocellular carcinoma
    70567: {"amsterdam-umc", "lumc", "mumc-plus", "olvg"},  # cholangiocarcinoma
    56044: {"amsterdam-umc", "mumc-plus", "olvg"},  # gallbladder/bile duct carcinoma
}
# condition -> the route a page gives when no source names a centre
ROUTE_ONLY = {
    480553: "commissie-voor-beentumoren",  # aneurysmal bone cyst
    33226: "hovon-diagnostische-panels",  # Waldenström macroglobulinaemia
}


def _expertise(html: str) -> str:
    start = html.find('<section aria-labelledby="h-expertise"')
    return html[start : html.find("</main>")]


@pytest.mark.parametrize(("code", "expected"), sorted(NAMED.items()))
def test_the_condition_page_names_its_centres_with_who_says_so(
    client: TestClient, code: int, expected: set[str]
) -> None:
    for lang in ("nl", "en"):
        html = _expertise(client.get(entity_path("condition", code, lang)).text)
        segment = "instelling" if lang == "nl" else "institution"
        named = set(re.findall(rf'href="/{lang}/{segment}/([a-z0-9-]+)"', html))
        assert expected <= named, (code, lang, expected - named)
        said_by = "Wie zegt dit:" if lang == "nl" else "Who says so:"
        assert said_by in html
        assert 'rel="external noopener"' in html  # the source is linked


@pytest.mark.parametrize(("code", "slug"), sorted(ROUTE_ONLY.items()))
def test_without_a_named_centre_the_page_says_so_and_gives_the_route(
    client: TestClient, links: Permalinks, code: int, slug: str
) -> None:
    html = _expertise(client.get(entity_path("condition", code, "en")).text)
    assert "No source we know of names a centre specifically for" in html
    assert f'href="{links.path("panel", slug, "en")}"' in html


def test_children_see_the_childrens_centre_apart_from_the_adults_centres(
    client: TestClient,
) -> None:
    html = _expertise(client.get(entity_path("condition", 635, "en")).text)  # neuroblastoma
    children = html[html.find('id="h-exp-children"') :]
    assert 'href="/en/institution/prinses-maxima-centrum"' in children
    adults = html[: html.find('id="h-exp-children"')]
    assert "prinses-maxima-centrum" not in adults


def test_children_with_fanconi_anaemia_see_the_bone_marrow_failure_centre(
    client: TestClient,
) -> None:
    html = _expertise(client.get(entity_path("condition", 84, "en")).text)  # Fanconi anaemia
    children = html[html.find('id="h-exp-children"') :]
    assert 'href="/en/institution/lumc"' in children
    adults = html[: html.find('id="h-exp-children"')]
    assert 'href="/en/institution/lumc"' not in adults


@pytest.mark.parametrize(
    ("old_name", "successor"),
    [
        ("MC Zuiderzee Lelystad", "ziekenhuis-st-jansdal"),
        ("Havenziekenhuis", "erasmus-mc"),
    ],
)
def test_an_old_hospital_name_finds_the_hospital_that_took_over(
    client: TestClient, old_name: str, successor: str
) -> None:
    hits = client.get("/api/search", params={"q": old_name, "lang": "nl"}).json()["hits"]
    assert hits[0]["kind"] == "institution"
    assert hits[0]["id"] == successor
    assert all(h["id"] not in ("mc-groep", "havenziekenhuis") for h in hits)


def test_a_closed_hospitals_permalink_leads_to_its_successor(client: TestClient) -> None:
    r = client.get(entity_path("institution", "havenziekenhuis", "nl"))
    assert r.status_code == 301
    assert r.headers["location"] == entity_path("institution", "erasmus-mc", "nl")
    page = client.get(entity_path("institution", "erasmus-mc", "en")).text
    assert "Took over" in page
    assert "Havenziekenhuis" in page


def test_a_hospital_that_closed_without_a_successor_is_found_as_closed(
    client: TestClient,
) -> None:
    # "MC Emmeloord" found other hospitals with "MC" in their name: the closed hospital
    # was not in the index, although its page says what became of it.
    hits = client.get("/api/search", params={"q": "MC Emmeloord", "lang": "nl"}).json()["hits"]
    assert (hits[0]["id"], hits[0]["status"]) == ("mc-emmeloord", "closed")
    assert all(h["status"] == "active" for h in hits[1:])
    html = client.get("/nl/zoeken", params={"q": "MC Emmeloord"}).text
    assert "· gesloten" in html
    assert "· closed" in client.get("/en/search", params={"q": "MC Emmeloord"}).text
    # MC Slotervaart (Amsterdam, bankrupt in 2018) found nothing at all.
    hits = client.get("/api/search", params={"q": "Slotervaartziekenhuis"}).json()["hits"]
    assert (hits[0]["id"], hits[0]["status"]) == ("mc-slotervaart", "closed")
    page = client.get(entity_path("institution", "mc-slotervaart", "nl")).text
    assert "Dit ziekenhuis is gesloten" in page
    assert "25 oktober 2018" in page
    # It is never a place to go: not among the hospitals near Emmeloord.
    near = client.get("/api/search", params={"q": "ziekenhuis bij Emmeloord"}).json()["hits"]
    assert near
    assert "mc-emmeloord" not in {h["id"] for h in near}
    # A hospital with a successor stays a former name of the successor (above).
    assert client.get("/api/search", params={"q": "Havenziekenhuis"}).json()["hits"][0][
        "status"
    ] == ("active")


def test_cancer_in_pregnancy_finds_the_advisory_board_first(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "kanker in de zwangerschap"}).json()["hits"]
    assert hits[0]["id"] == "adviesgroep-kanker-in-de-zwangerschap"


# -- the route card (issue 13, point 1) ---------------------------------------------------------


def _card(html: str) -> str:
    start = html.find('<section aria-labelledby="h-route"')
    assert start >= 0, "no route card"
    return html[start : html.find("</section>", start)]


def test_the_route_card_comes_first_and_names_up_to_three_places(client: TestClient) -> None:
    html = client.get(entity_path("condition", 3394, "nl")).text
    assert html.find('id="h-route"') < html.find('<dl class="facts">')
    card = _card(html)
    places = re.findall(r'<li class="place">.*?href="/nl/instelling/([a-z0-9-]+)[?"]', card, re.S)
    assert len(places) == 3
    assert "Onze bronnen noemen nog 4 ziekenhuizen" in card
    assert "Wie zegt dit:" in card
    assert "Kan ik er zelf heen?" in card
    assert "Hoe vraag ik een second opinion?" in card


def test_a_postcode_puts_the_nearest_place_first_with_its_distance(client: TestClient) -> None:
    groningen = _card(
        client.get(entity_path("condition", 3394, "nl"), params={"near": "9712"}).text
    )
    first = re.search(
        r'<li class="place">.*?href="/nl/instelling/([a-z0-9-]+)[?"]', groningen, re.S
    )
    assert first is not None
    assert first.group(1) == "umcg"
    assert "km van 9712 (Groningen)" in groningen
    maastricht = _card(
        client.get(entity_path("condition", 3394, "en"), params={"near": "6229"}).text
    )
    first = re.search(
        r'<li class="place">.*?href="/en/institution/([a-z0-9-]+)[?"]', maastricht, re.S
    )
    assert first is not None
    assert first.group(1) == "mumc-plus"
    unknown = _card(
        client.get(entity_path("condition", 3394, "en"), params={"near": "Atlantis"}).text
    )
    assert "We could not find Atlantis" in unknown


def test_without_a_named_hospital_the_card_gives_the_panel_for_the_doctor(
    client: TestClient,
) -> None:
    card = _card(client.get(entity_path("condition", 480553, "en")).text)  # bone cyst
    assert "No source we know of names a hospital for" in card
    assert "submit the case to" in card
    assert 'href="/en/expert-panel/netherlands-committee-on-bone-tumours"' in card


def test_a_childhood_cancer_card_leads_children_to_their_centre(client: TestClient) -> None:
    card = _card(client.get(entity_path("condition", 635, "en")).text)  # neuroblastoma
    assert "For children:" in card
    # A source does name a centre, for children: "no source names a hospital for
    # neuroblastoma" was not true.
    assert "No source we know of names a hospital for adults with Neuroblastoma." in card
    assert "names a hospital for Neuroblastoma" not in card
    assert 'href="/en/institution/prinses-maxima-centrum"' in card
    assert "refer a child to" in card
    assert "contact a university medical centre" not in card


# -- patient organisations (issue 13, point 5) -------------------------------------------------


@pytest.mark.parametrize(
    ("code", "organisation"),
    [
        (39044, "stichtingmelanoom.nl"),  # uveal melanoma
        (319, "sarcomen.nl"),  # Ewing sarcoma, through bone sarcoma
        (254685, "kanker.nl/kankersoorten/trofoblastziekten"),  # trophoblastic disease
        (50251, "asbestslachtoffer.nl"),  # pleural mesothelioma
        (1332, "schildklier.nl"),  # medullary thyroid carcinoma, through rare thyroid carcinoma
        (29073, "hematon.nl"),  # multiple myeloma, through the haematological group
        (26106, "spks.nl"),  # hereditary diffuse gastric cancer, through rare stomach carcinoma
        (54595, "hypofyse.nl"),  # craniopharyngioma
    ],
)
def test_a_condition_page_links_its_patient_organisation(
    client: TestClient, code: int, organisation: str
) -> None:
    html = client.get(entity_path("condition", code, "nl")).text
    start = html.find('id="h-support"')
    assert start >= 0
    support = html[start : html.find("</section>", start)]
    assert organisation in support
    # the most specific first, the platform for every rare cancer last
    assert support.find(organisation) < support.find("zeldzamekankers.nl")


def test_a_patient_organisation_is_not_linked_where_it_is_excluded(client: TestClient) -> None:
    html = client.get(entity_path("condition", 50251, "en")).text  # pleural mesothelioma
    assert "longkankernederland.nl" not in html


def test_a_syndrome_page_links_its_patient_organisation(client: TestClient) -> None:
    # inherited syndromes sit outside "rare tumour", so the platform for rare cancers is not
    # shown there; the syndrome's own organisation is (second round)
    for code, organisation in (
        (144, "lynch-polyposis.nl"),  # Lynch syndrome
        (733, "lynch-polyposis.nl"),  # familial adenomatous polyposis
        (636, "neurofibromatose.nl"),  # neurofibromatosis type 1
        (805, "stsn.nl"),  # tuberous sclerosis complex
        (626, "nevusnetwerk.nl"),  # large/giant congenital melanocytic naevus
        (2481, "nevusnetwerk.nl"),  # neurocutaneous melanocytosis
    ):
        html = client.get(entity_path("condition", code, "nl")).text
        start = html.find('id="h-support"')
        assert start >= 0, code
        assert organisation in html[start : html.find("</section>", start)], code


def test_the_thyroid_organisation_is_not_linked_on_men2(client: TestClient) -> None:
    # Schildklier Organisatie Nederland is for thyroid cancer; MEN2 sits under the rare
    # thyroid carcinomas in Orphanet but is a syndrome the organisation's pages do not name
    html = client.get(entity_path("condition", 247698, "nl")).text  # MEN2A
    assert "schildklier.nl" not in html
    html = client.get(entity_path("condition", 146, "nl")).text  # differentiated thyroid cancer
    assert "schildklier.nl" in html


def test_lymphomas_that_do_not_start_in_the_skin_do_not_reach_the_cutaneous_lymphoma_centre(
    client: TestClient,
) -> None:
    # LUMC's records and its 2015 recognition for cutaneous lymphomas (542) leave out adult
    # T-cell leukaemia/lymphoma and extranodal nasal NK/T-cell lymphoma
    for code in (86875, 86879):
        html = _expertise(client.get(entity_path("condition", code, "en")).text)
        assert 'href="/en/institution/lumc"' not in html, code
