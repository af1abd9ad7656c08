"""Satisfaction surveys (满意度回访): after an event, a check-up or a trip, each member who came
through the door answers a 0-10 score and a comment once, from a signed link a reminder step
carries; the answers summed per event, per kind and per quarter for the coordinators.

In checkin beside its measures: who may answer is who checked in, and the summaries stand on
the measures' pages. The reminders (events, below) send the step; they ask this package for each
member's link through their hook (events.reminders.surveys), set by the wiring.
"""
