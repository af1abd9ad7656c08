"""Request schemas and the columns they fill agree: nothing a schema lets in overflows a column.

Walked over every request body (every subclass of `club.schemas.Strict`), so a new schema or
field must say where its text goes before this passes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum

import msgspec
import pytest
from msgspec import inspect
from piccolo.columns import Column, Text, Varchar
from piccolo.table import Table

from checkin.by_hand import ByHandIn
from checkin.schemas import OfflineScanIn, RevertIn, ScanIn
from checkin.segments.schemas import InviteIn, LanguageText, SegmentIn, SendIn
from checkin.segments.tables import SavedSegment, SegmentSend
from checkin.tables import CheckIn, DoorConflict, ScanRecord
from club.bounds import INT32_MAX, date_fields
from club.expiry.schemas import ExpiryRuleIn
from club.expiry.tables import ExpiryRule
from club.honours.schemas import HonoursIn
from club.honours.tables import HonoursProfile
from club.multipliers.schemas import BonusDayIn, OwnDayIn, TierMultiplierIn
from club.multipliers.tables import BonusDay, TierMultiplier
from club.rewards.schemas import CancelIn, RewardIn, RewardUpdate
from club.rewards.tables import Redemption, Reward
from club.schemas import (
    AdjustmentIn,
    MemberCreate,
    MemberUpdate,
    MeUpdate,
    StaffCreate,
    Strict,
    TierCreate,
    TierUpdate,
    TokenRequest,
)
from club.spend.schemas import ReceiptIn, RefundIn
from club.spend.tables import Receipt, Refund
from club.tables import ApiToken, ConsoleAction, Member, PointsEntry, Tier, User
from club.visits.schemas import StoreIn, StorePatch, VisitIn
from club.visits.tables import Store, Visit
from club.year_end.schemas import BirthdayGiftIn, RuleIn, RulesIn
from club.year_end.tables import BirthdayGiftSetting, YearEndRuleRow
from events.no_show_gate.schemas import NoShowRuleIn
from events.no_show_gate.tables import NoShowRule
from events.reminders.schemas import CallOutcomeIn, SequenceIn, StepIn, StepTextIn
from events.reminders.tables import CallTask, ReminderSequence, ReminderStep
from events.schemas import EventCreate, EventUpdate
from events.shows.schemas import CategoryIn, ShowCreate
from events.shows.tables import SeatCategory
from events.tables import Event
from health_programs.schemas import ClinicIn, PreparationIn, ProgramIn
from health_programs.tables import Clinic, HealthProgram
from travel.schemas import (
    DocumentIn,
    ItemIn,
    ItemUpdate,
    RoomIn,
    TravelerIn,
    TravelerUpdate,
)
from travel.tables import ItineraryItem, Room, TravelDocument, Traveler

SCHEMA_MODULES = [
    "club.schemas",
    "checkin.schemas",
    "checkin.by_hand",
    "events.schemas",
    "events.reminders.schemas",
    "events.shows.schemas",
    "health_programs.schemas",
    "travel.schemas",
    "club.rewards.schemas",
    "club.expiry.schemas",
    "club.honours.schemas",
    "club.spend.schemas",
    "club.multipliers.schemas",
    "club.visits.schemas",
    "club.year_end.schemas",
    "checkin.segments.schemas",
    "events.no_show_gate.schemas",
]

# Where each request body's text lands: a field fills the column of its own name.
STORED_IN: dict[type[Strict], tuple[type[Table], ...]] = {
    MemberCreate: (Member, User),
    MemberUpdate: (Member, User),
    MeUpdate: (Member,),
    StaffCreate: (User,),
    TierCreate: (Tier,),
    TierUpdate: (Tier,),
    TokenRequest: (ApiToken,),
    AdjustmentIn: (PointsEntry,),
    ScanIn: (CheckIn,),
    OfflineScanIn: (CheckIn, DoorConflict),
    RevertIn: (CheckIn,),
    EventCreate: (Event,),
    EventUpdate: (Event,),
    ShowCreate: (Event,),
    CategoryIn: (SeatCategory,),
    SequenceIn: (ReminderSequence,),
    StepIn: (ReminderStep,),
    # A step's text in one more language lands in reminder_step.texts (JSON), held to the same
    # lengths as the step's own subject and template columns.
    StepTextIn: (ReminderStep,),
    CallOutcomeIn: (CallTask,),
    ProgramIn: (HealthProgram,),
    PreparationIn: (HealthProgram,),
    ClinicIn: (Clinic,),
    ItemIn: (ItineraryItem,),
    ItemUpdate: (ItineraryItem,),
    TravelerIn: (Traveler,),
    TravelerUpdate: (Traveler,),
    RoomIn: (Room,),
    DocumentIn: (TravelDocument,),
    # A check-in by hand's reason is the console's record of it (club.audit).
    ByHandIn: (ConsoleAction,),
    RewardIn: (Reward,),
    RewardUpdate: (Reward,),
    CancelIn: (Redemption,),
    ExpiryRuleIn: (ExpiryRule,),
    HonoursIn: (HonoursProfile,),
    ReceiptIn: (Receipt,),
    RefundIn: (Refund,),
    StoreIn: (Store,),
    StorePatch: (Store,),
    VisitIn: (Visit,),
    SegmentIn: (SavedSegment,),
    SendIn: (SegmentSend,),
    InviteIn: (SegmentSend,),
    NoShowRuleIn: (NoShowRule,),
    # A send's text in one more language lands in segment_send.texts (JSON), held to the lengths
    # of the send's own subject and body columns.
    LanguageText: (SegmentSend,),
    RuleIn: (YearEndRuleRow,),
    RulesIn: (YearEndRuleRow,),
    BirthdayGiftIn: (BirthdayGiftSetting,),
    TierMultiplierIn: (TierMultiplier,),
    BonusDayIn: (BonusDay,),
    OwnDayIn: (BonusDay,),
}
# Fields stored under another name.
COLUMN_OF: dict[tuple[type[Strict], str], Column] = {
    (AdjustmentIn, "reason"): PointsEntry.note,
    (RevertIn, "reason"): CheckIn.revert_reason,
    (ByHandIn, "reason"): ConsoleAction.detail,
    (DocumentIn, "passport_number"): TravelDocument.passport_number_sealed,
    (CancelIn, "reason"): Redemption.cancel_reason,
    (ReceiptIn, "receipt"): Receipt.receipt_number,
    (RefundIn, "receipt"): Receipt.receipt_number,
    (SendIn, "key"): SegmentSend.send_key,
    (InviteIn, "key"): SegmentSend.send_key,
}
# Text that is not stored as given, and why.
NOT_STORED: dict[tuple[type[Strict], str], str] = {
    (ScanIn, "token"): "verified against its signature; the ticket row is found by its id",
    (ScanIn, "nonce"): "stored inside ScanRecord.nonce_key (test below)",
    (OfflineScanIn, "token"): "verified against its signature; the ticket row is found by its id",
    (OfflineScanIn, "nonce"): "stored inside ScanRecord.nonce_key, as a ScanIn's (the same pattern and length)",
    (EventCreate, "min_tier"): "a tier name, looked up: the column is a foreign key",
    (EventUpdate, "min_tier"): "a tier name, looked up: the column is a foreign key",
    (ShowCreate, "min_tier"): "a tier name, looked up: the column is a foreign key",
    (ProgramIn, "tiers"): "tier names, looked up: stored as foreign keys",
    (RewardIn, "min_tier"): "a tier name, looked up: the column is a foreign key",
    (RewardUpdate, "min_tier"): "a tier name, looked up: the column is a foreign key",
    (VisitIn, "token"): "verified against its signature; the member is found by their id",
    (VisitIn, "store"): "a store code, looked up: the column is a foreign key",
    (VisitIn, "nonce"): "stored inside Visit.nonce_key, with the staff user's id",
    (SegmentIn, "tier"): "a tier name, looked up: the column is a foreign key",
    (NoShowRuleIn, "tiers"): "tier names, looked up: stored as foreign keys (no_show_rule_tier)",
    (TierMultiplierIn, "factor"): "a decimal, stored as an integer per mille (tier_multiplier.factor)",
    (BonusDayIn, "factor"): "a decimal, stored as an integer per mille (bonus_day.factor)",
}
# Integers stored in a BIGINT column (up to 2**63 - 1), not an INTEGER one.
BIGINT_FIELDS: dict[tuple[type[Strict], str], Column] = {
    (TierCreate, "spend_threshold"): Tier.spend_threshold,
    (TierUpdate, "spend_threshold"): Tier.spend_threshold,
}


def request_bodies() -> list[type[Strict]]:
    for name in SCHEMA_MODULES:
        importlib.import_module(name)
    found, todo = [], list(Strict.__subclasses__())
    while todo:
        cls = todo.pop()
        if not cls.__module__.startswith("tests."):
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__qualname__)


def leaves(t: inspect.Type) -> Iterator[inspect.Type]:
    """The scalar types inside a field's type (through unions, lists and optional values)."""
    if isinstance(t, inspect.UnionType):
        for inner in t.types:
            yield from leaves(inner)
    elif isinstance(t, (inspect.ListType, inspect.SetType, inspect.FrozenSetType, inspect.VarTupleType)):
        yield from leaves(t.item_type)
    elif not isinstance(t, inspect.StructType):  # a nested body is walked as a body of its own
        yield t


