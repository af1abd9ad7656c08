"""Year-end rewards and the birthday gift: what the club gives its members once a year."""
