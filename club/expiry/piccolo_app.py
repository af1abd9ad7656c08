"""Piccolo app of club.expiry: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.expiry.tables import ExpiryReminder, ExpiryRule, ExpiryRun

APP_CONFIG = AppConfig(
    app_name="expiry",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[ExpiryRule, ExpiryRun, ExpiryReminder],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
