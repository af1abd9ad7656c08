"""The no-show gate: a club rule that sends a member with too many no-shows lately to the
waitlist instead of a seat, and tells them why."""
