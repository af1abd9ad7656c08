"""Counting a visit: a member's card scanned at a store's counter, in one transaction.

1. the card's signature and version (club.visits.cards, the member's card row): anything else is
   `not_a_card`, a reissued card's older QR among them; a suspended member's card is `suspended`;
2. the store's local day decides the visit's key (member, store, day: club.visits.rules);
3. a visit already recorded for that member, store and day answers `already_counted` (or, for a retry of the scan
   that counted it, the same nonce, that scan's own answer again);
4. the member's row is locked (club.locking): what their visits earned today, across every store,
   cannot change under the cap's decision, so two stores' counters at once never pass the cap;
5. the visit row is inserted with `ON CONFLICT (visit_key) DO NOTHING`: of two counters racing past
   step 3 for the same store and day, the key lets one in; the other answers `already_counted`.
   The lock in step 4 does not re-read the visit, so the key is what stops a duplicate (the race
   test's control turns the key off and the duplicates land);
6. its points go through club.points.award (reason `visit`, keyed by the visit's key). At the cap
   nothing is recorded and the answer is `cap_reached`: a later scan says the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from club import clock
from club.db import write_transaction
from club.errors import NotFound
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
from club.locking import lock_objects
from club.points import award
from club.suspension import is_suspended
from club.tables import Member, PointsEntry, PointsReason
from club.visits.cards import CardClaims, CardSigner, InvalidCard
from club.visits.errors import StoreClosed
from club.visits.rules import VisitResult, local_day, visit_earning, visit_key
from club.visits.schemas import VisitAnswer, VisitMember
from club.visits.tables import MemberCard, Store, Visit

__all__ = ["KEYED", "VisitRequest", "card_token", "card_version", "record_visit", "reissue_card"]

# Only the control test turns this off: each scan's visit then gets a key of its own, so the unique
# key no longer stops a second counter that raced past the lookup (step 3), and the race shows.
KEYED = True

DETAILS: dict[VisitResult, str] = {
    VisitResult.earned: N_("Visit counted: {points} points."),
    VisitResult.already_counted: N_("Already counted today at this store."),
    VisitResult.cap_reached: N_("Today's visit points are reached; this visit earns none."),
    VisitResult.not_a_card: N_("Not a member card. Ask the member to open their card page."),
    VisitResult.suspended: N_("This membership is suspended: no visit points."),
}


@dataclass(frozen=True, slots=True)
class VisitRequest:
    token: str
    store: str
    nonce: str
    staff_user_id: int
    per_visit: int
    daily_cap: int
    language: Language


async def card_version(member_id: int) -> int:
    """The member's current card version; their card row is made (version 1) when first asked for."""
    row = await MemberCard.select(MemberCard.version).where(MemberCard.member == member_id).first()
    if row is None:
        async with write_transaction():
            await MemberCard.insert(MemberCard(member=member_id, version=1, issued_at=clock.now())).on_conflict(
                target=MemberCard.member, action="DO NOTHING"
            )
        row = await MemberCard.select(MemberCard.version).where(MemberCard.member == member_id).first()
    assert row is not None
    return int(row["version"])


async def card_token(member_id: int, signer: CardSigner) -> str:
    return signer.issue(CardClaims(member_id=member_id, version=await card_version(member_id)))


async def reissue_card(member_id: int) -> int:
    """A new card for the member (a lost phone, a shared screenshot): every older QR stops working."""
    if not await Member.exists().where(Member.id == member_id):
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    await card_version(member_id)
    async with write_transaction():
        await lock_objects((Member, member_id))
        await MemberCard.raw("UPDATE member_card SET version = version + 1, issued_at = {} WHERE member = {}",
                             clock.now(), member_id)
    return await card_version(member_id)


def _answer(result: VisitResult, language: Language, store: str, day: str | None = None, *, points: int = 0,
            today: int | None = None, member: VisitMember | None = None) -> VisitAnswer:
    return VisitAnswer(result=result, detail=gettext(language, DETAILS[result], points=points), store=store, local_day=day,
                       member=member, points_awarded=points, visit_points_today=today)


