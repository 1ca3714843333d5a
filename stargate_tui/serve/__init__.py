"""Serving the explorer to others: `serve ssh` (asyncssh, one process per session) and `serve web`.

The serving processes stay light: nothing here imports Textual except the session child (`child.py`),
the pre-forked zygote that starts those children (`zygote.py`) and the web session entry (`webapp.py`).
"""
