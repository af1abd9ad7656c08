"""Piccolo app of events.shows: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from events.shows.tables import SeatCategory, ShowInvitation

APP_CONFIG = AppConfig(
    app_name="shows",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[SeatCategory, ShowInvitation],
    migration_dependencies=["events.reminders.piccolo_app"],
    commands=[],
)
