"""Catalogue-wide lookups (the classification graph, the source register, the English
slugs, the hospitals' sites) are read once per catalogue version and kept: with the
server's version clock a request that finds them current opens no database session."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue_version import Kept, bump_version, current_version


class CountingSessions:
    """A session factory that counts the sessions opened."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self.opened = 0

    def __call__(self) -> Session:
        self.opened += 1
        return self._sessions()


def _publish(sessions: sessionmaker[Session]) -> int:
    with sessions() as s, s.begin():
        return bump_version(s)


def test_kept_with_a_clock_opens_no_session_while_current(
    sessions: sessionmaker[Session],
) -> None:
    counted = CountingSessions(sessions)
    version = [current_version(sessions)]
    reads: list[int] = []

    def read(session: Session) -> int:
        reads.append(1)
        return len(reads)

    kept = Kept(read, lambda: version[0])
    assert kept.get(counted) == 1  # type: ignore[arg-type]
    assert [kept.get(counted) for _ in range(5)] == [1] * 5  # type: ignore[arg-type]
    assert counted.opened == 1
    assert len(reads) == 1
    version[0] = _publish(sessions)
    assert kept.get(counted) == 2  # type: ignore[arg-type]  # a new version: read again
    assert counted.opened == 2


def test_kept_without_a_clock_reads_the_version_in_the_session(
    sessions: sessionmaker[Session],
) -> None:
    reads: list[int] = []

    def read(session: Session) -> int:
        reads.append(1)
        return len(reads)

    kept = Kept(read, None)
    assert kept.get(sessions) == 1
    assert kept.get(sessions) == 1  # the version row says nothing changed
    _publish(sessions)
    assert kept.get(sessions) == 2  # every published change: read again
