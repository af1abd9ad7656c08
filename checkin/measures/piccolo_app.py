"""Piccolo app of the measures: the tier history's table, its triggers, and their migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from checkin.measures.tables import TierChangeEntry

APP_CONFIG = AppConfig(
    app_name="measures",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[TierChangeEntry],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
