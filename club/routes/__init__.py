"""The club core's own controllers: members, tiers, me, accounts, health (the route list is club.server.routes)."""
