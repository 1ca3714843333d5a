"""The typed records of a fact pack (stargate_tui.model), validated through msgspec as the loader does."""

from __future__ import annotations

from typing import Any, get_args, get_type_hints

import msgspec
import pytest

from stargate_tui import model
from stargate_tui.model import (
    KINDS,
    RECORD_TYPES,
    SECTIONS,
    STATUSES,
    DateRef,
    Event,
    Figure,
    Organisation,
    PackInfo,
    Person,
    Place,
    Source,
    Span,
    Statement,
    Text,
    Value,
    text_of,
)

pytestmark = pytest.mark.unit

T = {"en": "Text", "fr": "Texte"}
SRC = {"paragraph": 1, "quote": "some words"}


def convert(data: Any, cls: type[Any]) -> Any:
    return msgspec.convert(data, cls)


def invalid(data: Any, cls: type[Any]) -> str:
    """The validation message for `data`, failing the test if it is accepted."""
    with pytest.raises(msgspec.ValidationError) as info:
        msgspec.convert(data, cls)
    return str(info.value)


# ---------------------------------------------------------------------------------------------- Text


def test_text_get_by_language() -> None:
    text = convert({"en": "Tuesday", "fr": "mardi"}, Text)
    assert (text.get("en"), text.get("fr")) == ("Tuesday", "mardi")
    assert text.get("de") == "Tuesday"  # anything but fr is English


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"en": "   ", "fr": "x"}, "text must not be blank in either language"),
        ({"en": "x", "fr": "\t \n"}, "text must not be blank in either language"),
        ({"en": "", "fr": "x"}, "Expected `str` of length >= 1 - at `$.en`"),
        ({"en": "x" * 2001, "fr": "x"}, "Expected `str` of length <= 2000 - at `$.en`"),
        ({"en": "x"}, "Object missing required field `fr`"),
        ({"en": "x", "fr": "y", "de": "z"}, "Object contains unknown field `de`"),
        ({"en": 1, "fr": "y"}, "Expected `str`, got `int` - at `$.en`"),
        ("just a string", "Expected `object`, got `str`"),
    ],
)
def test_text_rejects(data: Any, message: str) -> None:
    assert message in invalid(data, Text)


def test_text_accepts_the_longest_allowed() -> None:
    assert len(convert({"en": "x" * 2000, "fr": "y"}, Text).en) == 2000


def test_records_are_immutable() -> None:
    text = convert(T, Text)
    with pytest.raises(AttributeError):
        text.en = "changed"


def test_text_of() -> None:
    assert text_of(None, "fr") == ""
    assert text_of("OpenAI", "fr") == "OpenAI"
    assert text_of(convert({"en": "White House", "fr": "Maison Blanche"}, Text), "fr") == "Maison Blanche"


# --------------------------------------------------------------------------------------------- Value


@pytest.mark.parametrize("bound", ["exact", "about", "at-least", "more-than", "at-most", "up-to"])
def test_value_bounds_with_an_amount(bound: str) -> None:
    value = convert({"unit": "USD", "bound": bound, "amount": 500e9}, Value)
    assert value.amount == value.upper == value.lower == 500e9


def test_value_default_bound_is_exact_and_ints_are_accepted() -> None:
    value = convert({"unit": "jobs", "amount": 100000}, Value)
    assert value.bound == "exact"
    assert value.amount == 100000.0


def test_value_range() -> None:
    value = convert({"unit": "USD", "bound": "range", "low": 100e9, "high": 200e9}, Value)
    assert (value.lower, value.upper) == (100e9, 200e9)
    assert convert({"unit": "GW", "bound": "range", "low": 5, "high": 5}, Value).upper == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"unit": "USD", "bound": "range", "low": 1, "high": 2, "amount": 1},
            "a range needs `low` and `high`",
        ),
        ({"unit": "USD", "bound": "range", "low": 1}, "a range needs `low` and `high`"),
        ({"unit": "USD", "bound": "range", "high": 1}, "a range needs `low` and `high`"),
        ({"unit": "USD", "bound": "range", "low": 3, "high": 2}, "range `low` is greater than `high`"),
        ({"unit": "USD"}, "bound 'exact' needs `amount` and no `low`/`high`"),
        ({"unit": "USD", "bound": "about", "amount": 1, "low": 0}, "bound 'about' needs `amount`"),
        ({"unit": "USD", "bound": "up-to", "amount": 1, "high": 2}, "bound 'up-to' needs `amount`"),
        ({"unit": "USD", "amount": float("nan")}, "amounts must be finite numbers"),
        ({"unit": "USD", "amount": float("inf")}, "amounts must be finite numbers"),
        ({"unit": "USD", "bound": "range", "low": 0, "high": float("inf")}, "amounts must be finite"),
        ({"unit": "USD", "bound": "range", "low": float("nan"), "high": 1}, "amounts must be finite"),
        ({"unit": "dollars", "amount": 1}, "Invalid enum value 'dollars' - at `$.unit`"),
        ({"unit": "USD", "bound": "approximately", "amount": 1}, "Invalid enum value 'approximately'"),
        ({"unit": "USD", "amount": "500"}, "Expected `float | null`, got `str` - at `$.amount`"),
        ({"unit": "USD", "amount": True}, "got `bool`"),
        ({"unit": "USD", "amount": 10**400}, "Number out of range"),
    ],
)
def test_value_rejects(data: dict[str, Any], message: str) -> None:
    assert message in invalid(data, Value)


