"""Events: salons, trips, check-ups and fashion-week invitations, with eligibility, RSVPs and waitlists."""
