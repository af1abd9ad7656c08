"""Piccolo app of the no-show gate: the club's rule and its tiers."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from events.no_show_gate.tables import NoShowRule, NoShowRuleTier

APP_CONFIG = AppConfig(
    app_name="no_show_gate",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[NoShowRule, NoShowRuleTier],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
