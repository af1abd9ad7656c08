"""Route paths of the no-show gate's rule."""

from __future__ import annotations

NO_SHOW_RULE = "/api/no-show-rule"
CONSOLE_NO_SHOW_RULE = "/console/no-show-rule"
