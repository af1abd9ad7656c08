"""Health tests run real arq workers: each starts and ends with an empty queue (as reminder tests do)."""

from __future__ import annotations

from tests.reminders.conftest import empty_queue  # noqa: F401
