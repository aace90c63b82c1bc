"""A real ``expertisewijzer serve`` process, for the tests that need one: a free port,
the process started with its output in a log file, and a wait until it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from config.settings import PROJECT_ROOT

SERVE = [sys.executable, "-m", "expertisewijzer.cli", "serve"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(log: Path, env: Mapping[str, str], *args: str) -> subprocess.Popen[bytes]:
    """``expertisewijzer serve *args`` from the project root; its output goes to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [*SERVE, *args], cwd=PROJECT_ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )


def wait_until_answers(
    proc: subprocess.Popen[bytes], log: Path, url: str, timeout: float = 60, every: float = 0.2
) -> None:
    """Until ``url`` answers 200; fails with the server's output if it ends or is too slow."""
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{url} did not answer: {log.read_text()[-2000:]}"
        time.sleep(every)
