"""A tiny declarative validator for the contract's JSON payloads.

Each message type is a tuple of :class:`Field`; :func:`validate` checks a decoded object
against it and returns only the known fields (unknown keys are ignored so that a newer
device can add fields within ``v1``; they are never stored).
"""

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import orjson

from crmsensor.errors import ProtocolError

MAX_JSON_BYTES = 2048
"""Largest JSON payload on any channel; bigger ones are rejected as ``oversized``."""


@dataclass(frozen=True)
class Field:
    """One payload field: its JSON type, whether it is required, and its allowed values."""

    name: str
    kind: type
    required: bool = False
    nullable: bool = False
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] | None = None
    # The exact Python types json.loads gives for this JSON type: a float field takes
    # integers too, and bool (a subclass of int) is never a number.
    types: frozenset[type] = dataclasses.field(init=False, repr=False, compare=False)
    # A number whose value is its only check: the hot path of validate() handles it inline.
    plain_number: bool = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        types = (int, float) if self.kind is float else (self.kind,)
        object.__setattr__(self, "types", frozenset(types))
        number = self.kind in (int, float, bool) and self.choices is None
        object.__setattr__(self, "plain_number", number)


_MISSING = object()


def _check(field: Field, value: Any, what: str) -> None:
    if value is None:
        if not field.nullable:
            raise ProtocolError("schema", f"{what}.{field.name} must not be null")
        return
    if type(value) not in field.types:
        raise ProtocolError(
            "schema",
            f"{what}.{field.name} must be {field.kind.__name__}, got {type(value).__name__}",
        )
    size = len(value) if isinstance(value, str | list | dict) else value
    if field.lo is not None and size < field.lo:
        raise ProtocolError("schema", f"{what}.{field.name} below {field.lo}: {value!r}")
    if field.hi is not None and size > field.hi:
        raise ProtocolError("schema", f"{what}.{field.name} above {field.hi}: {value!r}")
    if field.choices is not None and value not in field.choices:
        raise ProtocolError(
            "schema", f"{what}.{field.name} must be one of {', '.join(field.choices)}: {value!r}"
        )


def decode_json(payload: bytes, what: str) -> dict[str, Any]:
    """Decode a JSON object payload with its size limit and ``"v": 1``."""
    if len(payload) > MAX_JSON_BYTES:
        raise ProtocolError("oversized", f"{what} is {len(payload)} bytes, limit {MAX_JSON_BYTES}")
    try:
        obj = orjson.loads(payload)  # checks UTF-8 too; NaN and Infinity are not JSON
    except orjson.JSONDecodeError as exc:
        raise ProtocolError("bad_json", f"{what} is not UTF-8 JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("bad_json", f"{what} must be a JSON object")
    if obj.get("v") != 1:
        raise ProtocolError("bad_version", f"{what} has v={obj.get('v')!r}, this fleet speaks 1")
    return obj


def validate(obj: dict[str, Any], fields: tuple[Field, ...], what: str) -> dict[str, Any]:
    """Check ``obj`` against ``fields``; return the known fields present in it."""
    out: dict[str, Any] = {}
    for field in fields:
        value = obj.get(field.name, _MISSING)
        if value is _MISSING:
            if field.required:
                raise ProtocolError("schema", f"{what}.{field.name} is missing")
            continue
        if not (
            field.plain_number
            and type(value) in field.types
            and (field.lo is None or value >= field.lo)
            and (field.hi is None or value <= field.hi)
        ):
            _check(field, value, what)  # the full check: raises naming the problem
        out[field.name] = value
    return out


def encode_json(obj: dict[str, Any]) -> bytes:
    """Encode a payload compactly (the firmware does the same with its own json)."""
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()
