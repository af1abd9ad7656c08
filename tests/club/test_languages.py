"""Which language a reader gets, from the tags browsers and phones send, and the texts in it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from club.i18n.catalogs import gettext
from club.i18n.extraction import texts_in_code, untranslated
from club.i18n.formats import date_time_text
from club.i18n.languages import Language, from_accept_language, language_of, reader_language


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh-Hans-CN", Language.zh_hans),
        ("zh-CN", Language.zh_hans),
        ("zh", Language.zh_hans),
        ("zh-SG", Language.zh_hans),
        ("zh-TW", Language.zh_hant),
        ("zh-HK", Language.zh_hant),
        ("zh-MO", Language.zh_hant),
        ("zh-Hant", Language.zh_hant),
        ("zh_Hant", Language.zh_hant),
        ("en-GB", Language.en),
        ("fr-FR", None),
        ("not a tag", None),
        ("", None),
    ],
)
def test_a_tag_as_browsers_send_it_finds_its_language(tag: str, language: Language | None) -> None:
    assert language_of(tag) is language


def test_accept_language_follows_quality_and_skips_what_the_club_does_not_write() -> None:
    assert from_accept_language("fr-FR,fr;q=0.9,zh-TW;q=0.8,en;q=0.7") is Language.zh_hant
    assert from_accept_language("en;q=0.5, zh-CN") is Language.zh_hans
    assert from_accept_language("zh-CN;q=0, en") is Language.en
    assert from_accept_language("fr, de") is None


def test_the_members_own_language_comes_before_the_browser_and_the_club() -> None:
    assert reader_language("zh-Hant", "en", Language.zh_hans) is Language.zh_hant
    assert reader_language(None, "en-US,en", Language.zh_hans) is Language.en
    assert reader_language("fr", "de", Language.zh_hans) is Language.zh_hans


def test_a_time_on_another_clock_names_the_city_in_the_readers_language() -> None:
    eight_in_shanghai = datetime(2026, 12, 11, 0, 0, tzinfo=UTC)
    assert date_time_text(eight_in_shanghai, "Asia/Shanghai", Language.zh_hans, "Europe/Paris") == "2026年12月11日（周五）08:00（上海时间）"
    assert date_time_text(eight_in_shanghai, "Asia/Shanghai", Language.zh_hant, "Europe/Paris") == "2026年12月11日（週五）08:00（上海時間）"
    assert date_time_text(eight_in_shanghai, "Asia/Shanghai", Language.zh_hans, "Asia/Shanghai") == "2026年12月11日（周五）08:00"
    assert date_time_text(eight_in_shanghai, "Asia/Shanghai", Language.en, "Europe/Paris") == "Fri, Dec 11, 2026, 08:00 (Shanghai time)"


def test_placeholders_are_filled_after_translation() -> None:
    assert gettext(Language.zh_hant, "{when} ({city} time)", when="08:00", city="巴黎") == "08:00（巴黎時間）"
    assert gettext(Language.en, "{when} ({city} time)", when="08:00", city="Paris") == "08:00 (Paris time)"


@pytest.mark.parametrize("language", list(Language))
def test_every_text_the_code_uses_is_in_every_catalog(language: Language) -> None:
    assert untranslated(language, texts_in_code()) == []


def test_the_catalog_check_fails_on_a_text_no_catalog_has(tmp_path: Path) -> None:
    (tmp_path / "new_notice.py").write_text('notice = gettext(language, "Your table is ready")\n', encoding="utf-8")
    texts = texts_in_code([tmp_path])
    assert texts == {"Your table is ready"}
    assert untranslated(Language.zh_hans, texts) == ["Your table is ready"]


def test_the_club_language_is_a_setting_understood_as_browsers_write_it() -> None:
    from club.settings import Settings, SettingsError

    base = {"CLUB_DATA_DIR": "/tmp/club-language-test", "SECRET_KEY": "k"}
    assert Settings.from_env(base).club_locale is Language.zh_hans
    assert Settings.from_env({**base, "CLUB_LOCALE": "zh-TW"}).club_locale is Language.zh_hant
    with pytest.raises(SettingsError, match="CLUB_LOCALE 'fr'"):
        Settings.from_env({**base, "CLUB_LOCALE": "fr"})
