"""Piccolo app of club.year_end: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.year_end.tables import BirthdayGiftSetting, YearEndAward, YearEndRuleRow

APP_CONFIG = AppConfig(
    app_name="year_end",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[YearEndRuleRow, YearEndAward, BirthdayGiftSetting],
    migration_dependencies=["club.rewards.piccolo_app"],
    commands=[],
)
