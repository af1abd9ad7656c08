"""A `club worker` whose embedded outbox stalls after each hand-off, so a test can kill it mid-send.

`python -m tests.reminders.stalling_worker SECONDS` runs the real worker command with the outbox
sender replaced through its hook (events.reminders.channels.outbox_sender); nothing of this
reaches the production settings. In-process tests use `stalling_outbox` with monkeypatch.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from events.reminders import channels

__all__ = ["StallingOutbox", "stalling_outbox"]


class StallingOutbox(channels.OutboxSender):
    """The outbox channel, pausing `seconds` after the message is written and before the send
    returns: the moment between the hand-off and its record."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def send(self, message: channels.OutgoingMessage) -> None:
        await super().send(message)
        await asyncio.sleep(self.seconds)


def stalling_outbox(seconds: float) -> Callable[[], channels.Sender]:
    """A replacement for `channels.outbox_sender`."""
    return lambda: StallingOutbox(seconds)


if __name__ == "__main__":
    channels.outbox_sender = stalling_outbox(float(sys.argv[1]))
    from club.server.cli import main

    main(["worker", *sys.argv[2:]])
