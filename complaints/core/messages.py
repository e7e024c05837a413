"""The message catalogue: every text a person reads comes from ``messages_zh.toml``.

``t("auth.failed")`` returns the Chinese text; ``t("error.rate_limited", minutes=3)``
fills ``{minutes}``. An unknown key raises, and a test checks that every key the
code and templates use exists, so a typo is caught before a resident sees it.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


class CatalogueError(ValueError):
    pass


@cache
def catalogue() -> dict[str, str]:
    raw = tomllib.loads(resources.files("complaints.core").joinpath("messages_zh.toml").read_text("utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for name, value in node.items():
            key = f"{prefix}{name}"
            if isinstance(value, dict):
                walk(key + ".", value)
            elif isinstance(value, str):
                flat[key] = value
            else:
                raise CatalogueError(f"messages_zh.toml: {key} is not text")

    walk("", raw)
    return flat


def t(key: str, **params: object) -> str:
    try:
        text = catalogue()[key]
    except KeyError:
        raise CatalogueError(f"no message {key!r} in messages_zh.toml") from None
    return text.format(**params) if params else text
