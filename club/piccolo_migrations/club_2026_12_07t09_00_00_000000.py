"""member.points_balance: the ledger's sum on the member's row; the next migration
(2026-12-07T09:01) keeps it, by a trigger on points_entry, and fills it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "member.points_balance (kept by the next migration's trigger)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Member",
        tablename="member",
        column_name="points_balance",
        db_column_name="points_balance",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
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
