from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-01T09:24:46:851250"
VERSION = "1.38.0"
DESCRIPTION = "scheduled_reminder.status loses its plain index: the partial indexes on scheduled rows serve its filters"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="reminders", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="ScheduledReminder",
        tablename="scheduled_reminder",
        column_name="status",
        db_column_name="status",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
