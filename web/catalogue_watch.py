"""What this server knows of the catalogue's version and its search index's, kept current.

With several server nodes on one PostgreSQL catalogue, a publish on one node must
reach the others within seconds: their search indexes must be rebuilt, and their
page caches (:mod:`web.page_cache`) emptied. Each server process runs one watch:

* on PostgreSQL it listens for the version that every publish announces when it
  commits (``LISTEN``/``NOTIFY`` on a connection of its own,
  :class:`directory.catalogue_version.VersionAnnouncements`) and reads the version
  as soon as one is announced: measured from the commit on one node to the read on
  another, 1-3 ms;
* it also reads the version every ``EXW_CATALOGUE_POLL_SECONDS`` (2 s by default):
  on SQLite that is the only way (the processes of one machine), and on PostgreSQL
  it is the fallback while the listening connection is down. A read is one row by
  its key: about 0.1 ms on SQLite and 0.3 ms on PostgreSQL over a local socket,
  so a look every 2 s costs a server nothing measurable;
* the reindexer tells it when it was asked for a rebuild (a publish on this node:
  read at once, in the publishing request) and when a rebuild has finished.

When the catalogue's version has changed, ``on_change`` runs (the reindexer's
check: rebuild the index when it is older). :attr:`CatalogueWatch.versions` is read
on every request by the page cache, and is a plain attribute for that reason.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from directory.catalogue_version import VersionAnnouncements

log = logging.getLogger(__name__)

LISTEN_SLICE = 0.25  # seconds; a stop waits at most this long for the listening thread


@dataclass(frozen=True)
class Versions:
    """The catalogue's version and the one the live search index was built from."""

    catalogue: int
    index: int | None


class CatalogueWatch:
    """Keeps :attr:`versions` current; see the module's docstring."""

    def __init__(
        self,
        read_catalogue: Callable[[], int],
        read_index: Callable[[], int | None],
        *,
        poll_seconds: float,
        announcements: VersionAnnouncements | None = None,
        on_change: Callable[[], object] | None = None,
    ) -> None:
        self._read_catalogue = read_catalogue
        self._read_index = read_index
        self.poll_seconds = poll_seconds
        self._announcements = announcements
        self.on_change = on_change
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listening = False
        self._warned = False
        self.versions = Versions(0, None)
        self.refreshes = 0

    def catalogue_version(self) -> int:
        """The catalogue's version for the readers that key what they keep on it
        (:data:`directory.catalogue_version.VersionClock`): as last read while the watch
        runs (a publish on this node is read at once, others within ``poll_seconds``,
        as the page cache sees them), else read now."""
        if self._thread is not None and self.refreshes:
            return self.versions.catalogue
        return self._read_catalogue()

    @property
    def listening(self) -> bool:
        """Whether announcements arrive now (PostgreSQL, connection up)."""
        return self._listening

    def refresh(self) -> Versions:
        """Read both versions now; runs ``on_change`` when the catalogue's has changed.

        Never raises: a database or index that cannot be read now is read at the next
        look, and the versions known so far stay.
        """
        try:
            with self._lock:
                first, before = self.refreshes == 0, self.versions
                catalogue = self._read_catalogue()
                now = Versions(catalogue, self._read_index())
                self.versions = now
                self.refreshes += 1
        except Exception as exc:  # the database, the index file, the search server
            log.warning("cannot read the catalogue's version: %s", type(exc).__name__)
            return self.versions
        if first:
            return now  # what the server starts from, not a change (start-up checks itself)
        if now.catalogue != before.catalogue and self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                log.exception("reacting to a new catalogue version failed")
        return now

    # -- the thread --------------------------------------------------------------------

    def start(self) -> None:
        """Read the versions, then keep them current in a thread until :meth:`stop`."""
        self.refresh()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="exw-catalogue-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(self.poll_seconds + 5)
        if self._announcements is not None:
            self._announcements.dispose()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wait()
            if not self._stop.is_set():
                self.refresh()

    def _wait(self) -> None:
        """Until a version is announced, or ``poll_seconds`` have passed."""
        if self._announcements is not None:
            try:
                self._listen()
            except Exception as exc:  # the connection was lost: poll until it is back
                if self._listening or not self._warned:
                    self._warned = True
                    log.warning(
                        "no database connection announces new catalogue versions (%s): "
                        "looking every %g s until there is one again",
                        type(exc).__name__,
                        self.poll_seconds,
                    )
                self._listening = False
                self._stop.wait(self.poll_seconds)
            else:
                self._listening = True
            return
        self._stop.wait(self.poll_seconds)

    def _listen(self) -> None:
        """Wait for an announcement in short slices, so that :meth:`stop` is quick."""
        assert self._announcements is not None
        slices = max(1, round(self.poll_seconds / LISTEN_SLICE))
        for _ in range(slices):
            if self._announcements.wait(LISTEN_SLICE) or self._stop.is_set():
                return
