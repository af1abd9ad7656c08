from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T14:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "A tier may ask a yearly spend beside its points"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="club", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Tier",
        tablename="tier",
        column_name="spend_currency",
        db_column_name="spend_currency",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 3,
            "default": "",
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

    manager.add_column(
        table_class_name="Tier",
        tablename="tier",
        column_name="spend_threshold",
        db_column_name="spend_threshold",
        column_class_name="BigInt",
        column_class=BigInt,
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
