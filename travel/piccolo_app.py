"""Piccolo app of travel: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from travel.tables import ItineraryItem, Room, RoomOccupant, TravelDocument, Traveler

APP_CONFIG = AppConfig(
    app_name="travel",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[ItineraryItem, Traveler, TravelDocument, Room, RoomOccupant],
    migration_dependencies=["events.reminders.piccolo_app", "checkin.piccolo_app"],
    commands=[],
)
