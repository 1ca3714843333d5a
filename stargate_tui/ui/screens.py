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
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from ..pack import FactPack
from ..search import SearchIndex
from ..views import kind_label, list_label, pane_of, t
from .commands import Command, ranked
from .navlist import NavList

#: Results listed at most; the count says how many matched in all.
RESULTS_SHOWN = 100

#: Key names as the help writes them.
_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "f1": "F1",
}

#: Keys of every list (NavList and OptionList's own), one help row per group of actions.
_LIST_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("move", ("cursor_up", "cursor_down")),
    ("ends", ("first", "last")),
    ("page", ("page_up", "page_down")),
]
#: Screen keys that move between the areas of a pane.
_AREA_ACTIONS = ("app.focus_next", "app.focus_previous")


def key_text(keys: str) -> str:
    """ "question_mark,f1" → "? F1"; "alt+left" → "alt+←"."""
    return " ".join(
        "+".join(_KEY_NAMES.get(part, part) for part in key.split("+")) for key in keys.split(",")
    )


def _keys_by_action(*classes: type) -> dict[str, list[str]]:
    """Every key bound to each action by the classes' own BINDINGS (and their bases'), in order."""
    found: dict[str, list[str]] = {}
    for cls in classes:
        for klass in reversed(cls.__mro__):
            for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", [])):
                keys = found.setdefault(binding.action, [])
                if binding.key not in keys:
                    keys.append(binding.key)
    return found


def _help(key: str, lang: str, fallback: str) -> str:
    text = t(f"help-{key}", lang)
    return fallback[:1].lower() + fallback[1:] if text == f"help-{key}" else text


def help_rows(lang: str) -> list[tuple[str, str]]:
    """The help screen's (keys, what they do) rows, built from the bindings themselves: the main
    screen's, the lists' and the dialogs'. A binding added anywhere shows up here."""
    from .screen import main_bindings  # the main screen imports this module's screens lazily

    rows: list[tuple[str, str]] = []
    main = list(Binding.make_bindings(main_bindings(lang)))
    panes = [b for b in main if (b.id or "").startswith("pane-")]
    if panes:
        names = ", ".join(b.description for b in panes)
        rows.append((f"{panes[0].key} … {panes[-1].key}", names))
    lists = _keys_by_action(NavList)
    for group, actions in _LIST_GROUPS:
        columns = [lists.get(action, []) for action in actions]
        keys = "  ".join(
            " ".join(key_text(col[i]) for col in columns if i < len(col))
            for i in range(max(map(len, columns)))
        )
        rows.append((keys, _help(group, lang, group)))
    areas = _keys_by_action(Screen)
    rows.append(
        ("  ".join(key_text(k) for a in _AREA_ACTIONS for k in areas.get(a, [])), t("help-areas", lang))
    )
    rows.append((" ".join(key_text(k) for k in lists.get("select", [])), t("help-select", lang)))
    seen: set[str] = set()
    for binding in main:
        if binding in panes or binding.id in seen:
            continue
        seen.add(binding.id or binding.action)
        same = [b.key for b in main if b.id == binding.id]  # make_bindings splits "a,b" into two
        rows.append(
            (key_text(",".join(same)), _help(binding.id or binding.action, lang, binding.description))
        )
    dialogs = _keys_by_action(FinderScreen)
    rows.append((" ".join(key_text(k) for k in dialogs.get("cancel", [])), t("help-close", lang)))
    return rows


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
        for keys, text in help_rows(self.lang):
            table.add_row(keys, text)
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
            yield Input(
                value=self.initial,
                placeholder=self.words(self.PLACEHOLDER),
                select_on_focus=False,  # a letter typed in the list is added to the query, not over it
                classes="finder-input",
            )
            yield NavList(classes="finder-results")
            yield Static("", classes="finder-count")

    def on_mount(self) -> None:
        search = self.query_one(Input)
        search.focus()
        self._update(search.value)
        # the list follows the value inside the keystroke, so the typed character and its results are
        # drawn in one frame (Input.Changed arrives after the screen has drawn the character)
        self.watch(search, "value", self._update, init=False)

    def on_key(self, event: events.Key) -> None:
        # Keys typed right after the screen opened (a fast typist, a paste, keys that arrive together
        # over SSH) reach the screen itself before its input has the focus, and a letter typed in the
        # list (after a click on it) reaches it too: they go into the input, as in any finder.
        search = self.query_one(Input)
        if self.focused is not search and event.is_printable and event.character:
            event.stop()
            search.insert_text_at_cursor(event.character)
            search.focus()

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
            count = f"{len(hits)} résultat{'s' if len(hits) > 1 else ''}"  # 0 résultat, 1 résultat
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
