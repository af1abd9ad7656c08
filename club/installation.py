"""This installation's own id: a random UUID stored once in its database.

What must be unique across every installation and every reset of one (an e-mail's Message-ID)
is built from a key the domain keeps unique (a delivery key) within this id. A row id alone
repeats after a reset: "outbox:1" is sent again by a fresh database, and a mail client that
has seen that Message-ID would drop the new message as a duplicate. The migration stores the
id; a database whose row was lost (emptied by hand, or by the tests between cases) makes a
new one at first use, which is exactly a reset's meaning.
"""

from __future__ import annotations

import uuid

from piccolo.columns import Timestamptz, Varchar

from club import clock
from club.table import Table

__all__ = ["Installation", "installation_id"]

_THE_ONE = "this"


class Installation(Table, tablename="installation"):
    """One row: `slot` is unique and always "this", so two first starts agree on one id."""

    slot = Varchar(length=8, unique=True)
    installation_id = Varchar(length=36)
    created_at = Timestamptz()


async def installation_id() -> str:
    """The id, made on first use if the database has none (two racing first uses agree)."""
    found = await Installation.select(Installation.installation_id).where(Installation.slot == _THE_ONE).first()
    if found is not None:
        return str(found["installation_id"])
    await Installation.insert(
        Installation(slot=_THE_ONE, installation_id=str(uuid.uuid4()), created_at=clock.now())
    ).on_conflict(target=Installation.slot, action="DO NOTHING")
    found = await Installation.select(Installation.installation_id).where(Installation.slot == _THE_ONE).first()
    assert found is not None
    return str(found["installation_id"])
