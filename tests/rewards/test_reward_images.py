"""A reward's image over real HTTP: what the bytes are decides (a GIF called image/png is refused, a
JPEG called image/png is stored as JPEG), at most 2 MB, coordinators only (members and door staff
are refused every image route the app lists); served with its ETag and Cache-Control, 304 to a
phone that holds it, and a 404 to a member whose tier does not open the reward; replaced by a new
upload and removed, in the API and in the console (recorded, refusals shown on the page in zh-Hans)."""

from __future__ import annotations

import pytest

from club.rewards import urls
from club.rewards.images import MAX_IMAGE_BYTES, ImageType, image_type
from club.rewards.tables import RewardImage
from club.tables import ConsoleAction
from club.tiers import load_ladder
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.pages import csrf_of
from tests.rewards.helpers import make_reward
from tests.rewards.images import GIF, JPEG, WEBP, png
from tests.support import guarded_routes
from tests.web.sign_in_steps import ZH, text_of


@pytest.mark.parametrize(("data", "kind"), [
    (png(4, 4), ImageType.png), (JPEG, ImageType.jpeg), (WEBP, ImageType.webp), (GIF, None), (b"", None),
    (b"RIFF\x10\x00\x00\x00WAVEfmt ", None), (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None), (b"\x89PNG", None),
])
def test_the_bytes_say_what_an_image_is(data: bytes, kind: ImageType | None) -> None:
    assert image_type(data) is kind


def _api(reward: dict) -> str:  # type: ignore[type-arg]
    return urls.link(urls.REWARD_IMAGE_API, reward_id=reward["id"])


def _image(reward: dict) -> str:  # type: ignore[type-arg]
    return urls.link(urls.REWARD_IMAGE, reward_id=reward["id"])


async def test_an_upload_is_refused_unless_its_bytes_are_an_image_of_at_most_2_mb(server: LiveServer, coordinator: Caller) -> None:
    reward = await make_reward(server, coordinator)
    async with server.client(coordinator.token) as http:
        disguised = await http.put(_api(reward), content=GIF, headers={"Content-Type": "image/png"})
        big = await http.put(_api(reward), content=png(4, 4) + b"\x00" * MAX_IMAGE_BYTES, headers={"Content-Type": "image/png"})
        unnamed = await http.put(_api(reward), content=png(4, 4), headers={"Content-Type": "application/octet-stream"})
        empty = await http.put(_api(reward), content=b"", headers={"Content-Type": "image/png"})
        huge = await http.put(_api(reward), content=b"\x00" * (3 * MAX_IMAGE_BYTES), headers={"Content-Type": "image/png"})
        in_chinese = await http.put(_api(reward), content=GIF, headers={"Content-Type": "image/png", **ZH})
    assert (disguised.status_code, disguised.json()["type"]) == (400, "/problems/image-not-accepted")
    assert disguised.json()["detail"] == "This file is not a PNG, JPEG or WebP image."
    assert (big.status_code, big.json()["type"]) == (413, "/problems/image-too-large")
    assert "at most 2 MB" in big.json()["detail"]
    assert (unnamed.status_code, empty.status_code) == (400, 400)
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("application/problem+json")
    assert in_chinese.json()["detail"] == "此文件不是 PNG、JPEG 或 WebP 图片。"
    assert await RewardImage.count() == 0


async def test_members_and_staff_are_refused_the_image_routes(server: LiveServer, coordinator: Caller, member: Caller, staff: Caller) -> None:
    reward = await make_reward(server, coordinator)
    routes = [r for r in guarded_routes(server.app) if r[1].endswith("/image")]
    assert sorted(routes) == [("DELETE", "/api/rewards/1/image"), ("PUT", "/api/rewards/1/image")]
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            for method, path in routes:
                path = path.replace("/1/", f"/{reward['id']}/")
                answer = await http.request(method, path, content=png(4, 4), headers={"Content-Type": "image/png"})
                assert answer.status_code == 403, (caller, method, path, answer.text)
    async with server.client(coordinator.token) as http:
        assert (await http.put(_api(reward), content=png(4, 4), headers={"Content-Type": "image/png"})).status_code == 200
    async with server.client(staff.token) as http:
        assert (await http.get(_image(reward))).status_code == 403  # door staff have no business with rewards
    async with server.client() as http:
        assert (await http.get(_image(reward))).status_code in (303, 401)  # nobody signed in: to sign in
    assert await RewardImage.count() == 1


