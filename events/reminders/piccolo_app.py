"""Piccolo app of reminder sequences: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from events.reminders.tables import (
    CallTask,
    EventReminderSequence,
    KindDefaultSequence,
    MessagePreference,
    ReminderDelivery,
    ReminderMessage,
    ReminderSequence,
    ReminderStep,
    ScheduledReminder,
)

APP_CONFIG = AppConfig(
    app_name="reminders",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        ReminderSequence,
        ReminderStep,
        EventReminderSequence,
        KindDefaultSequence,
        ScheduledReminder,
        ReminderDelivery,
        ReminderMessage,
        CallTask,
        MessagePreference,
    ],
    migration_dependencies=["events.piccolo_app"],
    commands=[],
)
