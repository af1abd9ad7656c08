"""The member's survey page, opened from the survey message without signing in: a 0-10 score
and an optional comment, sent once.

Public: the signed link is the credential (checkin.surveys.links), so the form needs no CSRF
token (a page elsewhere cannot know the link), the page is never cached nor sent on as a
referrer, and the path never reaches a log (club.log_redaction's /s/). Phone-sized, in the
member's language, in the shell of the club's small public pages (club.pages): system fonts,
light and dark, nothing from another host; every score a 44 px target with its number.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request, get, post
from litestar.response import Response

from checkin.surveys import urls
from checkin.surveys.answering import AlreadyAnswered, answer_survey, given_answer
from checkin.surveys.links import SurveyReader, open_survey_link
from checkin.surveys.rows import GivenAnswer
from checkin.surveys.rules import COMMENT_LIMIT, checked_answer, question_of
from club.errors import InvalidInput
from club.i18n.catalogs import gettext
from club.i18n.formats import date_time_text
from club.i18n.languages import Language, reader_language
from club.pages import page_document
from club.settings import Settings
from events.tables import EventKind

__all__ = ["SURVEY_PAGES", "answer_page", "survey_page"]

# The page's own parts: the scores in two rows of 44 px targets, the chosen one filled (and
# bold, so it is not told by colour alone); light and dark.
_STYLE = """
h1{font-family:"Songti SC","Noto Serif CJK SC",Georgia,serif;font-weight:normal;font-size:24px;margin:0 0 8px}
p{margin:0 0 16px}
.event{border-left:3px solid #8a6d3b;padding:4px 12px;margin:0 0 24px}
.event p{margin:0}
.muted,.hint{color:#5c5750;font-size:14px}
@media (prefers-color-scheme:dark){.muted,.hint{color:#b3ada4}fieldset,textarea,.score span{border-color:#444}}
fieldset{border:0;margin:0 0 16px;padding:0}
legend{font-weight:bold;padding:0;margin:0 0 12px}
.scores{display:grid;grid-template-columns:repeat(6,1fr);gap:8px}
.score{position:relative}
.score input{position:absolute;opacity:0;width:1px;height:1px}
.score span{display:flex;align-items:center;justify-content:center;min-height:48px;border:1px solid #ddd3c0;border-radius:6px;font-size:18px}
.score input:checked+span{background:#8a6d3b;border-color:#8a6d3b;color:#fff;font-weight:bold}
.score input:focus-visible+span{outline:3px solid #1a56c4;outline-offset:2px}
.ends{display:flex;justify-content:space-between;margin:8px 0 0}
label.comment{display:block;font-weight:bold;margin:0 0 8px}
textarea{box-sizing:border-box;width:100%;min-height:120px;font:inherit;padding:8px 12px;border:1px solid #ddd3c0;border-radius:6px;background:transparent;color:inherit}
.error{color:#a3271f;font-weight:bold;margin:8px 0 0}
@media (prefers-color-scheme:dark){.error{color:#f08a80}}
button{min-height:48px;width:100%;margin:8px 0 0;padding:8px 24px;font:inherit;border:1px solid #8a6d3b;border-radius:4px;background:#8a6d3b;color:#fff}
.given{font-size:32px;margin:0 0 8px}
"""

_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _respond(language: Language, body: str, status: int = 200) -> Response[str]:
    return Response(body, status_code=status, media_type="text/html", headers={**_HEADERS, "Content-Language": language.tag})


def _event_block(reader: SurveyReader) -> str:
    esc = html.escape
    return (
        f'<div class="event"><p><strong id="title">{esc(reader.title)}</strong></p>'
        f'<p class="muted" id="when">{esc(reader.when)} · {esc(reader.venue)}</p></div>'
    )


def form_html(reader: SurveyReader, score: str = "", comment: str = "", problem: InvalidInput | None = None) -> str:
    esc, lang = html.escape, reader.language
    heading = gettext(lang, "Satisfaction survey")
    field = str(problem.extra.get("field")) if problem else ""
    said = esc(problem.detail_in(lang)) if problem else ""

    def score_box(n: int) -> str:
        checked = " checked" if score == str(n) else ""
        described = ' aria-describedby="score-error"' if field == "score" else ""
        return (f'<label class="score"><input type="radio" name="score" value="{n}" id="score-{n}"{checked}{described}>'
                f"<span>{n}</span></label>")

    boxes = "".join(score_box(n) for n in range(11))
    score_error = f'<p class="error" id="score-error" role="alert">{said}</p>' if field == "score" else ""
    comment_error = f'<p class="error" id="comment-error" role="alert">{said}</p>' if field == "comment" else ""
    # A check-up's comment must carry nothing medical: the member is asked not to write it.
    hint = (
        gettext(lang, "Please write nothing about your health or your results here: the club keeps no medical information.")
        if reader.kind == EventKind.health_checkup else gettext(lang, "Optional. Only the club's coordinators read it.")
    )
    body = (
        f"<h1>{esc(heading)}</h1>"
        f"<p>{esc(gettext(lang, 'Dear {member_name}, thank you for joining us. Your answer takes a minute.', member_name=reader.member_name))}</p>"
        f"{_event_block(reader)}"
        f'<form method="post" novalidate>'
        f'<fieldset id="scores"><legend>{esc(gettext(lang, question_of(reader.kind)))}</legend>'
        f'<div class="scores">{boxes}</div>'
        f'<p class="ends hint"><span>{esc(gettext(lang, "0: not at all likely"))}</span>'
        f'<span>{esc(gettext(lang, "10: extremely likely"))}</span></p>{score_error}</fieldset>'
        f'<label class="comment" for="comment">{esc(gettext(lang, "Anything you would like to tell us"))}</label>'
        f'<p class="hint" id="comment-hint">{esc(hint)}</p>'
        f'<textarea id="comment" name="comment" maxlength="{COMMENT_LIMIT}" aria-describedby="comment-hint'
        f'{" comment-error" if field == "comment" else ""}">{esc(comment)}</textarea>{comment_error}'
        f'<button type="submit">{esc(gettext(lang, "Send my answer"))}</button></form>'
    )
    return page_document(lang, f"{heading} · {reader.title}", body, _STYLE)


def given_html(reader: SurveyReader, given: GivenAnswer, *, just_now: bool) -> str:
    """The member's answer as the club has it: just received, or given before."""
    esc, lang = html.escape, reader.language
    heading = gettext(lang, "Thank you for your answer") if just_now else gettext(lang, "You have already answered")
    state = (
        gettext(lang, "Your answer is received. The club reads every one.") if just_now
        else gettext(lang, "The club has your answer of {when}; a survey takes one answer.",
                     when=date_time_text(given.answered_at, reader.member_zone, lang))
    )
    comment = f'<p id="given-comment">{esc(given.comment)}</p>' if given.comment else ""
    body = (
        f'<h1>{esc(heading)}</h1><p role="status" id="state">{esc(state)}</p>'
        f'<p class="given" id="given-score">{given.score} / 10</p>{comment}{_event_block(reader)}'
    )
    return page_document(lang, f"{heading} · {reader.title}", body, _STYLE)


def invalid_html(language: Language) -> str:
    heading = gettext(language, "This survey link is no longer valid")
    text = gettext(language, "A survey link opens for 60 days after the event, for members who attended it.")
    return page_document(language, heading, f"<h1>{html.escape(heading)}</h1><p>{html.escape(text)}</p>", _STYLE)


async def _reader(request: Request[Any, Any, Any], signed: str, settings: Settings) -> SurveyReader | Response[str]:
    reader = await open_survey_link(signed, settings)
    if reader is None:
        language = reader_language(None, request.headers.get("accept-language"), settings.club_locale)
        return _respond(language, invalid_html(language), 404)
    return reader


@get(urls.SURVEY_PAGE, include_in_schema=False)
async def survey_page(request: Request[Any, Any, Any], signed: str, settings: Settings) -> Response[str]:
    """The form, or the answer already given."""
    reader = await _reader(request, signed, settings)
    if isinstance(reader, Response):
        return reader
    given = await given_answer(reader.event_id, reader.member_id)
    if given is not None:
        return _respond(reader.language, given_html(reader, given, just_now=False))
    return _respond(reader.language, form_html(reader))


@post(urls.SURVEY_PAGE, status_code=200, include_in_schema=False)
async def answer_page(request: Request[Any, Any, Any], signed: str, settings: Settings) -> Response[str]:
    """The form sent: the answer stored once; a bad one is the form again with the problem beside
    its field (400), a second one the answer the club has (409)."""
    reader = await _reader(request, signed, settings)
    if isinstance(reader, Response):
        return reader
    form = await request.form()
    score, comment = str(form.get("score") or ""), str(form.get("comment") or "")
    try:
        checked_score, checked_comment = checked_answer(score, comment)
        given = await answer_survey(reader, checked_score, checked_comment)
    except InvalidInput as exc:
        return _respond(reader.language, form_html(reader, score, comment[:COMMENT_LIMIT * 2], exc), 400)
    except AlreadyAnswered as exc:
        return _respond(reader.language, given_html(reader, exc.given, just_now=False), 409)
    return _respond(reader.language, given_html(reader, given, just_now=True))


SURVEY_PAGES: list[Any] = [survey_page, answer_page]