def fields(cls: type[Strict]) -> Iterator[tuple[str, list[inspect.Type]]]:
    info = inspect.type_info(cls)
    assert isinstance(info, inspect.StructType)
    for f in info.fields:
        yield f.name, list(leaves(f.type))


def longest(t: inspect.Type) -> int | None:
    """The longest text `t` lets in; None when it is not text. An Enum of text is stored by its
    values, so its longest value counts (an Enum of numbers is not text)."""
    if isinstance(t, inspect.StrType):
        assert t.max_length is not None
        return t.max_length
    if isinstance(t, inspect.LiteralType):
        return max(len(str(v)) for v in t.values)
    if isinstance(t, inspect.EnumType):
        values = [m.value for m in t.cls]
        return max(len(v) for v in values) if all(isinstance(v, str) for v in values) else None
    return None


def test_every_text_field_of_every_request_body_has_a_maximum_length() -> None:
    unbounded = [
        f"{cls.__name__}.{name}"
        for cls in request_bodies()
        for name, types in fields(cls)
        for t in types
        if isinstance(t, inspect.StrType) and t.max_length is None
    ]
    assert unbounded == []


def test_every_integer_of_every_request_body_fits_an_integer_column() -> None:
    unfit = [
        f"{cls.__name__}.{name} ({t.ge}..{t.le})"
        for cls in request_bodies()
        for name, types in fields(cls)
        for t in types
        if isinstance(t, inspect.IntType)
        and not (t.ge is not None and t.le is not None and -(2**31) <= t.ge
                 and t.le <= (2**63 - 1 if (cls, name) in BIGINT_FIELDS else INT32_MAX))
    ]
    assert unfit == []


