"""Route paths of the saved segments and their sends."""

from __future__ import annotations

SEGMENTS = "/api/segments"
SEGMENT = "/api/segments/{segment_id:int}"
SEGMENT_PREVIEW = "/api/segments/{segment_id:int}/preview"
SEGMENT_SENDS = "/api/segments/{segment_id:int}/sends"
SEND = "/api/segment-sends/{send_id:int}"
