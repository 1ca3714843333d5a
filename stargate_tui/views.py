"""Data-to-view logic shared by the explorer and the plain output: one source of truth for labels,
amounts, dates, statuses, which records each pane lists and what a record's detail says.

No Textual and no Rich here: everything is plain strings and small dataclasses, so `show` and the
tests stay light and the two front ends can never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import (
    DateRef,
    Event,
    Figure,
    Organisation,
    Person,
    Place,
    Record,
    Source,
    Statement,
    Value,
)

if TYPE_CHECKING:
    from .pack import FactPack

PANES: tuple[str, ...] = (
    "overview",
    "partners",
    "money",
    "locations",
    "politics",
    "people",
    "timeline",
    "article",
)
LANGS: tuple[str, ...] = ("en", "fr")

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "overview": "Overview",
        "partners": "Partners",
        "money": "Money",
        "locations": "Locations",
        "politics": "Politics",
        "people": "People",
        "timeline": "Timeline",
        "article": "Article",
        "key-source": "Show in source",
        "key-next-span": "Next span",
        "key-previous-span": "Previous span",
        "cited-by": "Cited by",
        "no-text": "Without the article's text: each paragraph is rebuilt from the pack's quotes, "
        "joined by …; run with --source FILE to show the whole text.",
        "with-text": "{origin}: cited spans marked, sentences no record cites dimmed.",
        "span-flag-elsewhere": "found in ¶{n}, not in the paragraph it cites",
        "span-flag-approximate": "placed approximately: the text differs from the quote",
        "span-flag-missing": "not found in the text",
        "span-flag-folded": "found with other quote marks or case",
        "no-spans": "No record cites this paragraph.",
        "headline": "Headline figures",
        "who": "Who",
        "where": "Where",
        "when": "When",
        "frame": "Political frame",
        "money-figures": "Money",
        "other-figures": "Other figures",
        "events": "Events",
        "claims": "Claims and statements",
        "quotations": "Quotations",
        "organisations": "Organisations",
        "places": "Places",
        "people-list": "People",
        "status": "Status",
        "value": "Value",
        "stated-by": "Stated by",
        "speaker": "Speaker",
        "span": "Span",
        "date": "Date",
        "resolved": "Resolved",
        "how-resolved": "How resolved",
        "role": "Role",
        "kind": "Kind",
        "links": "Links",
        "linked-from": "Linked from",
        "provenance": "Source",
        "background": "Background (not in the article)",
        "basis": "Basis",
        "paragraph": "paragraph",
        "coordinates": "Coordinates",
        "part-of": "Part of",
        "in-addition-to": "In addition to",
        "no-date": "undated",
        "approx": "approx.",
        "overlap": "Overlaps",
        "includes": "includes the amount",
        "adds-to": "comes on top of the amount",
        "said": "said",
        "quote-original": "Original (French)",
        "translation": "In English",
        "chart": "Amounts compared",
        "chart-note": '▏marks an "at least" figure (it may be more); ━ spans a range.',
        "chart-note-open": '▏marks an "at least" figure (it may be more).',
        "chart-note-range": "━ spans a range.",
        "more-below": "↓ more below",
        "map": "Map",
        "no-coordinates": "{place}: no coordinates in the pack, not on the map",
        "nothing": "Nothing here.",
        "key-search": "Search",
        "key-help": "Help",
        "key-back": "Back",
        "key-forward": "Forward",
        "key-copy": "Copy",
        "key-quit": "Quit",
        "key-palette": "Commands",
        "help-move": "move in a list",
        "help-ends": "first / last item",
        "help-page": "a page up / down",
        "help-areas": "next / previous area: list, text, links",
        "help-select": "open the links of a record; follow the selected link",
        "help-search": "search every record",
        "help-help": "this help",
        "help-back": "back",
        "help-forward": "forward",
        "help-copy": "copy the selected fact with its citation",
        "help-palette": "command palette: jump to any record or pane, change theme or language",
        "help-quit": "quit",
        "help-close": "close a dialog",
        "help-show-source": "show the selected record's words in the article (pane 8)",
        "help-next-span": "Article pane: the next / previous span of the same record",
    },
    "fr": {
        "overview": "Aperçu",
        "partners": "Partenaires",
        "money": "Argent",
        "locations": "Lieux",
        "politics": "Politique",
        "people": "Personnes",
        "timeline": "Frise",
        "article": "Article",
        "key-source": "Source",
        "key-next-span": "Passage suivant",
        "key-previous-span": "Passage précédent",
        "cited-by": "Cité par",
        "no-text": "Sans le texte de l'article : chaque paragraphe est reconstitué à partir des "
        "citations du paquet, jointes par … ; lancez avec --source FICHIER pour afficher le texte entier.",
        "with-text": "{origin} : passages cités marqués, phrases qu'aucun élément ne cite grisées.",
        "span-flag-elsewhere": "trouvé au ¶{n}, pas dans le paragraphe cité",
        "span-flag-approximate": "placé approximativement : le texte diffère de la citation",
        "span-flag-missing": "introuvable dans le texte",
        "span-flag-folded": "trouvé avec d'autres guillemets ou une autre casse",
        "no-spans": "Aucun élément ne cite ce paragraphe.",
        "headline": "Chiffres clés",
        "who": "Qui",
        "where": "Où",
        "when": "Quand",
        "frame": "Contexte politique",
        "money-figures": "Montants",
        "other-figures": "Autres chiffres",
        "events": "Événements",
        "claims": "Affirmations et déclarations",
        "quotations": "Citations",
        "organisations": "Organisations",
        "places": "Lieux",
        "people-list": "Personnes",
        "status": "Statut",
        "value": "Valeur",
        "stated-by": "Selon",
        "speaker": "Auteur",
        "span": "Durée",
        "date": "Date",
        "resolved": "Date résolue",
        "how-resolved": "Comment",
        "role": "Rôle",
        "kind": "Type",
        "links": "Liens",
        "linked-from": "Cité par",
        "provenance": "Source",
        "background": "Contexte (hors de l'article)",
        "basis": "Fondement",
        "paragraph": "paragraphe",
        "coordinates": "Coordonnées",
        "part-of": "Fait partie de",
        "in-addition-to": "S'ajoute à",
        "no-date": "sans date",
        "approx": "env.",
        "overlap": "Recoupements",
        "includes": "comprend le montant",
        "adds-to": "s'ajoute au montant",
        "said": "a dit",
        "quote-original": "Original (français)",
        "translation": "En anglais",
        "chart": "Montants comparés",
        "chart-note": "▏marque un montant « au moins » (peut-être plus) ; ━ couvre une fourchette.",
        "chart-note-open": "▏marque un montant « au moins » (peut-être plus).",
        "chart-note-range": "━ couvre une fourchette.",
        "more-below": "↓ suite plus bas",
        "map": "Carte",
        "no-coordinates": "{place} : pas de coordonnées dans le paquet, absent de la carte",
        "nothing": "Rien ici.",
        "key-search": "Chercher",
        "key-help": "Aide",
        "key-back": "Retour",
        "key-forward": "Avancer",
        "key-copy": "Copier",
        "key-quit": "Quitter",
        "key-palette": "Commandes",
        "help-move": "se déplacer dans une liste",
        "help-ends": "premier / dernier élément",
        "help-page": "une page plus haut / plus bas",
        "help-areas": "zone suivante / précédente : liste, texte, liens",
        "help-select": "ouvrir les liens d'un élément ; suivre le lien choisi",
        "help-search": "rechercher dans tous les éléments",
        "help-help": "cette aide",
        "help-back": "retour",
        "help-forward": "avancer",
        "help-copy": "copier le fait choisi avec sa source",
        "help-palette": "palette : aller à un élément ou un volet, changer de thème ou de langue",
        "help-quit": "quitter",
        "help-close": "fermer une fenêtre",
        "help-show-source": "voir les mots de l'élément choisi dans l'article (volet 8)",
        "help-next-span": "volet Article : passage suivant / précédent du même élément",
    },
}

_STATUS: dict[str, tuple[str, str]] = {
    "announced": ("announced", "annoncé"),
    "pledged": ("pledged", "promis"),
    "estimated": ("estimated", "estimé"),
    "claimed": ("claimed", "affirmé"),
    "reported": ("reported", "rapporté"),
    "fact": ("fact", "fait"),
}

_KIND: dict[str, tuple[str, str]] = {
    "organisation": ("organisation", "organisation"),
    "person": ("person", "personne"),
    "place": ("place", "lieu"),
    "figure": ("figure", "chiffre"),
    "statement": ("statement", "déclaration"),
    "event": ("event", "événement"),
}

_FIELD: dict[str, tuple[str, str]] = {
    "country": ("country", "pays"),
    "leaders": ("led by", "dirigée par"),
    "organisations": ("organisation", "organisation"),
    "within": ("within", "dans"),
    "stated_by": ("stated by", "selon"),
    "subjects": ("about", "concerne"),
    "part_of": ("part of", "fait partie de"),
    "in_addition_to": ("in addition to", "s'ajoute à"),
    "speaker": ("speaker", "auteur"),
    "about": ("about", "concerne"),
    "actors": ("actor", "acteur"),
    "place": ("place", "lieu"),
    "related": ("related", "voir aussi"),
}

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
_WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
}

CURRENCIES = ("USD", "EUR", "JPY")


def t(key: str, lang: str) -> str:
    """A UI string in `lang` (English when missing)."""
    return _STRINGS.get(lang, _STRINGS["en"]).get(key) or _STRINGS["en"].get(key, key)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "fr" else pair[0]


def status_label(status: str, lang: str) -> str:
    return _pick(_STATUS.get(status, (status, status)), lang)


def kind_label(kind: str, lang: str) -> str:
    return _pick(_KIND.get(kind, (kind, kind)), lang)


def field_label(fld: str, lang: str) -> str:
    return _pick(_FIELD.get(fld, (fld.replace("_", " "), fld.replace("_", " "))), lang)


def colon(lang: str) -> str:
    """A colon as each language writes it: French puts a (no-break) space before it."""
    return "\u00a0:" if lang == "fr" else ":"


def format_coordinates(lat: float, lon: float, lang: str) -> str:
    """ "32.45° N 99.73° W" / "32,45° N 99,73° O": the decimal comma and West as Ouest in French."""
    west = "O" if lang == "fr" else "W"
    north = f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}"
    east = f"{abs(lon):.2f}° {'E' if lon >= 0 else west}"
    text = f"{north} {east}"
    return text.replace(".", ",") if lang == "fr" else text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# numbers


def _group(number: float, lang: str) -> str:
    """Digits grouped the way each language writes them: 100,000 / 100 000; 10.61 / 10,61."""
    text = f"{number:,.2f}".rstrip("0").rstrip(".") if number != int(number) else f"{int(number):,}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


_SCALES = ((1e12, "trillion", "billions"), (1e9, "billion", "milliards"), (1e6, "million", "millions"))


def _money(amount: float, unit: str, lang: str) -> str:
    for size, en, fr in _SCALES:
        if abs(amount) >= size:
            n = _group(amount / size, lang)
            if lang == "fr":
                return f"{n} {fr} de {_currency_fr(unit)}"
            return f"{_symbol(unit)}{n} {en}"
    if lang == "fr":
        return f"{_group(amount, lang)} {_currency_fr(unit)}"
    return f"{_symbol(unit)}{_group(amount, lang)}"


def _symbol(unit: str) -> str:
    return {"USD": "$", "EUR": "€", "JPY": "¥"}.get(unit, unit + " ")


def _currency_fr(unit: str) -> str:
    return {"USD": "dollars", "EUR": "euros", "JPY": "yens"}.get(unit, unit)


def _plain(amount: float, unit: str, lang: str) -> str:
    n = _group(amount, lang)
    if unit == "percent":
        return f"{n}\u202f%" if lang == "fr" else f"{n}%"
    if unit in ("GW", "MW"):
        return f"{n} {unit}"
    if unit == "jobs":
        return f"{n} {'emplois' if lang == 'fr' else 'jobs'}"
    if unit == "people":
        return f"{n} {'personnes' if lang == 'fr' else 'people'}"
    return n


def _amount(amount: float, unit: str, lang: str) -> str:
    return _money(amount, unit, lang) if unit in CURRENCIES else _plain(amount, unit, lang)


_BOUND: dict[str, tuple[str, str]] = {
    "exact": ("", ""),
    "about": ("about ", "environ "),
    "at-least": ("at least ", "au moins "),
    "more-than": ("more than ", "plus de "),
    "at-most": ("at most ", "au plus "),
    "up-to": ("up to ", "jusqu'à "),
}


def format_value(value: Value, lang: str) -> str:
    """ "at least $500 billion", "$100–200 billion", "10.61%", "more than 100,000 jobs"."""
    if value.bound == "range":
        low, high = value.low or 0.0, value.high or 0.0
        if value.unit in CURRENCIES:
            for size, en, fr in _SCALES:
                if high >= size:
                    lo, hi = _group(low / size, lang), _group(high / size, lang)
                    if lang == "fr":
                        return f"{lo} à {hi} {fr} de {_currency_fr(value.unit)}"
                    return f"{_symbol(value.unit)}{lo}–{hi} {en}"
        joiner = " à " if lang == "fr" else "–"
        return f"{_group(low, lang)}{joiner}{_amount(high, value.unit, lang)}"
    prefix = _pick(_BOUND.get(value.bound, ("", "")), lang)
    return prefix + _amount(value.amount or 0.0, value.unit, lang)


def format_value_short(value: Value, lang: str) -> str:
    """A compact amount for charts: "≥ $500bn", "$100–200bn" / "≥ 500 Md$", "100–200 Md$"."""
    if value.unit not in CURRENCIES:
        return format_value(value, lang)
    size, en, fr = next(((s, e, f) for s, e, f in _SCALES if value.upper >= s), (1.0, "", ""))
    suffix = {"trillion": "tn", "billion": "bn", "million": "m"}.get(en, "")
    suffix_fr = {"billions": " Bn", "milliards": " Md", "millions": " M"}.get(fr, " ")
    sym = _symbol(value.unit)
    if value.bound == "range":
        lo, hi = _group((value.low or 0) / size, lang), _group((value.high or 0) / size, lang)
        number = f"{lo}–{hi}"
    else:
        number = _group((value.amount or 0) / size, lang)
    text = f"{number}{suffix_fr}{sym.strip()}" if lang == "fr" else f"{sym}{number}{suffix}"
    marks = {"at-least": "≥ ", "more-than": "> ", "at-most": "≤ ", "up-to": "≤ ", "about": "~"}
    return marks.get(value.bound, "") + text


def is_money(record: Record) -> bool:
    return isinstance(record, Figure) and record.value.unit in CURRENCIES


# ---------------------------------------------------------------------------------------------
# dates


def format_date(date: DateRef | None, lang: str) -> str:
    """The resolved date in words ("Tuesday 21 January 2025"), else the date as stated."""
    if date is None:
        return t("no-date", lang)
    if date.iso is None:
        return date.stated.get(lang)
    parts = [int(p) for p in date.iso.split("-")]
    months = _MONTHS[lang].split()
    if date.precision == "year":
        text = str(parts[0])
    elif date.precision == "month":
        text = f"{months[parts[1] - 1]} {parts[0]}"
        if date.approximate:
            text = f"{'mi-' if lang == 'fr' else 'mid-'}{text}"
    else:
        import datetime as dt

        day = dt.date(parts[0], parts[1], parts[2])
        weekday = _WEEKDAYS[lang].split()[day.weekday()]
        text = f"{weekday} {day.day} {months[day.month - 1]} {day.year}"
        if date.approximate:
            text = f"{t('approx', lang)} {text}"
    return text


def date_sort_key(date: DateRef | None) -> str:
    """Undated and unresolved events sort last; month precision sorts before that month's days."""
    if date is None or date.iso is None:
        return "9999"
    return date.iso


