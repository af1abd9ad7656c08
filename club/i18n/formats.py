"""Dates, times and numbers as each language writes them, naming the city when the clock is not the reader's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_skeleton, get_timezone_location
from babel.numbers import format_decimal

from club.i18n.catalogs import gettext
from club.i18n.languages import Language

__all__ = ["date_time_text", "number_text"]

# Chinese houses write the weekday in brackets: 2026年12月11日（周五）08:00. Babel's skeleton gives
# the same fields without the brackets, so Chinese has its own pattern and the rest follow CLDR.
_CHINESE_PATTERN = "y年M月d日（EEE）HH:mm"


def date_time_text(instant: datetime, place_zone: str, language: Language, reader_zone: str | None = None) -> str:
    """`instant` on the clock of the place, as `language` writes it; the place's city follows when
    the reader lives on another clock ("08:00（上海时间）"), so nobody reads a foreign time as theirs."""
    zone = ZoneInfo(place_zone)
    local = instant.astimezone(zone)
    if language in (Language.zh_hans, Language.zh_hant):
        text = format_datetime(local, _CHINESE_PATTERN, locale=language.value)
    else:
        # CLDR's own joint of a date and a time ("{1}, {0}" in English); the clock always 24-hour.
        joint = Locale.parse(language.value).datetime_formats["medium"]
        date = format_skeleton("yMMMEd", local, locale=language.value)
        time = format_skeleton("Hm", local, locale=language.value)
        text = str(joint).replace("{1}", date).replace("{0}", time)
    if reader_zone is None or reader_zone == place_zone:
        return text
    city = get_timezone_location(zone, locale=language.value, return_city=True)
    return gettext(language, "{when} ({city} time)", when=text, city=city)


def number_text(value: float, language: Language) -> str:
    return format_decimal(value, locale=language.value)
