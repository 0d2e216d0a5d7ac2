"""The report as one self-contained HTML page: the document embedded as JSON, drawn into
SVG charts by a script in the page itself. No script, font or style comes from a network,
so the page works offline and from a file."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder(decimal_format="number")

PAGE = Path(__file__).with_name("report_page.html").read_text(encoding="utf-8")


def render_html(document: dict[str, Any]) -> str:
    """The page for `document`; `</` in the data is escaped so it cannot end the script."""
    data = _ENCODER.encode(document).decode().replace("</", "<\\/")
    generated = html.escape(document["generated_at"][:19].replace("T", " ") + " UTC")
    return (
        PAGE.replace("__GENERATED__", generated)
        .replace("__CURRENCY__", html.escape(document["reporting_currency"]))
        .replace("__DATA__", data)
    )
