"""Multipliers: a tier that earns more on chosen kinds, the club's bonus days and each member's own bonus day."""
