"""Tests of the club package: members, tiers, the points ledger, accounts and the wiring in club.server."""
