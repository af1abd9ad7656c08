"""Which kind a message is, and so whether a member may turn it off (plain values)."""

from __future__ import annotations

import pytest

from events.reminders.preferences import MUST_REACH, MessageKind, kind_of
from events.reminders.tables import QuietPolicy

FASTING = "Good morning {member_name}: your check-up is today, {local_time}; please do not eat breakfast."


@pytest.mark.parametrize(
    ("notice", "template", "preparation", "policy", "kind"),
    [
        ("confirmed", None, None, None, MessageKind.booking),
        ("event_moved", None, None, None, MessageKind.event_moved),
        ("event_cancelled", None, None, None, MessageKind.event_cancelled),
        ("show_invitation_withdrawn", None, None, None, MessageKind.event_cancelled),
        ("show_offered", None, None, None, MessageKind.invitation),
        (None, "Dear {member_name}, see you at {event_title}.", "", QuietPolicy.hold, MessageKind.reminder),
        # A health sequence's steps: the one that speaks the preparation, and the fasting SMS that
        # goes out before breakfast night or not, are preparations; its thank-you is a reminder.
        (None, "Go through the preparation: {preparation}", "Fast for 8 hours.", QuietPolicy.hold, MessageKind.preparation),
        (None, FASTING, "Fast for 8 hours.", QuietPolicy.send, MessageKind.preparation),
        (None, "Thank you for coming to {event_title}.", "Fast for 8 hours.", QuietPolicy.hold, MessageKind.reminder),
        # Sent at night in a sequence with no preparation: an ordinary reminder.
        (None, "Your car is waiting.", "", QuietPolicy.send, MessageKind.reminder),
    ],
)
def test_the_kind_of_a_message(notice: str | None, template: str | None, preparation: str | None, policy: QuietPolicy | None, kind: MessageKind) -> None:
    assert kind_of(notice, template, preparation, policy) == kind


def test_what_must_reach_the_member() -> None:
    assert {MessageKind.event_cancelled, MessageKind.event_moved, MessageKind.preparation, MessageKind.sign_in} == MUST_REACH
