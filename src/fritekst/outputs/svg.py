"""Hand-written SVG charts for the HTML report: bars with confidence whiskers, trend lines, heat maps.

Plain SVG strings keep the report self-contained and offline (no plotting library, no JavaScript, no
CDN) and print sharply at any size. Text is escaped; long labels are shortened with the full text in a
``<title>`` tooltip. Widths of text are estimated (no font metrics offline), generously.

Examples
--------
>>> svg = bar_chart([Bar("Økonomi", 0.38, 0.29, 0.47, "#1f77b4", "38 % (39 av 103)")])
>>> svg.startswith("<svg") and "Økonomi" in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
AXIS_COLOUR = "#6b6b6b"
GRID_COLOUR = "#e3e3e3"
TEXT_COLOUR = "#222222"
CHAR_WIDTH = 6.6  # px per character at 12 px, a little wide so labels never collide


@dataclass(frozen=True)
class Bar:
    """One bar: a share with its interval, a colour and the text printed after it."""

    label: str
    value: float
    low: float
    high: float
    colour: str
    note: str = ""


@dataclass(frozen=True)
class Line:
    """One trend line: a share per x position (NaN where there is no value)."""

    label: str
    values: Sequence[float]
    colour: str


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: float) -> str:
    return f"{round(value * 100)} %"


def _open(width: float, height: float, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{_e(title)}" '
            f'font-family="{FONT}" font-size="12" fill="{TEXT_COLOUR}"><title>{_e(title)}</title>')


def nice_max(value: float) -> float:
    """The axis end: the next 10 % step above the largest value (at least 10 %, at most 100 %)."""
    if not value or math.isnan(value):
        return 0.1
    return min(1.0, max(0.1, math.ceil(value * 10 - 1e-9) / 10))


def bar_chart(bars: Sequence[Bar], *, title: str = "", width: int = 720, label_chars: int = 34,
              axis_max: float | None = None, bar_height: int = 16) -> str:
    """Horizontal bars of shares with 95 % interval whiskers, labelled with ``note``.

    Bars whose ``value`` is NaN are drawn as a label with their ``note`` (e.g. "n < 5" for a group
    too small to show a share), or "ingen svar" when they have none.
    """
    label_width = min(label_chars, max((len(b.label) for b in bars), default=4)) * CHAR_WIDTH + 12
    note_width = max((len(b.note) for b in bars), default=0) * CHAR_WIDTH + 14
    plot_left = label_width
    plot_width = max(120.0, width - label_width - note_width)
    top = 22 if title else 6
    row = bar_height + 8
    height = top + row * len(bars) + 26
    highest = max((b.high for b in bars if not math.isnan(b.high)), default=0.0)
    end = axis_max if axis_max is not None else nice_max(highest)
    scale = plot_width / end
    # The title is bold 13 px: wider per character than the 12 px labels.
    title_width = len(title) * CHAR_WIDTH * 1.15 + 6
    parts = [_open(max(plot_left + plot_width + note_width, title_width), height, title or "Stolpediagram")]
    if title:
        parts.append(f'<text x="0" y="14" font-weight="bold" font-size="13">{_e(title)}</text>')
    axis_bottom = top + row * len(bars)
    step = 0.1 if end <= 0.5 else 0.2
    tick = 0.0
    while tick <= end + 1e-9:
        x = plot_left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{axis_bottom}" '
                     f'stroke="{GRID_COLOUR if tick else AXIS_COLOUR}" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_bottom + 15}" text-anchor="middle" '
                     f'fill="{AXIS_COLOUR}" font-size="11">{_pct(tick)}</text>')
        tick = round(tick + step, 10)
    for index, bar in enumerate(bars):
        y = top + row * index + 4
        middle = y + bar_height / 2
        label = _clip(bar.label, label_chars)
        parts.append(f'<text x="{plot_left - 8:.1f}" y="{middle + 4:.1f}" text-anchor="end">'
                     f'<title>{_e(bar.label)}</title>{_e(label)}</text>')
        if math.isnan(bar.value):
            parts.append(f'<text x="{plot_left + 4:.1f}" y="{middle + 4:.1f}" fill="{AXIS_COLOUR}" '
                         f'font-style="italic" class="small-cell">{_e(bar.note or "ingen svar")}</text>')
            continue
        parts.append(f'<rect x="{plot_left:.1f}" y="{y:.1f}" width="{max(bar.value * scale, 0.5):.1f}" '
                     f'height="{bar_height}" fill="{_e(bar.colour)}" fill-opacity="0.85">'
                     f'<title>{_e(bar.label)}: {_e(bar.note)}</title></rect>')
        low_x, high_x = plot_left + bar.low * scale, plot_left + min(bar.high, end) * scale
        parts.append(f'<path d="M{low_x:.1f},{middle:.1f}H{high_x:.1f}M{low_x:.1f},{middle - 4:.1f}'
                     f'V{middle + 4:.1f}M{high_x:.1f},{middle - 4:.1f}V{middle + 4:.1f}" '
                     f'stroke="{TEXT_COLOUR}" stroke-width="1.2" fill="none"/>')
        parts.append(f'<text x="{max(high_x, plot_left + bar.value * scale) + 6:.1f}" '
                     f'y="{middle + 4:.1f}">{_e(bar.note)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(x_labels: Sequence[str], lines: Sequence[Line], *, title: str = "", width: int = 720,
               height: int = 300, label_chars: int = 28) -> str:
    """Shares over years, one coloured line per theme, each labelled at its right end."""
    right_labels = min(label_chars, max((len(line.label) for line in lines), default=4)) * CHAR_WIDTH + 60
    left, top, bottom = 44, 26 if title else 10, 28
    plot_width = max(160.0, width - left - right_labels)
    plot_height = height - top - bottom
    values = [v for line in lines for v in line.values if not math.isnan(v)]
    end = nice_max(max(values, default=0.0))
    # Never narrower than what it holds: end labels right of the plot, the title above it.
    width = max(width, int(math.ceil(left + plot_width + right_labels)), int(len(title) * CHAR_WIDTH * 1.15 + 6))
    parts = [_open(width, height, title or "Utvikling over tid")]
    if title:
        parts.append(f'<text x="0" y="14" font-weight="bold" font-size="13">{_e(title)}</text>')
    step = 0.1 if end <= 0.5 else 0.2
    tick = 0.0
    while tick <= end + 1e-9:
        y = top + plot_height * (1 - tick / end)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID_COLOUR if tick else AXIS_COLOUR}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS_COLOUR}" '
                     f'font-size="11">{_pct(tick)}</text>')
        tick = round(tick + step, 10)
    count = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot_width * (i + 0.5) / count if count else 0)

    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{x_at(i):.1f}" y="{top + plot_height + 18:.1f}" text-anchor="middle" '
                     f'fill="{AXIS_COLOUR}" font-size="11">{_e(label)}</text>')
    ends: list[tuple[float, Line]] = []
    for line in lines:
        points = [(x_at(i), top + plot_height * (1 - v / end)) for i, v in enumerate(line.values)
                  if not math.isnan(v)]
        if not points:
            continue
        path = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<path d="{path}" fill="none" stroke="{_e(line.colour)}" stroke-width="2.2">'
                     f'<title>{_e(line.label)}</title></path>')
        for (x, y), value in zip(points, [v for v in line.values if not math.isnan(v)]):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{_e(line.colour)}">'
                         f'<title>{_e(line.label)}: {_pct(value)}</title></circle>')
        ends.append((points[-1][1], line))
    # End labels, pushed apart so that lines ending close together stay readable.
    ends.sort(key=lambda item: item[0])
    placed: list[float] = []
    for y, _line in ends:
        placed.append(max(y, placed[-1] + 14) if placed else y)
    overflow = (placed[-1] - (top + plot_height)) if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
    if placed and placed[0] < top:  # pushed above the plot: spread them down from the top instead
        placed = [top + 14 * i for i in range(len(placed))]
    for (_, line), label_y in zip(ends, placed):
        x = left + plot_width + 8
        parts.append(f'<text x="{x:.1f}" y="{label_y + 4:.1f}" fill="{_e(line.colour)}">'
                     f'<title>{_e(line.label)}</title>{_e(_clip(line.label, label_chars))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(labels: Sequence[str], counts: Sequence[Sequence[int]], *, title: str = "",
            colour: str = "#2b6cb0", label_chars: int = 30, cell: int = 34) -> str:
    """A square matrix of counts: darker cells for pairs that occur together more often.

    The diagonal (how often each theme occurs at all) is drawn in grey so it does not dominate the
    colour scale, which runs from 0 to the largest off-diagonal count.
    """
    size = len(labels)
    label_width = min(label_chars, max((len(s) for s in labels), default=4)) * CHAR_WIDTH + 10
    header = label_width * 0.72 + 20  # column labels at -45 degrees
    top = header + (22 if title else 0)
    # Rotated column labels reach up and to the right of the last column; the title may be wider still.
    width = max(label_width + cell * size + header, len(title) * CHAR_WIDTH * 1.1 + 10)
    height = top + cell * size + 10
    off = [counts[i][j] for i in range(size) for j in range(size) if i != j]
    highest = max(off, default=0) or 1
    parts = [_open(width, height, title or "Samforekomst")]
    if title:
        parts.append(f'<text x="0" y="14" font-weight="bold" font-size="13">{_e(title)}</text>')
    for j, label in enumerate(labels):
        x = label_width + cell * j + cell / 2
        parts.append(f'<text transform="translate({x + 4:.1f},{top - 6:.1f}) rotate(-45)" font-size="11">'
                     f'<title>{_e(label)}</title>{_e(_clip(label, label_chars))}</text>')
    for i, label in enumerate(labels):
        y = top + cell * i
        parts.append(f'<text x="{label_width - 8:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" '
                     f'font-size="11"><title>{_e(label)}</title>{_e(_clip(label, label_chars))}</text>')
        for j in range(size):
            x = label_width + cell * j
            value = int(counts[i][j])
            if i == j:
                fill, opacity, ink = "#d9d9d9", 1.0, TEXT_COLOUR
            else:
                fill, opacity = colour, (0.06 + 0.94 * value / highest) if value else 0.0
                ink = "#ffffff" if opacity > 0.55 else TEXT_COLOUR
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{cell - 1}" height="{cell - 1}" fill="{fill}" '
                         f'fill-opacity="{opacity:.2f}" stroke="{GRID_COLOUR}" stroke-width="0.5">'
                         f'<title>{_e(labels[i])} + {_e(labels[j])}: {value}</title></rect>')
            if value:
                parts.append(f'<text x="{x + cell / 2 - 0.5:.1f}" y="{y + cell / 2 + 4:.1f}" '
                             f'text-anchor="middle" font-size="11" fill="{ink}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
