"""The member pages' common parts: sign-in by one-time code, browser sessions, the page shell
(Jinja2 templates in the member's language), CSRF and errors as pages.

Each domain keeps its own pages beside its routes (`events/pages.py`, …); what they share is here.
"""
