"""The access audit: every coordinator read of a member's health bookings or call notes leaves a row."""

from __future__ import annotations

from collections.abc import Iterable

from club import clock
from club.access import require_coordinator_or_404
from club.accounts import Principal
from club.db import write_transaction
from club.rows import rows_as
from health_programs.rows import AuditRow
from health_programs.schemas import AccessAuditOut
from health_programs.tables import HealthAccessAudit

__all__ = ["access_log", "record_reads"]


async def record_reads(reader: Principal, member_ids: Iterable[int], what: str, subject_id: int | None = None) -> None:
    """Record that `reader` read these members' `what`. A member reading their own is not
    audited (it is theirs); every other reader is. Called before the data is handed out, so a
    read that could not be recorded is not served."""
    members = sorted(set(member_ids) - ({reader.member_id} if reader.member_id is not None else set()))
    if not members:
        return
    now = clock.now()
    async with write_transaction():
        await HealthAccessAudit.insert(
            *[
                HealthAccessAudit(reader=reader.user_id, member=m, what=what, subject_id=subject_id, created_at=now)
                for m in members
            ]
        )


async def access_log(viewer: Principal, member_id: int | None, limit: int, offset: int) -> list[AccessAuditOut]:
    """The audit, newest first; for one member if named. For coordinators only: anyone else gets 404."""
    require_coordinator_or_404(viewer, "There is no access audit for you.")
    query = HealthAccessAudit.select(
        *HealthAccessAudit.all_columns(), HealthAccessAudit.reader.name.as_alias("reader_name")
    ).order_by(HealthAccessAudit.id, ascending=False)
    if member_id is not None:
        query = query.where(HealthAccessAudit.member == member_id)
    rows = rows_as(AuditRow, await query.limit(limit).offset(offset))
    return [
        AccessAuditOut(
            id=r.id, reader_user_id=r.reader, reader_name=r.reader_name, member_id=r.member, what=r.what,
            subject_id=r.subject_id, read_at=r.created_at,
        )
        for r in rows
    ]
