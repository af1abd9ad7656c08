"""Languages: which one a reader gets, the catalogs that hold every text, and locale formats.

- `languages`: the club's languages and the choice among them (a member's own, Accept-Language,
  the club default), from BCP 47 tags as browsers and phones send them;
- `catalogs`: gettext catalogs (Babel's `.po` files in `catalogs/`), one per language;
- `formats`: dates, times and numbers as each language writes them.
"""
