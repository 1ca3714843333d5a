"""The accessible mode: a linear interface for screen readers and braille displays.

Typed commands in, appended lines out: no alternate screen, no cursor movement, no box drawing, no
colour, no escape sequence at all (except OSC 52 when `copy clipboard` asks for it on a terminal).
Every label, value, date, status, list and detail comes from `views`, as the explorer and plain output
show them, with amounts said in words (`views.spoken_value`). Never imports Textual. Works on a
terminal (readline line editing) and piped: `printf 'money\\n1\\nquit\\n' | stargate-tui --accessible`.
"""

from __future__ import annotations

import base64
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from functools import partial
from typing import IO, TYPE_CHECKING

from .history import History, Location
from .model import DateRef, Event, Figure, Record
from .plain import sections_of
from .search import SearchIndex, fold
from .views import (
    LANGS,
    PANES,
    Link,
    citation,
    detail,
    field_label,
    format_date,
    kind_label,
    pane_of,
    pane_records,
    quoted_label,
    sentence_start,
    spoken_value,
    status_label,
    t,
)

if TYPE_CHECKING:
    from .pack import FactPack

EXIT_OK, EXIT_INTERRUPTED = 0, 130
MAX_INPUT = 1000  # characters of one command that are read; the rest is ignored
PAGE = 50  # items said at once; `more` says the next ones (a big pack's panes list thousands)

