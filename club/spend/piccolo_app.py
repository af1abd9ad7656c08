"""Piccolo app of club.spend: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.spend.tables import Receipt, Refund

APP_CONFIG = AppConfig(
    app_name="spend",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Receipt, Refund],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
