"""reminder_delivery.sms_segments: how many SMS a free-text message took (issue 13)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T12:23:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reminder deliveries: the SMS segments a message took"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="reminders", description=DESCRIPTION)

    manager.add_column(
        table_class_name="ReminderDelivery",
        tablename="reminder_delivery",
        column_name="sms_segments",
        db_column_name="sms_segments",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
