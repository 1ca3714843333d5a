"""The shared data-to-view layer, history and search: what both front ends show comes from here."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stargate_tui.history import History, Location
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.model import DateRef, Figure, Source, Text, Value
from stargate_tui.search import SearchIndex, fold
from stargate_tui.views import (
    CHART_LIMIT,
    chart_legend,
    chart_more,
    citation,
    detail,
    format_date,
    format_value,
    format_value_short,
    in_sentence,
    list_label,
    map_area,
    money_bars,
    overlaps,
    pane_records,
    pane_sections,
    sentence_start,
    t,
    timeline_rows,
)

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


@pytest.mark.parametrize(
    "value,en,fr",
    [
        (
            Value(unit="USD", bound="at-least", amount=5e11),
            "at least $500 billion",
            "au moins 500 milliards de dollars",
        ),
        (
            Value(unit="USD", bound="range", low=1e11, high=2e11),
            "$100–200 billion",
            "100 à 200 milliards de dollars",
        ),
        (Value(unit="percent", amount=10.61), "10.61%", "10,61\u202f%"),
        (
            Value(unit="jobs", bound="more-than", amount=100_000),
            "more than 100,000 jobs",
            "plus de 100\u202f000 emplois",
        ),
        (Value(unit="GW", amount=5), "5 GW", "5 GW"),
    ],
)
def test_values_read_as_each_language_writes_them(value: Value, en: str, fr: str) -> None:
    assert format_value(value, "en") == en
    assert format_value(value, "fr") == fr


def test_short_values_keep_their_bound() -> None:
    assert format_value_short(Value(unit="USD", bound="at-least", amount=5e11), "en") == "≥ $500bn"
    assert format_value_short(Value(unit="USD", bound="range", low=1e11, high=2e11), "fr") == "100–200 Md$"


def test_dates_resolved_with_weekday_and_precision() -> None:
    basis = Text(en="b", fr="b")
    tuesday = DateRef(stated=Text(en="Tuesday", fr="mardi"), iso="2025-01-21", basis=basis)
    assert format_date(tuesday, "en") == "Tuesday 21 January 2025"
    assert format_date(tuesday, "fr") == "mardi 21 janvier 2025"
    mid = DateRef(
        stated=Text(en="mid-December", fr="mi-décembre"),
        iso="2024-12",
        precision="month",
        approximate=True,
        basis=basis,
    )
    assert format_date(mid, "en") == "mid-December 2024"
    unresolved = DateRef(stated=Text(en="already under way", fr="déjà en cours"))
    assert format_date(unresolved, "fr") == "déjà en cours"


def test_money_chart_is_one_linear_scale_with_ranges_and_open_ends(pack: FactPack) -> None:
    bars, top = money_bars(pack, 100, "en")
    assert top == max(b.record.value.upper for b in bars)
    total = next(b for b in bars if b.record.id == "stargate-total")
    initial = next(b for b in bars if b.record.id == "stargate-initial")
    pledge = next(b for b in bars if b.record.id == "son-december-pledge")
    assert total.end == 100 and total.open_ended
    assert initial.end == 20 and not initial.open_ended  # 100 of 500 on the same scale
    assert pledge.is_range and (pledge.start, pledge.end) == (20, 40)
    assert chart_more(pack, len(bars), "en") is None


def test_overlaps_say_the_tranche_is_part_of_the_total(pack: FactPack) -> None:
    lines = overlaps(pack, "en")
    assert any("includes" in line and "$100 billion" in line and "$500 billion" in line for line in lines)
    assert any("comes on top of" in line for line in lines)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Stargate's total investment (at least $500 billion) comes on top of the amount "
                "“Masayoshi Son's December pledge” ($100–200 billion)",
                "Stargate's total investment (at least $500 billion) includes the amount “First tranche "
                "deployed immediately” ($100 billion)",
            ],
        ),
        (
            "fr",
            [
                "Investissement total de Stargate (au moins 500 milliards de dollars) s'ajoute au montant "
                "« Engagement de Masayoshi Son en décembre » (100 à 200 milliards de dollars)",
                "Investissement total de Stargate (au moins 500 milliards de dollars) comprend le montant "
                "« Première tranche déployée immédiatement » (100 milliards de dollars)",
            ],
        ),
    ],
)
def test_overlap_sentences_name_the_second_amount_with_an_article(
    pack: FactPack, lang: str, expected: list[str]
) -> None:
    assert overlaps(pack, lang) == expected


NAMES = {"Masayoshi Son", "Stargate", "Abilene", "Maison Blanche"}


@pytest.mark.parametrize(
    ("label", "inside", "start"),
    [
        ("First tranche deployed immediately", "first tranche deployed immediately", None),
        ("Première tranche", "première tranche", None),
        ("Masayoshi Son's December pledge", None, None),  # a proper name of the pack
        ("Stargate’s total", None, None),
        ("Stargates of old", "stargates of old", None),  # only a whole name counts
        ("Maison Blanche", None, None),
        ("AI spending", None, None),  # a word that keeps its case anywhere
        ("OpenAI's share", None, None),
        ("iPhone sales", None, None),
        ("estimated cost", None, "Estimated cost"),
        ("Émission d'obligations", "émission d'obligations", None),
        ("5 GW of power", None, None),
    ],
)
def test_a_label_inside_a_sentence(label: str, inside: str | None, start: str | None) -> None:
    assert in_sentence(label, NAMES) == (inside or label)
    assert sentence_start(label) == (start or label)


def _figure(n: int, unit: str) -> Figure:
    return Figure(
        id=f"f{n}",
        label=Text(en=f"F{n}", fr=f"F{n}"),
        value=Value(unit=unit, amount=float(n + 1) * 1e9),  # type: ignore[arg-type]
        status="fact",
        summary=Text(en="s", fr="s"),
        source=Source(paragraph=1, quote="abc"),
    )


def test_chart_never_mixes_currencies_and_caps_its_bars(pack: FactPack) -> None:
    figures = {f"f{n}": _figure(n, "USD" if n < 15 else "EUR") for n in range(20)}
    big = FactPack(pack.info, figures, pack.directory, pack.files)  # type: ignore[arg-type]
    bars, _ = money_bars(big, 50, "en")
    assert len(bars) == CHART_LIMIT
    assert {b.record.value.unit for b in bars} == {"USD"}
    assert chart_more(big, len(bars), "en") == "+10 more amounts in the list (5 in other currencies)"


def test_every_record_is_reachable_from_some_pane(pack: FactPack) -> None:
    listed = {
        r.id
        for pane in ("partners", "money", "locations", "politics", "people", "timeline")
        for r in pane_records(pack, pane)
    }
    assert listed == set(pack.records)


def test_timeline_is_in_date_order(pack: FactPack) -> None:
    (events,) = pane_sections(pack, "timeline")
    dates = [r.date.iso or "9999" for r in events.records]
    assert dates == sorted(dates)


def test_history_back_forward_and_truncation() -> None:
    h = History()
    for name in ("a", "b", "c"):
        h.visit(Location(name))
    assert h.back() == Location("b")
    assert h.back() == Location("a")
    assert h.back() is None
    assert h.forward() == Location("b")
    h.visit(Location("d"))  # a new visit drops the forward part, as browsers do
    assert h.forward() is None
    assert h.back() == Location("b")
    h.visit(Location("b"))  # same place: not a new step
    assert h.can_go_back and h.current == Location("b")


def test_search_folds_accents_and_ranks_names_first(pack: FactPack) -> None:
    assert fold("États-Unis Société") == "etats-unis societe"
    index = SearchIndex(pack)
    hits = index.search("masayoshi son")
    assert hits[0].record.id == "masayoshi-son"
    assert {h.record.id for h in index.search("milliards")} >= {"stargate-total", "stargate-initial"}
    assert index.search("   ") == []


def _search_by_definition(index: SearchIndex, query: str) -> list[tuple[str, int]]:
    """The documented rule, written plainly: every record holding every word, best score first."""
    words = fold(query).split()
    phrase = " ".join(words)
    found = []
    for record, names, title, text in index._entries:
        if all(w in text for w in words):
            score = sum(3 if w in title else 1 for w in words)
            if phrase in names:
                score += 100
            elif any(name.startswith(phrase) for name in names):
                score += 10
            found.append((record.id, score))
    return sorted(found, key=lambda hit: -hit[1]) if words else []


@pytest.fixture(scope="module")
def index(pack: FactPack) -> SearchIndex:
    return SearchIndex(pack)


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_search_finds_what_the_rule_says_in_that_order(index: SearchIndex, data: st.DataObject) -> None:
    vocabulary = sorted({w for entry in index._entries for w in entry[3].split()})
    words = data.draw(st.lists(st.sampled_from(vocabulary) | st.text(min_size=1, max_size=3), max_size=3))
    cut = [w[: data.draw(st.integers(1, max(len(w), 1)))] for w in words]
    query = " ".join(cut)
    assert [(h.record.id, h.score) for h in index.search(query)] == _search_by_definition(index, query)


@given(st.text())
@settings(max_examples=400, deadline=None)
def test_fold_is_casefold_then_nfkd_without_combining_marks(text: str) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "32.45° N 99.73° W"), ("fr", "32,45° N 99,73° O")],
)
def test_coordinates_in_each_language(pack: FactPack, lang: str, expected: str) -> None:
    facts = dict(detail(pack.records["abilene"], pack, lang).facts)
    assert facts[t("coordinates", lang)] == expected


def test_french_puts_a_no_break_space_before_a_colon(pack: FactPack) -> None:
    record = pack.records["abilene"]
    fr = [link.label("fr") for link in detail(record, pack, "fr").links]
    en = [link.label("en") for link in detail(record, pack, "en").links]
    assert "→ dans\u00a0: Texas (lieu)" in fr
    assert "→ within: Texas (place)" in en
    assert citation(record, pack, "fr").startswith("Abilene\u00a0: ")
    assert citation(record, pack, "en").startswith("Abilene: ")


def test_the_chart_legend_explains_only_the_marks_drawn() -> None:
    bar = [("$5bn", "label"), (" ", "gap"), ("███", "bar")]
    open_bar = [*bar, ("▏+", "open")]
    span = [("$1–2bn", "label"), (" ", "gap"), ("├━┤", "range")]
    assert chart_legend([bar], "en") is None
    assert chart_legend([bar, open_bar], "en") == t("chart-note-open", "en")
    assert chart_legend([bar, span], "fr") == t("chart-note-range", "fr")
    assert chart_legend([open_bar, span], "fr") == t("chart-note", "fr")


@pytest.mark.parametrize(
    ("selected", "area", "group"),
    [
        (None, None, "united-states texas abilene white-house japan tokyo tokyo-stock-exchange"),
        ("united-states", "united-states", "united-states texas abilene white-house"),
        ("texas", "texas", "texas abilene"),  # a state with a city in it
        ("abilene", "texas", "texas abilene"),  # a city, seen within its state
        ("white-house", "united-states", "united-states texas abilene white-house"),
        ("china", "china", "china"),
    ],
)
def test_the_map_area_of_a_selected_place(
    pack: FactPack, selected: str | None, area: str | None, group: str
) -> None:
    found, places = map_area(pack, selected)
    assert (found.id if found else None) == area
    assert set(group.split()) <= {p.id for p in places}
    if selected is not None:
        assert {p.id for p in places} == set(group.split())


def test_the_visual_timeline_is_proportional_with_ranges_and_the_selection(pack: FactPack) -> None:
    from stargate_tui.model import Event

    events = [r for r in pane_records(pack, "timeline") if isinstance(r, Event)]
    rows = timeline_rows(events, 100, "en", "stargate-announced")
    by_title = {"".join(text for text, part in row if part.endswith("title")).strip(): row for row in rows}
    assert len(rows) == len(events) + 2  # one row per event, then the axis and its months

    def mark(title: str) -> tuple[int, str, str]:
        row = by_title[title]
        column = 0
        for text, part in row:
            if part != "space":
                return column, text, part
            column += len(text)
        raise AssertionError(row)

    sep_at, sep, sep_part = mark("OpenAI's report urging giant data centres")
    dec_at, dec, dec_part = mark("Masayoshi Son's December investment pledge")
    jan20, _, _ = mark("Trump revokes Biden's AI-safety order")
    jan21, point, chosen = mark("Trump presents Stargate at the White House")
    assert sep_part == dec_part == "range" and sep.startswith("├") and dec.endswith("┤")  # months as ranges
    assert len(dec) < len(sep)  # "mid-December" is narrower than the whole of September
    assert (point, chosen) == ("●", "selected-point")  # the selected event is marked as such
    assert 0 == sep_at < dec_at < jan20 < jan21  # in time order, spaced in proportion:
    assert abs((jan20 - sep_at) / (jan21 - sep_at) - 141 / 142) < 0.02
    undated = next(row for title, row in by_title.items() if title.startswith("First Stargate data centres"))
    assert undated[0] == ("undated".ljust(len(undated[0][0])), "undated")
    assert rows[-1][0][0].split() == ["Sep", "2024", "Oct", "Nov", "Dec", "Jan", "2025"]


def test_an_unresolved_date_in_a_list_is_said_in_words(pack: FactPack) -> None:
    labels = [list_label(r, "fr") for r in pane_records(pack, "timeline")]
    assert labels[-1].startswith("sans date")
    assert not any(label.startswith("…") for label in labels)
