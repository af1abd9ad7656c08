"""Saved segments (a named, typed query over the members) and one-off sends to a segment,
delivered once per member through the reminders' channels, minding preferences and the night."""