_SAY: dict[str, dict[str, str]] = {
    "en": {
        "welcome": "{title}. Accessible mode. Type help for the commands, quit to leave.",
        "panes": "Panes, {n}:",
        "pick-pane": "Type a number or a pane name.",
        "pane": "{pane} pane, {n} items.",
        "pane:one": "{pane} pane, {n} item.",
        "section": "{title}, {n}:",
        "pick": "Type a number to open an item.",
        "more": "1 to {shown} of {n} said. Type more for the next ones.",
        "no-more": "That was the whole list.",
        "overlaps": "How the amounts overlap:",
        "position": "Item {i} of {n} in {where}.",
        "links-count": "{n} links. Type links to list them.",
        "links-count:one": "{n} link. Type links to hear it.",
        "no-links": "No links.",
        "links": "Links of {title}, {n}:",
        "pick-link": "Type a number to follow a link.",
        "unknown": "Unknown command: {text}. Type help for the commands.",
        "no-number": "No number {n} here: type 1 to {max}. Type list to hear the items again.",
        "no-pane": "No pane {text}. Type panes for the list.",
        "no-choices": "No numbered list yet. Type panes, or a pane name such as money.",
        "no-record": "No record is open. Open one first, for example with list and a number.",
        "no-such": "No record {text}. Try search {text}.",
        "last": "That was the last item.",
        "first": "That was the first item.",
        "no-back": "Nothing to go back to.",
        "no-forward": "Nothing to go forward to.",
        "search-how": "Type search and some words, for example: search Abilene.",
        "search-none": "Nothing found for {text}.",
        "results": "{n} results for {text}:",
        "results:one": "{n} result for {text}:",
        "search-results": "search results",
        "cite": "Citation: {text}",
        "clipboard": "Also sent to the terminal's clipboard.",
        "no-clipboard": "Output is not a terminal, so nothing was sent to a clipboard.",
        "lang": "Language: English.",
        "lang-how": "Languages: en, fr. For example: lang fr.",
        "sources": "Sources of {title}:",
        "article": "Paragraph {n} of the article: {text}",
        "background": "Background, not in the article: {note}. Basis: {basis}",
        "failed": "That command did not work: {text}. Type help for the commands.",
        "bye": "Goodbye.",
        "help": """Commands:
panes: the numbered list of panes.
A pane name or pane and a number opens that pane: money, pane 3.
list: the items of the current pane or search again.
more: the next items of a long list.
A number: the item with that number in the last numbered list.
open and a record id: that record, for example open stargate-total.
next, previous: the next or previous item of the list.
read: the open record again.
links: the open record's links, numbered; then a number follows one.
source: the open record's citations.
back, forward: where you were before, and back again.
search and words: the records that contain them, numbered.
copy: the open record with its citation. copy clipboard also sends it to the terminal's clipboard.
lang fr, lang en: change the language.
help: this list. quit: leave.""",
    },
    "fr": {
        "welcome": "{title}. Mode accessible. Tapez aide pour les commandes, quitter pour sortir.",
        "panes": "Volets, {n} :",
        "pick-pane": "Tapez un numéro ou un nom de volet.",
        "pane": "Volet {pane}, {n} éléments.",
        "pane:one": "Volet {pane}, {n} élément.",
        "section": "{title}, {n} :",
        "pick": "Tapez un numéro pour ouvrir un élément.",
        "more": "1 à {shown} sur {n} dits. Tapez suite pour la suite.",
        "no-more": "C'était toute la liste.",
        "overlaps": "Comment les montants se recoupent :",
        "position": "Élément {i} sur {n} dans {where}.",
        "links-count": "{n} liens. Tapez liens pour les lister.",
        "links-count:one": "{n} lien. Tapez liens pour l'entendre.",
        "no-links": "Aucun lien.",
        "links": "Liens de {title}, {n} :",
        "pick-link": "Tapez un numéro pour suivre un lien.",
        "unknown": "Commande inconnue : {text}. Tapez aide pour les commandes.",
        "no-number": "Pas de numéro {n} ici : tapez 1 à {max}. Tapez liste pour réentendre les éléments.",
        "no-pane": "Pas de volet {text}. Tapez volets pour la liste.",
        "no-choices": "Pas encore de liste numérotée. Tapez volets, ou un nom de volet comme argent.",
        "no-record": "Aucune fiche ouverte. Ouvrez-en une, par exemple avec liste et un numéro.",
        "no-such": "Pas de fiche {text}. Essayez chercher {text}.",
        "last": "C'était le dernier élément.",
        "first": "C'était le premier élément.",
        "no-back": "Rien avant.",
        "no-forward": "Rien après.",
        "search-how": "Tapez chercher et des mots, par exemple : chercher Abilene.",
        "search-none": "Rien trouvé pour {text}.",
        "results": "{n} résultats pour {text} :",
        "results:one": "{n} résultat pour {text} :",
        "search-results": "les résultats de recherche",
        "cite": "Citation : {text}",
        "clipboard": "Aussi envoyée au presse-papiers du terminal.",
        "no-clipboard": "La sortie n'est pas un terminal : rien n'a été envoyé au presse-papiers.",
        "lang": "Langue : français.",
        "lang-how": "Langues : en, fr. Par exemple : langue en.",
        "sources": "Sources de {title} :",
        "article": "Paragraphe {n} de l'article : {text}",
        "background": "Contexte, hors de l'article : {note}. Fondement : {basis}",
        "failed": "Cette commande n'a pas marché : {text}. Tapez aide pour les commandes.",
        "bye": "Au revoir.",
        "help": """Commandes :
volets : la liste numérotée des volets.
Un nom de volet, ou volet et un numéro, ouvre ce volet : argent, volet 3.
liste : les éléments du volet ou de la recherche, à nouveau.
suite : les éléments suivants d'une longue liste.
Un numéro : l'élément de ce numéro dans la dernière liste numérotée.
ouvrir et un identifiant : cette fiche, par exemple ouvrir stargate-total.
suivant, précédent : l'élément suivant ou précédent de la liste.
lire : la fiche ouverte, à nouveau.
liens : les liens de la fiche ouverte, numérotés ; puis un numéro en suit un.
source : les citations de la fiche ouverte.
retour, avancer : là où vous étiez avant, et retour.
chercher et des mots : les fiches qui les contiennent, numérotées.
copier : la fiche ouverte avec sa citation. copier presse-papiers l'envoie aussi au presse-papiers.
langue en, langue fr : changer de langue.
aide : cette liste. quitter : sortir.""",
    },
}

#: Every command and the words (English and French, accents folded) that call it.
_ALIASES: dict[str, tuple[str, ...]] = {
    "help": ("help", "h", "?", "aide"),
    "quit": ("quit", "q", "exit", "quitter", "sortir"),
    "panes": ("panes", "menu", "volets"),
    "pane": ("pane", "volet"),
    "list": ("list", "l", "liste"),
    "more": ("more", "m", "suite", "plus"),
    "open": ("open", "ouvrir"),
    "next": ("next", "n", "suivant"),
    "previous": ("previous", "prev", "p", "precedent"),
    "read": ("read", "again", "lire"),
    "links": ("links", "link", "liens", "lien"),
    "source": ("source", "sources"),
    "back": ("back", "b", "retour"),
    "forward": ("forward", "f", "avancer"),
    "search": ("search", "find", "/", "chercher"),
    "copy": ("copy", "c", "copier"),
    "lang": ("lang", "language", "langue"),
}
_COMMAND = {word: name for name, words in _ALIASES.items() for word in words}


