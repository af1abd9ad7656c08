"""Route paths of the reminders API, in one place so tests and links never spell them out."""

from __future__ import annotations

SEQUENCES = "/api/reminder-sequences"
SEQUENCE = "/api/reminder-sequences/{sequence_id:int}"
EVENT_SEQUENCES = "/api/events/{event_id:int}/reminder-sequences"
EVENT_SEQUENCE = "/api/events/{event_id:int}/reminder-sequences/{sequence_id:int}"
EVENT_REMINDERS = "/api/events/{event_id:int}/reminders"
KIND_DEFAULTS = "/api/reminder-defaults"
KIND_DEFAULT = "/api/reminder-defaults/{kind:str}"
OUTBOX = "/api/reminder-outbox"
CALL_TASKS = "/api/call-tasks"
CALL_TASK_OUTCOME = "/api/call-tasks/{task_id:int}/outcome"
# A member's own choice of channels per kind of message, and the one-click unsubscribe (RFC
# 8058) an optional e-mail names in List-Unsubscribe: public, the signed link is the credential.
MESSAGE_PREFERENCES = "/api/me/message-preferences"
UNSUBSCRIBE = "/u/{signed:str}"
# The page an e-mail's footer links to: the member's channels per kind, opened with a signed link
# (events.reminders.preferences_page), no sign-in.
PREFERENCES_PAGE = "/p/{signed:str}"
