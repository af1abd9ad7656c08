"""What the wiring (club.server) takes from health_programs: routes, jobs, demo seeding, hooks."""

from __future__ import annotations

from health_programs.demo import seed_demo
from health_programs.jobs import CRON_JOBS, JOB_FUNCTIONS
from health_programs.programs import THROUGH
from health_programs.routes import ROUTES

__all__ = ["CRON_JOBS", "JOB_FUNCTIONS", "PRIVATE_BOOKING_DOMAIN", "ROUTES", "seed_demo"]

# Its events hold health data: events keeps who is booked for them out of its generic lists.
PRIVATE_BOOKING_DOMAIN = THROUGH
