"""Where the process learns every table and migration app it owns."""

from __future__ import annotations

from importlib import import_module

from piccolo.apps.migrations.tables import Migration
from piccolo.table import Table

__all__ = ["PICCOLO_APPS", "all_tables"]

# Order matters for migrations: an app comes after the apps its tables point to.
PICCOLO_APPS = ["club", "events", "checkin", "events.reminders", "events.shows", "health_programs", "travel", "club.rewards", "club.spend", "checkin.surveys", "checkin.segments", "club.visits", "club.honours", "club.year_end", "club.multipliers", "checkin.measures", "events.no_show_gate", "club.expiry"]


def all_tables() -> list[type[Table]]:
    tables: list[type[Table]] = [Migration]
    for app in PICCOLO_APPS:
        config = import_module(f"{app}.piccolo_app").APP_CONFIG
        tables.extend(config.table_classes)
    return tables
