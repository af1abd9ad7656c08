"""Piccolo's configuration module (PICCOLO_CONF=club.server.piccolo_conf): the engine and the apps.

`club.db.configure_database()` replaces `DB` when a process starts with its own settings.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from club.db import make_engine
from club.server.registry import PICCOLO_APPS
from club.settings import Settings

DB = make_engine(Settings.from_env().database_url)

APP_REGISTRY = AppRegistry(
    apps=[f"{app}.piccolo_app" for app in PICCOLO_APPS]
)
