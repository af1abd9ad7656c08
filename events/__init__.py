"""Events, eligibility, RSVPs and waitlists (issue: events with tier-gated eligibility)."""
