"""Piccolo app of the events domain: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from events.tables import CalendarFeed, Event, EventTally, Invitation, OutboxMessage, Rsvp, WaitlistSkip

APP_CONFIG = AppConfig(
    app_name="events",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Event, Invitation, Rsvp, WaitlistSkip, CalendarFeed, OutboxMessage, EventTally],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
