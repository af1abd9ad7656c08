"""Route paths of the rewards catalogue, in one place so tests and links never spell them out."""

from __future__ import annotations

# The API
REWARDS = "/api/rewards"  # coordinators: the whole catalogue
REWARD = "/api/rewards/{reward_id:int}"
REWARD_IMAGE_API = "/api/rewards/{reward_id:int}/image"  # coordinators: PUT the image's bytes, DELETE it
REWARD_REDEEM = "/api/rewards/{reward_id:int}/redemptions"  # POST: a member redeems; GET: coordinators list
MY_REWARDS = "/api/me/rewards"  # a member: the rewards open to them
MY_REDEMPTIONS = "/api/me/redemptions"
REDEMPTION = "/api/redemptions/{redemption_id:int}"
REDEMPTION_HAND_OVER = "/api/redemptions/{redemption_id:int}/hand-over"
REDEMPTION_CANCEL = "/api/redemptions/{redemption_id:int}/cancel"

# The member pages
REWARDS_PAGE = "/rewards"
REWARD_PAGE = "/rewards/{reward_id:int}"  # the confirmation before redeeming
REDEEM_PAGE = "/rewards/{reward_id:int}/redeem"
MY_REDEMPTIONS_PAGE = "/rewards/mine"
REWARD_IMAGE = "/rewards/{reward_id:int}/image"  # the image itself: members who may see the reward, coordinators

# The console
CONSOLE_REWARDS = "/console/rewards"
CONSOLE_NEW_REWARD = "/console/rewards/new"
CONSOLE_REWARD = "/console/rewards/{reward_id:int}"
CONSOLE_REDEMPTIONS = "/console/redemptions"
CONSOLE_HAND_OVER = "/console/redemptions/{redemption_id:int}/hand-over"
CONSOLE_REWARD_IMAGE = "/console/rewards/{reward_id:int}/image"  # POST: upload (multipart)
CONSOLE_REMOVE_IMAGE = "/console/rewards/{reward_id:int}/image/remove"
CONSOLE_CANCEL = "/console/redemptions/{redemption_id:int}/cancel"


def link(path: str, **ids: int) -> str:
    """A path with its ids filled in: link(REWARD, reward_id=3) is "/api/rewards/3"."""
    for name, value in ids.items():
        path = path.replace(f"{{{name}:int}}", str(int(value)))
    return path
