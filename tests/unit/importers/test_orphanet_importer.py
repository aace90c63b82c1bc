"""The Orphanet importer on the real bundled files and on malformed samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT
from directory.errors import InputRejected
from importers.base import SourceFile, read_source
from importers.orphanet import parse_classification, parse_nomenclature

ORPHA = PROJECT_ROOT / "data" / "orphadata"
SAMPLES = PROJECT_ROOT / "tests" / "data" / "orphanet"
NOMENCLATURE_2023 = ORPHA / "ORPHAnomenclature_en_2023_neoplastic_subset.xml"
CLASSIFICATION_2023 = ORPHA / "ORPHAclassification_202_rare_neoplastic_diseases_en_2023.xml"
CLASSIFICATION_2025 = ORPHA / "en_product3_202.xml"


def src(data: bytes, name: str = "sample.xml") -> SourceFile:
    return SourceFile(name=name, data=data)


@pytest.fixture(scope="module")
def nomenclature_2023():
    return parse_nomenclature(read_source(NOMENCLATURE_2023))


@pytest.fixture(scope="module")
def classification_2025():
    return parse_classification(read_source(CLASSIFICATION_2025))


def test_nomenclature_reads_every_disorder_despite_count(nomenclature_2023) -> None:
    entries = nomenclature_2023.entries
    # The file's DisorderList@count says 1166, but we count elements ourselves.
    assert len(entries) == len({e.orphacode for e in entries}) == 1166
    by_status: dict[str, int] = {}
    for e in entries:
        by_status[e.status] = by_status.get(e.status, 0) + 1
    assert by_status == {"active": 1048, "obsolete": 96, "deprecated": 22}
    levels = {e.level for e in entries}
    assert levels == {"group", "disorder", "subtype"}


def test_nomenclature_release_metadata(nomenclature_2023) -> None:
    rel = nomenclature_2023.release
    assert nomenclature_2023.lang == "en"
    assert str(rel.release_date) == "2023-06-21"
    assert rel.licence == "CC-BY-4.0"
    assert "INSERM" in rel.attribution
    assert rel.version.startswith("1.3.25")


def test_nomenclature_decodes_iso_8859_1(nomenclature_2023) -> None:
    watson = next(e for e in nomenclature_2023.entries if e.orphacode == 3444)
    assert "Pulmonic stenosis with 'café-au-lait' spots" in watson.synonyms


def test_nomenclature_redirects_from_both_ends(nomenclature_2023) -> None:
    watson = next(e for e in nomenclature_2023.entries if e.orphacode == 3444)
    assert watson.status == "deprecated"
    assert [(r.from_code, r.to_code, r.kind) for r in watson.redirects] == [(3444, 636, "moved_to")]
    nf1 = next(e for e in nomenclature_2023.entries if e.orphacode == 636)
    pairs = {(r.from_code, r.to_code, r.kind) for r in nf1.redirects}
    assert (3444, 636, "moved_to") in pairs
    assert (79428, 636, "referred_to") in pairs


def test_nomenclature_definitions_and_synonyms(nomenclature_2023) -> None:
    bazex = next(e for e in nomenclature_2023.entries if e.orphacode == 166113)
    assert bazex.name == "Bazex syndrome"
    assert "Acrokeratosis paraneoplastica" in bazex.synonyms
    assert bazex.definition
    assert bazex.definition.startswith("Bazex syndrome is a rare")
    # The Nomenclature Pack has no cross-references: None, not an empty tuple.
    assert bazex.xrefs is None


def test_classification_2025_polyhierarchy(classification_2025) -> None:
    c = classification_2025
    assert c.classification_id == 202
    assert str(c.release.release_date) == "2025-06-24"
    assert len(c.nodes) == 1095  # distinct codes, not the 1,378 serialised nodes
    assert len({n.orphacode for n in c.nodes}) == 1095
    parents: dict[int, set[int]] = {}
    for e in c.edges:
        parents.setdefault(e.child, set()).add(e.parent)
    assert sum(1 for p in parents.values() if len(p) > 1) == 127
    roots = {n.orphacode for n in c.nodes} - set(parents)
    assert roots == {250908}
    assert parents[98057] == {250908}
    assert len({e for e in c.edges if e.parent == 98057}) == 22


def test_classification_2023_is_read_too() -> None:
    c = parse_classification(read_source(CLASSIFICATION_2023))
    assert len(c.nodes) == 1048
    assert str(c.release.release_date) == "2023-06-21"


def test_french_sample_labels_translated_ids_shared() -> None:
    fr = parse_nomenclature(read_source(SAMPLES / "ORPHAnomenclature_fr_short.xml"))
    assert fr.lang == "fr"
    assert len(fr.entries) == 6  # @count claims 10675
    alexander = next(e for e in fr.entries if e.orphacode == 58)
    assert alexander.name == "Maladie d'Alexander"
    assert alexander.level == "disorder"  # from the id, not the French label "Pathologie"
    assert alexander.status == "active"


def test_dutch_product1_synthetic_sample() -> None:
    nl = parse_nomenclature(read_source(SAMPLES / "nl_product1_synthetic.xml"))
    assert nl.lang == "nl"
    chondro = next(e for e in nl.entries if e.orphacode == 55880)
    assert chondro.name == "Chondrosarcoom"
    assert chondro.synonyms == ("Kraakbeensarcoom",)
    assert chondro.level == "disorder"  # product1 calls it DisorderGroup
    assert chondro.definition
    assert "kraakbeenweefsel" in chondro.definition
    assert chondro.xrefs is not None
    assert {(x.system, x.code) for x in chondro.xrefs} == {
        ("ICD-10", "C41.9"),
        ("ICD-11", "2B50.Z"),
    }
    klatskin = next(e for e in nl.entries if e.orphacode == 99978)
    assert klatskin.level == "subtype"
    assert "Klatskin-tumor" in klatskin.synonyms


# -- bad input ------------------------------------------------------------------


def first_problem(exc: pytest.ExceptionInfo[InputRejected]) -> str:
    return str(exc.value.problems[0])


def test_truncated_file_names_file_and_line() -> None:
    data = NOMENCLATURE_2023.read_bytes()[:50_000]
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(data, "truncated.xml"))
    message = first_problem(exc)
    assert message.startswith("truncated.xml: line ")
    assert "truncated" in message or "not well-formed" in message


def test_malformed_xml_reports_line_and_column() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<JDBOR>\n<DisorderList>\n<Disorder id="1">\n</JDBOR>'
    )
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(data, "bad.xml"))
    problem = exc.value.problems[0]
    assert problem.location.startswith("line 5, column")
    assert "mismatched tag" in problem.reason


def test_declared_utf8_but_latin1_bytes() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<JDBOR><DisorderList><Disorder id="1">'
        '<OrphaCode>1</OrphaCode><Name lang="fr">Maladie élevée</Name></Disorder>'
        "</DisorderList></JDBOR>"
    )
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(text.encode("latin-1"), "enc.xml"))
    problem = exc.value.problems[0]
    assert problem.location == "line 2"
    assert "declares UTF-8" in problem.reason
    assert "0xe9" in problem.reason


def test_declared_latin1_but_utf8_bytes() -> None:
    data = NOMENCLATURE_2023.read_bytes().decode("latin-1").encode("utf-8")
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(data, "mojibake.xml"))
    assert "declares ISO-8859-1 but its bytes are UTF-8" in first_problem(exc)


def test_classification_file_given_as_nomenclature() -> None:
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(read_source(CLASSIFICATION_2025))
    assert "not an Orphanet nomenclature file" in first_problem(exc)


def test_nomenclature_given_as_classification() -> None:
    with pytest.raises(InputRejected) as exc:
        parse_classification(read_source(NOMENCLATURE_2023))
    assert "not an Orphanet classification file" in first_problem(exc)


def test_other_orphadata_product_is_named() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?><JDBOR><DisorderList count="1">'
        b'<Disorder id="1"><OrphaCode>166024</OrphaCode><Name lang="en">X</Name>'
        b'<DisorderGeneAssociationList count="0"/></Disorder></DisorderList></JDBOR>'
    )
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(data, "en_product6.xml"))
    assert "product6 (genes)" in first_problem(exc)


def test_every_bad_disorder_is_listed() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<JDBOR>\n<DisorderList count="3">\n'
        b'<Disorder id="1"><OrphaCode>abc</OrphaCode><Name lang="en">A</Name></Disorder>\n'
        b'<Disorder id="2"><OrphaCode>12</OrphaCode></Disorder>\n'
        b'<Disorder id="3"><OrphaCode>13</OrphaCode><Name lang="en">C</Name></Disorder>\n'
        b'<Disorder id="4"><OrphaCode>13</OrphaCode><Name lang="en">C again</Name></Disorder>\n'
        b"</DisorderList>\n</JDBOR>"
    )
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(data, "rows.xml"))
    reasons = [(p.location, p.field) for p in exc.value.problems]
    assert reasons == [
        ("line 4 (Disorder)", "OrphaCode"),
        ("line 5 (Disorder) ORPHA:12", "Name"),
        ("line 7", "OrphaCode"),
    ]


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as exc:
        parse_nomenclature(src(b"   ", "empty.xml"))
    assert "empty" in first_problem(exc)
    with pytest.raises(InputRejected) as exc:
        read_source(tmp_path / "missing.xml")
    assert "cannot read the file" in first_problem(exc)
    assert "missing.xml" in first_problem(exc)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE JDBOR [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<JDBOR><DisorderList><Disorder id="1"><OrphaCode>5</OrphaCode>'
        '<Name lang="en">A &x;</Name></Disorder></DisorderList></JDBOR>'
    ).encode()
    release = parse_nomenclature(src(data, "xxe.xml"))
    assert "TOPSECRET" not in release.entries[0].name
