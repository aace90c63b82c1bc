"""The editors' plain-language summaries are searchable once approved (and only then)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.queries import CatalogueQueries
from directory.editorial.services import EditorialService
from search.documents import all_documents
from search.engine import SearchQuery
from search.engines.embedded import EmbeddedEngine
from tests.support.editor import Team

WORD_NL = "kraakbeenknobbeltje"  # in no Orphanet name, definition or lay term
WORD_EN = "gristlebump"


def _found(sessions: sessionmaker[Session], path: Path, word: str, lang: str) -> list[str]:
    engine = EmbeddedEngine(path)
    engine.rebuild(all_documents(CatalogueQueries(sessions)))
    results = engine.search(SearchQuery(word, lang=lang, kinds=("condition",)))
    return [hit.entity_id for hit in results.hits]


def test_a_word_only_in_an_approved_summary_finds_the_condition(
    sessions: sessionmaker[Session], editorial: EditorialService, team: Team, tmp_path: Path
) -> None:
    index = tmp_path / "index.sqlite3"
    assert _found(sessions, index, WORD_NL, "nl") == []
    token = editorial.entity_form("condition", "178").token
    draft = editorial.save_draft(
        team.editor.id,
        "condition",
        "178",
        "update",
        {
            "summary_nl": f"Een chordoom is een zeldzaam {WORD_NL} in de schedel of wervelkolom.",
            "summary_en": f"A chordoma is a rare {WORD_EN} in the skull or spine.",
        },
        token,
        "summary for patients",
    )
    assert _found(sessions, index, WORD_NL, "nl") == []  # a draft is not published
    editorial.approve(draft, team.reviewer.id)
    assert _found(sessions, index, WORD_NL, "nl") == ["178"]
    assert _found(sessions, index, WORD_EN, "en") == ["178"]


def test_an_approved_summary_shows_even_without_an_orphanet_definition(site) -> None:
    """Issue 13, point 7: the summary was nested inside the definition block."""
    from directory.editorial.services import EditorialService as Service

    service: Service = site.state.service
    code = "3399"  # germ cell tumour: Orphanet gives no definition, no drafted summary
    page = site.client.get(f"/en/condition/{code}").text
    assert 'id="h-definition"' not in page
    token = service.entity_form("condition", code).token
    draft = service.save_draft(
        site.team.editor.id,
        "condition",
        code,
        "update",
        {
            "summary_nl": "Kanker die begint in een bot.",
            "summary_en": "Cancer that starts in a bone.",
        },
        token,
        "summary without a definition",
    )
    service.approve(draft, site.team.reviewer.id)
    page = site.client.get(f"/en/condition/{code}").text
    assert 'id="h-summary"' in page
    assert "Cancer that starts in a bone." in page
