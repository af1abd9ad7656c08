"""The leaderboards: each board one aggregate over the period's rows with a LIMIT, of the members
who chose to appear, and where the reader stands on it (even when not among those shown).

Attendance lives in checkin's tables, a layer above this one: checkin declares its rows as SQL
(`provide_attendance_rows`, filled by the app's wiring), which the board's statement reads as a
subquery the database flattens. Ranks follow club.honours.rules.ranks_with_ties: equal scores
share a rank, and a rank is 1 + how many opted-in members scored more; within a tie the member
who joined the club first comes first in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from club import clock
from club.honours.rules import Board, Period, period_bounds, ranks_with_ties
from club.rows import Row, row_as, rows_as
from club.tables import Member, PointsReason

__all__ = [
    "EARNING_REASONS",
    "BoardLine",
    "Leaderboard",
    "MyStanding",
    "leaderboard",
    "provide_attendance_rows",
]

# Points earned: what the member did earns these. Adjustments, returns of a redemption, refunds
# and expiry are bookkeeping, not earning, and stay off the board.
EARNING_REASONS: tuple[PointsReason, ...] = (
    PointsReason.attendance, PointsReason.referral, PointsReason.birthday, PointsReason.visit, PointsReason.spend,
)

# Each source gives rows (member, item, at, amount): a board counts distinct items or sums amounts.
_POINTS_ROWS = (
    "SELECT member, id AS item, created_at AS at, delta AS amount FROM points_entry WHERE delta > 0 AND reason IN ("
    + ", ".join(f"'{r.value}'" for r in EARNING_REASONS) + ")"
)
_sources: dict[Board, str] = {Board.points: _POINTS_ROWS}


def provide_attendance_rows(sql: str) -> None:
    """checkin's standing check-ins as (member, item: the event, at, amount) rows."""
    _sources[Board.attendance] = sql


def _score(board: Board) -> str:
    return "COUNT(DISTINCT s.item)" if board is Board.attendance else "SUM(s.amount)"


def _source(board: Board) -> str:
    try:
        return _sources[board]
    except KeyError:
        raise RuntimeError(f"no rows provided for the {board.value} board (club.server.wiring)") from None


def _board_sql(board: Board) -> str:
    return (
        f"SELECT s.member AS member, h.display_name AS display_name, {_score(board)} AS score "
        f"FROM ({_source(board)}) s JOIN honours_profile h ON h.member = s.member AND h.opted_in = {{}} "
        "WHERE s.at >= {} AND s.at < {} "
        "GROUP BY s.member, h.display_name ORDER BY score DESC, s.member LIMIT {}"
    )


def _mine_sql(board: Board) -> str:
    return f"SELECT {_score(board)} AS score FROM ({_source(board)}) s WHERE s.member = {{}} AND s.at >= {{}} AND s.at < {{}}"


def _standing_sql(board: Board) -> str:
    # How many opted-in members have a score in the period, and how many of them scored more than the reader.
    return (
        "SELECT COUNT(*) AS ranked, COALESCE(SUM(CASE WHEN x.score > {} THEN 1 ELSE 0 END), 0) AS higher FROM ("
        f"SELECT s.member AS member, {_score(board)} AS score "
        f"FROM ({_source(board)}) s JOIN honours_profile h ON h.member = s.member AND h.opted_in = {{}} "
        "WHERE s.at >= {} AND s.at < {} GROUP BY s.member) x"
    )


class _LineRow(Row, frozen=True):
    member: int
    display_name: str
    score: int


class _ScoreRow(Row, frozen=True):
    score: int | None


class _StandingRow(Row, frozen=True):
    ranked: int
    higher: int


@dataclass(frozen=True, slots=True)
class BoardLine:
    rank: int
    member_id: int
    display_name: str
    score: int


@dataclass(frozen=True, slots=True)
class MyStanding:
    """Where the reader stands: their score and the rank it holds among the opted-in members
    (None while they scored nothing), whether they appear, and whether the list shows them."""

    score: int
    rank: int | None
    opted_in: bool
    listed: bool


@dataclass(frozen=True, slots=True)
class Leaderboard:
    board: Board
    period: Period
    starts_at: datetime
    ends_at: datetime
    lines: list[BoardLine]
    ranked: int  # opted-in members with a score in the period
    me: MyStanding | None


async def _opted_in(member_id: int) -> bool:
    rows = await Member.raw("SELECT opted_in FROM honours_profile WHERE member = {}", member_id)
    return bool(rows and rows[0]["opted_in"])


async def leaderboard(
    board: Board, period: Period, zone: ZoneInfo, *, limit: int = 10, reader: int | None = None,
) -> Leaderboard:
    """The board of the period holding now on the club's clock, its first `limit` lines, and the
    reader's standing when a member reads it."""
    start, end = period_bounds(period, clock.now(), zone)
    found = rows_as(_LineRow, await Member.raw(_board_sql(board), True, start, end, limit))
    ranks = ranks_with_ties([line.score for line in found])
    lines = [BoardLine(rank, f.member, f.display_name, int(f.score)) for rank, f in zip(ranks, found, strict=True)]
    me = None
    score = 0
    if reader is not None:
        mine = await Member.raw(_mine_sql(board), reader, start, end)
        score = int(row_as(_ScoreRow, mine[0]).score or 0) if mine else 0
    standing = row_as(_StandingRow, (await Member.raw(_standing_sql(board), score, True, start, end))[0])
    if reader is not None:
        me = MyStanding(
            score=score, rank=standing.higher + 1 if score > 0 else None, opted_in=await _opted_in(reader),
            listed=any(line.member_id == reader for line in lines),
        )
    return Leaderboard(board, period, start, end, lines, standing.ranked, me)
