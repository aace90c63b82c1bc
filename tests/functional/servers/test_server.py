"""``expertisewijzer serve``: the worker supervisor, on real processes and sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from config.settings import PROJECT_ROOT
from expertisewijzer import cli
from web.server import STARTUP_GRACE, ServeError, balanced_workers_supported, check_port_free

if TYPE_CHECKING:
    from conftest import LoadedCatalogue

linux_only = pytest.mark.skipif(
    not balanced_workers_supported(), reason="SO_REUSEPORT balancing needs Linux"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _workers(parent: int) -> set[int]:
    """The supervisor's worker processes (not multiprocessing's resource tracker)."""
    out = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmdline:
                out.add(int(pid))
    return out


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _serving(pids: set[int], port: int) -> set[int]:
    """Which of ``pids`` hold an established connection accepted on ``port``."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            established.add(fields[9])
    return {pid for pid in pids if _socket_inodes(pid) & established}


def _get_on_new_connections(port: int, n: int) -> list[socket.socket]:
    """Open ``n`` keep-alive connections, each answered once; the caller closes them."""
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            assert chunk, "the server closed the connection"
            head += chunk
        assert head.startswith(b"HTTP/1.1 200"), head[:80]
        conns.append(s)
    return conns


def _env(loaded: LoadedCatalogue, **extra: str) -> dict[str, str]:
    s = loaded.settings
    return {
        **os.environ,
        "EXW_DATABASE_URL": s.database_url,
        "EXW_SEARCH_INDEX_PATH": str(s.search_index_path),
        "EXW_VAR_DIR": str(s.var_dir),
        "EXW_SECRET_KEY": "k" * 48,
        **extra,
    }


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen[bytes], int, Path]]]:
    procs: list[subprocess.Popen[bytes]] = []

    def run(env: dict[str, str], workers: int = 2) -> tuple[subprocess.Popen[bytes], int, Path]:
        port = _free_port()
        log = tmp_path / f"serve-{port}.log"
        command = [sys.executable, "-m", "expertisewijzer.cli", "serve", "--port", str(port)]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*command, "--workers", str(workers)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        procs.append(proc)
        return proc, port, log

    yield run
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_taken_port_is_named_in_the_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            check_port_free("127.0.0.1", port)


@linux_only
def test_serve_with_workers_on_a_taken_port_exits_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXW_SECRET_KEY", "k" * 48)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--workers", "2", "--port", str(port)]) == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


@linux_only
def test_workers_share_the_connections_restart_and_stop(
    loaded: LoadedCatalogue, start: Callable[..., tuple[subprocess.Popen[bytes], int, Path]]
) -> None:
    proc, port, log = start(_env(loaded))
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            return httpx.get(base + "/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    _wait_until(healthy, 60, "the server")
    _wait_until(lambda: len(_workers(proc.pid)) == 2, 30, "two workers")
    workers = _workers(proc.pid)
    started = time.monotonic()  # the workers' own start, not the supervisor's: under load
    # a worker can start seconds after the supervisor, and one killed within its grace
    # period is (rightly) not restarted.

    # The kernel spreads connections over the workers' sockets: with 24 connections,
    # all on one worker would happen once in 8 million runs.
    conns = _get_on_new_connections(port, 24)
    try:
        assert _serving(workers, port) == workers
    finally:
        for c in conns:
            c.close()

    # A worker that dies after its start is replaced, and the site keeps answering.
    time.sleep(max(0.0, STARTUP_GRACE + 0.5 - (time.monotonic() - started)))
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    _wait_until(
        lambda: len(_workers(proc.pid)) == 2 and victim not in _workers(proc.pid),
        30,
        "a new worker",
    )
    _wait_until(healthy, 30, "the site after the restart")
    for c in _get_on_new_connections(port, 8):
        c.close()
    assert "restarting" in log.read_text()
    every_worker = workers | _workers(proc.pid)

    # SIGTERM stops the supervisor and every worker.
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert not every_worker & _live_pids()


def _live_pids() -> set[int]:
    return {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()}


@linux_only
def test_a_worker_that_cannot_start_stops_the_server_with_an_error(
    loaded: LoadedCatalogue, start: Callable[..., tuple[subprocess.Popen[bytes], int, Path]]
) -> None:
    # Settings accept the URL; only building the app in the worker finds the driver missing.
    env = _env(loaded, EXW_DATABASE_URL="postgresql+nosuchdriver://exw@127.0.0.1/none")
    proc, _port, log = start(env)
    assert proc.wait(timeout=60) == 1
    text = log.read_text()
    assert "nosuchdriver" in text
    assert "not restarting" in text
