"""The ``expertisewijzer`` command: one CLI with thin subcommands over the services."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from config.settings import Settings, SettingsError
from directory.db import alembic_config
from directory.errors import InputRejected
from expertisewijzer.cli_editor import add_parsers as add_editor_parsers


def _ensure_sqlite_dir(settings: Settings) -> None:
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from alembic import command

    _ensure_sqlite_dir(settings)
    cfg = alembic_config(settings.project_root, settings.database_url)
    if args.action == "upgrade":
        command.upgrade(cfg, args.revision)
        _fill_english_slugs(settings)
    elif args.action == "downgrade":
        command.downgrade(cfg, args.revision)
    elif args.action == "current":
        command.current(cfg)
    elif args.action == "check":
        command.check(cfg)
    return 0


def _fill_english_slugs(settings: Settings) -> None:
    """Rows made before English slugs existed get theirs (migration 0400)."""
    from sqlalchemy import inspect

    from directory.db import make_engine, make_session_factory
    from directory.editorial.corrections import EDITOR_CORRECTIONS
    from directory.expertise.services import ExpertiseService

    engine = make_engine(settings.database_url)
    found = inspect(engine)
    if "panel" in found.get_table_names() and any(
        c["name"] == "slug_en" for c in found.get_columns("panel")
    ):  # not when upgrading to a revision before 0400
        sessions = make_session_factory(engine)
        given = ExpertiseService(sessions, EDITOR_CORRECTIONS).fill_english_slugs()
        if given:
            print(f"English slugs given: {given}")


def _service(settings: Settings) -> object:
    from directory.conditions.services import CatalogueService
    from directory.db import make_engine, make_session_factory
    from directory.editorial.corrections import EDITOR_CORRECTIONS

    sessions = make_session_factory(make_engine(settings.database_url))
    return CatalogueService(sessions, EDITOR_CORRECTIONS)


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from directory.conditions.services import CatalogueService
    from importers.registry import SOURCES, RunOptions, run_import

    sources = args.sources or list(SOURCES)
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        print(
            f"error: unknown source {unknown[0]!r}; known sources: {', '.join(SOURCES)}",
            file=sys.stderr,
        )
        return 2
    if args.file and len(sources) != 1:
        print("error: --file needs exactly one SOURCE", file=sys.stderr)
        return 2
    service = _service(settings)
    assert isinstance(service, CatalogueService)
    options = RunOptions(
        allow_partial=args.allow_partial,
        dry_run=args.dry_run,
        lang=args.lang,
        max_retire_share=settings.import_max_retire_share,
        allow_retire=args.allow_retire,
    )
    with httpx.Client(timeout=settings.http_timeout) as client:
        for source in sources:
            try:
                reports = run_import(
                    service,
                    source,
                    data_dir=settings.data_dir,
                    location=args.file,
                    client=client,
                    options=options,
                )
            except InputRejected as exc:
                print(f"import of {source} failed; nothing was changed.", file=sys.stderr)
                print(str(exc), file=sys.stderr)
                return 1
            for r in reports:
                c = r.counts
                print(
                    f"{source}: {r.file_name}: {r.status}: {c.added} added, {c.changed} changed, "
                    f"{c.retired} retired, {c.unchanged} unchanged (run {r.run_id})"
                )
                for w in r.warnings[:20]:
                    print(f"  warning: {w}")
                if len(r.warnings) > 20:
                    print(f"  ... and {len(r.warnings) - 20} more warnings")
                for p in r.problems:
                    print(f"  rejected: {p}")
    return 0


def _search_engine(settings: Settings) -> object:
    from search.factory import make_search_engine

    return make_search_engine(settings)


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    from directory.catalogue_version import current_version
    from directory.conditions.queries import CatalogueQueries
    from directory.db import make_engine, make_session_factory
    from search.engine import SearchEngine
    from search.reindex import Reindexer

    database = make_engine(settings.database_url)
    sessions = make_session_factory(database)
    engine = _search_engine(settings)
    assert isinstance(engine, SearchEngine)
    reindex = Reindexer(
        engine,
        CatalogueQueries(sessions),
        versions=lambda: current_version(sessions),
        lock_path=settings.var_dir / "reindex.lock",  # not at once with a server's rebuild
    )
    try:
        n = reindex.rebuild_now()
    finally:
        database.dispose()
    version = engine.catalogue_version()
    print(f"indexed {n} documents ({settings.search_engine}) at catalogue version {version}")
    return 0


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    from directory.db import make_engine, make_session_factory
    from directory.expertise.slugs import PermalinkQueries
    from search.engine import SearchEngine, SearchQuery
    from search.serialize import hit_url, results_json

    database = make_engine(settings.database_url)
    try:
        links = PermalinkQueries(make_session_factory(database)).current()
    finally:
        database.dispose()
    engine = _search_engine(settings)
    assert isinstance(engine, SearchEngine)
    results = engine.search(
        SearchQuery(text=args.query, lang=args.lang, limit=max(0, min(args.limit, 100)))
    )
    if args.json:
        data = results_json(results, links, args.lang)
        print(json.dumps({"hits": data["hits"]}, ensure_ascii=False, indent=2))
        return 0
    if not results.hits:
        print("no results")
    for i, h in enumerate(results.hits, 1):
        code = f" ORPHA:{h.orphacode}" if h.orphacode else ""
        print(f"{i:>2}. [{h.kind}]{code} {h.title}  {hit_url(h, links, args.lang)}")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from web.server import ServeError, serve

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    if workers > 1 and not settings.secret_key:
        print(
            "error: more than one worker needs EXW_SECRET_KEY, so that every worker "
            "accepts the same editor session cookies",
            file=sys.stderr,
        )
        return 2
    try:
        return serve(settings, host, port, workers)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def cmd_i18n(settings: Settings, args: argparse.Namespace) -> int:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    locales = settings.project_root / "locales"
    for po_path in sorted(locales.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f)
        with po_path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)
        print(f"compiled {po_path.relative_to(settings.project_root)}")
    return 0


def cmd_zero_results(settings: Settings, args: argparse.Namespace) -> int:
    from directory.conditions.queries import CatalogueQueries
    from directory.db import make_engine, make_session_factory

    if args.limit < 1:
        print("error: --limit must be 1 or more", file=sys.stderr)
        return 2
    queries = CatalogueQueries(make_session_factory(make_engine(settings.database_url)))
    rows = queries.zero_results(args.limit)
    if not rows:
        print("no searches without results")
    for r in rows:
        print(
            f"{r.count:>6}  {r.normalised}  (last {r.last_seen:%Y-%m-%d %H:%M}, "
            f"first {r.first_seen:%Y-%m-%d})"
        )
    return 0


COVERAGE_LABELS = {
    "own": "(a) a sourced named centre of its own",
    "group": "(b) a sourced named centre through a group",
    "route": "(c) only a route without a named centre",  # incl. the route for children
    "none": "(d) nothing",
}


def cmd_coverage(settings: Settings, args: argparse.Namespace) -> int:
    from directory.db import make_engine, make_session_factory
    from directory.expertise.coverage import CLASSES, CoverageQueries

    report = CoverageQueries(make_session_factory(make_engine(settings.database_url))).report()
    if args.json:
        print(
            json.dumps(
                {
                    "date": report.on.isoformat(),
                    "conditions": report.total,
                    "counts": report.counts,
                    "priority_counts": report.priority_counts,
                    "priority": [
                        {
                            "orphacode": p.condition.orphacode,
                            "topic": p.topic.en if p.topic else None,
                            "coverage": p.coverage,
                            "centres": list(p.centres),
                        }
                        for p in report.priority
                    ],
                    "nothing": [c.orphacode for c in report.nothing],
                    "domains": [
                        {"domain": d.domain.slug, "counts": d.counts} for d in report.domains
                    ],
                    "children_route": report.children_route,
                },
                indent=2,
            )
        )
        return 0

    def table(counts: dict[str, int], total: int) -> None:
        for key in CLASSES:
            share = counts[key] / total * 100 if total else 0.0
            print(f"  {COVERAGE_LABELS[key]:<46} {counts[key]:>5}  {share:5.1f} %")

    print(f"Coverage on {report.on.isoformat()}: {report.total} active conditions")
    table(report.counts, report.total)
    print(f"  the route for children reaches {report.children_route} of them")
    print(f"\nThe {len(report.priority)} conditions people look up most:")
    table(report.priority_counts, len(report.priority))
    for p in report.priority:
        topic = p.topic.en if p.topic else ""
        centres = ", ".join(p.centres) or "-"
        print(f"  {p.coverage:<6} ORPHA:{p.condition.orphacode:<7} {topic}: {centres}")
    print("\nPer EURACAN domain (own / group / route / none):")
    for d in report.domains:
        c = d.counts
        print(f"  {d.domain.slug:<22} {c['own']:>4} {c['group']:>4} {c['route']:>4} {c['none']:>4}")
    print(f"\nConditions with nothing ({len(report.nothing)}):")
    for ref in report.nothing:
        print(f"  ORPHA:{ref.orphacode} {ref.title('en').value}")
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from directory.backup import BackupError, backup, table_checksums

    target = Path(args.file)
    try:
        info = backup(settings.database_url, target)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"backup of {info.tables} tables written to {info.path} ({info.size:,} bytes)")
    if args.verify:
        return _verify_backup(settings, target, table_checksums(settings.database_url))
    return 0


def _verify_backup(settings: Settings, target: Path, expected: dict[str, str]) -> int:
    """Restore ``target`` into a scratch SQLite file (or a scratch copy) and compare."""
    import tempfile

    from directory.backup import BackupError, restore, table_checksums

    if not settings.database_url.startswith("sqlite"):
        print("--verify restores into a scratch database; on PostgreSQL restore the backup")
        print("into an empty database and run `expertisewijzer checksums` on both instead")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'verify.sqlite3'}"
        try:
            restore(target, url)
        except BackupError as exc:
            print(f"error: the backup does not restore: {exc}", file=sys.stderr)
            return 1
        found = table_checksums(url)
    differ = sorted(t for t in expected if found.get(t) != expected[t])
    if differ:
        print(f"error: restored tables differ: {', '.join(differ)}", file=sys.stderr)
        return 1
    print(f"verified: the backup restores to the same {len(expected)} tables")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from directory.backup import BackupError, restore

    _ensure_sqlite_dir(settings)
    try:
        restore(Path(args.file), settings.database_url, replace=args.replace)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"restored {args.file}; rebuild the search index with `expertisewijzer index`")
    return 0


def cmd_checksums(settings: Settings, args: argparse.Namespace) -> int:
    from directory.backup import table_checksums

    for table, digest in table_checksums(settings.database_url).items():
        print(f"{digest}  {table}")
    return 0


def cmd_runs(settings: Settings, args: argparse.Namespace) -> int:
    from directory.conditions.queries import CatalogueQueries
    from directory.db import make_engine, make_session_factory

    queries = CatalogueQueries(make_session_factory(make_engine(settings.database_url)))
    for run in queries.import_runs(args.limit):
        print(
            f"#{run.id} {run.started_at:%Y-%m-%d %H:%M:%S} {run.source} {run.status} "
            f"+{run.added} ~{run.changed} -{run.retired} ={run.unchanged} "
            f"{Path(run.file_name).name}"
        )
        for p in run.problems[:10]:
            print(f"    {p.get('file')}: {p.get('location')}: {p.get('reason')}")
    return 0


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    from expertisewijzer.doctor import report, run_checks

    findings = run_checks(settings)
    print(report(findings))
    return 0 if all(f.ok for f in findings) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="expertisewijzer", description="Expertisewijzer: rare cancer expertise finder."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("db", help="database migrations")
    p.add_argument("action", choices=["upgrade", "downgrade", "current", "check"])
    p.add_argument("revision", nargs="?", default="heads")
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("import", help="import sources into the catalogue")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="default: all, in order")
    p.add_argument("--file", help="a path or http(s) URL instead of the bundled file")
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="write valid rows, record rejected rows in the run report",
    )
    p.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    p.add_argument(
        "--allow-retire",
        action="store_true",
        help="apply even if the file retires more than EXW_IMPORT_MAX_RETIRE_SHARE of a "
        "source's rows (an empty list is always refused)",
    )
    p.add_argument("--lang", default="nl", help="language of editorial name files")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("index", help="rebuild the search index and swap it in")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="search from the command line")
    p.add_argument("query")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("serve", help="run the web server")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, help="worker processes (default: EXW_WORKERS)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("i18n", help="compile the translation catalogues")
    p.add_argument("action", choices=["compile"])
    p.set_defaults(func=cmd_i18n)

    p = sub.add_parser("runs", help="list recent import runs")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("backup", help="write a consistent copy of the catalogue to a file")
    p.add_argument("file", help="the backup file to write (must not exist)")
    p.add_argument(
        "--verify", action="store_true", help="restore it into a scratch database and compare"
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore the catalogue from a backup file")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="overwrite a catalogue that is not empty")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("checksums", help="a SHA-256 per table, to compare two databases")
    p.set_defaults(func=cmd_checksums)

    p = sub.add_parser(
        "coverage", help="how many conditions name a sourced centre, a route, or nothing"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser(
        "zero-results", help="searches that found nothing, most frequent first (text and time)"
    )
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_zero_results)

    p = sub.add_parser(
        "doctor",
        help="check settings, database, migrations, search index and leftovers; "
        "exit 1 on any problem",
    )
    p.set_defaults(func=cmd_doctor)

    add_editor_parsers(sub)  # users, links
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        result: int = args.func(settings, args)
    except BrokenPipeError:
        # "expertisewijzer coverage | head": the reader stopped early. Python's own recipe:
        # stdout to /dev/null, so that the flush at exit does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