def overflows(cls: type[Strict], stored_in: dict[type[Strict], tuple[type[Table], ...]] = STORED_IN) -> list[str]:
    """Where a text `cls` lets in is longer than the column it fills (or the column is unknown)."""
    texts = [(name, max(lengths)) for name, types in fields(cls) if (lengths := [n for t in types if (n := longest(t)) is not None])]
    if not texts:
        return []
    if cls not in stored_in:
        return [f"{cls.__name__}: say in STORED_IN which tables its text fills"]
    problems: list[str] = []
    for name, length in texts:
        if (cls, name) in NOT_STORED:
            continue
        columns = [COLUMN_OF[(cls, name)]] if (cls, name) in COLUMN_OF else [
            c for table in stored_in[cls] if isinstance(c := getattr(table, name, None), Column)
        ]
        if not columns:
            problems.append(f"{cls.__name__}.{name}: no column of that name; say where it goes")
        for column in columns:
            where = f"{cls.__name__}.{name} ({length}) -> {column._meta.table._meta.tablename}.{column._meta.name}"
            if isinstance(column, Varchar) and column.length < length:
                problems.append(f"{where} ({column.length})")
            elif not isinstance(column, (Varchar, Text)):
                problems.append(f"{where}: not a text column")
    return problems


def test_every_text_a_request_body_allows_fits_the_column_it_fills() -> None:
    assert [p for cls in request_bodies() for p in overflows(cls)] == []