# ---------------------------------------------------------------------------------------------
# panes


@dataclass(frozen=True)
class Section:
    """A titled group of records in a pane's list."""

    key: str
    records: tuple[Record, ...]

    def title(self, lang: str) -> str:
        if self.key.startswith("¶"):  # the Article pane's sections, said in words: "Paragraph 3"
            return f"{_cap(t('paragraph', lang))} {self.key[1:]}"
        return t(self.key, lang)


def pane_of(record: Record) -> str:
    """The pane where a record is shown when a link is followed to it."""
    if isinstance(record, Organisation):
        return "partners"
    if isinstance(record, Person):
        return "people"
    if isinstance(record, Place):
        return "locations"
    if isinstance(record, Figure):
        return "money"
    if isinstance(record, Event):
        return "timeline"
    return "politics"


def _political(record: Record) -> bool:
    if isinstance(record, Event):
        return record.kind in ("policy", "announcement")
    return isinstance(record, Statement)


def pane_sections(pack: FactPack, pane: str) -> list[Section]:
    """What a pane lists, grouped into sections, in the order it shows them."""
    recs = list(pack.records.values())
    of = pack.of_kind
    if pane == "overview":
        top = [r for r in of("figure") if isinstance(r, Figure) and r.part_of is None]
        # money first, largest first; then the other figures in pack order
        money = sorted(top, key=lambda r: (not is_money(r), -r.value.upper if is_money(r) else 0))
        events = sorted(of("event"), key=lambda r: date_sort_key(getattr(r, "date", None)))
        frame = [r for r in recs if isinstance(r, Statement) and r.kind in ("claim", "announcement")]
        return [
            Section("headline", tuple(money)),
            Section("who", tuple(of("organisation"))),
            Section("where", tuple(of("place"))),
            Section("when", tuple(events)),
            Section("frame", tuple(frame)),
        ]
    if pane == "partners":
        return [Section("organisations", tuple(of("organisation")))]
    if pane == "money":
        figures = of("figure")
        return [
            Section("money-figures", tuple(r for r in figures if is_money(r))),
            Section("other-figures", tuple(r for r in figures if not is_money(r))),
        ]
    if pane == "locations":
        return [Section("places", tuple(of("place")))]
    if pane == "politics":
        events = [r for r in recs if isinstance(r, Event) and _political(r)]
        statements = [r for r in recs if isinstance(r, Statement)]
        return [
            Section("events", tuple(sorted(events, key=lambda r: date_sort_key(getattr(r, "date", None))))),
            Section("claims", tuple(r for r in statements if r.kind != "quotation")),
            Section("quotations", tuple(r for r in statements if r.kind == "quotation")),
        ]
    if pane == "people":
        return [Section("people-list", tuple(of("person")))]
    if pane == "timeline":
        events = sorted(of("event"), key=lambda r: date_sort_key(getattr(r, "date", None)))
        return [Section("events", tuple(events))]
    if pane == "article":
        # one section per paragraph ("¶3"), the records citing it in pack order (article.py places
        # their spans in the text); a record citing several paragraphs is listed under each
        return [
            Section(f"¶{n}", tuple(r for r in recs if any(s.paragraph == n for s in r.sources)))
            for n in range(1, pack.info.article.paragraphs + 1)
        ]
    raise KeyError(pane)


