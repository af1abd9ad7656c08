"""QR tickets and door check-in (issue: QR check-in at the door)."""
