"""Piccolo app of club.honours: its table and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.honours.tables import HonoursProfile

APP_CONFIG = AppConfig(
    app_name="honours",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[HonoursProfile],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
