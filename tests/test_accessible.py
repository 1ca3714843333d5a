"""The accessible mode (`--accessible`, `ACCESSIBLE=1`): typed commands in, appended plain lines out.

Most tests run the mode in-process on text streams (as a pipe does); a few run `python -m
stargate_tui` through a real pipe and through a pseudo-terminal, as a screen-reader user would.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import itertools
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stargate_tui import accessible
from stargate_tui.accessible import Session, run_accessible
from stargate_tui.loader import ENV_CONTENT, FactPack, load_pack, read_paragraphs
from stargate_tui.model import Event, Figure, Record, Statement, Value
from stargate_tui.views import (
    PANES,
    citation,
    detail,
    format_date,
    kind_label,
    links_of,
    pane_records,
    spoken_value,
    status_label,
    t,
)

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
BOX_DRAWING = re.compile("[\u2500-\u257f]")
ANY_ESCAPE = re.compile(r"\x1b")


@pytest.fixture(scope="module", autouse=True)
def _embedded_pack() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_CONTENT, raising=False)
        mp.delenv("ACCESSIBLE", raising=False)
        yield


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


def detail_links(pack: FactPack, record: Record) -> list[Record]:
    return [link.target for link in links_of(record, pack)]


def session(pack: FactPack, *commands: str, **options: object) -> tuple[int, str]:
    """Run the mode on `commands` (one a line, as piped) and return its exit status and output."""
    stdin = io.StringIO("".join(f"{c}\n" for c in commands))
    stdout = io.StringIO()
    status = run_accessible(pack, stdin=stdin, stdout=stdout, **options)  # type: ignore[arg-type]
    return status, stdout.getvalue()


def after(output: str, marker: str) -> str:
    """The output from the last occurrence of `marker` on."""
    return output[output.rindex(marker) :]


def replies(pack: FactPack, *commands: str, **options: object) -> list[str]:
    """What the mode answers to each command, one string per command."""
    outputs = [session(pack, *commands[:n], **options)[1] for n in range(len(commands) + 1)]
    return [later[len(earlier) :] for earlier, later in itertools.pairwise(outputs)]


def plain_lines(output: str) -> None:
    """What every output of the mode must be: no escape sequence, no box drawing, no traceback."""
    assert not ANY_ESCAPE.search(output)
    assert not BOX_DRAWING.search(output)
    assert "Traceback" not in output


# ---------------------------------------------------------------------------------------------
# panes, records, citations


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_pane_by_number_and_by_name(pack: FactPack, lang: str) -> None:
    for number, pane in enumerate(PANES, 1):
        heading = f"{t(pane, lang)} pane," if lang == "en" else f"Volet {t(pane, lang)},"
        for commands in (("panes", str(number)), (f"pane {number}",), (pane,), (t(pane, lang).lower(),)):
            status, out = session(pack, *commands, "quit", lang=lang)
            assert status == 0
            plain_lines(out)
            shown = after(out, heading)
            for record in pane_records(pack, pane)[: accessible.PAGE]:  # `more` says the rest
                assert record.title(lang) in shown, (commands, record.id)


def test_pane_content_beyond_the_list(pack: FactPack) -> None:
    _, out = session(pack, "overview", "money")
    assert pack.info.summary.get("en") in out  # the overview's summary
    assert "How the amounts overlap:" in out  # the money pane's notes, in words
    assert "includes the amount “First tranche deployed immediately”, 100 billion US dollars." in out


def test_every_record_is_listed_by_some_pane(pack: FactPack) -> None:
    listed = {record.id for pane in PANES for record in pane_records(pack, pane)}
    assert listed == set(pack.records)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_record_its_facts_and_citations_reachable_by_typing(pack: FactPack, lang: str) -> None:
    for pane in PANES:
        records = pane_records(pack, pane)
        for number, record in enumerate(records, 1):
            _, out = session(pack, pane, str(number), "source", lang=lang)
            plain_lines(out)
            opened = after(out, f"\n{record.title(lang)}, {kind_label(record.KIND, lang)}.\n")
            status = getattr(record, "status", None)
            if isinstance(status, str):
                assert f": {status_label(status, lang)}\n" in opened
            if isinstance(record, Figure):
                assert f": {spoken_value(record.value, lang)}\n" in opened
            if isinstance(record, Statement):
                speaker = pack.get(record.speaker)
                assert speaker is not None and f": {speaker.title(lang)}\n" in opened
            if isinstance(record, Event):
                assert format_date(record.date, lang) in opened
            word, sep = t("paragraph", lang), (" : " if lang == "fr" else ": ")
            for source in record.sources:
                cited = f"{word} {source.paragraph}, “{source.quote}”"
                assert f"{t('provenance', lang)}{sep}{cited}\n" in opened  # in the detail
                assert f"\n{cited}\n" in after(out, "Sources" if lang == "en" else "Sources de")
            position = f"{number} of {len(records)}" if lang == "en" else f"{number} sur {len(records)}"
            assert position in opened


def test_amounts_and_dates_are_said_in_words(pack: FactPack) -> None:
    _, out = session(pack, "money")
    assert "1. at least 500 billion US dollars, Stargate's total investment, announced" in out
    assert "100 to 200 billion US dollars" in out
    assert "more than 100 thousand jobs" in out
    assert "$" not in out.split("Money pane")[1].split("How the amounts")[0]
    assert "≥" not in out and "·" not in out and "¶" not in out
    _, out = session(pack, "timeline", lang="fr")
    assert "mardi 21 janvier 2025, " in out
    _, out = session(pack, "open stargate-total")
    assert "Background, not in the article: Resolved: “Tuesday”, Tuesday 21 January 2025. Basis: " in out
    assert "2025-01-21" not in out
    _, out = session(pack, "argent", lang="fr")
    assert "1. au moins 500 milliards de dollars américains, " in out


@pytest.mark.parametrize(
    ("value", "en", "fr"),
    [
        (Value(unit="USD", bound="at-least", amount=5e11), "at least 500 billion US dollars",
         "au moins 500 milliards de dollars américains"),
        (Value(unit="USD", bound="range", low=1e11, high=2e11), "100 to 200 billion US dollars",
         "100 à 200 milliards de dollars américains"),
        (Value(unit="percent", amount=10.61), "10.61 percent", "10,61 pour cent"),
        (Value(unit="jobs", bound="more-than", amount=100_000), "more than 100 thousand jobs",
         "plus de 100 mille emplois"),
        (Value(unit="GW", amount=1), "1 gigawatt", "1 gigawatt"),
        (Value(unit="EUR", bound="about", amount=1.5e9), "about 1.5 billion euros",
         "environ 1,5 milliard d'euros"),
        (Value(unit="count", amount=2500), "2,500", "2500"),
    ],
)  # fmt: skip
def test_spoken_value(value: Value, en: str, fr: str) -> None:
    assert spoken_value(value, "en") == en
    assert spoken_value(value, "fr") == fr


# ---------------------------------------------------------------------------------------------
# moving around


def test_links_are_followed_and_back_and_forward_return(pack: FactPack) -> None:
    opened, links, one, back, forward, two = replies(
        pack, "open stargate-total", "links", "1", "back", "forward", "links 2"
    )
    assert opened.startswith("Stargate's total investment, figure.\n")
    assert links.startswith("Links of Stargate's total investment, 10:\n1. stated by: Donald Trump, person\n")
    assert "Linked from, part of: First tranche deployed immediately, figure" in links
    assert links.endswith("Type a number to follow a link.\n")
    assert one.startswith("Donald Trump, person.\n") and one.endswith("Item 1 of 5 in People.\n")
    assert back == opened
    assert forward == one
    second = pack.records["donald-trump"]
    target = detail_links(pack, second)[1]
    assert two.startswith(f"{target.title('en')}, ") and "Links of" not in two  # followed, not listed


def test_a_number_after_following_a_link_picks_from_the_pane(pack: FactPack) -> None:
    _, out = session(pack, "money", "1", "links", "1", "2")
    # after the link to Donald Trump (People), 2 is the second person, not the second link
    assert after(out, "Item 1 of 5 in People.").count("Item 2 of 5 in People.") == 1


def test_long_lists_are_said_a_page_at_a_time(pack: FactPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accessible, "PAGE", 3)
    money, more, rest, done, eighth = replies(pack, "money", "more", "more", "more", "8")
    assert "\n3. 100 to 200 billion US dollars, " in money and "\n4. " not in money
    assert "1 to 3 of 8 said. Type more for the next ones.\n" in money
    assert more.startswith("4. 100 billion US dollars, ")
    assert "\nOther figures, 4:\n5. 10.61 percent, " in more  # a section title where its items start
    assert rest.startswith("7. ") and rest.endswith("8. 49 percent, Microsoft's stake in OpenAI, reported\n")
    assert done == "That was the whole list.\n"
    assert eighth.startswith("Microsoft's stake in OpenAI, figure.\n")  # any number works, said or not
    links, more = replies(pack, "open stargate-total", "links", "more")[1:]
    assert "\n3. about: United States, place\n1 to 3 of 10 said." in links
    assert more.startswith("4. in addition to: Masayoshi Son's December pledge, figure\n")


def test_after_next_a_number_picks_from_the_list_again(pack: FactPack) -> None:
    *_, opened = replies(pack, "money", "1", "links", "next", "4")
    assert opened.endswith("Item 4 of 8 in Money.\n")


def test_next_and_previous_walk_the_list_and_say_its_ends(pack: FactPack) -> None:
    money = pane_records(pack, "money")
    _, out = session(pack, "money", "next", "next", "previous", "previous", "previous")
    assert "Item 1 of 8 in Money." in out and "Item 2 of 8 in Money." in out
    assert out.rstrip().endswith("That was the first item.")
    assert after(out, "Item 2 of 8").count(f"{money[0].title('en')}, figure.") == 1
    _, out = session(pack, "money", str(len(money)), "next")
    assert out.rstrip().endswith("That was the last item.")


def test_search_lists_numbered_hits_that_open(pack: FactPack) -> None:
    _, out = session(pack, "search abilene", "1", "list", "next")
    assert "results for abilene:" in out
    assert "1. Abilene" in out
    assert "Abilene, place." in out and "Item 1 of " in out and "in search results." in out
    assert "Item 2 of " in after(out, "results for abilene:")
    _, out = session(pack, "search", "search zzzqqq")
    assert "Type search and some words, for example: search Abilene." in out
    assert "Nothing found for zzzqqq." in out


def test_lang_switches_every_later_line(pack: FactPack) -> None:
    _, out = session(pack, "money", "lang fr", "list", "1", "lang en", "read", "lang de")
    assert "Langue : français." in out
    french = after(out, "Langue : français.").split("Language: English.")[0]
    assert "Volet Argent, 8 éléments." in french
    assert "Statut : annoncé" in french
    english = after(out, "Language: English.")
    assert "Status: announced" in english
    assert english.rstrip().endswith("Languages: en, fr. For example: lang fr.")


def test_start_on_pane_record_and_language(pack: FactPack) -> None:
    _, out = session(pack, pane="timeline")
    assert "Timeline pane, 8 items." in out and "Panes, " not in out
    _, out = session(pack, open_id="abilene", lang="fr")
    assert "Abilene, lieu." in out and "Élément 3 sur 9 dans Lieux." in out
    _, out = session(pack, pane="overview", open_id="stargate-total")
    assert "Item 1 of 34 in Overview." in out  # --pane keeps the record in that pane when it lists it


def test_copy_prints_the_explorers_citation_without_escape(pack: FactPack) -> None:
    _, out = session(pack, "copy", "money", "1", "copy", "copy clipboard")
    assert "No record is open." in out
    text = citation(pack.records["stargate-total"], pack, "en")
    assert out.count(f"Citation: {text}\n") == 2
    assert "nothing was sent to a clipboard" in out
    plain_lines(out)


def test_source_reads_the_cited_paragraph_when_the_article_is_given(pack: FactPack) -> None:
    paragraphs = read_paragraphs(Path("/work/shared/source/000_0d32b5b5a755ef52.txt"))
    if not paragraphs:
        pytest.skip("article not available")
    _, out = session(pack, "open abilene", "source", paragraphs=paragraphs)
    assert "Paragraph 5 of the article: " in out
    assert "Abilene" in after(out, "Paragraph 5 of the article: ")


# ---------------------------------------------------------------------------------------------
# help, bad input, exits


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "panes pane list more open next previous read links source back forward search copy lang help "
               "quit"),
        ("fr", "volets volet liste suite ouvrir suivant précédent lire liens source retour avancer chercher "
               "copier langue aide quitter"),
    ],
)  # fmt: skip
def test_help_names_every_command(pack: FactPack, lang: str, words: str) -> None:
    _, out = session(pack, "help" if lang == "en" else "aide", lang=lang)
    text = after(out, "Commands:" if lang == "en" else "Commandes :")
    for word in words.split():
        assert re.search(rf"\b{word}\b", text), word


@pytest.mark.parametrize(
    "command",
    ["frobnicate", "8" * 50, "99", "0", "pane 99", "pane nowhere", "open no-such-id", "links", "source",
     "next", "read", "copy", "x" * 5000, "\x1b[A", "{}", "%s %d", "lang", "links abc", "-1"],
)  # fmt: skip
def test_bad_input_gets_a_one_line_hint(pack: FactPack, command: str) -> None:
    _, before = session(pack, "panes")
    status, out = session(pack, "panes", command, "quit")
    assert status == 0
    plain_lines(out)
    reply = out[len(before) :].splitlines()
    assert len(reply) == 2 and reply[1] == "Goodbye.", reply  # one line, then quit's
    assert any(word in reply[0] for word in ("help", "Type", "No ", "Languages")), reply


def test_a_long_command_is_cut_with_one_ellipsis(pack: FactPack) -> None:
    _, out = session(pack, "z" * 200)
    reply = out.rstrip().splitlines()[-1]
    assert reply.startswith("Unknown command: " + "z" * 50) and "z" * 60 not in reply
    assert "…" in reply and "..." not in reply and "…." not in reply


@pytest.mark.parametrize("line", ["", "   ", "\x00\x07", "\t"])
def test_blank_lines_are_ignored(pack: FactPack, line: str) -> None:
    assert replies(pack, "panes", line, "quit")[1:] == ["", "Goodbye.\n"]


def test_number_beyond_the_panes_gives_a_hint(pack: FactPack) -> None:
    _, out = session(pack, str(len(PANES) + 1))
    assert out.rstrip().endswith(f"No number {len(PANES) + 1} here: type 1 to {len(PANES)}. "
                                 "Type list to hear the items again.")  # fmt: skip


def test_quit_and_end_of_input_exit_0(pack: FactPack) -> None:
    status, out = session(pack, "quit", "money")
    assert status == 0 and out.rstrip().endswith("Goodbye.") and "Money pane" not in out
    status, out = session(pack, "money")
    assert status == 0 and "Money pane" in out


def test_ctrl_c_exits_130_without_traceback(pack: FactPack) -> None:
    class Interrupted(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            raise KeyboardInterrupt

    stdout = io.StringIO()
    assert run_accessible(pack, stdin=Interrupted(), stdout=stdout) == 130
    assert "Traceback" not in stdout.getvalue()


# ---------------------------------------------------------------------------------------------
# processes: a pipe, the environment, a pseudo-terminal


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (ENV_CONTENT, "ACCESSIBLE", "NO_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return {**env, **extra}


def _piped(stdin: bytes, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stargate_tui", *args],
        input=stdin,
        capture_output=True,
        env=_env(**env),
        timeout=60,
        check=False,
    )


def test_piped_money_1_quit() -> None:
    result = _piped(b"money\n1\nquit\n", "--accessible")
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr
    assert "1. at least 500 billion US dollars, Stargate's total investment, announced" in out
    assert "Source: paragraph 1, “comprenant des investissements" in out
    assert out.endswith("Goodbye.\n") and result.stderr == b""
    plain_lines(out)


def test_accessible_environment_variable_and_its_off_values() -> None:
    on = _piped(b"money\n", ACCESSIBLE="1")
    assert on.returncode == 0 and b"Money pane, 8 items." in on.stdout
    for value in ("0", ""):
        off = _piped(b"money\n", ACCESSIBLE=value)
        assert off.returncode == 0 and b"Money pane" not in off.stdout  # the plain fallback instead
        assert BOX_DRAWING.search(off.stdout.decode("utf-8"))  # which draws boxes: the mode does not


def test_bytes_that_are_not_text_and_eof_mid_line() -> None:
    result = _piped(b"\xff\xfe money\nmoney\n1", "--accessible", "--lang", "fr")
    assert result.returncode == 0 and result.stderr == b""
    out = result.stdout.decode("utf-8")
    assert "Commande inconnue" in out and "Volet Argent" in out and "Élément 1 sur 8" in out


def test_accessible_mode_never_imports_textual() -> None:
    probe = (
        "import io, json, sys\n"
        "from stargate_tui import cli\n"
        "sys.stdin = io.StringIO('money\\n1\\nsearch oracle\\nquit\\n')\n"
        "status = cli.main(['--accessible'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(json.dumps({'status': status, 'textual': loaded}), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=_env(), timeout=60, check=False
    )
    assert b"Goodbye." in result.stdout.encode()
    assert json.loads(result.stderr.splitlines()[-1]) == {"status": 0, "textual": []}


class Terminal:
    """`python -m stargate_tui --accessible` on a pseudo-terminal that is its controlling terminal."""

    def __init__(self, *args: str) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24 x 80

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [sys.executable, "-m", "stargate_tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=_env(TERM="xterm-256color"),
            preexec_fn=controlling_terminal,  # a test: no threads are running
        )
        os.close(slave)
        self.output = b""

    def read_until(self, text: bytes, timeout: float = 30) -> bytes:
        end = time.monotonic() + timeout
        while text not in self.output and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                self.output += chunk
        assert text in self.output, self.output[-2000:]
        return self.output

    def drain(self) -> bytes:
        """Everything written until the child closed the terminal."""
        while select.select([self.master], [], [], 5)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        return self.output

    def type(self, line: str) -> None:
        os.write(self.master, line.encode("utf-8") + b"\r")

    def close(self) -> int:
        try:
            return self.process.wait(10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            with contextlib.suppress(OSError):
                os.close(self.master)


@pytest.fixture
def terminal() -> Iterator[Callable[..., Terminal]]:
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal(*args)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def test_on_a_terminal_the_screen_is_never_taken_over(terminal: Callable[..., Terminal]) -> None:
    term = terminal("--accessible")
    term.read_until(b"Type a number or a pane name.\r\n> ")  # the prompt: readline waits
    for command in ("money", "1", "links", "1", "back", "search oracle", "bogus", "help"):
        term.type(command)
    term.read_until(b"help: this list. quit: leave.")
    term.type("quit")
    out = term.read_until(b"Goodbye.")
    assert term.close() == 0
    text = out.decode("utf-8")
    assert "\x1b[?1049h" not in text and "\x1b[?25l" not in text  # no alternate screen, cursor kept
    assert not ANY_ESCAPE.search(text)  # no colour, no cursor movement, no mode switch at all
    assert not BOX_DRAWING.search(text)
    assert "Donald Trump, person." in text and "Unknown command: bogus." in text
    assert "> money" in text  # the prompt, and the typed line echoed by the terminal


def test_on_a_terminal_copy_clipboard_sends_osc_52_and_ctrl_c_exits_130(
    terminal: Callable[..., Terminal],
) -> None:
    term = terminal("--accessible", "--open", "stargate-total")
    term.read_until(b"Item 1 of 8 in Money.")
    term.type("copy")
    term.read_until(b"Citation: ")
    assert b"\x1b]52" not in term.output  # plain `copy`: no escape sequence
    term.type("copy clipboard")
    out = term.read_until(b"Also sent to the terminal's clipboard.")
    assert re.search(rb"\x1b\]52;c;[A-Za-z0-9+/=]+\x07Also sent", out)
    os.write(term.master, b"\x03")  # Ctrl-C: SIGINT to the terminal's foreground process group
    assert term.process.wait(10) == 128 + signal.SIGINT
    assert b"Traceback" not in term.drain()


def test_french_commands_and_accents_optional(pack: FactPack) -> None:
    commands = ("argent", "1", "suivant", "precedent", "liens", "1", "retour", "copier", "chercher abilene")
    answers = replies(pack, *commands, "aide", "quitter", lang="fr")
    money, first, second, back_to_first, links, trump, back, copied, found, help_, bye = answers
    assert money.startswith("Volet Argent, 8 éléments.\n")
    assert "Élément 2 sur 8 dans Argent." in second and back_to_first == first
    assert links.startswith(f"Liens de {pack.records['stargate-total'].title('fr')}, 10 :\n")
    assert trump.startswith("Donald Trump, personne.\n") and back == first
    assert found.startswith("5 résultats pour abilene :\n")
    assert copied.startswith("Citation : ")
    assert help_.startswith("Commandes :\n") and bye == "Au revoir.\n"


def test_a_session_can_be_driven_without_streams(pack: FactPack) -> None:
    """How a front end without a terminal (a web page) uses the mode: start, then one call per line."""
    lines: list[str] = []
    reader = Session(pack, lines.append, lang="en")
    reader.start(pane="people")
    assert lines[1] == "People pane, 5 items."
    assert reader.handle("2") and lines[-1] == "Item 2 of 5 in People."
    assert not reader.handle("quit") and lines[-1] == "Goodbye."


def test_a_failing_command_is_answered_not_raised(pack: FactPack, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Session, rest: str) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(Session, "do_list", broken)
    lines: list[str] = []
    reader = Session(pack, lines.append)
    assert reader.handle("list")
    assert lines == ["That command did not work: ValueError. Type help for the commands."]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_record_text_is_said_whole_one_sentence_a_line(pack: FactPack, lang: str) -> None:
    for record in pack.records.values():
        _, out = session(pack, f"open {record.id}", lang=lang)
        lines = out.splitlines()
        for paragraph in detail(record, pack, lang).body:
            first = next(i for i, line in enumerate(lines) if paragraph.startswith(line))
            said = []
            for line in lines[first:]:
                said.append(line)
                if " ".join(said) == " ".join(paragraph.split()):
                    break
            else:
                pytest.fail(f"{record.id}: {paragraph!r} not said whole")
    _, out = session(pack, "open donald-trump")
    assert "\nThe day before, he had revoked an AI-safety order of his predecessor Joe Biden.\n" in out


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 1, "1 link. Type links to hear it."),
        ("en", 2, "2 links. Type links to list them."),
        ("fr", 1, "1 lien. Tapez liens pour l'entendre."),
        ("fr", 3, "3 liens. Tapez liens pour les lister."),
    ],
)
def test_counts_take_the_singular_where_each_language_does(lang: str, n: int, expected: str) -> None:
    assert accessible.say("links-count", lang, n=n) == expected
    word = ("résultat" if lang == "fr" else "result") + ("" if n == 1 else "s")
    assert accessible.say("results", lang, n=n, text="x").startswith(f"{n} {word} ")
    assert ("items" in accessible.say("pane", "en", pane="P", n=n)) == (n != 1)
    assert accessible.say("pane", "fr", pane="P", n=0) == "Volet P, 0 élément."
