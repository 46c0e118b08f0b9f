"""Password hashing (argon2id, argon2-cffi's defaults: 3 passes over 64 MiB, 4 lanes) and the
rules a new password must follow."""

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crmsensor.errors import ConfigError

_HASHER = PasswordHasher()  # argon2id
MIN_LENGTH = 10
MAX_LENGTH = 256
# No control characters, no spaces at either end (the request schema says the same).
PATTERN = r"^[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"

# A hash of a random password: checking a wrong user name costs as much as a wrong password,
# so timing does not tell which names exist.
_DUMMY = _HASHER.hash("not a password of anyone: 7f1c9e")


def check_new(password: str) -> None:
    """Raise :class:`ConfigError` naming what is wrong with a new password."""
    if len(password) < MIN_LENGTH:
        raise ConfigError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ConfigError(f"a password has at most {MAX_LENGTH} characters")
    if not re.fullmatch(PATTERN, password):
        raise ConfigError("a password may not start or end with spaces or hold control characters")


def hash_password(password: str) -> str:
    """The argon2id hash to store (after :func:`check_new`)."""
    check_new(password)
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Does ``password`` match ``stored``? A missing hash costs the same and fails."""
    try:
        return _HASHER.verify(stored or _DUMMY, password[:MAX_LENGTH]) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
