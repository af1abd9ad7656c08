"""Spend at the club's boutiques: receipts and refunds from the till (and coordinators' CSV
imports) earning points through the ledger, and each member's spend over the last twelve months."""
