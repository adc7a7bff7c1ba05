"""Who may use /admin: a password sign-in (argon2 hash in ADMIN_PASSWORD_HASH) or a trusted SSO header.

Sessions live in a signed cookie (Starlette's SessionMiddleware, itsdangerous); every form carries
a per-session CSRF token (the synchronizer-token pattern, OWASP CSRF Prevention Cheat Sheet) that is
renewed at sign-in.
"""

from __future__ import annotations

import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import Request

from bot.config import Settings

USER, CSRF = "user", "csrf"
CSRF_FIELD = "csrf_token"
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe())  # verified against an unknown name: same timing


def hash_password(password: str) -> str:
    """An argon2id hash (library defaults, RFC 9106) for ADMIN_PASSWORD_HASH."""
    return _hasher.hash(password)


class AdminAuth:
    """Sign-in checks for the settings' admin account and SSO header."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def password_login(self) -> bool:
        return bool(self.settings.admin_username and self.settings.admin_password_hash)

    @property
    def configured(self) -> bool:
        """A way to sign in exists and sessions can be signed."""
        return bool(self.settings.admin_session_secret) and (self.password_login or bool(self.settings.admin_sso_header))

    def check_password(self, username: str, password: str) -> bool:
        """True for the admin's username and password (constant work whether or not the name matches)."""
        s = self.settings
        name_ok = self.password_login and hmac.compare_digest(username.encode(), (s.admin_username or "").encode())
        try:
            return _hasher.verify((s.admin_password_hash if name_ok else None) or _DUMMY_HASH, password) and name_ok
        except (VerificationError, InvalidHashError):
            return False

    def user(self, request: Request) -> str | None:
        """The signed-in user: the SSO header's (when turned on and allowed), else the session's."""
        header = self.settings.admin_sso_header
        if header:
            sso = request.headers.get(header, "").strip()
            if sso and (not self.settings.admin_sso_users or sso in self.settings.admin_sso_users):
                return sso
        return request.session.get(USER)


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    if CSRF not in request.session:
        request.session[CSRF] = secrets.token_urlsafe(32)
    return request.session[CSRF]


def csrf_ok(request: Request, sent: object) -> bool:
    """True when a form sent this session's token."""
    expected = request.session.get(CSRF)
    if not isinstance(expected, str) or not expected or not isinstance(sent, str):
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def sign_in(request: Request, user: str) -> None:
    """Start a fresh session for `user` (a new CSRF token: no fixation of a pre-login session)."""
    request.session.clear()
    request.session[USER] = user
    request.session[CSRF] = secrets.token_urlsafe(32)
