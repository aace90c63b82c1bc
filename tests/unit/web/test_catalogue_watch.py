"""The catalogue watch: every server learns of a publish made elsewhere within seconds
(PostgreSQL: LISTEN/NOTIFY, at once; otherwise a look every few seconds), and the
reindexer never misses a version that changed while it was rebuilding."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue_version import (
    LISTENER_NAME,
    VersionAnnouncements,
    bump_version,
    current_version,
)
from directory.conditions.queries import CatalogueQueries
from search.engines.embedded import EmbeddedEngine
from search.reindex import Reindexer
from web.catalogue_watch import CatalogueWatch, Versions


def _publish(sessions: sessionmaker[Session]) -> int:
    with sessions() as s, s.begin():
        return bump_version(s)


def _until(check: Callable[[], bool], seconds: float) -> float:
    """Seconds it took ``check`` to hold; fails after ``seconds``."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, "timed out"
        time.sleep(0.005)
    return time.monotonic() - started


@pytest.fixture
def watch_of(
    sessions: sessionmaker[Session], database_url: str
) -> Iterator[Callable[..., CatalogueWatch]]:
    made: list[CatalogueWatch] = []

    def make(poll: float, *, listen: bool = True, **kw: object) -> CatalogueWatch:
        announcements = (
            VersionAnnouncements(database_url)
            if listen and VersionAnnouncements.supported(database_url)
            else None
        )
        watch = CatalogueWatch(
            lambda: current_version(sessions),
            lambda: None,
            poll_seconds=poll,
            announcements=announcements,
            **kw,  # type: ignore[arg-type]
        )
        watch.start()
        made.append(watch)
        return watch

    yield make
    for watch in made:
        watch.stop()


def test_a_look_every_few_seconds_finds_a_new_version(
    sessions: sessionmaker[Session], watch_of: Callable[..., CatalogueWatch]
) -> None:
    changes: list[int] = []
    watch = watch_of(0.2, listen=False, on_change=lambda: changes.append(1))
    assert watch.versions == Versions(current_version(sessions), None)
    version = _publish(sessions)
    _until(lambda: watch.versions.catalogue == version, 5)
    assert changes == [1]
    time.sleep(0.5)
    assert changes == [1]  # looking again without a change changes nothing


