"""Tables of points expiry: the club's rule (one row), each expiry date's run, and each member's
reminders before a date.

Expiry itself is ledger entries (club.tables.PointsEntry, reason `expiry`, keyed
"expiry:<member>:<expiry date>"), never an edit of an old entry; the run's row only records that a
date was done and what it took, so the job does not sum the ledger again every hour.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar

from club.expiry.rules import ExpiryMode
from club.table import Table
from club.tables import Member, User

__all__ = ["ExpiryReminder", "ExpiryReminderStatus", "ExpiryRule", "ExpiryRun"]


class ExpiryReminderStatus(str, Enum):
    pending = "pending"  # due at due_at
    sending = "sending"  # claimed by one run
    sent = "sent"
    skipped = "skipped"  # the member turned such messages off
    failed = "failed"


class ExpiryRule(Table, tablename="expiry_rule"):
    """The club's expiry rule: one row (`singleton` 1), off until a coordinator sets it."""

    singleton = Integer(default=1, unique=True)
    mode = Varchar(length=16, default=ExpiryMode.off.value)
    window_months = Integer(default=24)
    clear_month = Integer(default=12)
    clear_day = Integer(default=31)
    reminder_days = Varchar(length=40, default="30,7")  # days before a date, "30,7"
    # When the mode or its dates last changed: a rule applies from the first expiry date after it,
    # so turning expiry on never takes points at once for a date already past.
    effective_from = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(null=True, default=None)
    updated_by = ForeignKey(User, null=True, default=None)


class ExpiryRun(Table, tablename="expiry_run"):
    """One expiry date done: how many members lost how many points."""

    expires_on = Date(unique=True)
    cutoff = Date()
    members = Integer(default=0)
    points = Integer(default=0)
    finished_at = Timestamptz()


class ExpiryReminder(Table, tablename="expiry_reminder"):
    """One reminder to one member before one expiry date; `reminder_key` "<member>:<date>:<days>" is
    unique, so however often reminders are planned each lands once."""

    member = ForeignKey(Member, index=True)
    expires_on = Date()
    days_before = Integer()
    points = Integer()  # what was to expire when it was planned
    reminder_key = Varchar(length=60, unique=True)
    status = Varchar(length=16, default=ExpiryReminderStatus.pending.value, index=True)
    due_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    reason = Text(default="")
    created_at = Timestamptz()
