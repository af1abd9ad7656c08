"""Trips: itineraries, travelers and documents, rooms, manifests, meeting-point check-in."""