class _Courier(str, Enum):
    email = "email"
    carrier_pigeon = "carrier_pigeon"  # 14 characters; reminder_step.channel holds 8


class _Priority(int, Enum):
    low = 1
    high = 2


class _CourierStep(Strict):
    """A throwaway body: an Enum field whose longest value outgrows its column."""

    channel: _Courier
    offset_days: _Priority = _Priority.low


def test_the_check_counts_an_enums_longest_value() -> None:
    """The check above sees Enum fields: a value longer than the column fails it, by name."""
    [channel] = dict(fields(_CourierStep))["channel"]
    assert longest(channel) == len("carrier_pigeon")
    [priority] = dict(fields(_CourierStep))["offset_days"]
    assert longest(priority) is None  # numbers, not text
    assert overflows(_CourierStep, {_CourierStep: (ReminderStep,)}) == ["_CourierStep.channel (14) -> reminder_step.channel (8)"]
    assert overflows(_CourierStep) == ["_CourierStep: say in STORED_IN which tables its text fills"]


def test_the_enum_fields_of_request_bodies_are_checked() -> None:
    """Every Enum-typed request field is measured (none slips past as 'not text')."""
    enum_fields = {
        f"{cls.__name__}.{name}"
        for cls in request_bodies()
        for name, types in fields(cls)
        if any(isinstance(t, inspect.EnumType) and longest(t) is not None for t in types)
    }
    assert {"StepIn.anchor", "StepIn.channel", "StepIn.quiet_hours", "CallOutcomeIn.outcome"} <= enum_fields


def test_composed_keys_and_names_fit_their_columns() -> None:
    nonce = longest(dict(fields(ScanIn))["nonce"][0])
    assert nonce is not None
    assert len(f"{INT32_MAX}:{'n' * nonce}") <= ScanRecord.nonce_key.length


def test_date_checks_cover_every_request_body() -> None:
    """Each body's date fields are found (so the range check cannot skip one)."""
    dated = {
        cls.__name__: sorted(name for name, _ in date_fields(cls))
        for cls in request_bodies()
        if any(isinstance(t, (inspect.DateType, inspect.DateTimeType)) for _, ts in fields(cls) for t in ts)
    }
    expected = {
        cls.__name__: sorted(
            name for name, ts in fields(cls) if any(isinstance(t, (inspect.DateType, inspect.DateTimeType)) for t in ts)
        )
        for cls in request_bodies()
    }
    assert dated == {k: v for k, v in expected.items() if v}


class _Plain(Strict):
    """A body written without the shared types: the range check still covers it."""

    when: datetime | None = None
    days: tuple[date, ...] = ()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"when": "2030-01-01T19:00:00"}',  # no offset
        b'{"when": "9999-12-31T23:59:59+00:00"}',
        b'{"when": "0001-01-01T00:00:00+00:00"}',
        b'{"when": "2099-12-31T23:00:00-05:00"}',  # 2100-01-01T04:00 UTC
        b'{"days": ["2030-01-01", "9999-12-31"]}',
        b'{"days": ["1999-12-31"]}',
    ],
)
def test_a_body_refuses_naive_and_far_dates_in_any_date_field(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=_Plain)


def test_a_body_takes_dates_inside_the_range() -> None:
    body = msgspec.json.decode(b'{"when": "2099-12-31T23:59:59+00:00", "days": ["2000-01-01", "2100-01-01"]}', type=_Plain)
    assert body.when is not None and body.days[-1] == date(2100, 1, 1)