def test_value_literals() -> None:
    assert get_args(model.Unit) == ("USD", "EUR", "JPY", "percent", "jobs", "GW", "MW", "people", "count")
    assert get_args(model.Bound) == ("exact", "about", "at-least", "more-than", "at-most", "up-to", "range")


# ------------------------------------------------------------------------------------------- DateRef


@pytest.mark.parametrize(
    ("precision", "iso"),
    [("day", "2025-01-21"), ("day", "2024-02-29"), ("month", "2025-01"), ("year", "2025")],
)
def test_date_resolved_with_basis(precision: str, iso: str) -> None:
    date = convert({"stated": T, "iso": iso, "precision": precision, "basis": T}, DateRef)
    assert (date.iso, date.precision, date.approximate) == (iso, precision, False)


@pytest.mark.parametrize(
    ("precision", "iso", "message"),
    [
        ("day", "2025-01", "iso '2025-01' does not match precision 'day'"),
        ("day", "2025-1-21", "does not match precision 'day'"),
        ("day", "21/01/2025", "does not match precision 'day'"),
        ("month", "2025-01-21", "iso '2025-01-21' does not match precision 'month'"),
        ("year", "2025-01", "does not match precision 'year'"),
        ("year", "25", "does not match precision 'year'"),
        ("day", "2025-02-30", "iso '2025-02-30' is not a valid date"),
        ("day", "2025-02-29", "is not a valid date"),
        ("month", "2025-13", "iso '2025-13' is not a valid date"),
        ("year", "0000", "is not a valid date"),
    ],
)
def test_date_iso_must_match_precision(precision: str, iso: str, message: str) -> None:
    assert message in invalid({"stated": T, "iso": iso, "precision": precision, "basis": T}, DateRef)


def test_date_default_precision_is_day() -> None:
    assert "does not match precision 'day'" in invalid({"stated": T, "iso": "2025", "basis": T}, DateRef)


def test_resolved_date_needs_a_basis() -> None:
    message = invalid({"stated": T, "iso": "2025-01-21"}, DateRef)
    assert "a resolved date needs a basis" in message


def test_unresolved_date_needs_no_basis() -> None:
    date = convert({"stated": {"en": "in September", "fr": "en septembre"}, "approximate": True}, DateRef)
    assert date.iso is None and date.basis is None and date.approximate


def test_date_precision_literal() -> None:
    assert get_args(model.Precision) == ("day", "month", "year")
    assert "Invalid enum value 'week'" in invalid({"stated": T, "precision": "week"}, DateRef)


# -------------------------------------------------------------------------------- Source, Span, misc


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"paragraph": 0, "quote": "abc"}, "Expected `int` >= 1 - at `$.paragraph`"),
        ({"paragraph": "1", "quote": "abc"}, "Expected `int`, got `str`"),
        ({"paragraph": 1.5, "quote": "abc"}, "Expected `int`, got `float`"),
        ({"paragraph": 1, "quote": "ab"}, "Expected `str` of length >= 3 - at `$.quote`"),
        ({"paragraph": 1, "quote": "x" * 301}, "Expected `str` of length <= 300"),
        ({"paragraph": 1}, "Object missing required field `quote`"),
        ({"paragraph": 1, "quote": "abc", "page": 2}, "Object contains unknown field `page`"),
    ],
)
def test_source_rejects(data: dict[str, Any], message: str) -> None:
    assert message in invalid(data, Source)


def person(**fields: Any) -> dict[str, Any]:
    return {"id": "sam-altman", "name": "Sam Altman", "role": T, "summary": T, "source": SRC, **fields}


