"""Piccolo app of the satisfaction surveys: their table and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from checkin.surveys.tables import SurveyAnswer

APP_CONFIG = AppConfig(
    app_name="surveys",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[SurveyAnswer],
    migration_dependencies=["checkin.piccolo_app"],
    commands=[],
)
