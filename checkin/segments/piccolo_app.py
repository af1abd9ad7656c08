"""Piccolo app of the saved segments and their sends: their tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from checkin.segments.tables import SavedSegment, SegmentDelivery, SegmentSend

APP_CONFIG = AppConfig(
    app_name="segments",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[SavedSegment, SegmentSend, SegmentDelivery],
    migration_dependencies=["checkin.surveys.piccolo_app"],
    commands=[],
)
