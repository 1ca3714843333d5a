"""Typed records of a fact pack.

Plain Python on msgspec (a ~5 ms import) so that `check`, `show` and the tests never pay for Textual.
Every record type is strict: unknown fields and wrong types are errors, never silently dropped.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import Meta

#: A record id: lower-case slug, used in links, `--open` and `show`.
Id = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
NonEmpty = Annotated[str, Meta(min_length=1, max_length=2000)]

Status = Literal["announced", "pledged", "estimated", "claimed", "reported", "fact"]
STATUSES: tuple[str, ...] = ("announced", "pledged", "estimated", "claimed", "reported", "fact")

Bound = Literal["exact", "about", "at-least", "more-than", "at-most", "up-to", "range"]
Unit = Literal["USD", "EUR", "JPY", "percent", "jobs", "GW", "MW", "people", "count"]
Precision = Literal["day", "month", "year"]

_ISO = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
}
_PAD = {"day": "", "month": "-01", "year": "-01-01"}


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Base of every schema type: closed, immutable, keyword-only."""


class Text(_Strict, kw_only=True, frozen=True):
    """User-facing text in both languages of the product."""

    en: NonEmpty
    fr: NonEmpty

    def __post_init__(self) -> None:
        if not self.en.strip() or not self.fr.strip():
            raise ValueError("text must not be blank in either language")

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


#: A proper name: one string for both languages, or a Text where they differ.
Name = str | Text


def text_of(value: Name | None, lang: str) -> str:
    """The string to show for a name or text in `lang`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang)


class Source(_Strict, kw_only=True, frozen=True):
    """Where a record comes from: a paragraph of the article and a short verbatim quote of it."""

    paragraph: Annotated[int, Meta(ge=1)]
    quote: Annotated[str, Meta(min_length=3, max_length=300)]


class Background(_Strict, kw_only=True, frozen=True):
    """A fact that is not in the article (a resolved date, a correction) and what it rests on."""

    note: Text
    basis: Text


class Coordinates(_Strict, kw_only=True, frozen=True):
    """Always background: the article gives no coordinates."""

    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]
    basis: Text


class DateRef(_Strict, kw_only=True, frozen=True):
    """A date as the article states it ("mardi") and resolved to ISO 8601 where possible."""

    stated: Text
    iso: str | None = None
    precision: Precision = "day"
    approximate: bool = False
    basis: Text | None = None

    def __post_init__(self) -> None:
        if self.iso is not None:
            if not _ISO[self.precision].match(self.iso):
                raise ValueError(f"iso {self.iso!r} does not match precision {self.precision!r}")
            try:  # a real calendar date, not just the right shape
                datetime.date.fromisoformat(self.iso + _PAD[self.precision])
            except ValueError:
                raise ValueError(f"iso {self.iso!r} is not a valid date") from None
            if self.basis is None:
                raise ValueError("a resolved date needs a basis (background) saying how it was resolved")


def _finite(*numbers: float | None) -> None:
    """Every amount of the model is a finite number: YAML's `.inf` and `.nan` are floats too."""
    if any(x is not None and not math.isfinite(x) for x in numbers):
        raise ValueError("amounts must be finite numbers (not .nan or .inf)")


class Span(_Strict, kw_only=True, frozen=True):
    """A time span such as "over four years"."""

    amount: Annotated[float, Meta(gt=0)]
    unit: Literal["days", "weeks", "months", "years"]
    text: Text

    def __post_init__(self) -> None:
        _finite(self.amount)


class Value(_Strict, kw_only=True, frozen=True):
    """A typed quantity: an amount with a bound, or a range."""

    unit: Unit
    bound: Bound = "exact"
    amount: float | None = None
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        _finite(self.amount, self.low, self.high)
        if self.bound == "range":
            if self.low is None or self.high is None or self.amount is not None:
                raise ValueError("a range needs `low` and `high` and no `amount`")
            if self.low > self.high:
                raise ValueError("range `low` is greater than `high`")
        elif self.amount is None or self.low is not None or self.high is not None:
            raise ValueError(f"bound {self.bound!r} needs `amount` and no `low`/`high`")

    @property
    def upper(self) -> float:
        """The largest number the value allows (for charts)."""
        return self.high if self.bound == "range" else self.amount  # type: ignore[return-value]

    @property
    def lower(self) -> float:
        return self.low if self.bound == "range" else self.amount  # type: ignore[return-value]


