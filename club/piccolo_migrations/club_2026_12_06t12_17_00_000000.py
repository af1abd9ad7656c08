"""Members' phone numbers in E.164, and their languages as canonical tags (issue 13).

Numbers stored before were as typed ("+86 138 0000 0001", "138 0013 8000"); each is rewritten
in E.164, read with CLUB_PHONE_REGION (default CN) when it has no country code. A number that
cannot be read is left as it is (a coordinator sees it, and the next edit of it is checked);
the log line says how many. Languages get the form club.members stores (`zh-TW` becomes
"zh-Hant-TW"); "en" stays "en". Data only: nothing to undo backwards.
"""

import logging
import os
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T12:17:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "members' phones in E.164, languages as canonical tags"

log = logging.getLogger("club.migrations")


async def normalise(region: str) -> tuple[int, int, int]:
    """Rewrite every member's phone and language. Returns (phones rewritten, phones left as they
    were because they cannot be read, languages rewritten)."""
    from club.i18n.languages import canonical_tag
    from club.phones import e164_or_none
    from club.tables import Member

    rewritten = unreadable = languages = 0
    rows = await Member.select(Member.id, Member.phone, Member.language).order_by(Member.id)
    for row in rows:
        changes: dict[Any, Any] = {}
        if row["phone"]:
            number = e164_or_none(row["phone"], region)
            if number is None:
                unreadable += 1
            elif number != row["phone"]:
                changes[Member.phone] = number
                rewritten += 1
        language = canonical_tag(row["language"] or "")
        if language is not None and language != row["language"]:
            changes[Member.language] = language
            languages += 1
        if changes:
            await Member.update(changes).where(Member.id == row["id"])
    return rewritten, unreadable, languages


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def run() -> None:
        region = (os.environ.get("CLUB_PHONE_REGION") or "CN").upper()
        rewritten, unreadable, languages = await normalise(region)
        log.info(
            "members: %s phone numbers rewritten in E.164 (region %s), %s left as they were because "
            "they cannot be read as a phone number, %s languages rewritten as canonical tags",
            rewritten, region, unreadable, languages,
        )

    manager.add_raw(run)
    return manager
