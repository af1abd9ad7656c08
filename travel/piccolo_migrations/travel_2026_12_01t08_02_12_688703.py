"""Passport numbers sealed, step 2: every stored number is sealed under the club's current key
(club.sealing), then the plain-text column is dropped.

The sealing runs before the drop, in the migration's one transaction, so a failure leaves the
plain numbers where they were. Going backwards restores an empty plain-text column: numbers are
never written back in the clear by a migration.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T08:02:12:688703"
VERSION = "1.38.0"
DESCRIPTION = "travel document: passport numbers sealed, the plain-text column dropped"


async def seal_passport_numbers() -> None:
    from piccolo.columns import Serial, Text, Varchar
    from piccolo.table import Table

    from club.sealing import PASSPORT_NUMBER, sealer

    # The table as it stands between the two steps (the app's class no longer has the column).
    class Document(Table, tablename="trip_travel_document"):
        id = Serial(primary_key=True)
        passport_number = Varchar(length=40)
        passport_number_sealed = Text(default="")

    rows = await Document.select(Document.id, Document.passport_number).where(
        Document.passport_number_sealed == ""
    )
    if not rows:
        return  # a new club: no key needed
    box = sealer(PASSPORT_NUMBER)
    for row in rows:
        await Document.update({Document.passport_number_sealed: box.seal(row["passport_number"])}).where(
            Document.id == row["id"]
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="travel", description=DESCRIPTION)
    manager.add_raw(seal_passport_numbers)
    manager.drop_column(
        table_class_name="TravelDocument",
        tablename="trip_travel_document",
        column_name="passport_number",
        db_column_name="passport_number",
        schema=None,
    )
    return manager