def pane_records(pack: FactPack, pane: str) -> list[Record]:
    """Every record a pane lists, in order, without repeats."""
    seen: dict[str, Record] = {}
    for section in pane_sections(pack, pane):
        for record in section.records:
            seen.setdefault(record.id, record)
    return list(seen.values())


def list_label(record: Record, lang: str) -> str:
    """The one-line label of a record in a pane's list."""
    if isinstance(record, Figure):
        return f"{format_value(record.value, lang)} · {record.label.get(lang)}"
    if isinstance(record, Event):
        return f"{short_date(record.date, lang)}  {record.title(lang)}"
    return record.title(lang)


def short_date(date: DateRef | None, lang: str) -> str:
    """A compact date for lists: 2025-01-21, 2024-12~ for approximate ones, "undated" in words when
    unknown (an ellipsis there read as a cut label)."""
    if date is None or date.iso is None:
        return t("no-date", lang).ljust(10)
    return (date.iso + ("~" if date.approximate else "")).ljust(10)


def map_area(pack: FactPack, selected: str | None) -> tuple[Place | None, list[Place]]:
    """The places the map is fitted to, and the area they are the surroundings of.

    With a place selected: its surroundings, that is the place itself when other places are within it
    (a country, a state), else the area it is within, and every located place inside that area; else
    (nothing selected, or a place without coordinates) every located place of the pack, and no area."""
    located = [r for r in pack.of_kind("place") if isinstance(r, Place) and r.coordinates is not None]
    record = pack.get(selected) if selected else None
    if not isinstance(record, Place) or record.coordinates is None:
        return None, located

    def inside(place: Place, area: Place) -> bool:
        seen: set[str] = set()
        current: Place | None = place
        while current is not None and current.id not in seen:
            if current.id == area.id:
                return True
            seen.add(current.id)
            up = pack.get(current.within) if current.within else None
            current = up if isinstance(up, Place) else None
        return False

    # a state or country with places in it is its own surroundings; a city, a site, a building (or
    # a state without any) is seen within the area that holds it
    area = record
    parent = pack.get(record.within) if record.within else None
    alone = not any(p is not record and inside(p, record) for p in located)
    if alone and isinstance(parent, Place) and parent.coordinates is not None:
        area = parent
    return area, [p for p in located if inside(p, area)]