async def test_the_image_is_served_with_its_tag_replaced_and_removed(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    reward = await make_reward(server, coordinator)
    first = png(8, 5)
    async with server.client(coordinator.token) as http:
        assert (await http.get(_image(reward))).status_code == 404
        stored = await http.put(_api(reward), content=first, headers={"Content-Type": "image/png"})
        assert stored.status_code == 200, stored.text
        link = stored.json()["image_url"]
        assert link.startswith(f"{_image(reward)}?v=")
    async with server.client(member.token) as http:
        listed = (await http.get(urls.MY_REWARDS)).json()
        assert [r["image_url"] for r in listed] == [link]
        got = await http.get(link)
        assert got.status_code == 200 and got.content == first
        assert got.headers["content-type"] == "image/png"
        assert got.headers["cache-control"] == "private, max-age=86400"
        tag = got.headers["etag"]
        again = await http.get(link, headers={"If-None-Match": tag})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
        head = await http.head(link)
        assert head.status_code == 200 and head.headers["content-length"] == str(len(first))
    async with server.client(coordinator.token) as http:
        # A JPEG sent as image/png: the bytes decide what it is.
        replaced = await http.put(_api(reward), content=JPEG, headers={"Content-Type": "image/png"})
        assert replaced.json()["image_url"] != link
    async with server.client(member.token) as http:
        now = await http.get(link, headers={"If-None-Match": tag})
        assert now.status_code == 200 and now.headers["content-type"] == "image/jpeg" and now.content == JPEG
    assert await RewardImage.count() == 1
    async with server.client(coordinator.token) as http:
        assert (await http.delete(_api(reward))).status_code == 204
        assert (await http.delete(_api(reward))).status_code == 404
        assert (await http.get(urls.link(urls.REWARD, reward_id=reward["id"]))).json()["image_url"] is None
    async with server.client(member.token) as http:
        assert (await http.get(_image(reward))).status_code == 404


async def test_a_member_cannot_fetch_the_image_of_a_reward_their_tier_does_not_open(
    server: LiveServer, coordinator: Caller, member: Caller,
) -> None:
    ladder = await load_ladder()
    top = await make_reward(server, coordinator, min_tier=ladder[-1].name)
    withdrawn = await make_reward(server, coordinator, active=False)
    async with server.client(coordinator.token) as http:
        for reward in (top, withdrawn):
            assert (await http.put(_api(reward), content=WEBP, headers={"Content-Type": "image/webp"})).status_code == 200
            assert (await http.get(_image(reward))).status_code == 200  # coordinators see every one
    async with server.client(member.token) as http:
        assert (await http.get(urls.MY_REWARDS)).json() == []
        for reward in (top, withdrawn):
            refused = await http.get(_image(reward))
            assert refused.status_code == 404 and refused.content != WEBP


async def test_the_console_uploads_replaces_and_removes_an_image(server: LiveServer, coordinator: Caller) -> None:
    reward = await make_reward(server, coordinator)
    page = urls.link(urls.CONSOLE_REWARD, reward_id=reward["id"])
    upload = urls.link(urls.CONSOLE_REWARD_IMAGE, reward_id=reward["id"])
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        opened = await console.get(page)
        assert "尚无图片" in text_of(opened.text) and 'enctype="multipart/form-data"' in opened.text
        csrf = csrf_of(opened.text)
        disguised = await console.post(upload, data={"_csrf_token": csrf}, files={"file": ("scarf.png", GIF, "image/png")})
        assert disguised.status_code == 400 and "此文件不是 PNG、JPEG 或 WebP 图片。" in text_of(disguised.text)
        big = await console.post(upload, data={"_csrf_token": csrf},
                                 files={"file": ("big.png", png(4, 4) + b"\x00" * MAX_IMAGE_BYTES, "image/png")})
        assert big.status_code == 413 and "最大可接受 2 MB" in text_of(big.text)
        none = await console.post(upload, data={"_csrf_token": csrf}, files={"file": ("", b"", "application/octet-stream")})
        assert none.status_code == 400
        assert await RewardImage.count() == 0
        done = await console.post(upload, data={"_csrf_token": csrf}, files={"file": ("scarf.bin", png(16, 10), "application/octet-stream")})
        assert done.status_code == 303 and done.headers["location"] == f"{page}?done=image#image"
        shown = await console.get(f"{page}?done=image")
        assert "图片已保存。" in text_of(shown.text) and 'id="reward-image"' in shown.text and "更换图片" in text_of(shown.text)
        image = await console.get(urls.link(urls.REWARD_IMAGE, reward_id=reward["id"]))  # the console's preview, by session
        assert image.status_code == 200 and image.content == png(16, 10)
        replaced = await console.post(upload, data={"_csrf_token": csrf}, files={"file": ("b.jpg", JPEG, "image/jpeg")})
        assert replaced.status_code == 303
        assert (await RewardImage.select(RewardImage.content_type).first()) == {"content_type": "image/jpeg"}
        removed = await console.post(urls.link(urls.CONSOLE_REMOVE_IMAGE, reward_id=reward["id"]), data={"_csrf_token": csrf})
        assert removed.status_code == 303 and "尚无图片" in text_of((await console.get(page)).text)
    assert await RewardImage.count() == 0
    records = [r["detail"] for r in await ConsoleAction.select(ConsoleAction.detail).order_by(ConsoleAction.id)]
    assert records == ["真丝方巾：上传了图片", "真丝方巾：上传了图片", "真丝方巾：移除了图片"]