def test_source_one_or_a_list() -> None:
    one = convert(person(), Person)
    assert one.sources == [Source(paragraph=1, quote="some words")]
    two = convert(person(source=[SRC, {"paragraph": 8, "quote": "sans vous"}]), Person)
    assert [s.paragraph for s in two.sources] == [1, 8]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ([], "Expected `array` of length >= 1 - at `$.source`"),
        ("paragraph 1", "Expected `object | array`, got `str` - at `$.source`"),
        ([{"paragraph": 1, "quote": "abc"}, {"paragraph": 0, "quote": "abc"}], "at `$.source[1].paragraph`"),
    ],
)
def test_record_source_rejects(source: Any, message: str) -> None:
    assert message in invalid(person(source=source), Person)


def test_record_source_is_required() -> None:
    data = person()
    del data["source"]
    assert "Object missing required field `source`" in invalid(data, Person)


def test_span() -> None:
    span = convert({"amount": 4, "unit": "years", "text": T}, Span)
    assert (span.amount, span.unit) == (4.0, "years")
    assert "Expected `float` > 0.0" in invalid({"amount": 0, "unit": "years", "text": T}, Span)
    assert "Invalid enum value 'decades'" in invalid({"amount": 1, "unit": "decades", "text": T}, Span)


#: Every number field of the model, with a valid object to put a non-finite number in.
FLOAT_FIELDS: dict[tuple[type[Any], str], dict[str, Any]] = {
    (Span, "amount"): {"amount": 4, "unit": "years", "text": T},
    (Value, "amount"): {"unit": "USD", "amount": 1},
    (Value, "low"): {"unit": "USD", "bound": "range", "low": 1, "high": 2},
    (Value, "high"): {"unit": "USD", "bound": "range", "low": 1, "high": 2},
    (model.Coordinates, "lat"): {"lat": 1, "lon": 1, "basis": T},
    (model.Coordinates, "lon"): {"lat": 1, "lon": 1, "basis": T},
}


def _mentions_float(hint: Any) -> bool:
    return hint is float or any(_mentions_float(arg) for arg in get_args(hint))


def test_every_number_field_is_checked_for_finiteness() -> None:
    """A new float field must join FLOAT_FIELDS, so that the test below covers it."""
    structs = {
        obj
        for obj in vars(model).values()
        if isinstance(obj, type) and issubclass(obj, msgspec.Struct) and obj.__module__ == model.__name__
    }
    found = {
        (cls, name) for cls in structs for name, hint in get_type_hints(cls).items() if _mentions_float(hint)
    }
    assert found == set(FLOAT_FIELDS)


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")], ids=["inf", "-inf", "nan"])
@pytest.mark.parametrize(("cls", "name"), list(FLOAT_FIELDS), ids=lambda x: getattr(x, "__name__", x))
def test_every_number_must_be_finite(cls: type[Any], name: str, number: float) -> None:
    assert convert(FLOAT_FIELDS[cls, name], cls)
    invalid({**FLOAT_FIELDS[cls, name], name: number}, cls)


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [(90, 180, True), (-90, -180, True), (32.45, -99.73, True), (90.5, 0, False), (0, -180.1, False)],
)
def test_coordinates_bounds(lat: float, lon: float, ok: bool) -> None:
    data = {"lat": lat, "lon": lon, "basis": T}
    if ok:
        assert convert(data, model.Coordinates).lat == lat
    else:
        invalid(data, model.Coordinates)


@pytest.mark.parametrize("good", ["a", "stargate-2025", "sam.altman_2", "0day", "x" * 64])
def test_id_pattern_accepts(good: str) -> None:
    assert convert(person(id=good), Person).id == good


@pytest.mark.parametrize("bad", ["", "Sam", "-sam", ".sam", "sam altman", "sam/altman", "é", "x" * 65])
def test_id_pattern_rejects(bad: str) -> None:
    assert "at `$.id`" in invalid(person(id=bad), Person)


def test_statuses_match_the_literal() -> None:
    assert get_args(model.Status) == STATUSES
    assert STATUSES == ("announced", "pledged", "estimated", "claimed", "reported", "fact")


def test_pack_info_schema_version() -> None:
    data: dict[str, Any] = {
        "id": "p",
        "title": T,
        "summary": T,
        "article": {"title": T, "language": "fr", "date": "2025-01", "paragraphs": 10},
    }
    assert convert(data, PackInfo).schema_version == 1
    assert "Invalid enum value 2" in invalid({**data, "schema_version": 2}, PackInfo)
    bad_article = {**data, "article": {**data["article"], "language": "fra"}}
    assert "at `$.article.language`" in invalid(bad_article, PackInfo)
    assert "at `$.article.paragraphs`" in invalid(
        {**data, "article": {**data["article"], "paragraphs": 0}}, PackInfo
    )


# ------------------------------------------------------------------------------------- record kinds


