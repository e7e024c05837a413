"""The configured components of the app a command runs in.

Apart from ``__init__`` so that the group modules, which ``__init__`` imports, need not import it.
"""

from __future__ import annotations

from flask import current_app

from complaints.components import Components


def components() -> Components:
    """What ``create_app`` built; the groups are ``AppGroup``s, so an app context is pushed."""
    parts: Components = current_app.extensions["complaints"]
    return parts
