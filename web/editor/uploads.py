"""A waiting upload as a file on this node, for the child process that imports it.

Waiting uploads are rows in the database (:mod:`directory.editorial.pending_uploads`), so that
every server node can show and apply them. The importers read a file (they know a
source by its name and bytes, and the import runs in a child process with its own
limits, :mod:`importers.bounded`), so for each dry run or apply the upload is written
to a private temporary folder under ``EXW_VAR_DIR`` and removed afterwards.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from directory.editorial.pending_uploads import PendingUploads, WaitingUpload


@contextlib.contextmanager
def staged(store: PendingUploads, upload: WaitingUpload, var_dir: Path) -> Iterator[Path | None]:
    """The upload's file in a private folder for the length of the block (None: gone)."""
    data = store.data(upload.token)
    if data is None:
        yield None
        return
    var_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=var_dir) as folder:
        path = Path(folder) / upload.name
        path.write_bytes(data)
        del data  # up to EXW_UPLOAD_MAX_MB: not held while the child imports
        yield path
