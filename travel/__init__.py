"""Trips, travelers, rooms and fashion-week invitations (later issue)."""