# ---------------------------------------------------------------------------------------------
# detail


@dataclass(frozen=True)
class Link:
    """A link from a record to another: the field it comes from and the target."""

    field: str
    target: Record
    incoming: bool = False

    def label(self, lang: str) -> str:
        arrow = "←" if self.incoming else "→"
        kind = kind_label(self.target.KIND, lang)
        return f"{arrow} {field_label(self.field, lang)}{colon(lang)} {self.target.title(lang)} ({kind})"


@dataclass(frozen=True)
class Detail:
    """Everything the detail view (or `show`) says about one record."""

    record: Record
    title: str
    kind: str
    facts: list[tuple[str, str]]
    body: list[str]
    links: list[Link]
    sources: list[Source]
    background: list[tuple[str, str]] = field(default_factory=list)


def detail(record: Record, pack: FactPack, lang: str, *, links: bool = True) -> Detail:
    """The record's detail: key facts, text, links (out and in; none without `links`), provenance,
    background."""
    facts: list[tuple[str, str]] = [(t("kind", lang), kind_label(record.KIND, lang))]
    body: list[str] = []
    background = [(b.note.get(lang), b.basis.get(lang)) for b in record.background]

    def name(record_id: str | None) -> str:
        target = pack.get(record_id) if record_id else None
        return target.title(lang) if target else (record_id or "")

    if isinstance(record, Organisation):
        facts.append((t("role", lang), record.role.get(lang)))
        if record.leaders:
            facts.append((_cap(field_label("leaders", lang)), ", ".join(name(i) for i in record.leaders)))
        body.append(record.summary.get(lang))
    elif isinstance(record, Person):
        facts.append((t("role", lang), record.role.get(lang)))
        body.append(record.summary.get(lang))
    elif isinstance(record, Place):
        facts.append((t("role", lang), record.role.get(lang)))
        if record.within:
            facts.append((_cap(field_label("within", lang)), name(record.within)))
        body.append(record.summary.get(lang))
        if record.coordinates:
            c = record.coordinates
            coords = format_coordinates(c.lat, c.lon, lang)
            facts.append((t("coordinates", lang), coords))
            background.append((f"{t('coordinates', lang)} {coords}", c.basis.get(lang)))
    elif isinstance(record, Figure):
        facts.append((t("value", lang), format_value(record.value, lang)))
        facts.append((t("status", lang), status_label(record.status, lang)))
        if record.stated_by:
            facts.append((t("stated-by", lang), name(record.stated_by)))
        if record.span:
            facts.append((t("span", lang), record.span.text.get(lang)))
        if record.date:
            facts.append((t("date", lang), format_date(record.date, lang)))
        if record.part_of:
            facts.append((t("part-of", lang), name(record.part_of)))
        if record.in_addition_to:
            facts.append((t("in-addition-to", lang), name(record.in_addition_to)))
        body.append(record.summary.get(lang))
    elif isinstance(record, Statement):
        facts.append((t("speaker", lang), name(record.speaker)))
        facts.append((t("status", lang), status_label(record.status, lang)))
        if record.date:
            facts.append((t("date", lang), format_date(record.date, lang)))
        if record.kind == "quotation":
            body.append(f"« {record.text.fr} »" if lang == "fr" else f"“{record.text.en}”")
            if lang == "en":
                body.append(f"{t('quote-original', lang)}: « {record.text.fr} »")
        else:
            body.append(record.text.get(lang))
    elif isinstance(record, Event):
        facts.append((t("date", lang), format_date(record.date, lang)))
        facts.append((t("status", lang), status_label(record.status, lang)))
        if record.place:
            facts.append((_cap(field_label("place", lang)), name(record.place)))
        body.append(record.summary.get(lang))

    for dated in (getattr(record, "date", None),):
        if isinstance(dated, DateRef) and dated.iso and dated.basis:
            stated = dated.stated.get(lang)
            quoted = f"« {stated} »" if lang == "fr" else f"“{stated}”"
            background.append(
                (f"{t('resolved', lang)}{colon(lang)} {quoted} → {dated.iso}", dated.basis.get(lang))
            )

    return Detail(
        record=record,
        title=record.title(lang),
        kind=record.KIND,
        facts=facts,
        body=body,
        links=links_of(record, pack) if links else [],
        sources=record.sources,
        background=background,
    )


