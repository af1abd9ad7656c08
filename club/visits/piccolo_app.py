"""Piccolo app of club.visits: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.visits.tables import MemberCard, Store, Visit

APP_CONFIG = AppConfig(
    app_name="visits",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Store, MemberCard, Visit],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
