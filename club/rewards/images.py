"""A reward's image: coordinators upload one (the console's form, or PUT /api/rewards/{id}/image),
a new upload replaces it, and it can be removed; members who may see the reward, and
coordinators, fetch it at /rewards/{id}/image with its ETag.

What an upload is comes from its bytes' magic numbers (`image_type`), never from its file name or
the type the client claims: PNG, JPEG or WebP, at most MAX_IMAGE_BYTES. The bytes live in the
database (reward_image), so every process serves the same file and a backup holds it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from club import clock
from club.db import write_transaction
from club.downloads import entity_tag
from club.errors import DomainError, InvalidInput, NotFound
from club.rewards.catalogue import facts_of, load_reward, member_facts, redeemed_counts
from club.rewards.rules import listed_for
from club.rewards.tables import RewardImage
from club.rows import Row, row_as

__all__ = [
    "ACCEPTED_TYPES",
    "CACHE_CONTROL",
    "MAX_IMAGE_BYTES",
    "ImageFacts",
    "ImageRow",
    "ImageTooLarge",
    "ImageType",
    "NotAnImage",
    "check_image",
    "image_type",
    "load_image",
    "remove_image",
    "store_image",
    "visible_image",
]

MAX_IMAGE_BYTES = 2 * 1024 * 1024
# What a member's phone keeps of an image between visits: its own copy (a tier's picture is not
# for a shared cache) for a day; a new upload has a new tag in its link, so it shows at once.
CACHE_CONTROL = "private, max-age=86400"


class ImageType(StrEnum):
    png = "image/png"
    jpeg = "image/jpeg"
    webp = "image/webp"


ACCEPTED_TYPES = frozenset(t.value for t in ImageType)


class NotAnImage(InvalidInput):
    slug = "image-not-accepted"
    title = "Image not accepted"


class ImageTooLarge(DomainError):
    status_code = 413
    slug = "image-too-large"
    title = "Image too large"


def image_type(data: bytes) -> ImageType | None:
    """The type the bytes' magic numbers say, or None when they are none of PNG, JPEG or WebP."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageType.png
    if data.startswith(b"\xff\xd8\xff"):
        return ImageType.jpeg
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageType.webp
    return None


def check_image(data: bytes) -> ImageType:
    """The upload's type, or the refusal a coordinator reads: too large, empty, or not an image."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageTooLarge("The image is {size} MB; at most 2 MB is accepted.", text_values={
            "size": f"{len(data) / (1024 * 1024):.1f}",
        })
    if not data:
        raise NotAnImage("Please choose an image file.")
    found = image_type(data)
    if found is None:
        raise NotAnImage("This file is not a PNG, JPEG or WebP image.")
    return found


class ImageRow(Row, frozen=True):
    reward: int
    content_type: str
    data: bytes
    etag: str
    updated_at: datetime


async def store_image(reward_id: int, data: bytes) -> ImageRow:
    """Check the upload and put it in place of the reward's image, if it had one (one transaction)."""
    kind = check_image(data)
    await load_reward(reward_id)  # 404 for a reward that does not exist
    tag, now = entity_tag(data), clock.now()
    async with write_transaction():
        replaced = await RewardImage.update({
            RewardImage.content_type: kind.value, RewardImage.data: data, RewardImage.etag: tag, RewardImage.updated_at: now,
        }).where(RewardImage.reward == reward_id).returning(RewardImage.id)
        if not replaced:
            await RewardImage.insert(RewardImage({
                RewardImage.reward: reward_id, RewardImage.content_type: kind.value, RewardImage.data: data,
                RewardImage.etag: tag, RewardImage.updated_at: now,
            }))
    return ImageRow(reward=reward_id, content_type=kind.value, data=data, etag=tag, updated_at=now)


async def remove_image(reward_id: int) -> bool:
    """Remove the reward's image; whether it had one."""
    await load_reward(reward_id)
    async with write_transaction():
        removed = await RewardImage.delete().where(RewardImage.reward == reward_id).returning(RewardImage.id)
    return bool(removed)


async def load_image(reward_id: int) -> ImageRow:
    found = await RewardImage.select(
        RewardImage.reward, RewardImage.content_type, RewardImage.data, RewardImage.etag, RewardImage.updated_at,
    ).where(RewardImage.reward == reward_id).first()
    if found is None:
        raise NotFound("Reward {reward_id} has no image.", text_values={"reward_id": reward_id})
    return row_as(ImageRow, {**found, "data": bytes(found["data"])})


class ImageFacts(Row, frozen=True):
    content_type: str
    etag: str


async def visible_image(reward_id: int, member_id: int | None) -> ImageFacts:
    """The image's type and tag (not its bytes: a phone holding it gets a 304 without them), for a
    coordinator (member_id None) or for a member whose rewards page lists the reward
    (club.rewards.rules.listed_for); any other reward's image does not exist for them (404)."""
    if member_id is not None:
        row = await load_reward(reward_id)
        balance, tier_rank, suspended = await member_facts(member_id)
        redeemed = (await redeemed_counts(member_id, [reward_id])).get(reward_id, 0)
        if not listed_for(facts_of(row, balance, tier_rank, suspended, redeemed)):
            raise NotFound("Reward {reward_id} has no image.", text_values={"reward_id": reward_id})
    found = await RewardImage.select(RewardImage.content_type, RewardImage.etag).where(RewardImage.reward == reward_id).first()
    if found is None:
        raise NotFound("Reward {reward_id} has no image.", text_values={"reward_id": reward_id})
    return row_as(ImageFacts, found)
