"""Secrets: bearer tokens (256 bits, stored as SHA-256), ids and join codes."""

import hashlib
import secrets

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_token() -> str:
    """A bearer token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token; a fast hash is enough for 256 random bits."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_id(prefix: str) -> str:
    """An opaque, unguessable id such as `w_3hF9...`."""
    return f"{prefix}_{secrets.token_urlsafe(9)}"


def new_join_code() -> str:
    """A join code people can read aloud and type on a phone: eight characters."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))
