"""Helpers for the editor-area tests: a small real catalogue, a clock, source files."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from config.settings import PROJECT_ROOT, Settings
from directory.accounts.sessions import UserView
from directory.clock import utcnow
from directory.conditions.records import NomenclatureEntry, NomenclatureRelease, ReleaseInfo
from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.services import EditorialService
from directory.expertise.models import Panel
from directory.expertise.services import ExpertiseService
from importers.base import SourceFile
from importers.editorial_names import parse_editorial_names
from importers.lay_terms import parse_lay_terms
from importers.registry import run_import
from web.editor.state import EditorState, Reindexer

# Real argon2id, with a small cost so that the suite stays fast. The production
# default (argon2-cffi's RFC 9106 profile) is checked in test_accounts.py.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the tests move forward; starts at the real time."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


ENTRIES = (
    # Real ORPHAcodes and their English Orphanet names (2023 nomenclature).
    NomenclatureEntry(178, "Chordoma", (), "Disease", 21394, "disorder", "active", None),
    NomenclatureEntry(
        319, "Skeletal Ewing sarcoma", (), "Disease", 21394, "disorder", "active", None
    ),
    NomenclatureEntry(3394, "Soft tissue sarcoma", (), "Category", 36561, "group", "active", None),
)


def nomenclature() -> NomenclatureRelease:
    info = ReleaseInfo(
        source="orphanet",
        version="test",
        release_date=dt.date(2023, 6, 1),
        language="en",
        licence="CC-BY-4.0",
        attribution="Orphanet",
        file_name="nomenclature-test.xml",
        sha256="1" * 64,
    )
    return NomenclatureRelease(info, "en", ENTRIES)


def import_dutch_names(catalogue: CatalogueService, tmp_path: Path, rows: str, **kw: bool):
    """Import a dutch_names.csv written by the test (the real importer, the real service)."""
    path = tmp_path / "dutch_names.csv"
    path.write_text("orphacode,name_en,preferred_nl,synonyms_nl,note\n" + rows, encoding="utf-8")
    names, rejected = parse_editorial_names(SourceFile(str(path), path.read_bytes()), "nl")
    return catalogue.apply_editorial_names(names, rejected=rejected, **kw)


def import_lay_terms(catalogue: CatalogueService, tmp_path: Path, rows: str, **kw: bool):
    path = tmp_path / "lay_terms.csv"
    path.write_text("orphacode,lang,term,note\n" + rows, encoding="utf-8")
    terms, rejected = parse_lay_terms(SourceFile(str(path), path.read_bytes()))
    return catalogue.apply_lay_terms(terms, rejected=rejected, **kw)


@dataclass
class Published:
    """Counts search-index rebuilds triggered by approvals.

    ``then`` runs after each, as the real reindexer tells its listeners (the site's
    catalogue watch, which empties the page cache of the publishing server at once).
    """

    calls: int = 0
    then: Callable[[], object] | None = None

    def __call__(self) -> None:
        self.calls += 1
        if self.then is not None:
            self.then()


@dataclass(frozen=True)
class Team:
    editor: UserView
    reviewer: UserView
    admin: UserView
    other_editor: UserView


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently (the backup API, not a file copy)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def login(client, lang: str, email: str, password: str = PASSWORD):
    """Log in through the real form (GET for the token, then POST); returns the response."""
    import re

    path = "/nl/redactie/inloggen" if lang == "nl" else "/en/editor/login"
    page = client.get(path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        path, data={"csrf_token": token.group(1), "email": email, "password": password}
    )


def csrf_of(html: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)


def form_values(html: str, form_action: str) -> dict[str, str]:
    """The fields of the form posting to ``form_action``: inputs, textareas, selects."""
    import html as htmllib
    import re

    start = html.index(f'action="{form_action}"')
    end = html.index("</form>", start)
    part = html[start:end]
    values: dict[str, str] = {}
    for m in re.finditer(r"<input([^>]*)>", part):
        attrs = m.group(1)
        name = re.search(r'name="([^"]+)"', attrs)
        value = re.search(r'value="([^"]*)"', attrs)
        if name and 'type="submit"' not in attrs:
            values[name.group(1)] = htmllib.unescape(value.group(1)) if value else ""
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', part, re.S):
        values[m.group(1)] = htmllib.unescape(m.group(2))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', part, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(2))
        values[m.group(1)] = htmllib.unescape(chosen.group(1)) if chosen else ""
    return values


class CountingReindexer(Reindexer):
    """Counts rebuild requests instead of rebuilding the shared, read-only index."""

    calls = 0

    def request(self) -> None:
        self.calls += 1
        self._tell_listeners()


# -- the web site with the editor area, on a private copy of the full catalogue ----------


@dataclass
class Site:
    client: TestClient
    app: Starlette
    state: EditorState
    team: Team
    sessions: sessionmaker[Session]
    published: Published
    settings: Settings


def make_site(
    loaded,
    tmp_path: Path,
    *,
    base_url: str = "http://testserver",
    search=None,
    database_url: str | None = None,
    env: dict[str, str] | None = None,
) -> Site:
    """The site on a private copy of the full catalogue (or on ``database_url``, a copy too)."""
    from web.app import create_app

    if database_url is None:
        db = tmp_path / "catalogue.sqlite3"
        copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), db)
        database_url = f"sqlite:///{db}"
    settings = Settings.from_env(
        {
            "EXW_DATABASE_URL": database_url,
            "EXW_SEARCH_INDEX_PATH": str(search.path if search else loaded.engine.path),
            "EXW_VAR_DIR": str(tmp_path),
            "EXW_BASE_URL": base_url,
            "EXW_SECRET_KEY": "test-secret-" + "x" * 40,
            **(env or {}),
        }
    )
    app = create_app(settings, search=search or loaded.engine)
    state: EditorState = app.state.editor
    sessions = make_session_factory(make_engine(settings.database_url))
    published = Published(then=app.state.exw.watch.refresh)
    # A cheap (still argon2id) hasher; approvals count instead of rebuilding the shared,
    # read-only index (the publishing test below uses its own index and the real rebuild).
    service = EditorialService(
        sessions,
        state.catalogue,
        hasher=FAST_HASHER,
        on_published=state.reindex if search is not None else published,
        owners=state.owners,
        sessions=state.service.session_policy,
    )
    reindex = state.reindex
    if search is None:
        reindex = CountingReindexer(loaded.engine, loaded.queries)
        reindex.add_listener(app.state.exw.watch.refresh)
    state = dataclasses.replace(state, service=service, reindex=reindex)
    app.state.editor = state
    team = Team(
        editor=service.add_user("eddie@example.org", "Eddie Editor", "editor", PASSWORD),
        reviewer=service.add_user("rita@example.org", "Rita Reviewer", "reviewer", PASSWORD),
        admin=service.add_user("ada@example.org", "Ada Admin", "admin", PASSWORD),
        other_editor=service.add_user("otto@example.org", "Otto Editor", "editor", PASSWORD),
    )
    client = TestClient(app, base_url=base_url, follow_redirects=False)
    return Site(client, app, state, team, sessions, published, settings)


ROOT = PROJECT_ROOT
DATA = ROOT / "data"
PANEL = "landelijk-mdo-thymustumoren"


@dataclass
class World:
    sessions: sessionmaker[Session]
    catalogue: CatalogueService
    editorial: EditorialService
    editor: UserView
    reviewer: UserView
    tmp: Path

    def publish(self, kind: str, entity_id: str | None, action: str, /, **raw: str) -> str:
        token = None
        if entity_id is not None and action != "create":
            token = self.editorial.entity_form(kind, entity_id).token
        draft = self.editorial.save_draft(
            self.editor.id, kind, entity_id, action, raw, token, "checked with the panel"
        )
        result = self.editorial.approve(draft, self.reviewer.id)
        return result.entity_id

    def panel(self, slug: str = PANEL) -> Panel:
        with self.sessions() as s:
            row = s.scalar(select(Panel).where(Panel.slug == slug))
            assert row is not None
            return row

    def reimport(self, source: str, path: Path | None = None):
        return run_import(
            self.catalogue, source, data_dir=DATA, location=str(path) if path else None
        )[-1]


def make_world(loaded, tmp_path: Path) -> Iterator[World]:
    """Editors on a private copy of the full catalogue, with the expertise service."""
    db = tmp_path / "catalogue.sqlite3"
    copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), db)
    engine = make_engine(f"sqlite:///{db}")
    sessions = make_session_factory(engine)
    catalogue = CatalogueService(sessions, EDITOR_CORRECTIONS)
    editorial = EditorialService(
        sessions,
        catalogue,
        hasher=FAST_HASHER,
        owners={"expertise": ExpertiseService(sessions, EDITOR_CORRECTIONS, catalogue)},
    )
    editor = editorial.add_user("eddie@example.org", "Eddie", "editor", PASSWORD)
    reviewer = editorial.add_user("rita@example.org", "Rita", "reviewer", PASSWORD)
    yield World(sessions, catalogue, editorial, editor, reviewer, tmp_path)
    engine.dispose()
