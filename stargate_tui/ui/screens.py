"""Modal screens: help and search."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from ..loader import FactPack
from ..search import SearchIndex
from ..views import kind_label, list_label, pane_of, t
from .navlist import NavList

#: Results listed at most; the count says how many matched in all.
RESULTS_SHOWN = 100

#: (keys, English, French): the help screen is built from this; docs/user-guide.md lists the same keys.
KEYS: list[tuple[str, str, str]] = [
    (
        "1 … 7",
        "Overview, Partners, Money, Locations, Politics, People, Timeline",
        "Aperçu, Partenaires, Argent, Lieux, Politique, Personnes, Frise (chronologie)",
    ),
    ("↑ ↓  j k", "move in a list", "se déplacer dans une liste"),
    ("g G", "first / last item", "premier / dernier élément"),
    ("tab  shift+tab", "next / previous area (list, links)", "zone suivante / précédente (liste, liens)"),
    (
        "enter",
        "open the links of a record; follow the selected link",
        "ouvrir les liens d'un élément ; suivre le lien choisi",
    ),
    ("backspace  alt+←", "back", "retour"),
    ("alt+→", "forward", "avancer"),
    ("/", "search every record", "rechercher dans tous les éléments"),
    (
        "ctrl+p",
        "command palette: jump to any record or pane, change theme or language",
        "palette : aller à un élément ou un volet, changer de thème ou de langue",
    ),
    ("c", "copy the selected fact with its citation", "copier le fait choisi avec sa source"),
    ("? F1", "this help", "cette aide"),
    ("escape", "close a dialog", "fermer une fenêtre"),
    ("q", "quit", "quitter"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, en, fr in KEYS:
            table.add_row(keys, fr if self.lang == "fr" else en)
        title = "Aide — touches" if self.lang == "fr" else "Help — keys"
        foot = (
            "Chaque fait cite le paragraphe de l'article et ses mots exacts (¶N « citation »)."
            if self.lang == "fr"
            else "Every fact cites the article's paragraph and its exact words (¶N “quote”)."
        )
        with VerticalScroll(id="help-box") as box:
            box.border_title = title
            box.border_subtitle = "escape"
            yield Static(table)
            yield Static(Text(foot, style="italic"), id="help-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class SearchScreen(ModalScreen[str | None]):
    """Type to search; results update as you type; enter opens the highlighted record."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "results_down", show=False),
        Binding("up", "results_up", show=False),
    ]

    def __init__(self, pack: FactPack, index: SearchIndex, lang: str, query: str = "") -> None:
        super().__init__()
        self.pack = pack
        self.index = index
        self.lang = lang
        self.initial = query

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Rechercher" if self.lang == "fr" else "Search"
            box.border_subtitle = "enter · escape"
            yield Input(
                value=self.initial,
                placeholder="nom, montant, lieu, citation…"
                if self.lang == "fr"
                else "name, amount, place, quote…",
                id="search-input",
            )
            yield NavList(id="search-results")
            yield Static("", id="search-count")

    def on_mount(self) -> None:
        search = self.query_one(Input)
        search.focus()
        self._update(self.initial)
        # Results follow the value as it changes, inside the keystroke, not on Input.Changed: that
        # message arrives after the screen has drawn the typed character, and Textual draws at most
        # 60 frames a second, so the results came one frame (≥ 17 ms) later. Now both are one frame.
        self.watch(search, "value", self._update, init=False)

    def on_key(self, event: events.Key) -> None:
        # Keys typed right after `/` (a fast typist, a paste, keys that arrive together over SSH) were
        # sent to this screen before its input had the focus, and were lost. Such a key reaches the
        # screen itself while the input has the focus now: it goes into the input. (A key from the
        # results list, which has bindings of its own, is left alone.)
        search = self.query_one(Input)
        if self.focused is search and event.is_printable and event.character:
            event.stop()
            search.insert_text_at_cursor(event.character)

    def _update(self, query: str) -> None:
        results = self.query_one("#search-results", NavList)
        results.clear_options()
        hits = self.index.search(query)
        shown = hits[:RESULTS_SHOWN]
        results.add_options(
            [
                Option(
                    # plain text (never markup: labels are the pack's and the brackets are ours)
                    Content(
                        f"{list_label(h.record, self.lang)}  [{t(pane_of(h.record), self.lang)} · "
                        f"{kind_label(h.record.KIND, self.lang)}]"
                    ),
                    id=h.record.id,
                )
                for h in shown
            ]
        )
        if hits:
            results.highlighted = 0
        if not query.strip():
            count = ""
        elif self.lang == "fr":
            count = f"{len(hits)} résultat{'s' if len(hits) != 1 else ''}"
            count += f" ({len(shown)} premiers affichés)" if len(shown) < len(hits) else ""
        else:
            count = f"{len(hits)} result{'s' if len(hits) != 1 else ''}"
            count += f" (first {len(shown)} shown)" if len(shown) < len(hits) else ""
        self.query_one("#search-count", Static).update(count)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        results = self.query_one("#search-results", NavList)
        option = results.highlighted_option
        if option is not None:
            self.dismiss(option.id)

    @on(NavList.OptionSelected)
    def _chosen(self, event: NavList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_results_down(self) -> None:
        self.query_one("#search-results", NavList).action_cursor_down()

    def action_results_up(self) -> None:
        self.query_one("#search-results", NavList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
