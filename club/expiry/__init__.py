"""Points expiry: the club's rule, the expiry runs over the ledger, and members' reminders (issue 17)."""
