"""Reading sources from paths and URLs (httpx client given, with timeouts)."""

from __future__ import annotations

import httpx
import pytest

from config.settings import PROJECT_ROOT
from directory.errors import InputRejected
from importers.base import read_source
from importers.orphanet import parse_nomenclature
from importers.registry import run_import

ROOT = PROJECT_ROOT
NL_SAMPLE = ROOT / "tests" / "data" / "orphanet" / "nl_product1_synthetic.xml"


def mock_client(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), timeout=5)


def test_dutch_nomenclature_from_a_url() -> None:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=NL_SAMPLE.read_bytes())

    with mock_client(handler) as client:
        src = read_source("https://data.example.org/xml/nl_product1.xml", client)
    assert seen == ["https://data.example.org/xml/nl_product1.xml"]
    assert src.url == "https://data.example.org/xml/nl_product1.xml"
    release = parse_nomenclature(src)
    assert release.lang == "nl"
    assert release.release.url == "https://data.example.org/xml/nl_product1.xml"
    assert release.release.file_name == "nl_product1.xml"


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (lambda r: httpx.Response(404), "404"),
        (
            lambda r: (_ for _ in ()).throw(httpx.ConnectTimeout("timed out", request=r)),
            "timed out",
        ),
    ],
)
def test_download_failures_are_clear(handler, reason: str) -> None:
    with mock_client(handler) as client, pytest.raises(InputRejected) as exc:
        read_source("https://data.example.org/nl_product1.xml", client)
    problem = exc.value.problems[0]
    assert problem.file == "https://data.example.org/nl_product1.xml"
    assert reason in problem.reason


def test_url_without_client_is_refused() -> None:
    with pytest.raises(InputRejected, match="1 problem"):
        read_source("https://data.example.org/nl_product1.xml")


def test_import_from_url_through_the_service(service, queries) -> None:
    run_import(service, "orphanet", data_dir=ROOT / "data")
    with mock_client(lambda r: httpx.Response(200, content=NL_SAMPLE.read_bytes())) as client:
        reports = run_import(
            service,
            "orphanet",
            data_dir=ROOT / "data",
            location="https://data.example.org/nl_product1.xml",
            client=client,
        )
    assert reports[0].counts.changed == 3
    assert queries.condition(99978).ref.title("nl").value == "Perihilair cholangiocarcinoom"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("178", 178),
        ("ORPHA:178", 178),
        ("orpha 178", 178),
        (" Orphacode:55880 ", 55880),
        ("0", None),
        ("-3", None),
        ("ORPHA:", None),
        ("abc", None),
        ("178.0", None),
        ("", None),
    ],
)
def test_orphacode_spellings(raw: str, code: int | None) -> None:
    from importers.base import orphacode

    assert orphacode(raw) == code
