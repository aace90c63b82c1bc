"""The open-data downloads: the whole catalogue as CSV and JSON, with provenance and licence."""

from __future__ import annotations

import csv
import io

from starlette.testclient import TestClient

from config.settings import PROJECT_ROOT


def test_csv_has_provenance_columns_and_every_condition(client: TestClient, loaded) -> None:
    r = client.get("/open-data/expertisewijzer-conditions.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert "creativecommons.org/licenses/by/4.0" in r.headers["link"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read UTF-8 right
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == loaded.queries.count_conditions()
    assert {
        "name_en_source",
        "name_nl_source",
        "name_nl_origin",
        "record_source",
        "record_source_date",
        "licence",
    } <= set(rows[0])
    by_code = {row["orphacode"]: row for row in rows}
    chondro = by_code["55880"]
    assert chondro["name_en"] == "Chondrosarcoma"
    assert chondro["name_en_origin"] == "orphanet"
    assert chondro["name_en_source"].startswith("orphanet")
    assert chondro["name_nl"] == "Chondrosarcoom"
    assert chondro["name_nl_origin"] == "editorial"
    assert chondro["name_nl_source"] == "editorial-names-nl"
    assert chondro["url_nl"] == "http://testserver/nl/aandoening/55880"
    assert chondro["licence"] == "CC BY 4.0"
    # The code's status and level come from an Orphanet release, with its date.
    orphanet_dates = {
        r.release_date.isoformat()
        for r in loaded.queries.releases()
        if r.source.startswith("orphanet") and r.release_date
    }
    assert chondro["record_source"].startswith("orphanet")
    assert chondro["record_source_date"] in orphanet_dates
    # A withdrawn code names its successor.
    assert by_code["3444"]["status"] != "active"
    assert by_code["3444"]["successor"] == "636"


def test_csv_cells_cannot_become_spreadsheet_formulas(client: TestClient) -> None:
    text = client.get("/open-data/expertisewijzer-conditions.csv").content.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_json_states_licence_and_sources_once(client: TestClient) -> None:
    r = client.get("/open-data/expertisewijzer-catalogue.json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["licence"]["name"] == "CC BY 4.0"
    assert "Orphanet" in data["licence"]["note"]
    releases = {s["id"]: s for s in data["sources"]}
    assert any("INSERM" in s["attribution"] for s in releases.values())
    chondro = next(c for c in data["conditions"] if c["orphacode"] == 55880)
    assert chondro["name"]["nl"]["text"] == "Chondrosarcoom"
    assert releases[chondro["name"]["nl"]["release"]]["source"] == "editorial-names-nl"
    assert releases[chondro["release"]]["licence"] == "CC-BY-4.0"
    assert chondro["url"]["en"] == "http://testserver/en/condition/55880"


def test_expertise_csv_says_where_each_fact_is_stated(client: TestClient) -> None:
    r = client.get("/open-data/expertisewijzer-expertise.csv")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows, "the bundled catalogue has expertise facts"
    # who states a fact, readably: the publisher and the page, never a register slug alone
    lumc = [r for r in rows if r["institution"] == "lumc" and r["orphacode"] == "39044"]
    assert any("LUMC:" in r["source_reference"] for r in lumc)
    kinds = {row["kind"] for row in rows}
    assert "ecza" in kinds
    for row in rows:
        assert row["institution"]
        assert row["source_reference"], row
        assert row["source"]
        assert row["licence"] == "CC BY 4.0"
        assert row["url_en"].startswith("http://testserver/en/institution/")
    # The JSON carries the same facts, pointing to the source releases listed once.
    data = client.get("/open-data/expertisewijzer-catalogue.json").json()
    assert len(data["expertise"]) == len(rows)
    release_ids = {s["id"] for s in data["sources"]}
    assert {e["release"] for e in data["expertise"]} <= release_ids


def test_every_column_is_documented() -> None:

    from web.opendata import CSV_COLUMNS, EXPERTISE_COLUMNS

    doc = (PROJECT_ROOT / "docs" / "open-data.md").read_text()
    missing = [c for c in (*CSV_COLUMNS, *EXPERTISE_COLUMNS) if f"`{c}`" not in doc]
    assert missing == []
