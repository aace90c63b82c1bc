"""Benign conditions are labelled in result lists and on the browse pages (issue 11, point 7)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from directory.conditions.benign import benign_codes, says_benign, says_malignant


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_words_that_make_a_name_benign_or_malignant() -> None:
    assert says_benign(["Benign schwannoma"])
    assert says_benign(["Goedaardige vaattumor"])
    assert not says_benign(["Benignity unknown"])  # whole words only
    assert says_malignant(["Liposarcoma"])
    assert says_malignant(["Kwaadaardige tumor"])
    assert not says_malignant(["Rare benign breast tumor"])


def test_members_of_a_benign_group_are_benign_unless_their_name_says_malignant(loaded) -> None:  # type: ignore[no-untyped-def]
    with loaded.queries._sessions() as session:
        found = benign_codes(session)
    assert {180253, 252164, 673470} <= found  # a benign group, "Benign schwannoma", a Dutch name
    assert 180257 not in found  # Rare malignant breast tumor
    assert 55880 not in found  # Chondrosarcoma


def test_the_browse_page_labels_benign_conditions(client: TestClient) -> None:
    nl = text_of(client.get("/nl/lichaamsdeel/borst").text)
    assert "Zeldzame goedaardige borsttumor (goedaardig)" in nl
    assert "Zeldzame kwaadaardige borsttumor (goedaardig)" not in nl
    assert "borsttumor (goedaardig)" in nl
    en = text_of(client.get("/en/body-area/breast").text)
    assert "Rare benign breast tumor (benign)" in en
