"""What an export includes: filters parsed from a query string or CLI options, validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from annotator.models import Layer, User

FORMATS = ("native", "spacy", "docbin", "doccano", "labelstudio", "labelstudio-config", "conll")
GROUPINGS = ("paragraph", "article")
#: Formats whose writer takes the per-article records of by=article; the others read paragraphs.
ARTICLE_SHAPED = ("native",)
#: until takes in its whole day, so the last day it can name is the one before date.max.
LAST_DAY = date.max - timedelta(days=1)
STATUSES = ("all", "done")
PREFERENCES = ("gold",)


class FilterError(ValueError):
    """A filter value that cannot be used; names the parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ExportFilters:
    """Everything that narrows an export. Empty annotators means every annotator."""

    format: str = "native"
    by: str = "paragraph"
    annotators: tuple[str, ...] = ()
    status: str = "all"
    layers: frozenset[str] = field(default_factory=lambda: frozenset(Layer))
    since: datetime | None = None
    until: datetime | None = None
    include_boilerplate: bool = False
    gold_only: bool = False
    #: "gold": an adjudicated article's gold annotations instead of its annotators' work.
    prefer: str | None = None
    #: K: one record per paragraph holding what at least K annotators agree on.
    majority: int | None = None

    def restricted_to(self, user: User, reviews: bool) -> ExportFilters:
        """Annotators see only their own work; those who review the project (admins,
        reviewers, and its members given the role reviewer) see everything, gold included."""
        if reviews:
            return self
        own = User.key_for(user.username)
        others = [name for name in self.annotators if User.key_for(name) != own]
        if others or self.gold_only or self.prefer == "gold":
            raise PermissionError("annotators can export only their own work")
        return replace(self, annotators=(user.username,))


def parse_filters(args: Mapping[str, str | list[str]]) -> ExportFilters:
    """Read filters from query parameters (or CLI options mapped to the same names).

    Every mistake is a FilterError here, before a byte is sent: a stream that breaks halfway
    reaches the user as a 200 with a truncated file.
    """
    filters = ExportFilters(
        format=_choice(args, "format", FORMATS, "native"),
        by=_choice(args, "by", GROUPINGS, "paragraph"),
        annotators=_names(args.get("annotator")),
        status=_choice(args, "status", STATUSES, "all"),
        layers=_layers(args.get("layers")),
        since=_day(args, "since", start=True),
        until=_day(args, "until", start=False),
        include_boilerplate=_flag(args, "boilerplate"),
        gold_only=_flag(args, "gold"),
        prefer=_choice(args, "prefer", PREFERENCES, "") or None,
        majority=_count(args, "majority"),
    )
    _check_together(filters)
    return filters


def _check_together(filters: ExportFilters) -> None:
    """Values that are fine alone but not in each other's company."""
    if filters.by == "article" and filters.format not in ARTICLE_SHAPED:
        raise FilterError(
            "by", f"only the {', '.join(ARTICLE_SHAPED)} format has one record per article"
        )
    if filters.since and filters.until and filters.since >= filters.until:
        raise FilterError("until", "must not be before since")
    if filters.majority is not None and (filters.gold_only or filters.prefer):
        other = "gold" if filters.gold_only else "prefer"
        raise FilterError("majority", f"cannot be combined with {other}: gold has one version")
    if filters.prefer and filters.gold_only:
        raise FilterError("prefer", "cannot be combined with gold, which exports only gold")


def _values(raw: str | list[str] | None) -> list[str]:
    items = raw if isinstance(raw, list) else [raw] if raw else []
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _single(args: Mapping[str, str | list[str]], name: str) -> str:
    values = _values(args.get(name))
    return values[-1] if values else ""


def _choice(
    args: Mapping[str, str | list[str]], name: str, allowed: tuple[str, ...], default: str
) -> str:
    value = _single(args, name) or default
    if value not in allowed and value != default:
        raise FilterError(name, f"must be one of {', '.join(allowed)}")
    return value


def _count(args: Mapping[str, str | list[str]], name: str) -> int | None:
    """A whole number of annotators, at least 1; absent is None."""
    value = _single(args, name)
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise FilterError(name, "must be a whole number of annotators, at least 1")
    return int(value)


def _names(raw: str | list[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_values(raw)))


def _layers(raw: str | list[str] | None) -> frozenset[str]:
    values = _values(raw)
    if not values:
        return frozenset(Layer)
    unknown = [v for v in values if v not in set(Layer)]
    if unknown:
        raise FilterError("layers", f"unknown layer {unknown[0]!r}; use entity, claim, sentiment")
    return frozenset(values)


def _day(args: Mapping[str, str | list[str]], name: str, start: bool) -> datetime | None:
    value = _single(args, name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FilterError(name, "must be a date like 2024-05-13") from None
    if day > LAST_DAY:
        raise FilterError(name, f"must be a date no later than {LAST_DAY.isoformat()}")
    moment = datetime.combine(day, time.min, tzinfo=UTC)
    return moment if start else moment + timedelta(days=1)


def _flag(args: Mapping[str, str | list[str]], name: str) -> bool:
    value = _single(args, name).lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise FilterError(name, "must be true or false")
