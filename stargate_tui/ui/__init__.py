"""The Textual front end. Imported only when the explorer runs."""
