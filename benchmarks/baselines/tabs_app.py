"""Baseline for a pane switch: a two-tab TabbedContent app whose keys 1 and 2 switch tabs.

The benchmark presses 2 and waits for BETA_TEXT, then 1 and waits for ALPHA_TEXT.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

ALPHA_TEXT = "Alpha tab: the first of two panes."
BETA_TEXT = "Beta tab: the second of two panes."


class TabsApp(App[None]):
    TITLE = "tabs"
    BINDINGS = [
        ("1", "show('alpha')", "Alpha"),
        ("2", "show('beta')", "Beta"),
        ("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("1 Alpha", id="alpha"):
                yield Static(ALPHA_TEXT)
            with TabPane("2 Beta", id="beta"):
                yield Static(BETA_TEXT)
        yield Footer()

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab


if __name__ == "__main__":
    TabsApp().run()