def links_of(record: Record, pack: FactPack) -> list[Link]:
    """Outgoing links in field order, then incoming ones, each target once."""
    out: list[Link] = []
    seen: set[str] = set()
    for fld, target_id in record.ref_ids():
        target = pack.get(target_id)
        if target is not None and target_id not in seen:
            seen.add(target_id)
            out.append(Link(fld, target))
    for source_id, fld in pack.backlinks.get(record.id, []):
        source = pack.get(source_id)
        if source is not None and source_id not in seen:
            seen.add(source_id)
            out.append(Link(fld, source, incoming=True))
    return out


def citation_lines(sources: list[Source], lang: str) -> list[str]:
    """`¶3 “quote”` for each source, the contract's citation format in words."""
    return [f"¶{s.paragraph} “{s.quote}”" for s in sources]


def citation(record: Record, pack: FactPack, lang: str) -> str:
    """One fact with its citation, as copied by `c`: title, value or text, then the sources."""
    d = detail(record, pack, lang)
    head = d.title
    if isinstance(record, Figure):
        head = (
            f"{d.title}{colon(lang)} {format_value(record.value, lang)} ({status_label(record.status, lang)})"
        )
    elif isinstance(record, Statement):
        head = f"{pack_name(pack, record.speaker, lang)}{colon(lang)} {d.body[0]}"
    elif d.body:
        head = f"{d.title}{colon(lang)} {d.body[0]}"
    cites = "; ".join(f"{t('paragraph', lang)} {s.paragraph}, “{s.quote}”" for s in d.sources)
    article = pack.info.article.title.get(lang)
    return f"{head} — {article} ({pack.info.article.date}), {cites}"


