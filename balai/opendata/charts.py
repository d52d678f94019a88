"""Server-rendered SVG charts: tiny, no JavaScript, no `style=` attribute (CSP), accessible.

Every chart is `role="img"` with `aria-labelledby` pointing at its own `<title>` and `<desc>`; the template
puts a data table with the same numbers beside it (the table is the accessible source of truth, the chart a
picture of it). Colours are presentation attributes with at least 4.5:1 contrast on white; text uses
`currentColor` so the high-contrast display mode keeps it readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

BAR = "#1d4e89"  # 8.6:1 on white
NEGATIVE = "#8a3b00"  # 7.2:1 on white: a gap in the citizen's favour is drawn in another colour
AXIS = "#505a5f"  # 7:1 on white

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Chart:
    """The SVG markup plus the numbers it draws (for the data table and the tests)."""

    svg: SafeString
    title: str
    desc: str
    items: tuple[tuple[str, Number], ...]

    @property
    def table(self) -> list[tuple[str, str]]:
        """(label, number as text) for the data table beside the chart: the same text the chart shows."""
        return [(label, _fmt(value)) for label, value in self.items]

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


def _num(value: Number) -> float | None:
    return None if value is None else float(value)


def _fmt(value: Number) -> str:
    """The number as the page shows it (chart and table use this same text)."""
    if value is None:
        return "–"
    if isinstance(value, float):
        value = Decimal(str(round(value, 2)))
    return number_format(value, use_l10n=True)


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>')


def _label(text: str, limit: int) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def bar_chart(*, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, Number]]) -> Chart:
    """Vertical bars (e.g. cases per month, backlog by age). `items` = (label, value); None = no bar."""
    n = max(len(items), 1)
    slot = max(24, min(80, 600 // n))
    width, height, top, bottom = slot * n + 20, 180, 16, 30
    plot = height - top - bottom
    peak = max([_num(v) or 0 for _, v in items] + [0]) or 1
    parts = [_open(chart_id, title, desc, width, height),
             f'<line x1="10" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="{AXIS}"/>']
    for i, (label, value) in enumerate(items):
        x = 10 + i * slot
        v = _num(value)
        if v:
            h = max(1, round(plot * max(v, 0) / peak))
            parts.append(f'<rect x="{x + 3}" y="{top + plot - h}" width="{slot - 6}" height="{h}" fill="{BAR}"/>')
        parts.append(f'<text x="{x + slot // 2}" y="{top + plot - (round(plot * max(v or 0, 0) / peak)) - 3}" '
                     f'font-size="12" text-anchor="middle" fill="currentColor">{_fmt(value)}</text>')
        parts.append(f'<text x="{x + slot // 2}" y="{height - 12}" font-size="12" text-anchor="middle" '
                     f'fill="currentColor">{_label(label, max(6, slot // 6))}</text>')
    parts.append("</svg>")
    return Chart(mark_safe("".join(parts)), title, desc, tuple(items))  # noqa: S308 # nosec B308, B703 # every text escaped above


def line_chart(*, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, Number]]) -> Chart:
    """A trend line over ordered labels (e.g. months); None breaks the line."""
    n = max(len(items), 1)
    step = max(24, min(60, 600 // n))
    width, height, top, bottom = step * n + 20, 160, 16, 30
    plot = height - top - bottom
    values = [_num(v) for _, v in items]
    peak = max([v for v in values if v is not None] + [0]) or 1
    parts = [_open(chart_id, title, desc, width, height),
             f'<line x1="10" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="{AXIS}"/>']
    segment: list[str] = []
    points = []
    for i, v in enumerate(values):
        x = 10 + i * step + step // 2
        if v is None:  # no data: a dash on the axis, and the line breaks
            parts.append(f'<text x="{x}" y="{top + plot - 4}" font-size="12" text-anchor="middle" '
                         f'fill="currentColor">–</text>')
            if len(segment) > 1:
                points.append(segment)
            segment = []
            continue
        y = top + plot - round(plot * max(v, 0) / peak)
        segment.append(f"{x},{y}")
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{BAR}"/>')
        parts.append(f'<text x="{x}" y="{y - 6}" font-size="12" text-anchor="middle" '
                     f'fill="currentColor">{_fmt(items[i][1])}</text>')
    if len(segment) > 1:
        points.append(segment)
    for seg in points:
        parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for i, (label, _v) in enumerate(items):
        x = 10 + i * step + step // 2
        parts.append(f'<text x="{x}" y="{height - 12}" font-size="12" text-anchor="middle" '
                     f'fill="currentColor">{_label(label, 8)}</text>')
    parts.append("</svg>")
    return Chart(mark_safe("".join(parts)), title, desc, tuple(items))  # noqa: S308 # nosec B308, B703 # every text escaped above


def hbar_chart(*, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, Number]]) -> Chart:
    """Horizontal bars for rankings and gaps; negative values grow left of a zero line."""
    row, label_w, value_w, bar_w = 22, 170, 50, 300
    width, height = label_w + bar_w + value_w, row * max(len(items), 1) + 8
    values = [_num(v) for _, v in items]
    low = min([v for v in values if v is not None] + [0])
    high = max([v for v in values if v is not None] + [0])
    span = (high - low) or 1
    zero = label_w + round(bar_w * (-low) / span)
    parts = [_open(chart_id, title, desc, width, height),
             f'<line x1="{zero}" y1="0" x2="{zero}" y2="{height}" stroke="{AXIS}"/>']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="13" text-anchor="end" '
                     f'fill="currentColor">{_label(label, 28)}</text>')
        v = values[i]
        if v is not None and v != 0:
            w = max(1, round(bar_w * abs(v) / span))
            x = zero if v > 0 else zero - w
            parts.append(f'<rect x="{x}" y="{y + 3}" width="{w}" height="{row - 8}" '
                         f'fill="{BAR if v > 0 else NEGATIVE}"/>')
        end = zero + (round(bar_w * v / span) if v and v > 0 else 0)
        parts.append(f'<text x="{end + 4}" y="{y + 14}" font-size="13" fill="currentColor">{_fmt(value)}</text>')
    parts.append("</svg>")
    return Chart(mark_safe("".join(parts)), title, desc, tuple(items))  # noqa: S308 # nosec B308, B703 # every text escaped above
