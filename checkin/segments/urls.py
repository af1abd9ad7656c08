"""Route paths of the saved segments and their sends."""

from __future__ import annotations

SEGMENTS = "/api/segments"
SEGMENT = "/api/segments/{segment_id:int}"
SEGMENT_PREVIEW = "/api/segments/{segment_id:int}/preview"
SEGMENT_SENDS = "/api/segments/{segment_id:int}/sends"
SEGMENT_INVITATIONS = "/api/segments/{segment_id:int}/invitations"
SEND = "/api/segment-sends/{send_id:int}"

CONSOLE_SEGMENTS = "/console/segments"
CONSOLE_SEGMENT = "/console/segments/{segment_id:int}"
CONSOLE_SEGMENT_SENDS = "/console/segments/{segment_id:int}/sends"
CONSOLE_SEGMENT_INVITATIONS = "/console/segments/{segment_id:int}/invitations"