def pack_name(pack: FactPack, record_id: str, lang: str) -> str:
    target = pack.get(record_id)
    return target.title(lang) if target else record_id


# ---------------------------------------------------------------------------------------------
# money chart


@dataclass(frozen=True)
class Bar:
    """One row of the money chart: where the bar starts and ends in cells, and how it is drawn."""

    record: Figure
    label: str
    start: int
    end: int
    open_ended: bool
    is_range: bool


#: The chart compares the largest amounts; a pack with hundreds of them lists the rest below it.
CHART_LIMIT = 10


def money_figures(pack: FactPack) -> list[Figure]:
    return [r for r in pack.of_kind("figure") if isinstance(r, Figure) and is_money(r)]


def chart_figures(pack: FactPack) -> list[Figure]:
    """The amounts the chart compares: one currency only (the pack's most used), never $ against €."""
    figures = money_figures(pack)
    counts: dict[str, int] = {}
    for fig in figures:
        counts[fig.value.unit] = counts.get(fig.value.unit, 0) + 1
    if not counts:
        return []
    unit = max(counts, key=lambda u: (counts[u], u == "USD"))
    return [f for f in figures if f.value.unit == unit]


def money_bars(
    pack: FactPack, width: int, lang: str, limit: int | None = CHART_LIMIT
) -> tuple[list[Bar], float]:
    """Bars on a common linear scale (the largest amount fills `width`); ranges drawn low→high.
    Only the `limit` largest amounts get a bar; `chart_more` says how many were left out."""
    figures = chart_figures(pack)
    if not figures:
        return [], 0.0
    top = max(f.value.upper for f in figures) or 1.0
    bars = []
    for fig in sorted(figures, key=lambda f: -f.value.upper)[:limit]:
        v = fig.value
        end = max(1, round(v.upper / top * width))
        start = round(v.lower / top * width) if v.bound == "range" else 0
        bars.append(
            Bar(
                record=fig,
                label=format_value_short(v, lang),
                start=min(start, end - 1),
                end=end,
                open_ended=v.bound in ("at-least", "more-than"),
                is_range=v.bound == "range",
            )
        )
    return bars, top


def chart_rows(pack: FactPack, width: int, lang: str) -> list[list[tuple[str, str]]]:
    """The money chart laid out in `width` cells: one row per bar, each a list of (text, part)
    pieces where part is "label", "gap", "bar", "range", "open" or "title"; the explorer styles the
    parts, plain output joins them."""
    bars, _ = money_bars(pack, 10, lang)
    if not bars:
        return []
    label_width = min(max(len(b.label) for b in bars), 30)
    bars, _ = money_bars(pack, max(10, width - label_width - 2) - 1, lang)
    rows = []
    for bar in bars:
        row = [(bar.label.rjust(label_width)[:label_width], "label"), (" ", "gap")]
        if bar.is_range:
            span = max(bar.end - bar.start, 2)
            row += [(" " * bar.start, "gap"), ("├" + "━" * (span - 2) + "┤", "range")]
            used = bar.start + span
        else:
            row.append(("█" * bar.end, "bar"))
            used = bar.end
            if bar.open_ended:
                row.append(("▏+", "open"))
                used += 2
        title = bar.record.label.get(lang)
        room = width - label_width - 1 - used - 1
        if room > 3:
            row.append((" " + (title if len(title) <= room else title[: room - 1] + "…"), "title"))
        rows.append(row)
    return rows


