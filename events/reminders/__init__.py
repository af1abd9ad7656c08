"""Reminder sequences: steps timed from an event, scheduled as rows, delivered once through arq."""
