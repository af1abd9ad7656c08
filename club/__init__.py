"""The club core: members, tiers, the points ledger, accounts and roles, the app and its CLI."""
