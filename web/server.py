"""Running the web server: one process, or worker processes that each own a socket.

``serve(settings, host, port, workers)`` is what ``expertisewijzer serve`` runs.

One worker is plain uvicorn. For more, uvicorn's own ``--workers`` hands one
listening socket to every worker, and whichever worker is awake accepts. Clients
keep their connections open (keep-alive), so one worker can end up holding most
of them while another idles: in one of three measured runs with 32 clients and
2 workers, one worker served every request. Here each worker gets its own
listening socket on the same port (``SO_REUSEPORT``), and the kernel spreads new
connections over them evenly. Where ``SO_REUSEPORT`` does not balance (not
Linux), uvicorn's workers are used.

The access log is off unless ``EXW_ACCESS_LOG`` asks for it: it would store every
search text with the client's IP address, which is health information about a
person.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only from the proxies
listed in ``EXW_FORWARDED_ALLOW_IPS`` (none by default). Uvicorn's own default
trusts 127.0.0.1, so any client on the machine, or a local proxy that passes the
header on, could choose its own address and slip past the per-address limits
(security review D9).

The supervisor (the parent process) binds the sockets, so a port that is taken
fails at once with a clear message. It starts the workers, restarts one that
dies, and stops them all on SIGINT or SIGTERM. A worker that dies within
``STARTUP_GRACE`` seconds of its start is not restarted: that is a broken
configuration, not bad luck, and the supervisor stops with an error.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

from config.settings import Settings, default_base_url_problem

log = logging.getLogger("expertisewijzer.server")

FACTORY = "web.asgi:app_from_environment"
STARTUP_GRACE = 5.0  # seconds
STOP_TIMEOUT = 10.0  # seconds a worker gets to finish its requests
BACKLOG = 2048


class ServeError(RuntimeError):
    """The server cannot start: the message says why."""


def balanced_workers_supported() -> bool:
    """Whether the kernel balances connections over ``SO_REUSEPORT`` sockets (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def serve(settings: Settings, host: str, port: int, workers: int) -> int:
    """Serve the site until interrupted; returns the process exit code."""
    warn_about_settings(settings, host)
    if workers <= 1:
        from web.app import create_app

        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="info",
            access_log=settings.access_log,
            **proxy_options(settings.forwarded_allow_ips),
        )
        return 0
    if not balanced_workers_supported():
        uvicorn.run(
            FACTORY,
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            access_log=settings.access_log,
            **proxy_options(settings.forwarded_allow_ips),
        )
        return 0
    return Supervisor(settings, host, port, workers).run()


def warn_about_settings(settings: Settings, host: str) -> None:
    """Start-up warnings about settings that work but are wrong for a public server."""
    base_url = default_base_url_problem(settings.base_url, host)
    if base_url is not None:
        log.warning("%s", base_url)


def proxy_options(forwarded_allow_ips: str) -> dict[str, Any]:
    """Uvicorn's forwarded-header options: on only for the listed proxies."""
    if not forwarded_allow_ips:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips}


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def check_port_free(host: str, port: int) -> None:
    """Fail with a clear message when something already listens on ``host:port``.

    Without ``SO_REUSEPORT`` on this probe, a bind also fails when another server of
    ours (which does use it) still runs there, instead of silently sharing its port.
    """
    probe = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    finally:
        probe.close()


def reuseport_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
        sock.set_inheritable(True)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def _run_worker(
    sock: socket.socket,
    host: str,
    port: int,
    access_log: bool,
    factory: str,
    forwarded_allow_ips: str = "",
) -> None:
    """A worker process: one uvicorn server on its own socket, app built by ``factory``."""
    config = uvicorn.Config(
        factory,
        factory=True,
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        **proxy_options(forwarded_allow_ips),
    )
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Starts ``workers`` worker processes, one socket each, and keeps them running.

    ``factory`` is the ``module:function`` that builds the ASGI app in each worker
    (the site's by default; the benchmarks serve their baseline the same way).
    """

    def __init__(
        self, settings: Settings, host: str, port: int, workers: int, factory: str = FACTORY
    ) -> None:
        self.host, self.port, self.workers, self.factory = host, port, workers, factory
        self.access_log = settings.access_log
        self.forwarded_allow_ips = settings.forwarded_allow_ips
        self.context = multiprocessing.get_context("spawn")
        self.stopping = False

    def _start(self, sock: socket.socket, n: int) -> tuple[BaseProcess, float]:
        proc = self.context.Process(
            target=_run_worker,
            args=(
                sock,
                self.host,
                self.port,
                self.access_log,
                self.factory,
                self.forwarded_allow_ips,
            ),
            name=f"expertisewijzer-worker-{n}",
        )
        proc.start()
        return proc, time.monotonic()

    def run(self) -> int:
        check_port_free(self.host, self.port)
        sockets = [reuseport_socket(self.host, self.port) for _ in range(self.workers)]
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        workers = [self._start(sock, n) for n, sock in enumerate(sockets)]
        code = 0
        try:
            while not self.stopping:
                time.sleep(0.2)
                for n, (proc, started) in enumerate(workers):
                    if proc.is_alive() or self.stopping:
                        continue
                    if time.monotonic() - started < STARTUP_GRACE:
                        log.error(
                            "worker %d stopped %.1f s after its start (exit code %s): "
                            "not restarting; see the messages above",
                            n,
                            time.monotonic() - started,
                            proc.exitcode,
                        )
                        code = 1
                        self.stopping = True
                        break
                    log.warning("worker %d stopped (exit code %s): restarting", n, proc.exitcode)
                    workers[n] = self._start(sockets[n], n)
        finally:
            for proc, _started in workers:
                if proc.is_alive():
                    proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight
            deadline = time.monotonic() + STOP_TIMEOUT
            for proc, _started in workers:
                proc.join(max(0.0, deadline - time.monotonic()))
                if proc.is_alive():
                    proc.kill()
                    proc.join()
            for sock in sockets:
                sock.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
