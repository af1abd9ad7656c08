"""points_entry.told_at: when a member was told of an entry (a birthday award's greeting).

The awards made before are marked told, and the greeting job's index made, by the next
migration (Piccolo runs a migration's raw steps before its added columns).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T12:29:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "points entries: told_at, for birthday greetings"

async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    manager.add_column(
        table_class_name="PointsEntry",
        tablename="points_entry",
        column_name="told_at",
        db_column_name="told_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
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
