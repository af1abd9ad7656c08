"""Honours: leaderboards by period that members choose to appear on, and the points to the next tier."""