def say(key: str, lang: str, **values: object) -> str:
    """A message of this mode in `lang`; a count `n` takes the singular where the language does (English
    for 1; French for 0 and 1) and the message has one ("key:one")."""
    messages = _SAY.get(lang, _SAY["en"])
    n = values.get("n")
    if isinstance(n, int) and (n < 2 if lang == "fr" else n == 1) and f"{key}:one" in messages:
        key = f"{key}:one"
    # a value cut with an ellipsis ends the sentence: no full stop after it
    return messages[key].format(**values).replace("….", "…")


def spoken_label(record: Record, lang: str) -> str:
    """A record as one line of a list: "at least 500 billion US dollars, Stargate's total investment,
    pledged"; "Tuesday 21 January 2025, Trump presents Stargate at the White House, announced"."""
    status = getattr(record, "status", None)
    tail = f", {status_label(status, lang)}" if isinstance(status, str) else ""
    if isinstance(record, Figure):
        return f"{spoken_value(record.value, lang)}, {record.label.get(lang)}{tail}"
    if isinstance(record, Event):
        return f"{format_date(record.date, lang)}, {record.title(lang)}{tail}"
    return f"{record.title(lang)}{tail}"


def colon(lang: str) -> str:
    return " : " if lang == "fr" else ": "


def link_label(link: Link, lang: str) -> str:
    target = f"{link.target.title(lang)}, {kind_label(link.target.KIND, lang)}"
    if link.incoming:
        return f"{t('linked-from', lang)}, {field_label(link.field, lang)}{colon(lang)}{target}"
    return f"{field_label(link.field, lang)}{colon(lang)}{target}"


def record_lines(record: Record, pack: FactPack, lang: str) -> list[str]:
    """A record's detail as the explorer shows it, one fact a line, amounts in words, no symbols."""
    d = detail(record, pack, lang)
    lines = [f"{d.title}, {kind_label(d.kind, lang)}."]
    for label, value in d.facts[1:]:  # the first fact is the kind, said above
        if isinstance(record, Figure) and label == t("value", lang):
            value = spoken_value(record.value, lang)
        lines.append(f"{label}{colon(lang)}{value}")
    # provenance straight after the key facts, as in the explorer: heard before the longer text
    lines += [f"{t('provenance', lang)}{colon(lang)}{line}" for line in citation_words(record, lang)]
    lines += [sentence for paragraph in d.body for sentence in sentences(paragraph)]
    date = getattr(record, "date", None)
    for note, basis in d.background:
        if isinstance(date, DateRef) and date.iso:  # "Resolved: “mardi” → 2025-01-21": the date in words
            note = note.replace(f" → {date.iso}", f", {format_date(date, lang)}")
        lines.append(say("background", lang, note=note.replace(" → ", ", ").rstrip("."), basis=basis))
    lines.append(say("links-count", lang, n=len(d.links)) if d.links else say("no-links", lang))
    return lines


#: Where a sentence ends: . ! or ? then a space and a capital or an opening quote (not after "J.").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+(?=[A-ZÀ-Ý\"“«])")


def sentences(text: str) -> list[str]:
    """A paragraph cut into sentences, one a line: short lines for braille and line-by-line review."""
    return [part for part in _SENTENCE_END.split(text) if part]


def citation_words(record: Record, lang: str) -> list[str]:
    """`paragraph 3, “quote”`: the contract's `¶3 “quote”` with the pilcrow said as a word."""
    return [f"{t('paragraph', lang)} {s.paragraph}, “{s.quote}”" for s in record.sources]


def overlap_lines(pack: FactPack, lang: str) -> list[str]:
    """`views.overlaps` in words: which money figures are parts of others or come on top of them."""
    lines = []
    for fig in pack.of_kind("figure"):
        if not isinstance(fig, Figure):
            continue
        for other_id, verb, whole_first in (
            (fig.part_of, "includes", True),
            (fig.in_addition_to, "adds-to", False),
        ):
            other = pack.get(other_id) if other_id else None
            if isinstance(other, Figure):
                first, second = (other, fig) if whole_first else (fig, other)
                lines.append(
                    f"{sentence_start(first.label.get(lang))}, {spoken_value(first.value, lang)}, "
                    f"{t(verb, lang)} {quoted_label(second.label.get(lang), lang)}, "
                    f"{spoken_value(second.value, lang)}."
                )
    return lines


