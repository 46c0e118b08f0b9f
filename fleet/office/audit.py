"""The audit log: every state-changing action and every listen or download of customer audio,
who did it, on what, when, from where, with what result. Append-only: rows are inserted here
and nowhere else, and no route updates or deletes them."""

import csv
import io
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fleet.office.models import AuditEntry

log = logging.getLogger("fleet.audit")


def result_of(status: int) -> str:
    """``ok`` (2xx/3xx), ``denied`` (401/403), ``refused`` (other 4xx) or ``error`` (5xx)."""
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "denied"
    return "refused" if status < 500 else "error"


async def record(
    actor: str,
    action: str,
    *,
    via: str = "",
    object_type: str = "",
    object_id: str = "",
    address: str = "",
    status: int = 200,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry. A failure to write is logged, never raised: the action it describes
    already happened (or was refused) and its caller must still answer."""
    try:
        await AuditEntry.create(
            at=datetime.now(UTC),
            actor=actor[:64],
            via=via,
            action=action[:64],
            object_type=object_type[:24],
            object_id=object_id[:100],
            address=address[:64],
            result=result_of(status),
            status=status,
            detail=detail or {},
        )
    except Exception:
        log.exception("could not write the audit entry for %s by %s", action, actor)


def entry_view(e: AuditEntry) -> dict[str, Any]:
    """The JSON shape of an audit entry."""
    return {
        "id": e.id,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "via": e.via,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "address": e.address,
        "result": e.result,
        "status": e.status,
        "detail": e.detail,
    }


CSV_COLUMNS = ("id", "at", "actor", "via", "action", "object_type", "object_id", "address",
               "result", "status")  # fmt: skip


def to_csv(entries: Iterable[dict[str, Any]]) -> str:
    """Entries as CSV, with a header row. Cells that a spreadsheet would run as a formula are
    quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([_cell(e[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
