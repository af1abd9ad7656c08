"""Health check-up programs: clinics, slots, bookings, the concierge sequence."""
