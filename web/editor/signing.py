"""Signed cookie values of the editor area: the session id, the login form's token and
the known-device mark, each under its own salt of ``EXW_SECRET_KEY`` (itsdangerous).
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

from config.settings import Settings

log = logging.getLogger(__name__)

DEVICE_MAX_AGE = 90 * 24 * 3600


def secret_key(settings: Settings) -> str:
    """The configured secret, or (development) a random one for this process only."""
    if settings.secret_key:
        return settings.secret_key
    log.warning(
        "EXW_SECRET_KEY is not set: using a random key for this process. Editor "
        "sessions end when the server restarts. Set EXW_SECRET_KEY in production."
    )
    return secrets.token_urlsafe(48)


class CookieSigner:
    """Signs the session id, the login form's token and the known-device mark (own salts)."""

    def __init__(self, secret: str, session_max_age: int) -> None:
        self._session = URLSafeTimedSerializer(secret, salt="exw-editor-session")
        self._login = URLSafeTimedSerializer(secret, salt="exw-editor-login-form")
        self._device = URLSafeTimedSerializer(secret, salt="exw-editor-device")
        self.session_max_age = session_max_age

    def sign_session(self, token: str) -> str:
        return self._session.dumps(token)

    def session_token(self, value: str | None) -> str | None:
        if not value or len(value) > 500:
            return None
        try:
            token = self._session.loads(value, max_age=self.session_max_age)
        except BadSignature:  # also SignatureExpired
            return None
        return token if isinstance(token, str) else None

    def sign_login(self, nonce: str) -> str:
        return self._login.dumps(nonce)

    def login_nonce(self, value: str | None) -> str | None:
        if not value or len(value) > 500:
            return None
        try:
            nonce = self._login.loads(value, max_age=3600)
        except BadSignature:
            return None
        return nonce if isinstance(nonce, str) else None

    def sign_device(self, account: str, device: str) -> str:
        """A browser's mark after a login to ``account`` (a hash of it, not the address)."""
        return self._device.dumps({"a": _account_hash(account), "d": device})

    def device(self, value: str | None, account: str) -> str | None:
        """The device id in a mark made for ``account``, or None."""
        if not value or len(value) > 500:
            return None
        try:
            mark = self._device.loads(value, max_age=DEVICE_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(mark, dict) or mark.get("a") != _account_hash(account):
            return None
        device = mark.get("d")
        return device if isinstance(device, str) and 0 < len(device) <= 64 else None


def _account_hash(account: str) -> str:
    return hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
