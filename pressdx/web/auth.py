"""Passwords, sessions and CSRF tokens.

- Passwords: argon2id (``argon2-cffi``'s defaults: memory-hard, salted, parameters in the hash).
- Sessions: a signed cookie (``itsdangerous``) holding the user name, the issue time and a random nonce;
  ``HttpOnly``, ``SameSite=Lax``, ``Secure`` when configured. A cookie is honoured only while the account
  is active and was issued after the account's ``sessions_valid_after`` (disable and reset end sessions).
- CSRF: every visitor, signed in or not, has a session nonce; the token in every form is an HMAC of it.
  A POST without the matching token is refused (403). Signing in issues a fresh nonce (no fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "pressdx_session"
LANG_COOKIE = "pressdx_lang"
CSRF_FIELD = "csrf_token"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))  # verified for unknown users: same cost either way


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_new_password(password: str) -> None:
    if len(password) < 12:
        raise ValueError("a password needs at least 12 characters")


@dataclass(frozen=True)
class Session:
    nonce: str
    username: str | None = None
    issued_at: datetime | None = None

    @classmethod
    def anonymous(cls) -> Session:
        return cls(secrets.token_urlsafe(24))

    @classmethod
    def signed_in(cls, username: str) -> Session:
        return cls(secrets.token_urlsafe(24), username, datetime.now(UTC))


class Sessions:
    def __init__(self, secret: str, max_age_seconds: int):
        self._s = URLSafeTimedSerializer(secret, salt="pressdx.portal.session")
        self._csrf_key = hashlib.sha256(("pressdx.portal.csrf|" + secret).encode()).digest()
        self.max_age = max_age_seconds

    def dump(self, s: Session) -> str:
        return self._s.dumps({"n": s.nonce, "u": s.username,
                              "t": s.issued_at.timestamp() if s.issued_at else None})

    def load(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            d = self._s.loads(cookie, max_age=self.max_age)
        except BadSignature:  # includes SignatureExpired
            return None
        if not isinstance(d, dict) or not isinstance(d.get("n"), str):
            return None
        t = d.get("t")
        return Session(d["n"], d.get("u"), datetime.fromtimestamp(t, UTC) if t else None)

    def csrf_token(self, s: Session) -> str:
        return hmac.new(self._csrf_key, s.nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, s: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(s), str(token))
