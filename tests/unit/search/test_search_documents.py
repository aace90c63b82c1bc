"""Search documents of the expertise catalogue (read from the loaded catalogue)."""

from __future__ import annotations

import pytest

from directory.expertise.queries import ExpertiseQueries
from search.documents import all_documents
from search.engine import SearchQuery


@pytest.fixture(scope="module")
def docs(loaded):
    return {d.id: d for d in all_documents(loaded.queries)}


@pytest.fixture(scope="module")
def expertise(loaded) -> ExpertiseQueries:
    return ExpertiseQueries(loaded.queries._sessions)


def test_one_document_per_institution_panel_group_and_network(docs, expertise) -> None:
    kinds: dict[str, int] = {}
    for d in docs.values():
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
    counts = expertise.counts()
    # A merged or closed hospital with a successor is not a document (its names are the
    # successor's); one closed without a successor is, marked closed, with no location.
    ended = [d for d in docs.values() if d.kind == "institution" and d.status != "active"]
    assert sorted((d.entity_id, d.status, d.locations) for d in ended) == [
        ("mc-emmeloord", "closed", ()),
        ("mc-slotervaart", "closed", ()),
    ]
    assert kinds["institution"] == counts.institutions - counts.institutions_ended + len(ended)
    assert kinds["panel"] == counts.panels
    assert kinds["working_group"] == counts.working_groups
    assert kinds["network"] == counts.networks


def test_an_institution_is_found_by_every_alias_with_a_point_per_main_site(docs, expertise) -> None:
    doc = docs["institution:amsterdam-umc"]
    assert {"AMC", "VUmc", "Amsterdam UMC locatie AMC"} <= set(doc.names_nl)
    assert "AMC" in doc.codes
    detail = expertise.institution("amsterdam-umc")
    assert detail is not None
    main = [s for s in detail.sites if s.kind != "outpatient_clinic" and s.lat is not None]
    assert len(doc.locations) == len({(s.lat, s.lon) for s in main}) >= 2
    assert doc.facets["network"] == ("onconovo-plus",)
    assert "ecza" in doc.facets["expertise"]


def test_an_institution_is_found_by_its_european_reference_networks(docs, loaded) -> None:
    # The networks have no page: "ERN GENTURIS" or "EURACAN" finds their Dutch members.
    radboud = docs["institution:radboudumc"]
    assert "ERN GENTURIS (" in radboud.text_nl
    assert "EURACAN (European Reference Network on rare adult solid cancers)" in (
        docs["institution:nki-avl"].text_en
    )
    assert "ERN" not in docs["institution:olvg"].text_nl
    hits = loaded.engine.search(SearchQuery(text="ERN GENTURIS", lang="nl")).hits
    assert hits[0].id == "institution:radboudumc"


def test_conditions_carry_their_expertise_as_facets(docs) -> None:
    ewing = docs["condition:319"]  # inherits from bone sarcoma and rare bone tumour
    assert "panel" in ewing.facets["expertise"]
    assert "ecza" in ewing.facets["expertise"]
    assert "lumc" in ewing.facets["institution"]
    assert ewing.facets["euracan_domain"] == ("sarcoma",)
    gtn = docs["condition:59305"]  # an ECZA recognition of its own
    assert gtn.boost > docs["condition:319"].boost


def test_panels_and_groups_are_found_by_short_names(docs) -> None:
    thymus = docs["panel:landelijk-mdo-thymustumoren"]
    assert thymus.facets["scope"] == ("national",)
    assert "NVALT" in thymus.codes
    assert set(thymus.facets["institution"]) == {"nki-avl", "erasmus-mc", "mumc-plus"}
    assert 100100 in thymus.related
    nwhht = docs["working_group:nwhht"]
    assert nwhht.codes == ("NWHHT",)
    assert "Dutch Head and Neck Society" in nwhht.names_en
    assert len(nwhht.facets["institution"]) == 14  # eight centres, six partners
