"""The base of every table: Piccolo's `Table`, with the `id` column it adds told to the type checker.

Piccolo gives each table a `Serial` primary key named `id` when the class is created, which a
type checker cannot see; without this every `Member.id` reads as an unknown attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from piccolo.table import Table as PiccoloTable

__all__ = ["Table"]

if TYPE_CHECKING:
    from piccolo.columns import Serial

    class Table(PiccoloTable):
        id: Serial

else:
    Table = PiccoloTable
