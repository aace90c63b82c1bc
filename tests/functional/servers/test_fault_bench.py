"""The load and fault bench runs (bench/fault_bench.py): a smoke test with a tiny load.

The figures belong to the bench, not to a test; this only checks that the script runs
end to end on a copy of the bundled catalogue, kills what it should, and finds the
catalogue and the index consistent afterwards.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from config.settings import PROJECT_ROOT


def test_the_fault_bench_runs(loaded) -> None:
    catalogue = Path(loaded.settings.database_url.removeprefix("sqlite:///"))
    bench = [sys.executable, str(PROJECT_ROOT / "bench" / "fault_bench.py")]
    tiny = ["--seconds", "2", "--concurrency", "4", "--kills", "1", "--publish-every", "1"]
    done = subprocess.run(
        [*bench, *tiny, "--catalogue", str(catalogue)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = done.stdout
    assert "| **all** |" in out, done.stderr[-3000:]
    for fault in ("kill -9 server", "kill -9 index", "kill -9 import orphanet"):
        assert f"| {fault} |" in out
    assert "| final, after `expertisewijzer index` | | yes | in order |" in out
    assert done.returncode == 0, out
