"""The command palette's commands: every pane, every record, the language, the themes, help and quit.

The explorer has its own palette (`PaletteScreen`) rather than Textual's: it speaks the explorer's
language (Textual's placeholders and built-in commands are English), it offers only what a reader of
the pack needs (no screenshot written to disk, no key panel: a served session stays read-only), and it
survives any input (Textual's palette fails when keys and clicks arrive faster than it gathers
commands).
"""

from __future__ import annotations

from typing import NamedTuple

from textual.fuzzy import Matcher

from ..pack import FactPack
from ..views import PANES, kind_label, t


class Command(NamedTuple):
    id: str  # "pane:money", "record:abilene", "lang:fr", "theme:nord", "help", "quit"
    title: str  # what the user types to find it
    text: str  # the line shown: "Pane: Money"
    help: str  # shown after it: "key 3"


#: Commands listed at most; typing narrows the list.
SHOWN = 100


def _words(lang: str, en: str, fr: str) -> str:
    return fr if lang == "fr" else en


def commands(pack: FactPack, lang: str, themes: list[str]) -> list[Command]:
    """Every command, in the order the palette lists them before anything is typed."""
    colon = " :" if lang == "fr" else ":"
    pane_word = _words(lang, "Pane", "Volet")
    key_word = _words(lang, "key", "touche")
    out = [
        Command(f"pane:{pane}", t(pane, lang), f"{pane_word}{colon} {t(pane, lang)}", f"{key_word} {n}")
        for n, pane in enumerate(PANES, start=1)
    ]
    # the other language, named in itself (as language pickers do) and in the one shown
    if lang == "en":
        out.append(Command("lang:fr", "français", "Langue : français", "Language: French"))
    else:
        out.append(Command("lang:en", "English", "Language: English", "Langue : anglais"))
    out.append(Command("help", t("key-help", lang), t("key-help", lang), "?"))
    theme_word = _words(lang, "Theme", "Thème")
    out += [Command(f"theme:{theme}", theme, f"{theme_word}{colon} {theme}", "") for theme in themes]
    out.append(Command("quit", t("key-quit", lang), t("key-quit", lang), "q"))
    go = _words(lang, "Go to", "Aller à")
    for record in pack.records.values():
        title = record.title(lang)
        out.append(
            Command(
                f"record:{record.id}",
                title,
                f"{go}{colon} {title}",
                f"{kind_label(record.KIND, lang)} · {record.id}",
            )
        )
    return out


def ranked(all_commands: list[Command], query: str) -> list[Command]:
    """The commands matching `query`, best first; with nothing typed, every command but the records."""
    wanted = query.strip().casefold()
    if not wanted:
        return [c for c in all_commands if not c.id.startswith("record:")][:SHOWN]
    matcher = Matcher(query)
    scored = []
    for number, command in enumerate(all_commands):
        score = max(matcher.match(command.text), matcher.match(command.help) * 0.8)
        folded = command.title.casefold()
        if folded == wanted:
            score += 2  # the exact name beats every fuzzy match, then names it starts
        elif folded.startswith(wanted):
            score += 1
        if score > 0:
            scored.append((-score, number, command))
    scored.sort()
    return [command for _, _, command in scored[:SHOWN]]