class Session:
    """Where the reader is: the language, the open record, the list it came from, the history, and
    what each number of the last numbered list does.

    `run_accessible` drives one from a terminal or a pipe; a front end without either (a web page)
    can drive one itself: `Session(pack, lines.append, lang=…)`, `start(…)`, then `handle(text)` for
    each command, until it returns False."""

    def __init__(
        self, pack: FactPack, write: Callable[[str], None], *, lang: str = "en", terminal: bool = False
    ) -> None:
        self.pack = pack
        self.write = write
        self.lang = lang if lang in LANGS else "en"
        self.terminal = terminal  # stdout is a terminal: `copy clipboard` may send OSC 52
        self.paragraphs: Sequence[str] = ()
        self.history = History()
        self.pane = "overview"
        self.record: Record | None = None
        self.listing: list[Record] = []  # what next and previous walk: a pane's items or search hits
        self.query: str | None = None  # the search whose hits are the listing, if any
        self.choices: list[Callable[[], None]] = []
        self.labels: list[str] = []  # the last numbered list said, and how much of it (`more`)
        self.shown = 0
        self.headings: dict[int, str] = {}  # its section titles, by the index they start at
        self._index: SearchIndex | None = None

    def say(self, *lines: str) -> None:
        for line in lines:
            self.write(line)

    def start(self, *, pane: str | None = None, open_id: str | None = None) -> None:
        """The welcome line, then the record `open_id`, else `pane`, else the list of panes."""
        self.say(say("welcome", self.lang, title=self.pack.info.title.get(self.lang)))
        record = self.pack.get(open_id) if open_id else None
        if record is not None:
            self.open_record(record, pane=pane)
        elif pane in PANES:
            self.show_pane(pane)
        else:
            self.show_panes()

    # -- places --------------------------------------------------------------------------------

    def show_panes(self) -> None:
        self.say(say("panes", self.lang, n=len(PANES)))
        self.headings = {}
        self.say_items([t(pane, self.lang) for pane in PANES])
        self.say(say("pick-pane", self.lang))
        self.choices = [partial(self.show_pane, pane) for pane in PANES]

    def show_pane(self, pane: str, *, visit: bool = True) -> None:
        records = pane_records(self.pack, pane)
        self.pane, self.record, self.listing, self.query = pane, None, records, None
        if visit:
            self.history.visit(Location(pane))
        self.say(say("pane", self.lang, pane=t(pane, self.lang), n=len(records)))
        if pane == "overview":
            self.say(self.pack.info.summary.get(self.lang))
        self.headings, start = {}, 0
        for section in sections_of(self.pack, pane):
            self.headings[start] = say(
                "section", self.lang, title=section.title(self.lang), n=len(section.records)
            )
            start += len(section.records)
        self.say_items([spoken_label(r, self.lang) for r in records])
        if pane == "money" and (notes := overlap_lines(self.pack, self.lang)):
            self.say(say("overlaps", self.lang), *notes)
        self.say(say("pick", self.lang))
        self._offer(records)

    def say_items(self, labels: list[str] | None = None, start: int = 0) -> None:
        """Up to PAGE items of a numbered list (`labels`, else the last one) from `start`, under their
        section titles (`self.headings`)."""
        self.labels = self.labels if labels is None else labels
        end = min(start + PAGE, len(self.labels))
        for i in range(start, end):
            if i in self.headings:
                self.say(self.headings[i])
            self.say(f"{i + 1}. {self.labels[i]}")
        self.shown = end
        if end < len(self.labels):
            self.say(say("more", self.lang, shown=end, n=len(self.labels)))

    def _offer(self, records: list[Record]) -> None:
        self.choices = [partial(self.open_at, i) for i in range(len(records))]

    def open_at(self, index: int) -> None:
        """Open the item `index` of the current list."""
        record = self.listing[index]
        self.history.visit(Location(self.pane if self.query is None else pane_of(record), record.id))
        self._offer(self.listing)
        self.show_record(record)

    def open_record(self, record: Record, *, pane: str | None = None, visit: bool = True) -> None:
        """Open a record in its pane's list (`pane` when it lists the record), as the explorer does."""
        if pane is None or record not in pane_records(self.pack, pane):
            pane = pane_of(record)
        self.pane, self.listing, self.query = pane, pane_records(self.pack, pane), None
        if visit:
            self.history.visit(Location(pane, record.id))
        self._offer(self.listing)  # numbers pick from the pane again, not from the links just followed
        self.show_record(record)

    def show_record(self, record: Record) -> None:
        self.record = record
        self.say(*record_lines(record, self.pack, self.lang))
        if record in self.listing:
            i = self.listing.index(record) + 1
            where = t(self.pane, self.lang) if self.query is None else say("search-results", self.lang)
            self.say(say("position", self.lang, i=i, n=len(self.listing), where=where))

    # -- commands ------------------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Run one typed line; False when it was `quit`. Any input gets an answer, never a traceback."""
        try:
            return self._run(clean(line))
        except OSError:  # the output went away: not the input's fault
            raise
        except Exception as exc:
            self.say(say("failed", self.lang, text=type(exc).__name__))
            return True

    def _run(self, text: str) -> bool:
        words = text.split()
        if not words:
            return True
        head, rest = fold(words[0]), " ".join(words[1:])
        command = _COMMAND.get(head)
        if command == "quit":
            self.say(say("bye", self.lang))
            return False
        if head.isascii() and head.isdigit() and not rest:
            self.pick(int(head))
        elif command is not None:
            getattr(self, f"do_{command}")(rest)
        elif (pane := self.find_pane(text)) is not None:
            self.show_pane(pane)
        elif (record := self.pack.get(text.strip())) is not None:
            self.open_record(record)
        else:
            self.say(say("unknown", self.lang, text=_short(text)))
        return True

    def pick(self, number: int) -> None:
        if not self.choices:
            self.say(say("no-choices", self.lang))
        elif not 1 <= number <= len(self.choices):
            self.say(say("no-number", self.lang, n=number, max=len(self.choices)))
        else:
            self.choices[number - 1]()

    def find_pane(self, text: str) -> str | None:
        key = fold(text.strip())
        for pane in PANES:
            if key == pane or any(key == fold(t(pane, lang)) for lang in LANGS):
                return pane
        return None

    def do_help(self, rest: str) -> None:
        self.say(*say("help", self.lang).splitlines())

    def do_panes(self, rest: str) -> None:
        self.show_panes()

    def do_pane(self, rest: str) -> None:
        if rest.isascii() and rest.isdigit() and 1 <= int(rest) <= len(PANES):
            self.show_pane(PANES[int(rest) - 1])
        elif (pane := self.find_pane(rest)) is not None:
            self.show_pane(pane)
        else:
            self.say(say("no-pane", self.lang, text=_short(rest)))

    def do_list(self, rest: str) -> None:
        if self.query is not None:
            self.say(say("results", self.lang, n=len(self.listing), text=self.query))
            self.headings = {}
            self.say_items([spoken_label(r, self.lang) for r in self.listing])
            self._offer(self.listing)
        else:
            self.show_pane(self.pane, visit=False)

    def do_more(self, rest: str) -> None:
        if self.shown < len(self.labels):
            self.say_items(start=self.shown)
        else:
            self.say(say("no-more", self.lang))

    def do_open(self, rest: str) -> None:
        record = self.pack.get(rest.strip())
        if record is None:
            self.say(say("no-such", self.lang, text=_short(rest)))
        else:
            self.open_record(record)

    def do_next(self, rest: str, step: int = 1) -> None:
        if self.record is None or self.record not in self.listing:
            if self.listing:
                self.open_at(0 if step > 0 else len(self.listing) - 1)
            else:
                self.say(say("no-record", self.lang))
            return
        index = self.listing.index(self.record) + step
        if 0 <= index < len(self.listing):
            self.open_at(index)
        else:
            self.say(say("last" if step > 0 else "first", self.lang))

    def do_previous(self, rest: str) -> None:
        self.do_next(rest, -1)

    def _opened(self) -> Record | None:
        """The open record, or None after saying how to open one."""
        if self.record is None:
            self.say(say("no-record", self.lang))
        return self.record

    def do_read(self, rest: str) -> None:
        if (record := self._opened()) is not None:
            self.show_record(record)

    def do_links(self, rest: str) -> None:
        if (record := self._opened()) is None:
            return
        links = detail(record, self.pack, self.lang).links
        if not links:
            self.say(say("no-links", self.lang))
            return
        self.choices = [partial(self.open_record, link.target) for link in links]
        if rest.strip():
            self.pick(int(rest) if rest.isascii() and rest.strip().isdigit() else 0)
            return
        self.say(say("links", self.lang, title=record.title(self.lang), n=len(links)))
        self.headings = {}
        self.say_items([link_label(link, self.lang) for link in links])
        self.say(say("pick-link", self.lang))

    def do_source(self, rest: str) -> None:
        if (record := self._opened()) is None:
            return
        self.say(say("sources", self.lang, title=record.title(self.lang)))
        self.say(*citation_words(record, self.lang))
        for n in sorted({s.paragraph for s in record.sources}):
            if n <= len(self.paragraphs):
                self.say(say("article", self.lang, n=n, text=" ".join(self.paragraphs[n - 1].split())))

    def do_back(self, rest: str, forward: bool = False) -> None:
        location = self.history.forward() if forward else self.history.back()
        if location is None:
            self.say(say("no-forward" if forward else "no-back", self.lang))
            return
        record = self.pack.get(location.record_id) if location.record_id else None
        if record is None:
            self.show_pane(location.pane, visit=False)
        else:
            self.open_record(record, pane=location.pane, visit=False)

    def do_forward(self, rest: str) -> None:
        self.do_back(rest, forward=True)

    def do_search(self, rest: str) -> None:
        if not rest.strip():
            self.say(say("search-how", self.lang))
            return
        if self._index is None:
            self._index = SearchIndex(self.pack)
        hits = [hit.record for hit in self._index.search(rest)]
        if not hits:
            self.say(say("search-none", self.lang, text=_short(rest)))
            return
        self.record, self.listing, self.query = None, hits, _short(rest)
        self.do_list("")
        self.say(say("pick", self.lang))

    def do_copy(self, rest: str) -> None:
        if (record := self._opened()) is None:
            return
        text = citation(record, self.pack, self.lang)
        self.say(say("cite", self.lang, text=text))
        if fold(rest).startswith(("clip", "presse")):
            if self.terminal:
                payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
                self.write(f"\x1b]52;c;{payload}\x07" + say("clipboard", self.lang))  # OSC 52
            else:
                self.say(say("no-clipboard", self.lang))

    def do_lang(self, rest: str) -> None:
        lang = fold(rest.strip())[:2]
        if lang not in LANGS:
            self.say(say("lang-how", self.lang))
            return
        self.lang = lang
        self.say(say("lang", lang))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean(line: str) -> str:
    """A typed line without control characters (arrow keys read from a pipe, escape sequences)."""
    line = line[:MAX_INPUT]
    return "".join(c for c in line if unicodedata.category(c) not in ("Cc", "Cf", "Cs") or c == "\t")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _writer(stdout: IO[str]) -> Callable[[str], None]:
    """One line at a time, flushed; characters the stream cannot encode are replaced."""
    encoding = getattr(stdout, "encoding", None) or "utf-8"

    def write(line: str) -> None:
        try:
            line.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            line = line.encode(encoding, "replace").decode(encoding, "replace")
        stdout.write(line + "\n")
        stdout.flush()

    return write


