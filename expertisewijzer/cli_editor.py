"""Subcommands for the editor area: ``users`` (accounts) and ``links check``.

Accounts are made on the command line or by an administrator in the editor area;
there is no self-registration. Passwords are read from the terminal (asked
twice) or, with ``--password-stdin``, from the first line of standard input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from config.settings import Settings


@contextmanager
def _services(settings: Settings) -> Iterator[tuple[Any, Any]]:
    """The editorial service and queries on the configured database; closed afterwards."""
    from directory.conditions.services import CatalogueService
    from directory.db import make_engine, make_session_factory
    from directory.editorial.corrections import EDITOR_CORRECTIONS
    from directory.editorial.queries.editor_area import EditorialQueries
    from directory.editorial.services import EditorialService

    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_factory(engine)
        service = EditorialService(sessions, CatalogueService(sessions, EDITOR_CORRECTIONS))
        yield service, EditorialQueries(sessions, service.adapters)
    finally:
        engine.dispose()


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        print("error: no terminal to ask for the password; use --password-stdin", file=sys.stderr)
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        print("error: the two passwords differ", file=sys.stderr)
        return None
    return first


def _explain(exc: Exception) -> None:
    from directory.editorial.errors import InvalidInput

    if isinstance(exc, InvalidInput):
        for e in exc.errors:
            params = ", ".join(f"{k}={v}" for k, v in e.params.items())
            print(f"error: {e.field}: {e.code}{f' ({params})' if params else ''}", file=sys.stderr)
    else:
        print(f"error: {exc}", file=sys.stderr)


def cmd_users(settings: Settings, args: argparse.Namespace) -> int:
    with _services(settings) as (service, queries):
        return _users(service, queries, args)


def _users(service: Any, queries: Any, args: argparse.Namespace) -> int:
    from directory.editorial.errors import EditorialError
    from directory.errors import NotFound

    if args.action == "list":
        for u in queries.users():
            state = "active" if u.active else "disabled"
            print(f"{u.email}\t{u.role}\t{state}\t{u.display_name}")
        return 0
    if args.action == "add":
        password = _password(args)
        if password is None:
            return 2
        try:
            user = service.add_user(args.email, args.name or args.email, args.role, password)
        except EditorialError as exc:
            _explain(exc)
            return 1
        print(f"added {user.email} ({user.role})")
        return 0
    user = service.user_by_email(args.email)
    if user is None:
        print(f"error: no account {args.email!r}", file=sys.stderr)
        return 1
    try:
        if args.action in ("disable", "enable"):
            service.set_active(user.id, args.action == "enable")
        elif args.action == "set-role":
            service.set_role(user.id, args.role)
        elif args.action == "set-password":
            password = _password(args)
            if password is None:
                return 2
            service.set_password(user.id, password)
    except (EditorialError, NotFound) as exc:
        _explain(exc)
        return 1
    print(f"{args.action}: {user.email}")
    return 0


def cmd_links(
    settings: Settings, args: argparse.Namespace, client: httpx.Client | None = None
) -> int:
    from importers.linkcheck import check_links

    with _services(settings) as (service, queries):
        links = queries.outbound_links()
        if client is None:
            with httpx.Client(timeout=settings.http_timeout) as own:
                results = check_links(own, links)
        else:
            results = check_links(client, links)
        service.record_link_results(results)
    broken = [r for r in results if not r.ok]
    print(
        f"checked {len(results)} links ({len({r.url for r in results})} addresses): "
        f"{len(broken)} broken"
    )
    for r in broken:
        why = f"HTTP {r.status_code}" if r.status_code else r.error
        print(f"  {r.entity_kind} {r.entity_id} {r.field}: {r.url}: {why}")
    return 0


def add_parsers(sub: Any) -> None:
    """Add ``users`` and ``links`` to the main parser's subcommands."""
    from directory.vocabulary import ROLES

    p = sub.add_parser("users", help="editor accounts: add, disable, enable, set-role, ...")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", help="create an account")
    a.add_argument("email")
    a.add_argument("--name", help="display name (default: the e-mail address)")
    a.add_argument("--role", choices=ROLES, default="editor")
    a.add_argument("--password-stdin", action="store_true")
    for name, help_ in (
        ("disable", "disable an account (ends its sessions)"),
        ("enable", "enable an account again"),
    ):
        d = actions.add_parser(name, help=help_)
        d.add_argument("email")
    r = actions.add_parser("set-role", help="change an account's role")
    r.add_argument("email")
    r.add_argument("role", choices=ROLES)
    w = actions.add_parser("set-password", help="set a new password (ends the sessions)")
    w.add_argument("email")
    w.add_argument("--password-stdin", action="store_true")
    actions.add_parser("list", help="list the accounts")
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("links", help="check the outbound links of the public pages")
    p.add_argument("action", choices=["check"])
    p.set_defaults(func=cmd_links)
