"""The segments' API, for coordinators only: save a segment, list them, preview one (how many
members it holds now and the first of them), send a message to one, and read a send's progress.

A send answers 201 when this request started it and 200 when its key had started it already
(a double click, a second coordinator): the same send, never a second one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from arq.connections import ArqRedis
from litestar import Controller, Request, Response, get, post

from checkin.measures.rules import MeasurePolicy
from checkin.segments import urls
from checkin.segments.schemas import InviteIn, SegmentIn, SegmentOut, SegmentPreview, SendIn, SendOut
from checkin.segments.services import (
    create_segment,
    get_segment,
    list_segments,
    preview_segment,
    send_out,
    start_invitation,
    start_send,
)
from club import clock
from club.auth import coordinator_only, principal_of
from club.settings import Settings

__all__ = ["SEGMENT_ROUTES", "SegmentsController"]


class SegmentsController(Controller):
    tags = ["segments"]
    guards = [coordinator_only]

    @post(urls.SEGMENTS, operation_id="createSegment",
          summary="Save a segment: tier, activity, no-show rate, last attended, language, points range")
    async def create(self, request: Request[Any, Any, Any], data: SegmentIn) -> SegmentOut:
        return await create_segment(data, principal_of(request).name, clock.now())

    @get(urls.SEGMENTS, operation_id="listSegments", summary="The saved segments, by name")
    async def list(self) -> list[SegmentOut]:
        return await list_segments()

    @get(urls.SEGMENT, operation_id="getSegment", summary="One saved segment")
    async def one(self, segment_id: int) -> SegmentOut:
        return await get_segment(segment_id)

    @get(urls.SEGMENT_PREVIEW, operation_id="previewSegment",
         summary="How many members a segment holds now, and the first ten of them")
    async def preview(self, settings: Settings, segment_id: int) -> SegmentPreview:
        return await preview_segment(segment_id, clock.now(), MeasurePolicy.of(settings).thresholds)

    @post(urls.SEGMENT_SENDS, operation_id="sendToSegment",
          summary="Send a message once to every member of a segment (the same key again is the same send)")
    async def send(
        self, request: Request[Any, Any, Any], settings: Settings, queue: ArqRedis, segment_id: int, data: SendIn,
    ) -> Response[SendOut]:
        sent, started = await start_send(
            segment_id, data, principal_of(request).name, clock.now(), MeasurePolicy.of(settings).thresholds,
        )
        if started:
            # The minute's sweep sends it too if Redis is away now.
            with contextlib.suppress(Exception):
                await queue.enqueue_job("deliver_segment_send", sent.id, _job_id=f"segment-send:{sent.id}")
        return Response(sent, status_code=201 if started else 200)

    @post(urls.SEGMENT_INVITATIONS, operation_id="inviteSegment",
          summary="Invite a segment's members to an event: each on its invitation list and sent its link once")
    async def invite(
        self, request: Request[Any, Any, Any], settings: Settings, queue: ArqRedis, segment_id: int, data: InviteIn,
    ) -> Response[SendOut]:
        me = principal_of(request)
        sent, started = await start_invitation(
            segment_id, data, me.name, me.user_id, clock.now(), MeasurePolicy.of(settings).thresholds,
        )
        if started:
            with contextlib.suppress(Exception):
                await queue.enqueue_job("deliver_segment_send", sent.id, _job_id=f"segment-send:{sent.id}")
        return Response(sent, status_code=201 if started else 200)

    @get(urls.SEND, operation_id="segmentSend", summary="A send to a segment: its members, sent, skipped, pending")
    async def send_state(self, send_id: int) -> SendOut:
        return await send_out(send_id)


SEGMENT_ROUTES: list[Any] = [SegmentsController]