class Record(_Strict, kw_only=True, frozen=True):
    """Fields shared by every record. `REFS` says which fields hold ids and of which kinds."""

    KIND: ClassVar[str] = "record"
    SECTION: ClassVar[str] = "records"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {}

    id: Id
    source: Source | Annotated[list[Source], Meta(min_length=1)]
    background: list[Background] = []
    related: list[Id] = []

    @property
    def sources(self) -> list[Source]:
        return self.source if isinstance(self.source, list) else [self.source]

    def title(self, lang: str) -> str:  # pragma: no cover - overridden by every kind
        return self.id

    def ref_ids(self) -> list[tuple[str, str]]:
        """Every (field, id) this record links to, in field order."""
        out: list[tuple[str, str]] = []
        for field in (*self.REFS, "related"):
            value = getattr(self, field)
            if value is None:
                continue
            for target in value if isinstance(value, list) else [value]:
                out.append((field, target))
        return out


_ANY: tuple[str, ...] = ()  # empty tuple: any kind of record
_ACTOR = ("person", "organisation")


class Organisation(Record, kw_only=True, frozen=True):
    KIND: ClassVar[str] = "organisation"
    SECTION: ClassVar[str] = "organisations"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {"country": ("place",), "leaders": ("person",)}

    name: Name
    kind: Literal["company", "fund", "government", "agency", "institution", "other"]
    role: Text
    summary: Text
    country: Id | None = None
    leaders: list[Id] = []

    def title(self, lang: str) -> str:
        return text_of(self.name, lang)


class Person(Record, kw_only=True, frozen=True):
    KIND: ClassVar[str] = "person"
    SECTION: ClassVar[str] = "people"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {"organisations": ("organisation",)}

    name: NonEmpty
    role: Text
    summary: Text
    organisations: list[Id] = []

    def title(self, lang: str) -> str:
        return self.name


class Place(Record, kw_only=True, frozen=True):
    KIND: ClassVar[str] = "place"
    SECTION: ClassVar[str] = "places"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {"within": ("place",)}

    name: Name
    kind: Literal["country", "region", "state", "city", "site", "building", "market"]
    role: Text
    summary: Text
    within: Id | None = None
    coordinates: Coordinates | None = None

    def title(self, lang: str) -> str:
        return text_of(self.name, lang)


class Figure(Record, kw_only=True, frozen=True):
    """A number of the story: money, a percentage, jobs, power."""

    KIND: ClassVar[str] = "figure"
    SECTION: ClassVar[str] = "figures"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {
        "stated_by": _ACTOR,
        "subjects": _ANY,
        "part_of": ("figure",),
        "in_addition_to": ("figure",),
    }

    label: Text
    value: Value
    status: Status
    summary: Text
    stated_by: Id | None = None
    subjects: list[Id] = []
    span: Span | None = None
    date: DateRef | None = None
    part_of: Id | None = None
    in_addition_to: Id | None = None

    def title(self, lang: str) -> str:
        return self.label.get(lang)


class Statement(Record, kw_only=True, frozen=True):
    """Something someone said or claimed. For a quotation `text.fr` is the article's words."""

    KIND: ClassVar[str] = "statement"
    SECTION: ClassVar[str] = "statements"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {"speaker": _ACTOR, "about": _ANY}

    kind: Literal["quotation", "claim", "statement", "announcement"]
    speaker: Id
    label: Text
    text: Text
    status: Status
    about: list[Id] = []
    date: DateRef | None = None

    def title(self, lang: str) -> str:
        return self.label.get(lang)


class Event(Record, kw_only=True, frozen=True):
    KIND: ClassVar[str] = "event"
    SECTION: ClassVar[str] = "events"
    REFS: ClassVar[dict[str, tuple[str, ...]]] = {"actors": _ACTOR, "place": ("place",)}

    kind: Literal["announcement", "pledge", "market", "policy", "publication", "construction", "other"]
    title_text: Text = msgspec.field(name="title")
    date: DateRef
    status: Status
    summary: Text
    actors: list[Id] = []
    place: Id | None = None

    def title(self, lang: str) -> str:
        return self.title_text.get(lang)


class Article(_Strict, kw_only=True, frozen=True):
    """The source article a pack is drawn from."""

    title: Text
    language: Annotated[str, Meta(pattern=r"^[a-z]{2}$")]
    date: Annotated[str, Meta(pattern=r"^\d{4}(-\d{2}){0,2}$")]
    paragraphs: Annotated[int, Meta(ge=1)]
    publisher: str | None = None
    #: the article's text, a file in the pack's directory, for packs whose authors may ship it
    text_file: Annotated[str, Meta(min_length=1, max_length=255)] | None = None


class PackInfo(_Strict, kw_only=True, frozen=True):
    """The `pack:` section: one per pack."""

    id: Id
    title: Text
    summary: Text
    article: Article
    schema_version: Literal[1] = 1


RECORD_TYPES: tuple[type[Record], ...] = (Organisation, Person, Place, Figure, Statement, Event)
SECTIONS: dict[str, type[Record]] = {cls.SECTION: cls for cls in RECORD_TYPES}
KINDS: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}
