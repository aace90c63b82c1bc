"""Serve the naive LIKE baseline over HTTP, as ``expertisewijzer serve`` serves the site.

    BENCH_LIKE_DB=names.sqlite3 .venv/bin/python bench/like_server.py --port P --workers N

The workers are started by the site's own supervisor (``web.server.Supervisor``),
one ``SO_REUSEPORT`` socket each, so that both are served alike.
"""

from __future__ import annotations

import argparse
import sys

from config.settings import Settings
from web.server import Supervisor


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    supervisor = Supervisor(
        Settings.from_env(),
        "127.0.0.1",
        args.port,
        args.workers,
        factory="like_baseline:create_app",
    )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