def _reader(stdin: IO[str], stdout: IO[str]) -> Callable[[], str | None]:
    """The next typed line, or None at the end of input. On the process's own terminal, `input()`
    with readline gives line editing and history; elsewhere (a pipe, a server's streams) lines are
    read as they come, with a prompt only when a person is typing."""
    interactive = _isatty(stdin)
    console = interactive and stdin is sys.stdin and stdout is sys.stdout
    if console:
        try:
            import readline

            readline.parse_and_bind("set enable-bracketed-paste off")  # no mode switches to hear
        except ImportError:  # pragma: no cover - Python built without readline
            pass

    def read() -> str | None:
        if console:
            try:
                return input("> ")
            except EOFError:
                return None
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        return line.rstrip("\r\n") if line else None

    return read


def run_accessible(
    pack: FactPack,
    *,
    pane: str | None = None,
    open_id: str | None = None,
    lang: str = "en",
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    paragraphs: Sequence[str] = (),
) -> int:
    """Run the accessible mode until `quit` or the end of input (0), or Ctrl-C (130).

    `pane`, `open_id` and `lang` say where to start, as for the explorer; `paragraphs` (the article's
    text, numbered from 1) lets `source` read out the cited paragraphs. A server calls this in the
    session's child with the session's streams."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")  # bytes that are not text become one "?", not a traceback
    write = _writer(stdout)
    session = Session(pack, write, lang=lang, terminal=_isatty(stdout))
    session.paragraphs = paragraphs
    read = _reader(stdin, stdout)
    try:
        session.start(pane=pane, open_id=open_id)
        while (line := read()) is not None:
            if not session.handle(line):
                break
    except KeyboardInterrupt:
        write("")
        return EXIT_INTERRUPTED
    return EXIT_OK
