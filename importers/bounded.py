"""One import in a child process, with limits on its memory and its time.

An uploaded file comes from outside, and parsing is where a file can cost far more
than its size: a 1.6 kB workbook took 22 s of CPU holding the server's GIL (public
searches slowed from 9 to 97 ms), a 10 MB one 7.1 GB of memory (security review
D5). The editor area therefore runs the dry run and the apply of an upload here:

* in a child process, so the server's threads, memory and event loop are never
  touched;
* with its address space (``RLIMIT_AS``) and CPU time (``RLIMIT_CPU``) limited,
  and a wall-clock timeout on top;
* through :func:`importers.registry.run_import` as always: one transaction, a
  failed run recorded with its (capped) problems.

A child that is stopped by a limit wrote nothing (its transaction dies with it);
the parent records its run as failed and says which limit it hit.

``python -m importers.bounded`` is the child: it reads its job as JSON on stdin
and answers JSON on stdout.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from directory.conditions.services import CatalogueService
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.errors import InputRejected
from directory.reports import ChangeCounts, ImportReport, Problem


@dataclass(frozen=True)
class ImportLimits:
    memory_mb: int = 1024
    seconds: float = 120.0


@dataclass(frozen=True)
class ImportJob:
    """What the child imports, and into which database."""

    database_url: str
    source: str
    location: str
    data_dir: str
    dry_run: bool
    lang: str = "nl"
    allow_retire: bool = False
    max_retire_share: float = 1.0


def run_bounded(
    job: ImportJob, limits: ImportLimits, catalogue: CatalogueService
) -> list[ImportReport]:
    """Run ``job`` in a child within ``limits``; raises :class:`InputRejected` like run_import.

    ``catalogue`` records the run when the child could not (it was stopped).
    """
    command = [
        sys.executable,
        "-m",
        "importers.bounded",
        str(limits.memory_mb),
        str(limits.seconds),
    ]
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and module, fixed arguments)
            command,
            input=json.dumps(dataclasses.asdict(job)),
            capture_output=True,
            text=True,
            timeout=limits.seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        _stopped(job, catalogue, f"the import took longer than {limits.seconds:g} seconds")
    answer = _answer(done.stdout)
    if answer is None:
        _stopped(
            job,
            catalogue,
            f"the import was stopped: it needed more than {limits.memory_mb} MB of memory "
            f"or {limits.seconds:g} seconds of processor time",
        )
    if "rejected" in answer:
        rejected = answer["rejected"]
        raise InputRejected([Problem(**p) for p in rejected["problems"]], str(rejected["summary"]))
    return [_report(r) for r in answer["reports"]]


def _stopped(job: ImportJob, catalogue: CatalogueService, reason: str) -> NoReturn:
    problem = Problem(job.location, "file", reason)
    catalogue.record_failed_run(job.source, job.location, None, (problem,))
    raise InputRejected([problem], f"{Path(job.location).name}: {reason}")


def _answer(stdout: str) -> dict[str, Any] | None:
    last = stdout.strip().rsplit("\n", 1)[-1] if stdout.strip() else ""
    try:
        answer = json.loads(last)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _report(data: dict[str, Any]) -> ImportReport:
    return ImportReport(
        run_id=int(data["run_id"]),
        source=str(data["source"]),
        file_name=str(data["file_name"]),
        status=str(data["status"]),
        counts=ChangeCounts(**data["counts"]),
        warnings=tuple(data["warnings"]),
        override_warnings=tuple(data["override_warnings"]),
        problems=tuple(Problem(**p) for p in data["problems"]),
        changes=tuple(data["changes"]),
    )


# -- the child ---------------------------------------------------------------------------


def _limit(memory_mb: int, seconds: float) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _child(job: ImportJob) -> dict[str, Any]:
    from directory.db import make_engine, make_session_factory
    from importers.registry import RunOptions, run_import

    engine = make_engine(job.database_url)
    try:
        catalogue = CatalogueService(make_session_factory(engine), EDITOR_CORRECTIONS)
        options = RunOptions(
            dry_run=job.dry_run,
            lang=job.lang,
            allow_retire=job.allow_retire,
            max_retire_share=job.max_retire_share,
        )
        try:
            reports = run_import(
                catalogue,
                job.source,
                data_dir=Path(job.data_dir),
                location=job.location,
                options=options,
            )
        except InputRejected as exc:
            problems = [dataclasses.asdict(p) for p in exc.problems]
            return {"rejected": {"summary": exc.summary, "problems": problems}}
        return {"reports": [dataclasses.asdict(r) for r in reports]}
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    memory_mb, seconds = int(argv[0]), float(argv[1])
    job = ImportJob(**json.loads(sys.stdin.read()))
    _limit(memory_mb, seconds)
    print(json.dumps(_child(job)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