@pytest.mark.postgres
def test_postgresql_announces_a_publish_at_once(pg_server: str) -> None:
    from directory.db import make_engine, make_session_factory
    from tests.support.databases import migrate, new_pg_database

    url = new_pg_database(pg_server)
    migrate(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    announcements = VersionAnnouncements(url)
    woke: list[float] = []
    watch = CatalogueWatch(
        lambda: current_version(sessions),
        lambda: None,
        poll_seconds=3600,  # a look would come far too late: only the announcement counts
        announcements=announcements,
        on_change=lambda: woke.append(time.monotonic()),
    )
    watch.start()
    try:
        _until(lambda: watch.listening, 10)
        delays = []
        for _ in range(5):
            committed = time.monotonic()
            version = _publish(sessions)
            _until(lambda v=version: watch.versions.catalogue == v, 5)  # type: ignore[misc]
            delays.append(woke[-1] - committed)
        assert max(delays) < 1.0, delays  # measured: 1-3 ms on the test machine
        # A transaction that is rolled back announces nothing.
        with sessions() as s:
            bump_version(s)
            s.rollback()
        time.sleep(0.5)
        assert len(woke) == 5
    finally:
        watch.stop()
        engine.dispose()


@pytest.mark.postgres
def test_a_lost_listening_connection_is_replaced_and_looks_bridge_the_gap(
    pg_server: str,
) -> None:
    from directory.db import make_engine, make_session_factory
    from tests.support.databases import migrate, new_pg_database

    url = new_pg_database(pg_server)
    migrate(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    watch = CatalogueWatch(
        lambda: current_version(sessions),
        lambda: None,
        poll_seconds=0.5,
        announcements=VersionAnnouncements(url),
    )
    watch.start()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        _until(lambda: watch.listening, 10)
        with admin.connect() as con:
            killed = con.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": LISTENER_NAME},
            ).scalar()
        assert killed == 1
        version = _publish(sessions)
        _until(lambda: watch.versions.catalogue == version, 10)
        _until(lambda: watch.listening, 10)  # connected and listening again
        version = _publish(sessions)
        _until(lambda: watch.versions.catalogue == version, 10)
    finally:
        watch.stop()
        admin.dispose()
        engine.dispose()


def test_a_version_that_cannot_be_read_keeps_the_last_one() -> None:
    calls = []

    def broken() -> int:
        calls.append(1)
        raise OSError("the database is gone")

    watch = CatalogueWatch(broken, lambda: 3, poll_seconds=1)
    assert watch.refresh() == Versions(0, None)
    assert calls == [1]


def test_stop_is_quick(sessions: sessionmaker[Session], database_url: str) -> None:
    announcements = (
        VersionAnnouncements(database_url) if VersionAnnouncements.supported(database_url) else None
    )
    watch = CatalogueWatch(
        lambda: current_version(sessions),
        lambda: None,
        poll_seconds=30,
        announcements=announcements,
    )
    watch.start()
    time.sleep(0.3)
    started = time.monotonic()
    watch.stop()
    assert time.monotonic() - started < 1.5


# -- the reindexer and the watch ---------------------------------------------------------------


class SlowEngine(EmbeddedEngine):
    """Rebuilds take a moment, long enough for a publish to land in the middle of one."""

    started = threading.Event()

    def rebuild(self, documents, catalogue_version=None):  # type: ignore[no-untyped-def]
        self.started.set()
        time.sleep(0.5)
        return super().rebuild(documents, catalogue_version=catalogue_version)


def test_a_version_published_during_a_rebuild_is_rebuilt_too(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """The watch learns of a publish while a rebuild that read the older version runs."""
    engine = SlowEngine(tmp_path / "index.sqlite3")
    reindex = Reindexer(
        engine,
        CatalogueQueries(sessions),
        versions=lambda: current_version(sessions),
        lock_path=tmp_path / "lock",
    )
    watch = CatalogueWatch(
        lambda: current_version(sessions),
        engine.catalogue_version,
        poll_seconds=3600,
        on_change=reindex.check,
    )
    reindex.add_listener(watch.refresh)
    watch.refresh()
    _publish(sessions)
    reindex.request()
    assert engine.started.wait(10)
    latest = _publish(sessions)  # elsewhere, during the rebuild
    watch.refresh()  # the watch hears of it
    assert reindex.wait(60)
    assert engine.catalogue_version() == latest
    assert watch.versions == Versions(latest, latest)  # told when the rebuild ended


def test_the_catalogue_version_for_readers_is_the_watchs_while_it_runs(
    sessions: sessionmaker[Session],
) -> None:
    """Readers key what they keep on :meth:`CatalogueWatch.catalogue_version`: read from
    the database while the watch is not running, the watch's own while it runs (so a
    request reads no version row), and new after the watch's next look."""
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return current_version(sessions)

    watch = CatalogueWatch(read, lambda: None, poll_seconds=3600)
    first = watch.catalogue_version()
    assert first == current_version(sessions)
    assert len(reads) == 1
    version = _publish(sessions)
    assert watch.catalogue_version() == version
    assert len(reads) == 2
    watch.start()
    try:
        started = len(reads)
        assert [watch.catalogue_version() for _ in range(5)] == [version] * 5
        assert len(reads) == started  # kept, no reads
        newer = _publish(sessions)
        assert watch.catalogue_version() == version  # until the next look
        watch.refresh()  # a publish on this node reads at once (reindexer listener)
        assert watch.catalogue_version() == newer
    finally:
        watch.stop()
    assert watch.catalogue_version() == newer
    assert len(reads) > started + 1
