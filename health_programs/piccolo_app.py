"""Piccolo app of health_programs: its tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from health_programs.tables import (
    Clinic,
    ClinicSlot,
    HealthAccessAudit,
    HealthBooking,
    HealthProgram,
    HealthReinvitation,
    ProgramTier,
)

APP_CONFIG = AppConfig(
    app_name="health_programs",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[HealthProgram, ProgramTier, Clinic, ClinicSlot, HealthBooking, HealthReinvitation, HealthAccessAudit],
    migration_dependencies=["events.reminders.piccolo_app", "checkin.piccolo_app"],
    commands=[],
)
