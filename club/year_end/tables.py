"""Tables of the year-end rewards and the birthday gift.

`year_end_rule` is the club's table of rows (a minimum balance, then a voucher worth a percent of
the year's balance or a reward of the catalogue). `year_end_award` is one member's reward for one
year, unique on (member, year) (an index made by its migration), so the one statement that gives
a year's rewards (club.year_end.awarding) gives each member theirs once however often, and however
concurrently, it runs. An award copies what its row said, so a row changed later never changes a
reward already given. `birthday_gift_setting` is one row: the reward members receive free with
their birthday points (none: no gift); the gift itself is a redemption of price 0 (club.rewards).
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete

from club.rewards.tables import Reward
from club.table import Table
from club.tables import Member, User

__all__ = ["BirthdayGiftSetting", "YearEndAward", "YearEndRuleRow"]


class YearEndRuleRow(Table, tablename="year_end_rule"):
    min_balance = Integer(unique=True)  # at least 1; the row applies up to the next row's minimum
    kind = Varchar(length=16)  # club.year_end.rules.RuleKind
    percent_bp = Integer(null=True, default=None)  # hundredths of a percent: 300 is 3%
    currency = Varchar(length=3, default="CNY")  # a percent voucher's currency
    reward = ForeignKey(Reward, null=True, default=None, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class YearEndAward(Table, tablename="year_end_award"):
    member = ForeignKey(Member, index=True)
    year = Integer()
    rule = ForeignKey(YearEndRuleRow, null=True, default=None, on_delete=OnDelete.set_null)
    balance = Integer()  # the member's balance at the year's end, which chose the row
    min_balance = Integer()  # the row as it was: its minimum, kind, percent, currency, reward
    kind = Varchar(length=16)
    percent_bp = Integer(null=True, default=None)
    value = Integer(null=True, default=None)  # a percent voucher's worth, whole units of `currency`
    currency = Varchar(length=3, default="")
    reward = ForeignKey(Reward, null=True, default=None, on_delete=OnDelete.restrict)
    # What the member shows at the boutique (club.rewards.codes' alphabet): random, unguessable.
    voucher_code = Varchar(length=32, unique=True)
    created_at = Timestamptz()
    # When the member's message was handed to a channel (events.year_end_messages); null: not yet.
    told_at = Timestamptz(null=True, default=None)


class BirthdayGiftSetting(Table, tablename="birthday_gift_setting"):
    reward = ForeignKey(Reward, null=True, default=None, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
