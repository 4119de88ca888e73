"""Passwords (Argon2id), access tokens (JWT), opaque refresh tokens and secrets at rest."""

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.fernet import Fernet, InvalidToken
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from mancrel.core.config import get_settings

JWT_ALGORITHM = "HS256"
_password_hash = PasswordHash((Argon2Hasher(),))
# Verified against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = _password_hash.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


def create_access_token(user_id: uuid.UUID, role: str) -> tuple[str, int]:
    settings = get_settings()
    lifetime = timedelta(minutes=settings.access_token_minutes)
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "role": role, "type": "access",
              "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, settings.secret_key, algorithm=JWT_ALGORITHM), int(lifetime.total_seconds())


def decode_access_token(token: str) -> dict[str, Any] | None:
    """The token's claims, or None when it is malformed, forged, expired or not an access token."""
    try:
        claims = jwt.decode(token, get_settings().secret_key, algorithms=[JWT_ALGORITHM],
                            options={"require": ["sub", "exp", "type"]})
    except jwt.PyJWTError:
        return None
    return claims if claims.get("type") == "access" else None


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Only digests of refresh tokens are stored; a leaked table cannot be replayed."""
    return hashlib.sha256(token.encode()).hexdigest()


def _fernet() -> Fernet:
    key = hmac.new(get_settings().secret_key.encode(), b"mancrel-secrets-at-rest", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(plaintext: str) -> str:
    """Encrypt an integration secret (webhook secret, API token) for storage."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret cannot be decrypted with this MANCREL_SECRET_KEY") from exc
