"""The rewards catalogue: what members spend their points on, and their redemptions of it."""
