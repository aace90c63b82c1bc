"""Keeping the search index at the catalogue's version: a reindex that cannot be lost.

Every published change raises the catalogue's version in its own transaction
(:mod:`directory.catalogue_version`), and an index records the version it was
built from. A server asks for a rebuild after each publish (:meth:`Reindexer.request`),
and also compares the two versions at start-up and every ``EXW_INDEX_CHECK_SECONDS``
(:meth:`Reindexer.check`): a rebuild lost to a crash, a ``kill -9`` or a failure is
made up for by the next check, on every server (security review D6).

A rebuild reads the catalogue's version before its documents, so an index can only
claim a version that is not newer than its content: a publish during the rebuild
leaves it older, and the next check rebuilds again. Rebuilds of one index are one at
a time across the processes of a machine (a lock file), and a process that waited
for the lock does not rebuild an index another process has just brought up to date.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from directory.conditions.queries import CatalogueQueries
from search.documents import all_documents
from search.engine import SearchEngine

log = logging.getLogger(__name__)


class Reindexer:
    """Rebuilds the search index from the committed catalogue, in the background.

    :meth:`request` returns at once; one worker thread rebuilds, and requests that
    arrive during a rebuild are folded into one more rebuild after it. The engine
    builds a new index and swaps it in atomically, so searches are answered
    throughout (from the old index until the swap). A full rebuild of the bundled
    catalogue takes seconds, too long to keep a reviewer waiting.

    ``versions`` reads the catalogue's version; without it (tests that need no
    versions) indexes are built without one and :meth:`check` never asks for a rebuild.
    """

    def __init__(
        self,
        search: SearchEngine,
        queries: CatalogueQueries,
        versions: Callable[[], int] | None = None,
        lock_path: Path | None = None,
    ) -> None:
        self._search = search
        self._queries = queries
        self._versions = versions
        self._lock_path = lock_path
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._dirty = False
        self._worker: threading.Thread | None = None
        self.last_error: str | None = None
        self.rebuilds = 0
        self._listeners: list[Callable[[], object]] = []

    def add_listener(self, listener: Callable[[], object]) -> None:
        """Call ``listener`` when a rebuild is asked for, and after each rebuild (or each
        check that found the index current after all): the catalogue watch reads the
        versions again then (:mod:`web.catalogue_watch`)."""
        self._listeners.append(listener)

    def _tell_listeners(self) -> None:
        for listener in self._listeners:
            try:
                listener()
            except Exception:  # a listener never stops the rebuilds
                log.exception("a reindex listener failed")

    @property
    def busy(self) -> bool:
        """Whether a rebuild is pending or running now."""
        return not self._idle.is_set()

    # -- versions ---------------------------------------------------------------------------

    def catalogue_version(self) -> int | None:
        return self._versions() if self._versions is not None else None

    def owed(self) -> bool:
        """Whether the live index is older than the catalogue (or records no version)."""
        return self._versions_apart() is not None

    def _versions_apart(self) -> tuple[int | None, int] | None:
        """(the index's version, the catalogue's) when the index is older; else None."""
        if self._versions is None:
            return None
        built, current = self._search.catalogue_version(), self._versions()
        return (built, current) if built is None or built < current else None

    def check(self) -> bool:
        """Ask for a rebuild when the index is older than the catalogue; True if asked.

        Called at start-up and on a timer. Never raises: a database or search server
        that cannot be read now is read at the next check.
        """
        if not self._idle.is_set() and self._versions is not None:
            # A rebuild is pending or running, but a running one may have read the
            # catalogue's version before the change that brought us here: one more
            # round, which compares the versions first and rebuilds only if still owed.
            self.request()
            return True
        try:
            apart = self._versions_apart()
        except Exception as exc:  # the database, the index file, the search server
            what = type(exc).__name__
            log.warning("cannot compare the search index with the catalogue: %s", what)
            return False
        if apart is not None:
            log.warning(
                "the search index (catalogue version %s) is older than the catalogue (%s): "
                "rebuilding it",
                *apart,
            )
            self.request()
        return apart is not None

    # -- rebuilding -------------------------------------------------------------------------

    def rebuild_now(self) -> int:
        """Rebuild in this thread (the CLI and tests)."""
        with self._machine_lock():
            return self._rebuild()

    def _rebuild(self) -> int:
        version = self.catalogue_version()  # before the documents: never newer than them
        n = self._search.rebuild(all_documents(self._queries), catalogue_version=version)
        self._search.warm()  # the new index answers its first searches at full speed
        self.rebuilds += 1
        return n

    @contextlib.contextmanager
    def _machine_lock(self) -> Iterator[None]:
        """One rebuild at a time among this machine's server processes."""
        if self._lock_path is None:
            yield
            return
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def request(self) -> None:
        with self._lock:
            self._dirty = True
            self._idle.clear()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="exw-reindex", daemon=True)
                self._worker.start()
        self._tell_listeners()

    def __call__(self) -> None:
        self.request()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._dirty:
                    self._idle.set()
                    self._worker = None
                    return
                self._dirty = False
            try:
                with self._machine_lock():
                    # Another process may have brought the index up to date meanwhile.
                    if self._versions is None or self.owed():
                        self._rebuild()
                self.last_error = None
            except Exception as exc:  # keep serving; the dashboard shows the error
                log.exception("search index rebuild failed")
                self.last_error = str(exc) or type(exc).__name__
            self._tell_listeners()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no rebuild is pending or running (tests, shutdown)."""
        return self._idle.wait(timeout)
