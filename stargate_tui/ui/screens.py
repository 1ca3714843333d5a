"""Modal screens: help, search and the command palette."""

from __future__ import annotations

from typing import ClassVar

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

from ..pack import FactPack
from ..search import SearchIndex
from ..views import kind_label, list_label, pane_of, t
from .commands import Command, ranked
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


class Dialog(ModalScreen[str | None]):
    """A modal screen closed at most once: a key and a click that both close it, arriving together,
    must not close the screen below it too."""

    def close(self, result: str | None = None) -> None:
        if self.is_current:
            self.dismiss(result)


class HelpScreen(Dialog):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close"),
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

    def action_close(self) -> None:
        self.close()


class FinderScreen(Dialog):
    """Type to filter; the list follows as you type; enter (or a click) chooses the highlighted item,
    and the screen closes with its id. Subclasses say what the list holds (`options`)."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "results_down", show=False),
        Binding("up", "results_up", show=False),
    ]

    BOX_TITLE: ClassVar[tuple[str, str]] = ("", "")  # (English, French)
    PLACEHOLDER: ClassVar[tuple[str, str]] = ("", "")

    def __init__(self, lang: str, query: str = "") -> None:
        super().__init__()
        self.lang = lang
        self.initial = query

    def words(self, pair: tuple[str, str]) -> str:
        return pair[1] if self.lang == "fr" else pair[0]

    def options(self, query: str) -> tuple[list[Option], str]:
        """The options for `query`, and the line under them (a count, or nothing)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="finder-box") as box:
            box.border_title = self.words(self.BOX_TITLE)
            box.border_subtitle = "enter · escape"
            yield Input(value=self.initial, placeholder=self.words(self.PLACEHOLDER), classes="finder-input")
            yield NavList(classes="finder-results")
            yield Static("", classes="finder-count")

    def on_mount(self) -> None:
        search = self.query_one(Input)
        search.focus()
        self._update(self.initial)
        # the list follows the value inside the keystroke, so the typed character and its results are
        # drawn in one frame (Input.Changed arrives after the screen has drawn the character)
        self.watch(search, "value", self._update, init=False)

    def on_key(self, event: events.Key) -> None:
        # Keys typed right after the screen opened (a fast typist, a paste, keys that arrive together
        # over SSH) reach the screen itself before its input has the focus: they go into the input.
        search = self.query_one(Input)
        if self.focused is search and event.is_printable and event.character:
            event.stop()
            search.insert_text_at_cursor(event.character)

    def _update(self, query: str) -> None:
        results = self.query_one(".finder-results", NavList)
        options, count = self.options(query)
        results.clear_options()
        results.add_options(options)
        if options:
            results.highlighted = 0
        self.query_one(".finder-count", Static).update(count)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        option = self.query_one(".finder-results", NavList).highlighted_option
        if option is not None:
            self.close(option.id)

    @on(NavList.OptionSelected)
    def _chosen(self, event: NavList.OptionSelected) -> None:
        self.close(event.option.id)

    def action_results_down(self) -> None:
        self.query_one(".finder-results", NavList).action_cursor_down()

    def action_results_up(self) -> None:
        self.query_one(".finder-results", NavList).action_cursor_up()

    def action_cancel(self) -> None:
        self.close()


class SearchScreen(FinderScreen):
    """Search every record; enter opens the highlighted one."""

    BOX_TITLE = ("Search", "Rechercher")
    PLACEHOLDER = ("name, amount, place, quote…", "nom, montant, lieu, citation…")

    def __init__(self, pack: FactPack, index: SearchIndex, lang: str, query: str = "") -> None:
        super().__init__(lang, query)
        self.pack = pack
        self.index = index

    def options(self, query: str) -> tuple[list[Option], str]:
        hits = self.index.search(query)
        shown = hits[:RESULTS_SHOWN]
        options = [
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
        if not query.strip():
            count = ""
        elif self.lang == "fr":
            count = f"{len(hits)} résultat{'s' if len(hits) != 1 else ''}"
            count += f" ({len(shown)} premiers affichés)" if len(shown) < len(hits) else ""
        else:
            count = f"{len(hits)} result{'s' if len(hits) != 1 else ''}"
            count += f" (first {len(shown)} shown)" if len(shown) < len(hits) else ""
        return options, count


class PaletteScreen(FinderScreen):
    """The command palette (see `commands.py`); closes with the chosen command's id."""

    BOX_TITLE = ("Commands", "Commandes")
    PLACEHOLDER = ("a pane, a record, a theme…", "un volet, un élément, un thème…")

    def __init__(self, commands: list[Command], lang: str) -> None:
        super().__init__(lang)
        self.commands = commands

    def options(self, query: str) -> tuple[list[Option], str]:
        options = []
        for command in ranked(self.commands, query):
            line = Content(command.text)
            if command.help:
                line += Content.styled(f"  {command.help}", "dim")
            options.append(Option(line, id=command.id))
        return options, ""
