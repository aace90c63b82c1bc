"""Shared benchmark plumbing: percentiles, a real server process, a light load generator.

The load generator speaks minimal HTTP/1.1 over keep-alive connections itself: an
HTTP library costs more CPU per request than the server does, and on a 2-core
machine client and server share the cores. Only 127.0.0.1 is contacted, and the
number of requests is bounded by the caller.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def triple(values: Sequence[float]) -> str:
    return f"{pct(values, 50):.1f} / {pct(values, 95):.1f} / {pct(values, 99):.1f}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A real ``expertisewijzer serve`` process on 127.0.0.1, started and stopped by us.

    ``argv`` starts another server instead (given the port); it must answer ``/healthz``.
    """

    def __init__(
        self,
        env: dict[str, str],
        log: Path | None = None,
        argv: Callable[[int], list[str]] | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        out = log.open("wb") if log else subprocess.DEVNULL
        command = (
            argv(self.port)
            if argv
            else [sys.executable, "-m", "expertisewijzer.cli", "serve", "--port", str(self.port)]
        )
        self.proc = subprocess.Popen(
            command,
            env={**os.environ, "EXW_BASE_URL": self.base, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        with httpx.Client(base_url=self.base, timeout=5) as http:
            for _ in range(300):
                try:
                    if http.get("/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server process and its workers (Linux ``/proc``)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        todo = [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue  # a process that ended meanwhile
        return total

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


async def get_latencies(
    port: int, paths: Sequence[str], concurrency: int, total: int, *, warm: bool = True
) -> tuple[list[float], int, float]:
    """``total`` GETs of ``paths`` (in turn) from ``concurrency`` clients.

    Returns latencies in ms, the number of non-200 answers, and the seconds taken.
    With ``warm``, a first pass over every path (4 clients, not measured) warms the
    server up, as a server that has been running is.
    """
    errors = 0

    async def client(counter: Iterator[int], out: list[float] | None) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for n in counter:
                path = paths[n % len(paths)]
                t = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                if out is not None:
                    out.append((time.perf_counter() - t) * 1000)
                    if head.split(b" ", 2)[1] != b"200":
                        errors += 1
        finally:
            writer.close()

    if warm:
        first = iter(range(len(paths)))
        await asyncio.gather(*(client(first, None) for _ in range(4)))
    out: list[float] = []
    counter = iter(range(total))
    started = time.perf_counter()
    await asyncio.gather(*(client(counter, out) for _ in range(concurrency)))
    return out, errors, time.perf_counter() - started