async def _member_facts(member_id: int) -> VisitMember | None:
    row = await Member.select(Member.name, Member.tier.name.as_alias("tier")).where(Member.id == member_id).first()
    return None if row is None else VisitMember(name=row["name"], tier=row["tier"])


async def _earned_today(member_id: int, day: str) -> int:
    rows = await Visit.raw("SELECT COALESCE(SUM(points), 0) AS points FROM visit WHERE member = {} AND local_day = {}",
                           member_id, day)
    return int(rows[0]["points"])


async def _awarded(key: str) -> int:
    rows = await PointsEntry.select(PointsEntry.delta).where(PointsEntry.award_key == f"{PointsReason.visit.value}:{key}")
    return int(rows[0]["delta"]) if rows else 0


def _key(member_id: int, store: str, day: str) -> str:
    from datetime import date

    key = visit_key(member_id, store, date.fromisoformat(day))
    return key if KEYED else f"{key}:{uuid.uuid4().hex}"


async def record_visit(request: VisitRequest, signer: CardSigner) -> VisitAnswer:
    store = await Store.select().where(Store.code == request.store).first()
    if store is None:
        raise NotFound("No store {store} is known to the club.", text_values={"store": request.store})
    if not store["active"]:
        raise StoreClosed("Store {store} no longer takes visits.", store=request.store)
    code, lang = store["code"], request.language
    try:
        claims = signer.verify(request.token)
    except InvalidCard:
        return _answer(VisitResult.not_a_card, lang, code)
    now = clock.now()
    day = local_day(now, store["time_zone"]).isoformat()
    nonce_key = f"{request.staff_user_id}:{request.nonce}"
    async with write_transaction():
        current = await MemberCard.select(MemberCard.version).where(MemberCard.member == claims.member_id).first()
        member = await _member_facts(claims.member_id)
        if current is None or member is None or int(current["version"]) != claims.version:
            return _answer(VisitResult.not_a_card, lang, code)
        if await is_suspended(claims.member_id):
            return _answer(VisitResult.suspended, lang, code, day, member=member)
        key = _key(claims.member_id, code, day)
        earlier = await Visit.select(Visit.points, Visit.nonce_key).where(
            (Visit.member == claims.member_id) & (Visit.store == int(store["id"])) & (Visit.local_day == day)
        ).first()
        if earlier is not None:
            today = await _earned_today(claims.member_id, day)
            if earlier["nonce_key"] == nonce_key:  # a retry of the scan that counted it: the points it awarded
                return _answer(VisitResult.earned, lang, code, day, points=await _awarded(key) or int(earlier["points"]), today=today, member=member)
            return _answer(VisitResult.already_counted, lang, code, day, today=today, member=member)
        await lock_objects((Member, claims.member_id))
        today = await _earned_today(claims.member_id, day)
        earning = visit_earning(request.per_visit, request.daily_cap, today)
        if earning.points == 0:
            return _answer(VisitResult.cap_reached, lang, code, day, today=today, member=member)
        inserted = await Visit.raw(
            "INSERT INTO visit (visit_key, member, store, local_day, points, nonce_key, scanned_at, scanned_by) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (visit_key) DO NOTHING RETURNING id",
            key, claims.member_id, int(store["id"]), day, earning.points, nonce_key, now, request.staff_user_id,
        )
        if not inserted:
            return _answer(VisitResult.already_counted, lang, code, day, today=today, member=member)
        # The cap counts a visit's own points, the same for every tier; a multiplier (a tier's factor,
        # a bonus day) multiplies what the cap lets through, and the answer says what the member received.
        awarded = await award(claims.member_id, earning.points, PointsReason.visit, key, note=f"visit {code} {day}",
                              created_by=request.staff_user_id)
    return _answer(VisitResult.earned, lang, code, day, points=awarded.points, today=today + earning.points, member=member)
