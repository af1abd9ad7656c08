"""Piccolo app of club.multipliers: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.multipliers.tables import BonusDay, TierMultiplier

APP_CONFIG = AppConfig(
    app_name="multipliers",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[TierMultiplier, BonusDay],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
