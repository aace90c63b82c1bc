"""Accounts, roles, passwords, sessions and the login rate limit (service level)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from directory.accounts.models import EditorUser
from directory.editorial.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    PermissionDenied,
    RateLimited,
)
from directory.editorial.services import EditorialService
from tests.support.editor import PASSWORD, Clock, Team


def test_default_hasher_is_argon2id(sessions, small_catalogue) -> None:
    service = EditorialService(sessions, small_catalogue)  # production defaults
    service.add_user("ada@example.org", "Ada", "admin", PASSWORD)
    with sessions() as s:
        stored = s.scalar(select(EditorUser.password_hash))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_add_user_validates(editorial: EditorialService, team: Team) -> None:
    with pytest.raises(InvalidInput) as exc:
        editorial.add_user("not-an-address", "", "superuser", "short")
    codes = {e.field: e.code for e in exc.value.errors}
    assert codes == {
        "email": "not_email",
        "display_name": "required",
        "role": "not_choice",
        "password": "password_too_short",
    }
    with pytest.raises(InvalidInput) as dup:
        editorial.add_user("EDDIE@example.org", "Another Eddie", "editor", PASSWORD)
    assert dup.value.by_field()["email"].code == "email_taken"


def test_only_admins_manage_users(editorial: EditorialService, team: Team) -> None:
    for actor in (team.editor, team.reviewer):
        with pytest.raises(PermissionDenied):
            editorial.add_user("new@example.org", "New", "editor", PASSWORD, actor_id=actor.id)
        with pytest.raises(PermissionDenied):
            editorial.set_role(team.other_editor.id, "admin", actor_id=actor.id)
        with pytest.raises(PermissionDenied):
            editorial.set_active(team.other_editor.id, False, actor_id=actor.id)
        with pytest.raises(PermissionDenied):
            editorial.set_password(team.other_editor.id, "another long password", actor_id=actor.id)
    user = editorial.add_user("new@example.org", "New", "editor", PASSWORD, actor_id=team.admin.id)
    assert editorial.set_role(user.id, "reviewer", actor_id=team.admin.id).role == "reviewer"
    # Everyone may change their own password.
    editorial.set_password(team.editor.id, "my own new password", actor_id=team.editor.id)
    editorial.login("eddie@example.org", "my own new password", "10.0.0.1")


def test_the_last_admin_stays(editorial: EditorialService, team: Team) -> None:
    with pytest.raises(InvalidInput) as exc:
        editorial.set_role(team.admin.id, "editor", actor_id=team.admin.id)
    assert exc.value.by_field()["role"].code == "last_admin"
    with pytest.raises(InvalidInput):
        editorial.set_active(team.admin.id, False)
    editorial.set_role(team.reviewer.id, "admin", actor_id=team.admin.id)
    editorial.set_role(team.admin.id, "editor", actor_id=team.admin.id)  # now allowed


def test_concurrent_user_changes_are_detected(editorial: EditorialService, team: Team) -> None:
    version = team.other_editor.version
    editorial.set_role(
        team.other_editor.id, "reviewer", actor_id=team.admin.id, expected_version=version
    )
    with pytest.raises(Conflict):
        editorial.set_active(
            team.other_editor.id, False, actor_id=team.admin.id, expected_version=version
        )


def test_login_and_session(editorial: EditorialService, team: Team) -> None:
    result = editorial.login(" Eddie@Example.org ", PASSWORD, "10.0.0.1")
    info = editorial.session(result.token)
    assert info is not None
    assert info.user.email == "eddie@example.org"
    assert info.csrf_ok(info.csrf_token)
    assert not info.csrf_ok("")
    assert not info.csrf_ok(info.csrf_token[:-1] + "x")
    assert editorial.session(result.token + "x") is None
    with pytest.raises(InvalidCredentials):
        editorial.login("eddie@example.org", "wrong password!", "10.0.0.1")
    with pytest.raises(InvalidCredentials):
        editorial.login("nobody@example.org", PASSWORD, "10.0.0.1")


def test_logout_ends_the_server_side_session(editorial: EditorialService, team: Team) -> None:
    result = editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
    editorial.logout(result.token)
    assert editorial.session(result.token) is None


def test_sessions_expire(editorial: EditorialService, team: Team, clock: Clock) -> None:
    idle = editorial.session_policy.idle
    lifetime = editorial.session_policy.lifetime
    result = editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
    clock.advance(seconds=idle.total_seconds() - 60)
    assert editorial.session(result.token) is not None  # activity keeps it alive
    clock.advance(seconds=idle.total_seconds() - 60)
    assert editorial.session(result.token) is not None
    clock.advance(seconds=idle.total_seconds() + 1)
    assert editorial.session(result.token) is None  # idle too long

    result = editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
    step = idle.total_seconds() / 2
    elapsed = 0.0
    while elapsed + step < lifetime.total_seconds():
        clock.advance(seconds=step)
        elapsed += step
        assert editorial.session(result.token) is not None
    clock.advance(seconds=step)
    assert editorial.session(result.token) is None  # absolute lifetime, however active


def test_disabling_an_account_ends_its_sessions(editorial: EditorialService, team: Team) -> None:
    result = editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
    editorial.set_active(team.editor.id, False, actor_id=team.admin.id)
    assert editorial.session(result.token) is None
    with pytest.raises(InvalidCredentials):
        editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
    editorial.set_active(team.editor.id, True, actor_id=team.admin.id)
    assert editorial.session(result.token) is None  # the old session stays ended
    editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")


def test_login_rate_limit_per_account(editorial: EditorialService, team: Team, clock: Clock):
    limit = editorial.rate_limit.per_account
    for i in range(limit):
        with pytest.raises(InvalidCredentials):
            editorial.login("eddie@example.org", f"guess number {i}", f"10.0.0.{i}")
    with pytest.raises(RateLimited) as exc:
        editorial.login("eddie@example.org", PASSWORD, "10.9.9.9")  # even the right password
    assert exc.value.scope == "account"
    assert 0 < exc.value.retry_after <= editorial.rate_limit.window.total_seconds() + 1
    editorial.login("rita@example.org", PASSWORD, "10.9.9.9")  # other accounts are fine
    clock.advance(seconds=editorial.rate_limit.window.total_seconds() + 1)
    editorial.login("eddie@example.org", PASSWORD, "10.9.9.9")  # the window has passed


def test_login_rate_limit_per_client(editorial: EditorialService, team: Team) -> None:
    limit = editorial.rate_limit.per_client
    for i in range(limit):
        with pytest.raises(InvalidCredentials):
            editorial.login(f"user{i}@example.org", "wrong password!", "192.0.2.7")
    with pytest.raises(RateLimited) as exc:
        editorial.login("eddie@example.org", PASSWORD, "192.0.2.7")
    assert exc.value.scope == "client"
    editorial.login("eddie@example.org", PASSWORD, "192.0.2.8")


def test_success_clears_the_account_failures(editorial: EditorialService, team: Team) -> None:
    for _ in range(editorial.rate_limit.per_account - 1):
        with pytest.raises(InvalidCredentials):
            editorial.login("eddie@example.org", "wrong password!", "10.0.0.1")
    editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
    for _ in range(editorial.rate_limit.per_account - 1):
        with pytest.raises(InvalidCredentials):
            editorial.login("eddie@example.org", "wrong password!", "10.0.0.1")
    editorial.login("eddie@example.org", PASSWORD, "10.0.0.1")
