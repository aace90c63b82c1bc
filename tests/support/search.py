"""A small, realistic document set and gazetteer shared by the search tests."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest

from config.settings import Settings
from directory.places.geo import Coordinates, GazetteerView, PlaceView, PostcodeView
from directory.text import fold
from search.engine import GeoPoint, SearchDocument, SearchEngine
from search.engines.embedded import EmbeddedEngine

GRONINGEN = GeoPoint(53.2216, 6.5631)  # postcode 9712
NIJMEGEN = GeoPoint(51.8212, 5.8672)  # postcode 6525
AMSTERDAM = GeoPoint(52.3464, 4.8184)  # postcode 1066


T = TypeVar("T")


def run_async(func: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run an async function to completion in a fresh event loop, in its own thread.

    The browser tests keep Playwright's loop running in the main thread for the
    whole session, so ``anyio.run`` there would refuse to start a second one.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, func, *args).result()


def gazetteer() -> GazetteerView:
    postcodes = {
        "9712": PostcodeView("9712", "Groningen", Coordinates(GRONINGEN.lat, GRONINGEN.lon)),
        "6525": PostcodeView("6525", "Nijmegen", Coordinates(NIJMEGEN.lat, NIJMEGEN.lon)),
        "1066": PostcodeView("1066", "Amsterdam", Coordinates(AMSTERDAM.lat, AMSTERDAM.lon)),
    }
    places = {
        fold(name): PlaceView(name, province, Coordinates(p.lat, p.lon), n)
        for name, province, p, n in (
            ("Groningen", "Groningen", GRONINGEN, 31),
            ("Nijmegen", "Gelderland", NIJMEGEN, 20),
            ("Amsterdam", "North Holland", AMSTERDAM, 81),
        )
    }
    return GazetteerView(postcodes=postcodes, places=places)


def condition(
    code: int,
    en: str,
    nl: str | None = None,
    *,
    level: str = "disorder",
    names_nl: tuple[str, ...] = (),
    names_en: tuple[str, ...] = (),
    lay_nl: tuple[str, ...] = (),
    lay_en: tuple[str, ...] = (),
    codes: tuple[str, ...] = (),
    parents: tuple[int, ...] = (),
    children: tuple[int, ...] = (),
    facets: dict[str, tuple[str, ...]] | None = None,
    status: str = "active",
    text_en: str = "",
) -> SearchDocument:
    return SearchDocument(
        id=f"condition:{code}",
        kind="condition",
        entity_id=str(code),
        title_nl=nl or en,
        title_nl_lang="nl" if nl else "en",
        title_en=en,
        orphacode=code,
        names_nl=tuple(n for n in (nl, *names_nl) if n),
        names_en=(en, *names_en),
        lay_nl=lay_nl,
        lay_en=lay_en,
        codes=(f"ORPHA:{code}", *codes),
        text_en=text_en,
        level=level,
        status=status,
        boost=1.0 if status == "active" else 0.3,
        facets={"level": (level,), **(facets or {})},
        parents=parents,
        children=children,
        related=parents + children,
    )


def documents() -> list[SearchDocument]:
    sarcoma = {"euracan_domain": ("sarcoma",), "expertise": ("ecza",), "institution": ("umcg",)}
    return [
        condition(
            68411,
            "Rare bone tumor",
            "Zeldzame bottumor",
            level="group",
            names_nl=("Bottumor",),
            lay_nl=("botkanker",),
            children=(55880, 668),
            facets={"euracan_domain": ("sarcoma",)},
        ),
        condition(
            55880,
            "Chondrosarcoma",
            "Chondrosarcoom",
            lay_nl=("kraakbeenkanker",),
            codes=("ICD-10 C41.9",),
            parents=(68411,),
            facets=sarcoma,
        ),
        condition(668, "Osteosarcoma", "Osteosarcoom", parents=(68411,), facets=sarcoma),
        condition(
            3394,
            "Soft tissue sarcoma",
            "Wekedelensarcoom",
            level="group",
            names_nl=("Weke delen sarcoom",),
            lay_nl=("sarcoom",),
            facets={"euracan_domain": ("sarcoma",), "institution": ("radboudumc",)},
        ),
        condition(
            70482,
            "Carcinoma of esophagus",
            "Slokdarmcarcinoom",
            names_en=("Esophageal carcinoma",),
            lay_nl=("slokdarmkanker",),
            codes=("ICD-10 C15.9",),
            facets={"euracan_domain": ("digestive",)},
        ),
        condition(
            168811,
            "Malignant peritoneal mesothelioma",
            text_en="A malignant tumour of the lining of the abdomen.",
        ),
        condition(99867, "Thymoma", "Thymoom", names_nl=("Tumor van de zwezerik",)),
        condition(
            519,
            "Acute myeloid leukemia",
            "Acute myeloïde leukemie",
            names_nl=("AML",),
            codes=("ICD-10 C92.0",),
        ),
        condition(3444, "Watson syndrome", status="obsolete"),
        SearchDocument(
            id="institution:umcg",
            kind="institution",
            entity_id="umcg",
            title_nl="Universitair Medisch Centrum Groningen",
            title_en="University Medical Center Groningen",
            names_nl=("UMCG", "UMC Groningen", "Universitair Medisch Centrum Groningen"),
            names_en=("University Medical Center Groningen",),
            codes=("UMCG",),
            facets={"network": ("groningen-drenthe",), "institution": ("umcg",)},
            locations=(GeoPoint(53.2254, 6.5813), GeoPoint(52.9939, 6.5625)),
        ),
        SearchDocument(
            id="institution:radboudumc",
            kind="institution",
            entity_id="radboudumc",
            title_nl="Radboudumc",
            title_en="Radboud university medical center",
            names_nl=("Radboudumc", "UMC St Radboud"),
            facets={"network": ("onco-oost",), "institution": ("radboudumc",)},
            locations=(GeoPoint(51.8244, 5.8622),),
        ),
        SearchDocument(
            id="panel:commissie-voor-beentumoren",
            kind="panel",
            entity_id="commissie-voor-beentumoren",
            title_nl="Nederlandse Commissie voor Beentumoren",
            title_en="Nederlandse Commissie voor Beentumoren",
            title_en_lang="nl",  # no English name: the English title is Dutch
            names_nl=("Commissie voor Beentumoren",),
            facets={"euracan_domain": ("sarcoma",), "expertise": ("panel",)},
        ),
    ]


def issue11_documents() -> list[SearchDocument]:
    """The shared documents plus what issue 11's behaviour needs: organs two letters
    apart, a common cancer's rare forms, ICD-10 mappings with their relation, a
    children's centre, a pregnancy panel, a young adults' network, an obsolete code with
    a successor, a benign condition, a working group with an English name, and Dutch and
    English spellings."""
    from dataclasses import replace

    from search.engine import CodeMapping

    base = [d for d in documents() if d.id not in {"condition:3394", "condition:3444"}]
    sarcoma = next(d for d in documents() if d.id == "condition:3394")
    return [
        *base,
        replace(sarcoma, mappings=(CodeMapping("ICD-10", "C49", "narrower", "editorial"),)),
        condition(
            101950, "Rare eye tumor", "Zeldzame oogtumor", level="group", lay_nl=("oogkanker",)
        ),
        condition(
            63443,
            "Rare epithelial tumor of stomach",
            "Zeldzame epitheliale maagtumor",
            level="group",
            names_nl=("Zeldzaam maagcarcinoom",),
        ),
        condition(
            502363,
            "Squamous cell carcinoma of the oral cavity",
            "Plaveiselcelcarcinoom van de mondholte",
            lay_nl=("tongkanker",),
        ),
        condition(70573, "Small cell lung cancer", "Kleincellig longcarcinoom"),
        condition(223727, "Bone sarcoma", "Botsarcoom", level="group", lay_nl=("botkanker",)),
        replace(
            condition(180257, "Rare malignant breast tumor", level="group"),
            mappings=(CodeMapping("ICD-10", "C50", "broader", "editorial"),),
        ),
        replace(condition(180253, "Rare benign breast tumor", level="group"), benign=True),
        condition(
            654,
            "Nephroblastoma",
            "Nefroblastoom",
            names_en=("Wilms tumor",),
            lay_nl=("niertumor bij kinderen",),
        ),
        replace(condition(3444, "OBSOLETE: Watson syndrome", status="obsolete"), successors=(636,)),
        condition(636, "Neurofibromatosis type 1", "Neurofibromatose type 1"),
        SearchDocument(
            id="institution:prinses-maxima-centrum",
            kind="institution",
            entity_id="prinses-maxima-centrum",
            title_nl="Prinses Máxima Centrum voor kinderoncologie",
            title_en="Princess Máxima Center for pediatric oncology",
            names_nl=("Prinses Máxima Centrum",),
            facets={"institution_kind": ("childrens_cancer_centre",)},
            locations=(GeoPoint(52.0880, 5.1780),),
        ),
        SearchDocument(
            id="network:aya-zorgnetwerk",
            kind="network",
            entity_id="aya-zorgnetwerk",
            title_nl="AYA Zorgnetwerk",
            title_en="AYA care network",
            names_nl=("jongvolwassenen met kanker",),
        ),
        SearchDocument(
            id="panel:adviesgroep-kanker-in-de-zwangerschap",
            kind="panel",
            entity_id="adviesgroep-kanker-in-de-zwangerschap",
            title_nl="Adviesgroep kanker in de zwangerschap",
            title_en="Advisory board on cancer in pregnancy",
        ),
        SearchDocument(
            id="working_group:dsg",
            kind="working_group",
            entity_id="dsg",
            title_nl="Dutch Sarcoma Group",
            title_en="Dutch Sarcoma Group",
            names_nl=("Dutch Sarcoma Group", "DSG"),
            names_en=("Dutch Sarcoma Group", "DSG"),
            lay_nl=("Landelijke werkgroep: sarcomen en andere tumoren van bot en weke delen",),
            lay_en=("National working group: sarcomas and other tumours of bone and soft tissue",),
            codes=("DSG",),
        ),
    ]


MEILI_REASON = "no Meilisearch server: set MEILISEARCH_URL to run the contract against it"


def contract_engine(
    engine: str, docs: list[SearchDocument], folder: Path, name: str
) -> Iterator[SearchEngine]:
    """One engine of a contract suite, built on ``docs``: the embedded engine in
    ``folder``, or Meilisearch in an index of its own when ``MEILISEARCH_URL`` is set
    (skipped, visibly, when it is not); the Meilisearch index is deleted afterwards."""
    if engine == "embedded":
        e = EmbeddedEngine(folder / "index.sqlite3", gazetteer())
        e.rebuild(docs)
        yield e
        return
    settings = Settings.from_env()
    if not settings.meilisearch_url:
        pytest.skip(MEILI_REASON)
    from meilisearch import Client

    from search.engines.meilisearch import MeilisearchEngine

    client = Client(settings.meilisearch_url, settings.meilisearch_api_key or None, timeout=10)
    index = f"exw_{name}_{uuid.uuid4().hex[:8]}"
    m = MeilisearchEngine(client, index, gazetteer(), timeout=10)
    m.rebuild(docs)
    yield m
    client.index(index).delete()
