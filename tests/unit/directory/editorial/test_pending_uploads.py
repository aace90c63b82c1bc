"""Uploads waiting for a second reviewer: rows every node reads, bounded, expiring after a day."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from directory.accounts.models import EditorUser
from directory.editorial.pending_uploads import (
    KEEP,
    MAX_WAITING,
    PendingUploads,
    TooManyWaiting,
    safe_name,
)
from tests.support.editor import Clock


def _user(sessions: sessionmaker[Session]) -> int:
    with sessions() as s, s.begin():
        user = EditorUser(
            email="rita@example.org", display_name="Rita", role="reviewer", password_hash="x"
        )
        s.add(user)
        s.flush()
        return user.id


def _store(store: PendingUploads, user: int, data: bytes, name: str = "ecza.csv"):
    return store.store(
        data, source="ecza", lang="nl", name=name, user_id=user, user_name="Rita Reviewer"
    )


def test_an_upload_is_kept_listed_read_and_discarded(sessions: sessionmaker[Session]) -> None:
    user = _user(sessions)
    store = PendingUploads(sessions, max_bytes=1024)
    first = _store(store, user, b"a,b\n1,2\n", "../../etc/ecza list.csv")
    second = _store(store, user, bytes(range(256)))
    assert first.name == "ecza_list.csv"  # never a path
    assert [u.token for u in store.waiting()] == [second.token, first.token]  # newest first
    assert store.get(first.token) == first
    assert store.data(first.token) == b"a,b\n1,2\n"
    assert store.data(second.token) == bytes(range(256))  # binary files survive
    store.discard(first.token)
    assert store.get(first.token) is None
    assert store.data(first.token) is None
    assert [u.token for u in store.waiting()] == [second.token]


def test_malformed_and_unknown_tokens_find_nothing(sessions: sessionmaker[Session]) -> None:
    store = PendingUploads(sessions, max_bytes=1024)
    for token in ("", "short", "x" * 65, "../" * 8, "a\x00" * 10, "A" * 32):
        assert store.get(token) is None
        assert store.data(token) is None


def test_uploads_expire_after_a_day(sessions: sessionmaker[Session]) -> None:
    user = _user(sessions)
    clock = Clock()
    store = PendingUploads(sessions, max_bytes=1024, clock=clock)
    old = _store(store, user, b"old")
    clock.advance(seconds=KEEP.total_seconds() + 1)
    assert store.get(old.token) is None
    assert store.waiting() == ()
    new = _store(store, user, b"new")  # storing removes the expired rows
    clock.now -= KEEP  # even seen from the past, the old row is gone
    assert store.get(new.token) is not None
    assert store.data(old.token) is None


def test_waiting_uploads_are_bounded_in_number_and_bytes(sessions: sessionmaker[Session]) -> None:
    user = _user(sessions)
    store = PendingUploads(sessions, max_bytes=1000)
    with pytest.raises(ValueError, match="over 1,000"):
        _store(store, user, b"x" * 1001)
    for _ in range(4):
        _store(store, user, b"x" * 1000)  # the budget: four of the largest files
    with pytest.raises(TooManyWaiting) as full:
        _store(store, user, b"x")
    assert (full.value.waiting, full.value.waiting_bytes) == (4, 4000)
    for upload in store.waiting():
        store.discard(upload.token)
    for _ in range(MAX_WAITING):
        _store(store, user, b"x")
    with pytest.raises(TooManyWaiting):
        _store(store, user, b"x")
    assert len(store.waiting()) == MAX_WAITING


def test_safe_names() -> None:
    assert safe_name("C:\\Users\\anna\\ECZA 2026.xlsx") == "ECZA_2026.xlsx"
    assert safe_name("...") == "upload"
    assert len(safe_name("a" * 500 + ".csv")) == 100
