"""Sensitive values at rest (passport numbers): sealed with Fernet under keys derived from the
club's secret, one key per purpose, and still readable under the previous secrets during a
rotation.

Writing always uses `SECRET_KEY`; reading tries `SECRET_KEY`, then each of
`SECRET_KEY_PREVIOUS`. `reseal_column()` (the `club reseal` command) rewrites the rows still
sealed under an old key, after which the old secret can be dropped from the settings.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from club.errors import DomainError

if TYPE_CHECKING:
    from piccolo.columns import Column
    from piccolo.table import Table

    from club.settings import Settings

__all__ = [
    "PASSPORT_NUMBER",
    "SealedValueUnreadable",
    "Sealer",
    "configure_sealing",
    "reseal_column",
    "sealer",
]

log = logging.getLogger("club.sealing")

# Purpose labels: each purpose gets its own key, so one leaked key opens one kind of value.
PASSPORT_NUMBER = "travel.passport-number"


class SealedValueUnreadable(DomainError):
    """A stored value opens under none of the configured keys: the server's keys are wrong
    (SECRET_KEY changed without its old value in SECRET_KEY_PREVIOUS), not the client's input."""

    status_code = 503
    slug = "sealed-data-unreadable"
    title = "Stored data cannot be read"


def _fernet(secret: str, purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"club-sealing", info=f"fernet v1 {purpose}".encode()
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


class Sealer:
    """Seals and opens the values of one purpose. The first secret seals; all of them open."""

    def __init__(self, purpose: str, secrets: Sequence[str]) -> None:
        if not secrets:
            raise ValueError("a sealer needs at least one secret")
        self.purpose = purpose
        self._current = _fernet(secrets[0], purpose)
        self._all = MultiFernet([self._current, *(_fernet(s, purpose) for s in secrets[1:])])

    def seal(self, value: str) -> str:
        return self._current.encrypt(value.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._all.decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, UnicodeEncodeError) as exc:
            # Never the value itself in the log: only which kind of value would not open.
            log.error("a sealed %s opens under none of the configured keys", self.purpose)
            raise SealedValueUnreadable(
                "A stored value cannot be decrypted with SECRET_KEY or any key in "
                "SECRET_KEY_PREVIOUS: the club's secret changed without its old value being kept.",
            ) from exc

    def is_current(self, sealed: str) -> bool:
        """Whether `sealed` is under the newest key already (so resealing can skip it)."""
        try:
            self._current.decrypt(sealed.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            return False
        return True

    def reseal(self, sealed: str) -> str:
        """The same value sealed under the newest key (raises if no key opens it)."""
        return self.seal(self.open(sealed))


_secrets: tuple[str, ...] | None = None
_sealers: dict[str, Sealer] = {}


def configure_sealing(settings: Settings) -> None:
    """Bind this process's keys (`club.db.configure_database` calls it for every process)."""
    global _secrets
    secrets = (settings.secret_key, *settings.previous_secret_keys)
    if secrets != _secrets:
        _secrets = secrets
        _sealers.clear()


def sealer(purpose: str) -> Sealer:
    if _secrets is None:
        raise RuntimeError("configure_sealing(settings) has not been called in this process")
    found = _sealers.get(purpose)
    if found is None:
        found = _sealers[purpose] = Sealer(purpose, _secrets)
    return found


async def reseal_column(table: type[Table], column: Column, purpose: str, batch: int = 200) -> int:
    """Rewrite every value of `column` still sealed under an old key; returns how many.

    Each row is updated only if it still holds the value read, so a value saved meanwhile is
    never overwritten with an older one. Safe to run again (and while the service runs)."""
    from club.db import write_transaction

    box = sealer(purpose)
    pk = table._meta.primary_key
    resealed, after = 0, 0
    while True:
        rows: list[dict[str, Any]] = await table.select(pk, column).where(pk > after).order_by(pk).limit(batch)
        if not rows:
            return resealed
        after = rows[-1][pk._meta.name]
        stale = [r for r in rows if r[column._meta.name] and not box.is_current(r[column._meta.name])]
        async with write_transaction():
            for r in stale:
                old = r[column._meta.name]
                done = await table.update({column: box.reseal(old)}).where(
                    (pk == r[pk._meta.name]) & (column == old)
                ).returning(pk)
                resealed += len(done)
