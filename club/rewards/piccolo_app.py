"""Piccolo app of club.rewards: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from club.rewards.tables import Redemption, Reward, RewardImage

APP_CONFIG = AppConfig(
    app_name="rewards",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Reward, Redemption, RewardImage],
    migration_dependencies=["club.piccolo_app"],
    commands=[],
)
