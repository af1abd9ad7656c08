"""Visits to the club's boutiques: a member's card (a signed QR on their member pages) scanned at a
store's counter earns points once per store per day, within a daily cap the club sets."""
