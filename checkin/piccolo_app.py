"""Piccolo app of the door: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from checkin.tables import CheckIn, DoorConflict, DoorCount, NoShow, ScanRecord, Ticket

APP_CONFIG = AppConfig(
    app_name="checkin",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Ticket, CheckIn, ScanRecord, NoShow, DoorConflict, DoorCount],
    migration_dependencies=["events.piccolo_app"],
    commands=[],
)