def chart_legend(rows: list[list[tuple[str, str]]], lang: str) -> str | None:
    """What the chart's marks mean, only for the marks it draws: ▏ of an "at least" amount, ━ of a range."""
    parts = {part for row in rows for _, part in row}
    if "open" in parts and "range" in parts:
        return t("chart-note", lang)
    if "open" in parts:
        return t("chart-note-open", lang)
    if "range" in parts:
        return t("chart-note-range", lang)
    return None


def chart_more(pack: FactPack, shown: int, lang: str) -> str | None:
    """ "+N more amounts in the list" when the chart left some out."""
    hidden = len(money_figures(pack)) - shown
    if hidden <= 0:
        return None
    other = len(money_figures(pack)) - len(chart_figures(pack))
    if lang == "fr":
        text = f"+{hidden} autre{'s' if hidden > 1 else ''} montant{'s' if hidden > 1 else ''} dans la liste"
        return text + (f" (dont {other} dans d'autres devises)" if other else "")
    text = f"+{hidden} more amount{'s' if hidden > 1 else ''} in the list"
    return text + (f" ({other} in other currencies)" if other else "")


def overlaps(pack: FactPack, lang: str) -> list[str]:
    """Sentences saying which money figures overlap: parts of a total, amounts that add to another."""
    lines = []

    def sentence(first: Figure, verb: str, second: Figure) -> str:
        return (
            f"{sentence_start(first.label.get(lang))} ({format_value(first.value, lang)}) {t(verb, lang)} "
            f"{quoted_label(second.label.get(lang), lang)} ({format_value(second.value, lang)})"
        )

    for fig in pack.of_kind("figure"):
        if not isinstance(fig, Figure):
            continue
        if fig.part_of:
            whole = pack.get(fig.part_of)
            if isinstance(whole, Figure):
                lines.append(sentence(whole, "includes", fig))
        if fig.in_addition_to:
            other = pack.get(fig.in_addition_to)
            if isinstance(other, Figure):
                lines.append(sentence(fig, "adds-to", other))
    return lines


# ---------------------------------------------------------------------------------------------
# visual timeline

_MONTHS_SHORT = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
}


def date_span(date: DateRef | None) -> tuple[datetime.date, datetime.date] | None:
    """The days a resolved date covers: one day, a whole month ("December 2024"), the middle of a
    month for an approximate one ("mid-December"), a whole year; None when it is not resolved."""
    if date is None or date.iso is None:
        return None
    parts = [int(p) for p in date.iso.split("-")]
    if date.precision == "day":
        day = datetime.date(parts[0], parts[1], parts[2])
        return day, day
    if date.precision == "month":
        first = datetime.date(parts[0], parts[1], 1)
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        if date.approximate:
            return first.replace(day=8), first.replace(day=23)
        return first, last
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


