"""Paths of the sign-in and session pages, the pages' static files and the sessions API."""

from __future__ import annotations

from club.tables import Role

HOME = "/"
SIGN_IN = "/sign-in"
SIGN_IN_CODE = "/sign-in/code"
# The e-mail's sign-in link: a one-time secret in the path (club.log_redaction keeps it out of logs).
SIGN_IN_LINK = "/sign-in-link/{secret:str}"
SIGN_OUT = "/sign-out"
SESSIONS_PAGE = "/sessions"
# Where door staff land when they sign in: today's events and their door pages (checkin serves it).
DOOR_TODAY = "/door"
SESSION_PAGE_REVOKE = "/sessions/{session_id:int}/revoke"
STATIC = "/static"
# At the root, so that the worker may keep any page of the site (a ticket) for offline use.
SERVICE_WORKER = "/sw.js"

# The coordinators' console (club.web.console).
CONSOLE = "/console"

MY_SESSIONS = "/api/me/sessions"
MEMBER_SESSIONS = "/api/members/{member_id:int}/sessions"
SESSION = "/api/sessions/{session_id:int}"

# Each role's own start: where signing in leads when no page asked for it, and where the club's
# name in a page's header points.
ROLE_STARTS = {Role.member: HOME, Role.staff: DOOR_TODAY, Role.coordinator: CONSOLE}
