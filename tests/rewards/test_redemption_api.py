"""The rewards API over real HTTP: a member redeems with a retry-safe key and reads their
redemptions; every refusal is a problem with its own type; a coordinator hands a redemption over
or cancels it (points and stock back), each once; nobody reads another's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from club import clock
from club.ledger import balance_of, entries_of
from club.rewards import urls
from club.rewards.tables import Redemption, Reward
from club.tables import ConsoleAction, PointsReason
from club.tiers import load_ladder
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.rewards.helpers import give_points, make_reward

PROBLEM = "application/problem+json"


def _redeem_path(reward_id: int) -> str:
    return urls.link(urls.REWARD_REDEEM, reward_id=reward_id)


async def test_a_member_redeems_once_per_key_and_reads_the_slip(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    reward = await make_reward(server, coordinator, stock=3)
    await give_points(member.member_id, 1_200)  # type: ignore[arg-type]
    async with server.client(member.token) as http:
        listed = (await http.get(urls.MY_REWARDS)).json()
        assert [(r["id"], r["can_redeem"], r["points_to_go"]) for r in listed] == [(reward["id"], True, 0)]
        first = await http.post(_redeem_path(reward["id"]), headers={"Idempotency-Key": "tap-1"})
        again = await http.post(_redeem_path(reward["id"]), headers={"Idempotency-Key": "tap-1"})
        mine = (await http.get(urls.MY_REDEMPTIONS)).json()
        me = (await http.get("/api/me")).json()
    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["status"] == "pending" and body["points"] == 500 and body["balance"] == 700
    assert body["voucher_code"] is None and body["slip_number"] == f"{body['id']:06d}"
    assert [m["id"] for m in mine] == [body["id"]]
    # Beside the balance, the points still to the next tier, as /api/me says them after the redemption.
    assert body["next_tier"]["state"] == "to_go" and body["next_tier"]["points"] > 0
    assert body["next_tier"] == mine[0]["next_tier"] == me["next_tier"]
    assert await balance_of(member.member_id) == 700  # type: ignore[arg-type]
    entries = [e for e in await entries_of(member.member_id) if e.reason is PointsReason.redemption]  # type: ignore[arg-type]
    assert [(e.delta, e.source) for e in entries] == [(-500, f"redemption-{body['id']}")]
    assert (await Reward.select(Reward.stock).where(Reward.id == reward["id"]).first())["stock"] == 2  # type: ignore[index]


async def test_a_voucher_has_an_unguessable_code_and_a_key_reused_elsewhere_is_refused(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    voucher = await make_reward(server, coordinator, kind="voucher", price=100, title_zh="礼券")
    other = await make_reward(server, coordinator, price=100)
    await give_points(member.member_id, 1_000)  # type: ignore[arg-type]
    async with server.client(member.token) as http:
        made = await http.post(_redeem_path(voucher["id"]), headers={"Idempotency-Key": "k"})
        reused = await http.post(_redeem_path(other["id"]), headers={"Idempotency-Key": "k"})
        bad_key = await http.post(_redeem_path(other["id"]), headers={"Idempotency-Key": "not a key!"})
    assert made.status_code == 201
    code = made.json()["voucher_code"]
    assert len(code) == 19 and code.count("-") == 3 and made.json()["slip_number"] is None
    assert reused.status_code == 409 and reused.json()["type"] == "/problems/idempotency-key-reused"
    assert bad_key.status_code == 400 and bad_key.headers["content-type"].startswith(PROBLEM)


async def test_every_refusal_is_a_problem_with_its_own_type(server: LiveServer, coordinator: Caller) -> None:
    ladder = await load_ladder()
    now = clock.now()
    member = await make_member("Chen Jing")
    await give_points(member.member_id, 300)  # type: ignore[arg-type]
    dear = await make_reward(server, coordinator, price=1_000)
    gone = await make_reward(server, coordinator, price=10, stock=0)
    later = await make_reward(server, coordinator, price=10, available_from=(now + timedelta(days=2)).isoformat())
    over = await make_reward(server, coordinator, price=10, available_until=(now - timedelta(days=1)).isoformat(),
                             available_from=(now - timedelta(days=9)).isoformat())
    diamond = await make_reward(server, coordinator, price=10, min_tier=ladder[-1].name)
    once = await make_reward(server, coordinator, price=10, per_member_limit=1)
    async with server.client(member.token) as http:
        assert (await http.post(_redeem_path(once["id"]))).status_code == 201
        answers = {
            name: await http.post(_redeem_path(r["id"]))
            for name, r in [("dear", dear), ("gone", gone), ("later", later), ("over", over), ("diamond", diamond), ("once", once)]
        }
        listed = {r["id"]: r for r in (await http.get(urls.MY_REWARDS)).json()}
        missing = await http.post(_redeem_path(2_000_000))
    types = {name: (a.status_code, a.json()["type"]) for name, a in answers.items()}
    assert types == {
        "dear": (409, "/problems/not-enough-points"),
        "gone": (409, "/problems/out-of-stock"),
        "later": (409, "/problems/reward-not-yet-available"),
        "over": (409, "/problems/reward-no-longer-available"),
        "diamond": (409, "/problems/tier-too-low"),
        "once": (409, "/problems/redemption-limit-reached"),
    }
    assert answers["dear"].json()["missing"] == 710  # 300 - 10 for `once`
    assert missing.status_code == 404
    # The list shows what is open to the member's tier and not past, with why not and what lacks.
    assert set(listed) == {dear["id"], gone["id"], later["id"], once["id"]}
    assert listed[dear["id"]]["points_to_go"] == 710 and listed[dear["id"]]["refusal"] == "not_enough_points"
    assert listed[gone["id"]]["refusal"] == "out_of_stock"
    assert await balance_of(member.member_id) == 290  # type: ignore[arg-type]


async def test_a_coordinator_hands_over_or_cancels_once_and_a_cancel_returns_points_and_stock(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    reward = await make_reward(server, coordinator, stock=2, price=400)
    await give_points(member.member_id, 1_000)  # type: ignore[arg-type]
    async with server.client(member.token) as http:
        one = (await http.post(_redeem_path(reward["id"]))).json()
        two = (await http.post(_redeem_path(reward["id"]))).json()
    assert await balance_of(member.member_id) == 200  # type: ignore[arg-type]
    async with server.client(coordinator.token) as http:
        handed = await http.post(urls.link(urls.REDEMPTION_HAND_OVER, redemption_id=one["id"]))
        handed_again = await http.post(urls.link(urls.REDEMPTION_HAND_OVER, redemption_id=one["id"]))
        cancel_handed = await http.post(urls.link(urls.REDEMPTION_CANCEL, redemption_id=one["id"]), json={})
        cancelled = await http.post(urls.link(urls.REDEMPTION_CANCEL, redemption_id=two["id"]), json={"reason": "size"})
        cancelled_again = await http.post(urls.link(urls.REDEMPTION_CANCEL, redemption_id=two["id"]), json={})
        listed = (await http.get(urls.link(urls.REWARD_REDEEM, reward_id=reward["id"]))).json()
        catalogue = (await http.get(urls.link(urls.REWARD, reward_id=reward["id"]))).json()
    assert handed.status_code == 200 and handed.json()["status"] == "handed_over"
    assert handed_again.status_code == 409 and handed_again.json()["type"] == "/problems/redemption-closed"
    assert cancel_handed.status_code == 409
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled_again.status_code == 409
    assert await balance_of(member.member_id) == 600  # type: ignore[arg-type]
    returned = [e for e in await entries_of(member.member_id) if e.reason is PointsReason.returned]  # type: ignore[arg-type]
    assert [(e.delta, e.source) for e in returned] == [(400, f"redemption-{two['id']}")]
    assert catalogue["stock"] == 1 and (catalogue["pending"], catalogue["handed_over"], catalogue["cancelled"]) == (0, 1, 1)
    assert {r["id"]: r["status"] for r in listed} == {one["id"]: "handed_over", two["id"]: "cancelled"}
    actions = [r["action"] for r in await ConsoleAction.select(ConsoleAction.action).order_by(ConsoleAction.id)]
    assert actions == ["redemption_handed_over", "redemption_cancelled"]


async def test_nobody_reads_or_ends_anothers_redemption(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    reward = await make_reward(server, coordinator, price=10)
    owner, other = await make_member("Owner"), await make_member("Other")
    await give_points(owner.member_id, 100)  # type: ignore[arg-type]
    async with server.client(owner.token) as http:
        made = (await http.post(_redeem_path(reward["id"]))).json()
    path = urls.link(urls.REDEMPTION, redemption_id=made["id"])
    async with server.client(other.token) as http:
        assert (await http.get(path)).status_code == 404
        assert (await http.get(urls.MY_REDEMPTIONS)).json() == []
        for route in (urls.REDEMPTION_HAND_OVER, urls.REDEMPTION_CANCEL):
            assert (await http.post(urls.link(route, redemption_id=made["id"]), json={})).status_code == 403
        assert (await http.get(urls.REWARDS)).status_code == 403
    async with server.client(staff.token) as http:
        for method, route in [("GET", path), ("GET", urls.MY_REWARDS), ("GET", urls.REWARDS), ("POST", _redeem_path(reward["id"]))]:
            assert (await http.request(method, route, json={})).status_code == 403, route
    async with server.client(coordinator.token) as http:
        assert (await http.get(path)).json()["member_id"] == owner.member_id
        # A coordinator does not redeem on a member's behalf.
        assert (await http.post(_redeem_path(reward["id"]))).status_code == 403
    assert await Redemption.count() == 1


async def test_a_coordinator_edits_and_withdraws_a_reward(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    reward = await make_reward(server, coordinator)
    async with server.client(coordinator.token) as http:
        changed = await http.patch(urls.link(urls.REWARD, reward_id=reward["id"]), json={"price": 650, "stock": 5})
        bad = await http.patch(urls.link(urls.REWARD, reward_id=reward["id"]), json={
            "available_from": datetime(2027, 1, 2, tzinfo=UTC).isoformat(), "available_until": datetime(2027, 1, 1, tzinfo=UTC).isoformat(),
        })
        untitled = await http.post(urls.REWARDS, json={"kind": "gift", "price": 5})
        no_tier = await http.post(urls.REWARDS, json={"kind": "gift", "price": 5, "title_en": "x", "min_tier": "Bronze"})
        withdrawn = await http.patch(urls.link(urls.REWARD, reward_id=reward["id"]), json={"active": False})
    assert changed.status_code == 200 and (changed.json()["price"], changed.json()["stock"]) == (650, 5)
    assert bad.status_code == 400 and untitled.status_code == 400 and no_tier.status_code == 400
    assert withdrawn.json()["active"] is False
    async with server.client(member.token) as http:
        assert (await http.get(urls.MY_REWARDS)).json() == []
        refused = await http.post(_redeem_path(reward["id"]))
    assert refused.status_code == 409 and refused.json()["type"] == "/problems/reward-no-longer-available"
