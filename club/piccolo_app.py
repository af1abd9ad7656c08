"""Piccolo app of the club core: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.installation import Installation
from club.tables import ApiToken, ConsoleAction, Member, PointsEntry, Referral, SignInCode, Tier, User, WebSession, WorkerHeartbeat

APP_CONFIG = AppConfig(
    app_name="club",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Tier, Member, User, ApiToken, PointsEntry, Referral, WorkerHeartbeat, Installation, WebSession, SignInCode, ConsoleAction],
    migration_dependencies=[],
    commands=[],
)
