"""Secrets never reach a log line: feed and sign-in tokens in paths, `token=` and similar query
parameters, bearer and ticket tokens, and passwords in URLs are rewritten to `[redacted]` in
every log record of the process (uvicorn's access log included).

`install_log_redaction()` hooks the process's log-record factory rather than a handler or a
logger: uvicorn replaces its loggers' handlers when it configures logging, and the access
logger does not propagate, so a filter on our own handlers would miss exactly the lines that
carry URLs. Every record of every logger is created by the factory, before any handler sees it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

__all__ = ["REDACTED", "RedactSecrets", "install_log_redaction", "redact"]

REDACTED = "[redacted]"

# Routes whose last path segment is itself a credential (calendar apps cannot send headers; the
# coming sign-in links work the same way; a member's ticket page /t/ and one-click unsubscribe
# /u/ and message preferences page /p/ and satisfaction survey /s/ are signed links opened from a
# message). A new route of that kind adds its prefix here.
SECRET_PATH_PREFIXES = ("calendar", "sign-in", "sign-in-link", "t", "u", "p", "s")
# Query (or fragment) parameters that carry credentials.
SECRET_PARAMETERS = (
    "token", "access_token", "refresh_token", "code", "key", "api_key", "secret", "password",
    "signature", "sig", "ticket",
)

_RULES: list[tuple[re.Pattern[str], str]] = [
    # scheme://user:password@host
    (re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), rf"\1{REDACTED}@"),
    # /calendar/<token>, /sign-in/<token>, /t/<signed>, /u/<signed>, /p/<signed>, /s/<signed>
    (re.compile(rf"(/(?:{'|'.join(map(re.escape, SECRET_PATH_PREFIXES))})/)[^/\s?#\"']+"), rf"\1{REDACTED}"),
    # ?token=…, &code=…, #token=…
    (re.compile(rf"([?&#;](?:{'|'.join(SECRET_PARAMETERS)})=)[^&\s#\"']*", re.IGNORECASE), rf"\1{REDACTED}"),
    # Authorization: Bearer …
    (re.compile(r"(\bBearer\s+)[^\s\"',]+", re.IGNORECASE), rf"\1{REDACTED}"),
    # Our tokens wherever they stand: API tokens (club_…) and feed tokens (feed_…).
    (re.compile(r"\b(?:club|feed|s)_[A-Za-z0-9_-]{30,}"), REDACTED),
    # Ticket codes: long runs of base32 (a ticket is 120 characters).
    (re.compile(r"\b[A-Z2-7]{64,}\b"), REDACTED),
]


def redact(text: str) -> str:
    """`text` with every secret it carries replaced by [redacted]."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """Rewrites a record in place; never drops one. Usable as a handler filter in a logging
    config too, though `install_log_redaction()` is what the service relies on."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.args:
            if isinstance(record.msg, str):
                record.msg = redact(record.msg)
        else:
            # Arguments are redacted one by one so formatters that read them (uvicorn's access
            # formatter unpacks five of them) keep working; the template keeps its placeholders.
            if isinstance(record.args, tuple):
                record.args = tuple(_redact_value(a) for a in record.args)
            elif isinstance(record.args, dict):
                record.args = {k: _redact_value(v) for k, v in record.args.items()}
            self._collapse_if_still_secret(record)
        if record.exc_info and not record.exc_text:
            # An exception's message can quote a URL; format it now, redacted.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True

    @staticmethod
    def _collapse_if_still_secret(record: logging.LogRecord) -> None:
        """An argument that is not a string (a URL object, an exception), or the template and
        an argument together ("Bearer %s"), can still print a secret: then the record keeps
        only its redacted message, without arguments."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's to report, not ours
            return
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()


_FILTER = RedactSecrets()


def install_log_redaction() -> None:
    """Make every log record of this process pass RedactSecrets. Idempotent."""
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(previous, "redacts_secrets", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _FILTER.filter(record)
        return record

    factory.redacts_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
