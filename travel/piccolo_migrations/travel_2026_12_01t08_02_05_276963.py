"""Passport numbers sealed, step 1: the column that holds them encrypted (the next migration
fills it and drops the plain-text column)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T08:02:05:276963"
VERSION = "1.38.0"
DESCRIPTION = "travel document: column for the sealed passport number"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="travel", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="TravelDocument",
        tablename="trip_travel_document",
        column_name="passport_number_sealed",
        db_column_name="passport_number_sealed",
        column_class_name="Text",
        column_class=Text,
        params={
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

    return manager
