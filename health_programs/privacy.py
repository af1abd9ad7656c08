"""Keeping call notes (and any other member text) out of the logs.

aiosqlite logs every statement it runs at DEBUG with its bound parameters, so a process
logging at DEBUG on SQLite would write a call note into the log as it is saved. Those records
are dropped at their source; nothing else in the service logs a note (calls.py logs nothing,
delivery logs ids and outcomes only).
"""

from __future__ import annotations

import logging

__all__ = ["keep_parameters_out_of_logs"]


class _DropStatementRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_FILTER = _DropStatementRecords()


def keep_parameters_out_of_logs() -> None:
    """Idempotent: install the filter on the loggers that would print statement parameters."""
    logger = logging.getLogger("aiosqlite")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
