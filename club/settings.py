"""The service's settings, read once from environment variables into one typed object."""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from club.i18n.languages import Language, language_of

__all__ = ["RatePolicy", "Settings", "SettingsError"]


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot run with."""


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """At most `limit` counted requests per `window_s` seconds (club.rate_limit counts them)."""

    name: str
    limit: int
    window_s: int

    @classmethod
    def parse(cls, name: str, text: str) -> RatePolicy:
        """ "60/60" is 60 per 60 seconds."""
        count, _, seconds = text.partition("/")
        if not (count.strip().isdigit() and seconds.strip().isdigit()) or int(count) < 1 or int(seconds) < 1:
            raise SettingsError(f"a rate limit is written like 60/60 (requests/seconds), not {text!r}")
        return cls(name, int(count), int(seconds))


FAILED_AUTH_RATE_LIMIT = RatePolicy("failed-auth", 60, 60)
SCAN_RATE_LIMIT = RatePolicy("scans", 600, 30)
SIGN_IN_RATE_LIMIT = RatePolicy("sign-in", 10, 600)
SIGN_IN_ADDRESS_RATE_LIMIT = RatePolicy("sign-in-address", 5, 3600)


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    # None means "embedded": `club serve` starts a Redis server of its own.
    redis_url: str | None
    secret_key: str
    public_base_url: str
    club_time_zone: str
    club_name: str = "Maison Club"
    # The language of whoever has none of their own (club.i18n): most clubs write Chinese.
    club_locale: Language = Language.zh_hans
    # Earlier values of secret_key, newest first: sealed data (passport numbers) still opens
    # under them until `club reseal` has rewritten it under secret_key (SECRET_KEY_PREVIOUS).
    previous_secret_keys: tuple[str, ...] = ()
    # Reminder channels. With no SMTP host and no SMS gateway (embedded mode), messages land in
    # the reminder outbox that coordinators read through the API.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "club@localhost"
    # Where members' replies go (Reply-To); None: to smtp_from.
    smtp_reply_to: str | None = None
    # The ORGANIZER of the invites e-mails carry: a person or desk members may write to.
    # None: the club's name and smtp_from.
    calendar_organizer_name: str | None = None
    calendar_organizer_email: str | None = None
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = None
    # Mainland gateways send only templates filed with them: a message kind named here goes as
    # its template id and parameters, signed with sms_signature (SMS_TEMPLATES, JSON
    # {"kind": "template id"}; SMS_SIGNATURE); any other kind goes as its text.
    sms_templates: Mapping[str, str] = field(default_factory=dict)
    sms_signature: str = ""
    # The country of a phone number written without its code ("138 0013 8000"), ISO 3166.
    club_phone_region: str = "CN"
    # The club's night, applied in each member's own zone.
    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "08:00"
    # A send claimed by a worker is its own this long; longer than the job timeout, so a live
    # worker never loses a slow send, while one killed mid-send gives it up.
    reminder_send_lease_s: float = 150.0
    # Reminders due within this window are queued in arq; later ones stay rows until then.
    reminder_horizon_s: float = 6 * 3600.0
    # Rate limits (club.rate_limit), set so that no legitimate client meets them: failed bearer
    # tokens per client address; scans per device token (a door scans fast, in bursts); the
    # sign-in pages, per client address.
    failed_auth_rate_limit: RatePolicy = FAILED_AUTH_RATE_LIMIT
    scan_rate_limit: RatePolicy = SCAN_RATE_LIMIT
    sign_in_rate_limit: RatePolicy = SIGN_IN_RATE_LIMIT
    # Codes sent to one address (a member's phone or e-mail): a stranger cannot flood them.
    sign_in_address_rate_limit: RatePolicy = SIGN_IN_ADDRESS_RATE_LIMIT
    # The member pages (club.web): the club's one accent colour (CLUB_ACCENT), how long a sign-in
    # code lives and how many tries it takes, how long an unused session stays open.
    club_accent: str = "#8c6d46"
    sign_in_code_minutes: int = 10
    sign_in_code_tries: int = 5
    session_idle_days: int = 30
    # Referrals (club.referrals): when a referred member earns their referrer points, and how
    # many. "first_attendance" (their first admission at a door) or "enrolment" (on joining).
    referral_award_on: str = "first_attendance"
    referral_points: int = 500
    # club.locking: how long a transaction waits for a row lock on PostgreSQL before the
    # request is answered 503 busy (LOCK_TIMEOUT_MS).
    lock_timeout_s: float = 3.0
    # What the club measures (checkin.measures): a member's cancellation this many hours or fewer
    # before the start is late (LATE_CANCELLATION_HOURS). A member is active who came within
    # SEGMENT_ACTIVE_DAYS and at least SEGMENT_ACTIVE_VISITS times within SEGMENT_WINDOW_DAYS,
    # dormant who never came or not within SEGMENT_DORMANT_DAYS, cooling in between.
    late_cancellation_hours: int = 48
    segment_active_days: int = 90
    segment_active_visits: int = 2
    segment_window_days: int = 365
    segment_dormant_days: int = 180
    # Spend at the boutiques (club.spend): the points a receipt earns per unit of each currency
    # the tills take (SPEND_POINTS_PER_UNIT, "CNY=1,HKD=1,EUR=8"); a receipt in any other is refused.
    spend_points_per_unit: Mapping[str, Decimal] = field(default_factory=lambda: {"CNY": Decimal(1)})
    # Visits to the boutiques (club.visits): the points a member's card earns when scanned at a
    # store, once per store per day (VISIT_POINTS), and the most visits earn a member in one day
    # across every store (VISIT_DAILY_CAP; 0 turns visit points off).
    visit_points: int = 50
    visit_daily_cap: int = 100
    # A member's own bonus day, one date a year they choose (club.multipliers): its factor in per
    # mille (OWN_BONUS_DAY_FACTOR as a decimal, "2"; "1" turns it off) and the kinds of earning it
    # multiplies (OWN_BONUS_DAY_KINDS, "attendance,visit,spend").
    own_bonus_day_factor: int = 2000
    own_bonus_day_kinds: str = "attendance,visit,spend"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.club_time_zone)

    def with_redis(self, redis_url: str) -> Settings:
        return replace(self, redis_url=redis_url)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("CLUB_DATA_DIR", "data")).resolve()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'club.sqlite3'}"
        if not database_url.startswith(("sqlite:///", "postgres://", "postgresql://")):
            raise SettingsError(
                "DATABASE_URL must start with sqlite:///, postgres:// or postgresql://"
            )
        time_zone = env.get("CLUB_TIME_ZONE", "Europe/Paris")
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"CLUB_TIME_ZONE {time_zone!r} is not an IANA time zone") from exc
        club_locale = language_of(env.get("CLUB_LOCALE") or Language.zh_hans.tag)
        if club_locale is None:
            languages = ", ".join(language.tag for language in Language)
            raise SettingsError(f"CLUB_LOCALE {env.get('CLUB_LOCALE')!r} is not a language the club writes ({languages})")
        active_days = _int(env, "SEGMENT_ACTIVE_DAYS", 90, minimum=1)
        window_days = _int(env, "SEGMENT_WINDOW_DAYS", 365, minimum=1)
        dormant_days = _int(env, "SEGMENT_DORMANT_DAYS", 180, minimum=1)
        if not active_days <= dormant_days or not active_days <= window_days:
            raise SettingsError("SEGMENT_ACTIVE_DAYS may not be longer than SEGMENT_DORMANT_DAYS or SEGMENT_WINDOW_DAYS")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or None,
            secret_key=env.get("SECRET_KEY") or _local_secret_key(data_dir),
            previous_secret_keys=tuple(env.get("SECRET_KEY_PREVIOUS", "").replace(",", " ").split()),
            public_base_url=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            club_time_zone=time_zone,
            club_name=env.get("CLUB_NAME", "Maison Club"),
            club_locale=club_locale,
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=_int(env, "SMTP_PORT", 587),
            smtp_user=env.get("SMTP_USER") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_from=env.get("SMTP_FROM", "club@localhost"),
            smtp_reply_to=env.get("SMTP_REPLY_TO") or None,
            calendar_organizer_name=env.get("CALENDAR_ORGANIZER_NAME") or None,
            calendar_organizer_email=env.get("CALENDAR_ORGANIZER_EMAIL") or None,
            sms_gateway_url=env.get("SMS_GATEWAY_URL") or None,
            sms_gateway_token=env.get("SMS_GATEWAY_TOKEN") or None,
            sms_templates=_templates(env, "SMS_TEMPLATES"),
            sms_signature=env.get("SMS_SIGNATURE", ""),
            club_phone_region=_region(env, "CLUB_PHONE_REGION", "CN"),
            quiet_hours_start=_clock(env, "QUIET_HOURS_START", "21:00"),
            quiet_hours_end=_clock(env, "QUIET_HOURS_END", "08:00"),
            reminder_send_lease_s=float(_int(env, "REMINDER_SEND_LEASE_S", 150)),
            reminder_horizon_s=float(_int(env, "REMINDER_HORIZON_S", 6 * 3600)),
            failed_auth_rate_limit=_rate(env, "RATE_LIMIT_FAILED_AUTH", FAILED_AUTH_RATE_LIMIT),
            scan_rate_limit=_rate(env, "RATE_LIMIT_SCANS", SCAN_RATE_LIMIT),
            sign_in_rate_limit=_rate(env, "RATE_LIMIT_SIGN_IN", SIGN_IN_RATE_LIMIT),
            sign_in_address_rate_limit=_rate(env, "RATE_LIMIT_SIGN_IN_ADDRESS", SIGN_IN_ADDRESS_RATE_LIMIT),
            club_accent=_colour(env.get("CLUB_ACCENT") or "#8c6d46"),
            referral_award_on=_choice(env, "REFERRAL_AWARD_ON", "first_attendance", ("first_attendance", "enrolment")),
            referral_points=_int(env, "REFERRAL_POINTS", 500, minimum=0),
            lock_timeout_s=_int(env, "LOCK_TIMEOUT_MS", 3000, minimum=1) / 1000,
            late_cancellation_hours=_int(env, "LATE_CANCELLATION_HOURS", 48, minimum=0),
            segment_active_days=active_days,
            segment_active_visits=_int(env, "SEGMENT_ACTIVE_VISITS", 2, minimum=1),
            segment_window_days=window_days,
            segment_dormant_days=dormant_days,
            spend_points_per_unit=_spend_rates(env, "SPEND_POINTS_PER_UNIT", "CNY=1"),
            visit_points=_int(env, "VISIT_POINTS", 50, minimum=0),
            visit_daily_cap=_int(env, "VISIT_DAILY_CAP", 100, minimum=0),
            own_bonus_day_factor=_own_day_factor(env.get("OWN_BONUS_DAY_FACTOR") or "2"),
            own_bonus_day_kinds=_own_day_kinds(env.get("OWN_BONUS_DAY_KINDS") or "attendance,visit,spend"),
        )


def _int(env: os._Environ[str] | dict[str, str], name: str, default: int, minimum: int | None = None) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def _own_day_factor(text: str) -> int:
    from club.multipliers.rules import ONE, permille_of

    if text.strip() in ("1", "1.0", "0"):
        return ONE  # off
    permille = permille_of(text)
    if isinstance(permille, int):
        return permille
    raise SettingsError(f"OWN_BONUS_DAY_FACTOR must be a decimal above 1 and at most 10, like 2, not {text!r}")


def _own_day_kinds(text: str) -> str:
    from club.multipliers.rules import MULTIPLIED_KINDS, kinds_text

    names = [k.strip() for k in text.split(",") if k.strip()]
    known = {k.value: k for k in MULTIPLIED_KINDS}
    if not names or any(n not in known for n in names):
        raise SettingsError(f"OWN_BONUS_DAY_KINDS names kinds of earning ({', '.join(sorted(known))}), not {text!r}")
    return kinds_text([known[n] for n in names])


def _spend_rates(env: os._Environ[str] | dict[str, str], name: str, default: str) -> dict[str, Decimal]:
    from club.spend.rules import EarningRates

    try:
        return dict(EarningRates.parse(env.get(name) or default).per_unit)
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}") from exc


def _templates(env: os._Environ[str] | dict[str, str], name: str) -> dict[str, str]:
    raw = env.get(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be JSON like {{\"reminder\": \"SMS_123\"}}: {exc}") from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()):
        raise SettingsError(f"{name} must map message kinds to template ids, like {{\"reminder\": \"SMS_123\"}}")
    return value


def _region(env: os._Environ[str] | dict[str, str], name: str, default: str) -> str:
    import phonenumbers

    raw = (env.get(name) or default).upper()
    if raw not in phonenumbers.SUPPORTED_REGIONS:
        raise SettingsError(f"{name} must be a country code like CN or FR, not {raw!r}")
    return raw


def _choice(env: os._Environ[str] | dict[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name) or default
    if raw not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _colour(text: str) -> str:
    """A CSS hex colour, as pages put it in their style (nothing else can reach a page's CSS)."""
    if re.fullmatch(r"#[0-9a-fA-F]{6}", text) is None:
        raise SettingsError(f"CLUB_ACCENT is a colour written like #8c6d46, not {text!r}")
    return text.lower()


def _rate(env: os._Environ[str] | dict[str, str], name: str, default: RatePolicy) -> RatePolicy:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return RatePolicy.parse(default.name, raw)
    except SettingsError as exc:
        raise SettingsError(f"{name}: {exc}") from exc


def _clock(env: os._Environ[str] | dict[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    if len(raw) != 5 or raw[2] != ":" or not (raw[:2] + raw[3:]).isdigit() or int(raw[:2]) > 23 or int(raw[3:]) > 59:
        raise SettingsError(f"{name} must be a clock time like 21:00, not {raw!r}")
    return raw


def _local_secret_key(data_dir: Path) -> str:
    """A key made once per data folder, so embedded mode needs no setup and survives restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
