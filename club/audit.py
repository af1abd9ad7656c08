"""The console's record of changes: who did what, when, to which event or member.

A console page that changes something calls `record(...)` inside the transaction of the change
(`club.db.write_transaction` joins an outer transaction), so a change is never without its record
nor a record without its change. The record is read per event and per member.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from club import clock
from club.accounts import Principal
from club.i18n.catalogs import N_
from club.rows import Row, rows_as
from club.tables import ConsoleAction

__all__ = ["ACTION_LABELS", "ActionKind", "ActionRow", "actions_for_event", "actions_for_member", "record"]


class ActionKind(StrEnum):
    """What a coordinator did; each has its words in ACTION_LABELS. A new kind of change adds both."""

    event_created = "event_created"
    event_updated = "event_updated"
    event_published = "event_published"
    event_moved = "event_moved"
    event_cancelled = "event_cancelled"
    member_invited = "member_invited"
    checked_in_by_hand = "checked_in_by_hand"
    check_in_undone = "check_in_undone"
    sequence_saved = "sequence_saved"
    sequence_attached = "sequence_attached"
    sequence_detached = "sequence_detached"
    call_recorded = "call_recorded"
    member_enrolled = "member_enrolled"
    member_updated = "member_updated"
    member_suspended = "member_suspended"
    member_reactivated = "member_reactivated"
    points_adjusted = "points_adjusted"
    tier_updated = "tier_updated"
    session_revoked = "session_revoked"
    program_created = "program_created"
    program_updated = "program_updated"
    clinic_added = "clinic_added"
    show_created = "show_created"
    show_category_changed = "show_category_changed"
    show_invited = "show_invited"
    show_invitation_withdrawn = "show_invitation_withdrawn"
    reward_created = "reward_created"
    reward_updated = "reward_updated"
    redemption_handed_over = "redemption_handed_over"
    redemption_cancelled = "redemption_cancelled"
    other = "other"


ACTION_LABELS: dict[ActionKind, str] = {
    ActionKind.event_created: N_("Event created"),
    ActionKind.event_updated: N_("Event edited"),
    ActionKind.event_published: N_("Event published"),
    ActionKind.event_moved: N_("Event moved"),
    ActionKind.event_cancelled: N_("Event cancelled"),
    ActionKind.member_invited: N_("Member invited"),
    ActionKind.checked_in_by_hand: N_("Checked in by hand"),
    ActionKind.check_in_undone: N_("Check-in undone"),
    ActionKind.sequence_saved: N_("Reminder sequence saved"),
    ActionKind.sequence_attached: N_("Reminder sequence attached"),
    ActionKind.sequence_detached: N_("Reminder sequence detached"),
    ActionKind.call_recorded: N_("Call outcome recorded"),
    ActionKind.member_enrolled: N_("Member enrolled"),
    ActionKind.member_updated: N_("Member edited"),
    ActionKind.member_suspended: N_("Member suspended"),
    ActionKind.member_reactivated: N_("Member reactivated"),
    ActionKind.points_adjusted: N_("Points adjusted"),
    ActionKind.tier_updated: N_("Tier changed"),
    ActionKind.session_revoked: N_("Session ended"),
    ActionKind.program_created: N_("Check-up programme created"),
    ActionKind.program_updated: N_("Check-up preparation changed"),
    ActionKind.clinic_added: N_("Clinic added"),
    ActionKind.show_created: N_("Fashion show created"),
    ActionKind.show_category_changed: N_("Seat categories changed"),
    ActionKind.show_invited: N_("Invited to the show"),
    ActionKind.show_invitation_withdrawn: N_("Show invitation withdrawn"),
    ActionKind.reward_created: N_("Reward created"),
    ActionKind.reward_updated: N_("Reward changed"),
    ActionKind.redemption_handed_over: N_("Reward handed over"),
    ActionKind.redemption_cancelled: N_("Redemption cancelled"),
    ActionKind.other: N_("Change"),
}


async def record(
    by: Principal, action: ActionKind, *, event_id: int | None = None, member_id: int | None = None, detail: str = ""
) -> None:
    """Note a change; call inside the change's own write transaction."""
    await ConsoleAction.insert(ConsoleAction(
        user=by.user_id, at=clock.now(), action=ActionKind(action).value, event_id=event_id, member=member_id,
        detail=detail[:2000],
    ))


class ActionRow(Row, frozen=True):
    id: int
    at: datetime
    action: ActionKind
    by_name: str
    event_id: int | None
    member: int | None
    detail: str


def _query():  # type: ignore[no-untyped-def]
    return ConsoleAction.select(
        ConsoleAction.id, ConsoleAction.at, ConsoleAction.action, ConsoleAction.user.name.as_alias("by_name"),
        ConsoleAction.event_id, ConsoleAction.member, ConsoleAction.detail,
    ).order_by(ConsoleAction.id, ascending=False)


async def actions_for_event(event_id: int, limit: int = 100) -> list[ActionRow]:
    """The changes made to an event, newest first."""
    return rows_as(ActionRow, await _query().where(ConsoleAction.event_id == event_id).limit(limit))


async def actions_for_member(member_id: int, limit: int = 100) -> list[ActionRow]:
    """The changes made to a member, newest first."""
    return rows_as(ActionRow, await _query().where(ConsoleAction.member == member_id).limit(limit))
