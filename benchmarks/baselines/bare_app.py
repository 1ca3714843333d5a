"""Baseline for the first frame: the smallest Textual app a user would call an app.

Header, one Static and a Footer, nothing loaded. The benchmark waits for BARE_TEXT.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

BARE_TEXT = "A bare Textual app: a header, this text and a footer."


class BareApp(App[None]):
    TITLE = "bare"
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(BARE_TEXT)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
