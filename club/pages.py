"""The shell of the club's small public pages (a ticket, message preferences, an unsubscribe):
opened from a message without signing in, phone-sized, in the reader's language, with system
fonts only (CJK first, DESIGN.md), light and dark, and nothing loaded from another host.

Each page gives only its content and the CSS of its own parts; the shell writes the document,
its head and the common style, and escapes the title.
"""

from __future__ import annotations

import html

from club.i18n.languages import Language

__all__ = ["page_document"]

_BASE_STYLE = """
:root{color-scheme:light dark}
body{margin:0;font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",-apple-system,"Segoe UI",sans-serif;
background:#fbf8f2;color:#1a1a1a;line-height:1.6}
@media (prefers-color-scheme:dark){body{background:#141414;color:#eee}}
main{max-width:420px;margin:0 auto;padding:24px 16px}
"""


def _style(language: Language, own: str) -> str:
    """Traditional Chinese takes the TC faces of the same families (their glyphs differ)."""
    style = _BASE_STYLE + own
    if language is Language.zh_hant:
        return style.replace(" SC", " TC").replace("Microsoft YaHei", "Microsoft JhengHei")
    return style


def page_document(language: Language, title: str, body: str, style: str = "") -> str:
    """The whole page: `body` (already escaped HTML) in its <main>, `style` after the common one."""
    return (
        f'<!DOCTYPE html><html lang="{language.tag}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">'
        f"<title>{html.escape(title)}</title><style>{_style(language, style)}</style></head><body><main>{body}</main></body></html>"
    )
