"""Small server-side SVG charts: no script, no other host, readable in print."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR = "#a8201a"
SECOND = "#4a6fa5"
INK = "#1a1a1a"


def hbar_chart(rows: Sequence[tuple[str, float]], *, title: str, unit: str = "",
               maximum: float | None = None, width: int = 520) -> Markup:
    """Horizontal bars: one labelled row per item."""
    row_height, label_width = 24, 150
    top = maximum if maximum is not None else max([value for _, value in rows] + [1])
    height = row_height * len(rows) + 30
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(rows):
        y = 24 + i * row_height
        length = 0 if top == 0 else (width - label_width - 60) * value / top
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" '
                     f'font-size="13" fill="{INK}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" '
                     f'fill="{BAR}"><title>{escape(label)}: {value:g}{escape(unit)}</title></rect>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="12" '
                     f'fill="{INK}">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def weekly_chart(weeks: list[tuple[str, int, int]], *, title: str, first: str, second: str,
                 width: int = 640, height: int = 220) -> Markup:
    """Paired columns per week: received and resolved."""
    left, bottom, top_pad = 36, 40, 34
    plot_h = height - bottom - top_pad
    top = max([max(a, b) for _, a, b in weeks] + [1])
    slot = (width - left - 10) / max(len(weeks), 1)
    bar = max(2.0, slot / 2 - 3)
    parts = [_open(width, height, title)]
    parts.append(f'<rect x="{left}" y="8" width="10" height="10" fill="{BAR}"/>'
                 f'<text x="{left + 14}" y="17" font-size="12">{escape(first)}</text>'
                 f'<rect x="{left + 90}" y="8" width="10" height="10" fill="{SECOND}"/>'
                 f'<text x="{left + 104}" y="17" font-size="12">{escape(second)}</text>')
    base = height - bottom
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="{INK}"/>')
    parts.append(f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" font-size="11">'
                 f'{top}</text>')
    for i, (label, a, b) in enumerate(weeks):
        x = left + i * slot + 2
        for offset, value, colour in ((0, a, BAR), (bar + 1, b, SECOND)):
            h = plot_h * value / top
            parts.append(f'<rect x="{x + offset:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}: {value}'
                         f'</title></rect>')
        parts.append(f'<text x="{x + bar:.1f}" y="{base + 14}" text-anchor="middle" '
                     f'font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif">'
            f'<title>{escape(title)}</title>')
