"""The member's card page (/card: their QR for a store's counter, linked from the home page) and the
store counter's page (/counter: staff type or scan a card; phone-sized, in the browser's language).

The counter page is public, like the door's: everything it does goes through the API with the
staff token, kept in the URL fragment or this device's storage, never sent to load the page.
"""

from __future__ import annotations

import base64
import html
import io
import json
from functools import lru_cache
from typing import Any

import qrcode
from litestar import Request, Response, get
from litestar.response import Template
from qrcode.constants import ERROR_CORRECT_M

from club.accounts import Principal
from club.auth import member_only, principal_of
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.pages import page_document
from club.settings import Settings
from club.visits import urls
from club.visits.cards import CardSigner
from club.visits.visiting import card_token
from club.web.home import HomeSection
from club.web.templates import page

__all__ = ["COUNTER_TEXTS", "HOME_SECTIONS", "PAGES", "counter_html"]


@lru_cache(maxsize=1024)
def card_qr(token: str) -> str:
    """The card's QR as a PNG data: URI, black on white with its quiet margin (as a ticket's)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(token)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@get(urls.CARD_PAGE, guards=[member_only], name="member-card")
async def card_page(request: Request[Any, Any, Any], settings: Settings) -> Template:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    token = await card_token(me.member_id, CardSigner(settings.secret_key))
    return page(request, "visits/card.html", token=token, qr=card_qr(token), name=me.name)


async def card_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    if me.member_id is None:
        return None
    return HomeSection("visits/home_section.html", order=35)


COUNTER_TEXTS = (
    N_("Store counter"),
    N_("Staff token"),
    N_("Save"),
    N_("Store code"),
    N_("Scan or type a member card"),
    N_("Count the visit"),
    N_("Visit points today"),
    N_("The staff token is not accepted."),
    N_("No answer; try again."),
    # The default ladder's tier names (club.ladder), in the glossary's words; a club's own names show as written.
    N_("Silver"),
    N_("Gold"),
    N_("Platinum"),
    N_("Diamond"),
)

_STYLE = """
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;padding:16px;max-width:480px;margin:0 auto;background:#faf8f5;color:#222}
h1{font-weight:normal;font-size:22px;margin:0 0 16px}
label{display:block;margin:12px 0 4px;font-size:15px}
input{width:100%;box-sizing:border-box;font-size:18px;padding:12px;border:1px solid #bbb;border-radius:8px}
button{margin-top:12px;width:100%;font-size:18px;padding:14px;border:0;border-radius:8px;background:#8c6d46;color:#fff}
#answer{margin-top:20px;padding:16px;border-radius:8px;font-size:18px;background:#eee}
#answer[data-result=earned]{background:#e3f1e3;color:#1d5c1d}
#answer[data-result=already_counted],#answer[data-result=cap_reached]{background:#fbf1dc;color:#6b4a00}
#answer[data-result=not_a_card],#answer[data-result=suspended],#answer[data-result=error]{background:#f8e1e1;color:#8a1f1f}
#answer .who{font-size:15px;margin-top:6px}
"""

_SCRIPT = """
const T = JSON.parse(document.getElementById("texts").textContent);
const $ = (id) => document.getElementById(id);
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("token")) { localStorage.setItem("counter-token", fragment.get("token")); history.replaceState(null, "", location.pathname + location.search); }
let token = localStorage.getItem("counter-token");
$("store").value = localStorage.getItem("counter-store") || "";
$("setup").hidden = !!token;
$("save-token").onclick = () => { token = $("staff-token").value.trim(); localStorage.setItem("counter-token", token); $("setup").hidden = true; };
$("store").onchange = () => localStorage.setItem("counter-store", $("store").value.trim());
function show(result, text, who) {
  const a = $("answer"); a.hidden = false; a.dataset.result = result;
  a.textContent = text;
  if (who) { const w = document.createElement("div"); w.className = "who"; w.textContent = who; a.appendChild(w); }
}
$("form").onsubmit = async (event) => {
  event.preventDefault();
  const code = $("card").value.trim(); const store = $("store").value.trim();
  if (!code || !store || !token) return;
  localStorage.setItem("counter-store", store);
  const nonce = crypto.getRandomValues(new Uint32Array(4)).join("-").slice(0, 60);
  try {
    const r = await fetch("/api/visits", { method: "POST", headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify({ token: code, store, nonce }) });
    const body = await r.json().catch(() => ({}));
    if (r.status === 401 || r.status === 403) { $("setup").hidden = false; show("error", T["The staff token is not accepted."]); return; }
    if (!r.ok) { show("error", body.detail || body.title || T["No answer; try again."]); return; }
    const who = body.member ? body.member.name + (body.member.tier ? " · " + (T[body.member.tier] || body.member.tier) : "") +
      (body.visit_points_today !== null ? " · " + T["Visit points today"] + " " + body.visit_points_today : "") : "";
    show(body.result, body.detail, who);
    $("card").value = ""; $("card").focus();
  } catch (e) { show("error", T["No answer; try again."]); }
};
"""


def counter_html(language: Language) -> str:
    def t(text: str) -> str:
        return html.escape(gettext(language, text))

    texts = json.dumps({text: gettext(language, text) for text in COUNTER_TEXTS}, ensure_ascii=False).replace("</", "<\\/")
    body = (
        f"<h1>{t('Store counter')}</h1>"
        f'<div id="setup" hidden><label for="staff-token">{t("Staff token")}</label>'
        f'<input id="staff-token" type="password" autocomplete="off"><button id="save-token" type="button">{t("Save")}</button></div>'
        f'<form id="form"><label for="store">{t("Store code")}</label><input id="store" autocapitalize="characters" autocomplete="off">'
        f'<label for="card">{t("Scan or type a member card")}</label>'
        f'<input id="card" autocapitalize="characters" autocomplete="off" autofocus>'
        f'<button type="submit">{t("Count the visit")}</button></form>'
        '<div id="answer" hidden role="status" aria-live="polite"></div>'
        f'<script type="application/json" id="texts">{texts}</script><script>{_SCRIPT}</script>'
    )
    return page_document(language, gettext(language, "Store counter"), body, _STYLE)


@get(urls.COUNTER_PAGE, include_in_schema=False, sync_to_thread=False)
def counter_page(request: Request[Any, Any, Any]) -> Response[str]:
    """Public, as the door's page: the staff token stays on the device (see the module)."""
    language = request_language(request)
    return Response(counter_html(language), media_type="text/html", headers={"Content-Language": language.tag})


PAGES: list[Any] = [card_page]
PUBLIC_PAGES: list[Any] = [counter_page]
HOME_SECTIONS: list[Any] = [card_section]
