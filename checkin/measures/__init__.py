"""What the club measures: attendance, no-shows, cancellations and the waitlist per event and per
kind of event, a member's record, and members grouped as active, cooling or dormant.

It lives in checkin, not events, because every measure counts who came through the door
(checkin's check-ins and no-shows) beside the RSVPs (events) and the ledger (club); its own
subpackage so the door's modules and these read each other only through the tables. The
services take a `Period` and return typed rows, so the console, the API and a later monthly
report ask the same questions of the same SQL.
"""