def timeline_rows(
    events: list[Event], width: int, lang: str, selected: str | None = None
) -> list[list[tuple[str, str]]]:
    """The events on a time axis laid out in `width` cells, one row per event (its mark at its place
    on the axis, then its title), then the axis and its month labels. Each row is a list of (text,
    part); part is "point", "range", "undated", "title", "axis", "tick" or "space", and "selected-"
    before the part of the selected event's row."""
    spans = {e.id: date_span(e.date) for e in events}
    dated = [span for span in spans.values() if span is not None]
    if not dated or width < 20:
        return []
    start, end = min(lo for lo, _ in dated), max(hi for _, hi in dated)
    axis = max(12, width * 11 // 20)
    days = max((end - start).days, 1)

    def x(day: datetime.date) -> int:
        return round((day - start).days / days * (axis - 1))

    rows: list[list[tuple[str, str]]] = []
    room = width - axis - 1
    for event in events:
        chosen = "selected-" if event.id == selected else ""
        span = spans[event.id]
        if span is None:
            word = t("no-date", lang)
            row = [(word.ljust(axis)[:axis], chosen + "undated")]
        else:
            lo, hi = x(span[0]), x(span[1])
            if hi - lo >= 2:
                mark, part = "├" + "─" * (hi - lo - 1) + "┤", "range"
            elif span[0] != span[1]:
                mark, part = "├┤"[: hi - lo + 1] if hi > lo else "┼", "range"
            else:
                mark, part = "●", "point"
            row = [(" " * lo, "space"), (mark, chosen + part), (" " * (axis - lo - len(mark)), "space")]
        title = event.title(lang)
        if room > 3:
            title = title if len(title) <= room else title[: room - 1] + "…"
            row.append((" " + title, chosen + "title"))
        rows.append(row)
    # the axis, a tick at the start of each month, and the months' names under the ticks
    line = ["─"] * axis
    labels = [" "] * (axis + room + 1)
    month = datetime.date(start.year, start.month, 1)
    names = _MONTHS_SHORT[lang].split()
    free = 0
    while month <= end:
        if month >= start:
            at = x(month)
            line[at] = "┼"
            name = names[month.month - 1] + (f" {month.year}" if month.month == 1 or not free else "")
            if at >= free and at + len(name) <= len(labels):
                labels[at : at + len(name)] = name
                free = at + len(name) + 1
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    rows.append([("".join(line), "axis")])
    rows.append([("".join(labels).rstrip(), "tick")])
    return rows


# ---------------------------------------------------------------------------------------------
# labels inside sentences


def quoted_label(label: str, lang: str) -> str:
    """A label named inside a sentence after a noun ("the amount “First tranche”"): quoted as
    written, so that no article has to agree with a word the pack does not describe."""
    return f"« {sentence_start(label)} »" if lang == "fr" else f"“{sentence_start(label)}”"


def proper_names(pack: FactPack) -> set[str]:
    """The names of the pack's organisations, people and places, in both languages."""
    return {
        record.title(lang)
        for record in pack.records.values()
        if isinstance(record, Organisation | Person | Place)
        for lang in LANGS
    }


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.strip() else ""


def _mixed_case(word: str) -> bool:
    """`AI`, `SoftBank`, `iPhone`: a word whose case is its own, wherever it stands."""
    return any(c.isupper() for c in word[1:])


def sentence_start(label: str) -> str:
    """A label that begins a sentence: its first letter capitalised, unless its first word is mixed case."""
    return label if _mixed_case(_first_word(label)) else _cap(label)


def in_sentence(label: str, names: set[str]) -> str:
    """A label written as a title ("First tranche") used inside a sentence ("includes first tranche"): its
    first letter lowered, unless the label starts with a proper name of the pack ("Masayoshi Son's
    pledge") or a word that keeps its case anywhere ("AI", "OpenAI")."""
    if not label[:1].isupper() or _mixed_case(_first_word(label)):
        return label
    # every prefix that ends a word, looked up (not every name scanned: a big pack has thousands)
    for end in range(1, len(label) + 1):
        if (end == len(label) or not label[end].isalnum()) and label[:end] in names:
            return label
    return label[:1].lower() + label[1:]


# ---------------------------------------------------------------------------------------------
# spoken forms (the accessible mode): words a screen reader says naturally, no symbols

_SPOKEN_UNITS: dict[str, tuple[str, str, str, str]] = {
    # unit: (en singular, en plural, fr singular, fr plural)
    "USD": ("US dollar", "US dollars", "dollar américain", "dollars américains"),
    "EUR": ("euro", "euros", "euro", "euros"),
    "JPY": ("yen", "yen", "yen", "yens"),
    "percent": ("percent", "percent", "pour cent", "pour cent"),
    "GW": ("gigawatt", "gigawatts", "gigawatt", "gigawatts"),
    "MW": ("megawatt", "megawatts", "mégawatt", "mégawatts"),
    "jobs": ("job", "jobs", "emploi", "emplois"),
    "people": ("person", "people", "personne", "personnes"),
    "count": ("", "", "", ""),
}
_SPOKEN_SCALES = ((1e12, "trillion", "billions"), (1e9, "billion", "milliards"), (1e6, "million", "millions"))


def _spoken_number(number: float, lang: str) -> str:
    """12 / 10.61 / 10,61; exact thousands as "100 thousand" / "100 mille"; no narrow spaces."""
    if number == int(number) and abs(number) >= 10_000 and number % 1000 == 0:
        return f"{_spoken_number(number / 1000, lang)} {'mille' if lang == 'fr' else 'thousand'}"
    if number == int(number):
        return str(int(number)) if lang == "fr" else f"{int(number):,}"
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def _spoken_scale(upper: float, unit: str) -> tuple[float, str, str]:
    """The scale money is said in ("billion"), from its largest amount; other units are unscaled."""
    if unit in CURRENCIES:
        for size, en, fr in _SPOKEN_SCALES:
            if abs(upper) >= size:
                return size, en, fr
    return 1.0, "", ""


def _spoken_unit(unit: str, plural: bool, scaled: bool, lang: str) -> str:
    en_one, en_many, fr_one, fr_many = _SPOKEN_UNITS.get(unit, (unit, unit, unit, unit))
    if lang == "fr":
        word = fr_many if plural or scaled else fr_one
        if scaled and word:
            return f"d'{word}" if word[0] in "aeioué" else f"de {word}"  # d'euros, de dollars
        return word
    return en_many if plural or scaled else en_one


def spoken_value(value: Value, lang: str) -> str:
    """A value as a screen reader should say it: "at least 500 billion US dollars", "100 to 200
    billion US dollars", "10.61 percent" / "au moins 500 milliards de dollars américains"."""
    size, en, fr = _spoken_scale(value.upper, value.unit)
    scale = fr if lang == "fr" else en
    if value.bound == "range":
        low, high = (value.low or 0.0) / size, (value.high or 0.0) / size
        joiner = " à " if lang == "fr" else " to "
        number = f"{_spoken_number(low, lang)}{joiner}{_spoken_number(high, lang)}"
        plural = True
        prefix = ""
    else:
        amount = (value.amount or 0.0) / size
        number = _spoken_number(amount, lang)
        plural = abs(amount) >= 2 if lang == "fr" else abs(amount) != 1
        prefix = _pick(_BOUND.get(value.bound, ("", "")), lang)
    if lang == "fr" and scale and not plural:
        scale = scale[:-1]  # 1,5 milliard, 1 million
    unit = _spoken_unit(value.unit, plural, bool(scale), lang)
    return " ".join(part for part in (prefix + number, scale, unit) if part)