def test_kinds_and_sections() -> None:
    assert {cls.KIND: cls.SECTION for cls in RECORD_TYPES} == {
        "organisation": "organisations",
        "person": "people",
        "place": "places",
        "figure": "figures",
        "statement": "statements",
        "event": "events",
    }
    assert set(KINDS.values()) == set(SECTIONS.values()) == set(RECORD_TYPES)


def test_refs_name_real_fields_and_kinds() -> None:
    for cls in RECORD_TYPES:
        for fld, kinds in cls.REFS.items():
            assert fld in cls.__struct_fields__, (cls.KIND, fld)
            assert set(kinds) <= set(KINDS), (cls.KIND, fld)


def test_allowed_ref_kinds() -> None:
    actor = ("person", "organisation")
    refs = {cls.KIND: cls.REFS for cls in RECORD_TYPES}
    assert refs == {
        "organisation": {"country": ("place",), "leaders": ("person",)},
        "person": {"organisations": ("organisation",)},
        "place": {"within": ("place",)},
        "figure": {"stated_by": actor, "subjects": (), "part_of": ("figure",), "in_addition_to": ("figure",)},
        "statement": {"speaker": actor, "about": ()},
        "event": {"actors": actor, "place": ("place",)},
    }


FIGURE: dict[str, Any] = {
    "id": "total",
    "label": {"en": "Total", "fr": "Total"},
    "value": {"unit": "USD", "bound": "at-least", "amount": 500e9},
    "status": "announced",
    "summary": T,
    "source": SRC,
}


def test_ref_ids_in_field_order_skipping_empty() -> None:
    figure = convert(
        {
            **FIGURE,
            "related": ["r1"],
            "in_addition_to": "pledge",
            "subjects": ["openai", "oracle"],
            "stated_by": "son",
        },
        Figure,
    )
    assert figure.ref_ids() == [
        ("stated_by", "son"),
        ("subjects", "openai"),
        ("subjects", "oracle"),
        ("in_addition_to", "pledge"),
        ("related", "r1"),
    ]
    assert convert(FIGURE, Figure).ref_ids() == []


def test_refs_must_be_ids() -> None:
    assert "at `$.subjects[1]`" in invalid({**FIGURE, "subjects": ["ok", "Not An Id"]}, Figure)
    assert "at `$.stated_by`" in invalid({**FIGURE, "stated_by": ["son"]}, Figure)


def test_titles_by_kind() -> None:
    name = {"en": "White House", "fr": "Maison Blanche"}
    org = convert(
        {"id": "o", "name": "Oracle", "kind": "company", "role": T, "summary": T, "source": SRC}, Organisation
    )
    place = convert(
        {"id": "wh", "name": name, "kind": "building", "role": T, "summary": T, "source": SRC}, Place
    )
    statement = convert(
        {
            "id": "s",
            "kind": "quotation",
            "speaker": "altman",
            "label": {"en": "Thanks", "fr": "Merci"},
            "text": T,
            "status": "reported",
            "source": SRC,
        },
        Statement,
    )
    event = convert(
        {
            "id": "e",
            "kind": "announcement",
            "title": {"en": "Launch", "fr": "Lancement"},
            "date": {"stated": {"en": "Tuesday", "fr": "mardi"}},
            "status": "announced",
            "summary": T,
            "source": SRC,
        },
        Event,
    )
    assert org.title("fr") == "Oracle"
    assert (place.title("en"), place.title("fr")) == ("White House", "Maison Blanche")
    assert convert(person(), Person).title("fr") == "Sam Altman"
    assert convert(FIGURE, Figure).title("en") == "Total"
    assert statement.title("fr") == "Merci"
    assert event.title("fr") == "Lancement"


def test_event_title_is_spelled_title_in_yaml() -> None:
    data = {
        "id": "e",
        "kind": "pledge",
        "title_text": {"en": "Launch", "fr": "Lancement"},
        "date": {"stated": T},
        "status": "pledged",
        "summary": T,
        "source": SRC,
    }
    assert "unknown field `title_text`" in invalid(data, Event)


@pytest.mark.parametrize(
    ("cls", "field", "allowed"),
    [
        (Organisation, "kind", ("company", "fund", "government", "agency", "institution", "other")),
        (Place, "kind", ("country", "region", "state", "city", "site", "building", "market")),
        (Statement, "kind", ("quotation", "claim", "statement", "announcement")),
        (
            Event,
            "kind",
            ("announcement", "pledge", "market", "policy", "publication", "construction", "other"),
        ),
    ],
)
def test_kind_literals(cls: type[Any], field: str, allowed: tuple[str, ...]) -> None:
    assert get_args(get_type_hints(cls)[field]) == allowed
    assert "Invalid enum value 'unknown-kind'" in invalid({field: "unknown-kind"}, cls)
