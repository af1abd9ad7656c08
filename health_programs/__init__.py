"""Health check-up programs, clinic slots and the concierge sequence (later issue)."""
