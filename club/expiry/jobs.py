"""The expiry job (arq): thin, it calls the services. Hourly; the date that has come runs once,
in the first hour after its end on the club's clock (a run recorded in expiry_run is not summed
again), and the day's reminders are planned. Safe to run again and on several workers at once:
every entry and every reminder is keyed."""

from __future__ import annotations

from typing import Any

from club.expiry.expiring import run_due
from club.expiry.reminding import plan_reminders

__all__ = ["expire_points"]


async def expire_points(ctx: dict[str, Any]) -> dict[str, int]:
    zone = ctx["settings"].zone
    done = await run_due(zone)
    planned = await plan_reminders(zone)
    return {"members": done.members, "points": done.points, "reminders": planned}
