"""The ranking bar chart as a PNG picture (Pillow, no Qt): one horizontal bar per unit, in the caller's
order, on a 0–100% axis, with the classification thresholds, the average and a legend of the groups.

Text is drawn with the Liberation Sans fonts shipped in resources/fonts, so the picture is the same on
every PC and every Vietnamese letter has its glyph. Sizes are for a 1400 px wide picture and scale with
`width_px`; the picture is saved at 200 dpi (1400 px = 17,8 cm), and the Word report prints it at the text
width (16,5 cm with the usual margins).

Pillow is imported inside the functions (start-up time).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from parclerk import vntext
from parclerk.criteria import format_percent
from parclerk.errors import ParclerkError
from parclerk.paths import resource_path

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

DPI = 200
BASE_WIDTH = 1400
CONTINUED = " (tiếp theo)"
EMPTY_MESSAGE = "Chưa có đơn vị nào để vẽ biểu đồ."

# Muted colours whose grey levels stay apart in black-and-white print (dark to light).
PALETTE = ("#1b365d", "#4a78b0", "#55b3a4", "#eea44f", "#b8b8b8")
UNGROUPED = "#7a7a7a"  # bars without a group, when others have one
BACKGROUND = "#ffffff"
TEXT = "#1a1a1a"
MUTED_TEXT = "#555555"
GRID = "#dddddd"
AXIS = "#444444"
THRESHOLD = "#444444"
AVERAGE = "#b03a2e"

# Sizes in pixels at BASE_WIDTH. Printed 16,5 cm wide (the text width) 1 pt is about 3 px: the names are
# 8 pt, the values and the axis 7 pt, the title 11 pt.
MARGIN = 24
ROW = 40
BAR = 26
TITLE_SIZE = 34
LABEL_SIZE = 24
SMALL_SIZE = 21
LABEL_COLUMN = 0.36  # share of the width for "1. Unit name"
VALUE_ROOM = 100  # room right of the axis end for "100,00%"


@dataclass(frozen=True)
class Bar:
    """One unit: its name, its index in % (may exceed 100 with bonus points) and its classification."""

    label: str
    value: Decimal
    group: str = ""
    rank: int | None = None  # the number printed before the name (ties share one); None: the position


@dataclass(frozen=True)
class Threshold:
    """A classification line: "Tốt" from 80%."""

    label: str
    percent: Decimal


def bar_chart_png(
    bars: Sequence[Bar],
    *,
    title: str,
    thresholds: Sequence[Threshold] = (),
    average: Decimal | None = None,
    width_px: int = BASE_WIDTH,
) -> bytes:
    """The whole ranking as one PNG, one row per unit (the picture grows with the number of units)."""
    bars = list(bars)
    if not bars:
        raise ParclerkError(EMPTY_MESSAGE)
    return _draw(
        bars,
        title=title,
        thresholds=thresholds,
        average=average,
        width_px=width_px,
        axis_max=_axis_max(bars, thresholds, average),
        colours=_colours(bars, thresholds),
        start=0,
    )


def bar_chart_pages(
    bars: Sequence[Bar],
    *,
    title: str,
    thresholds: Sequence[Threshold] = (),
    average: Decimal | None = None,
    per_image: int = 35,
    width_px: int = BASE_WIDTH,
) -> list[bytes]:
    """The ranking cut into pictures of at most `per_image` units, each a whole chart on the same axis and
    colours; ranks run on across pictures and the later titles end in " (tiếp theo)"."""
    bars = list(bars)
    if not bars:
        raise ParclerkError(EMPTY_MESSAGE)
    if per_image < 1:
        raise ValueError(f"per_image must be at least 1, got {per_image}")
    axis_max = _axis_max(bars, thresholds, average)
    colours = _colours(bars, thresholds)
    return [
        _draw(
            bars[start : start + per_image],
            title=title if start == 0 else vntext.clean_line(title) + CONTINUED,
            thresholds=thresholds,
            average=average,
            width_px=width_px,
            axis_max=axis_max,
            colours=colours,
            start=start,
        )
        for start in range(0, len(bars), per_image)
    ]


# --- helpers (pure) -----------------------------------------------------------------------------------


def _axis_max(bars: Sequence[Bar], thresholds: Sequence[Threshold], average: Decimal | None) -> int:
    """100, or the largest value rounded up to a multiple of 10 when something passes 100%."""
    values = [bar.value for bar in bars] + [t.percent for t in thresholds]
    if average is not None:
        values.append(average)
    return max(100, math.ceil(max(values) / 10) * 10)


def _colours(bars: Sequence[Bar], thresholds: Sequence[Threshold]) -> dict[str, str]:
    """A colour per group: groups named like a threshold in the thresholds' order (highest first), the
    others in order of appearance. Bars without a group are dark blue alone, grey beside grouped bars."""
    groups = [vntext.clean_line(bar.group) for bar in bars]
    present = [g for g in dict.fromkeys(groups) if g]
    if not present:
        return {"": PALETTE[0]}
    ranked = [vntext.clean_line(t.label) for t in sorted(thresholds, key=lambda t: t.percent, reverse=True)]
    order = [g for g in dict.fromkeys(ranked) if g in present] + [g for g in present if g not in ranked]
    colours = {group: PALETTE[i % len(PALETTE)] for i, group in enumerate(order)}
    colours[""] = UNGROUPED
    return colours


def _number(value: Decimal) -> str:
    """80 -> '80', 82.5 -> '82,5': a threshold as the criteria set writes it."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def threshold_text(threshold: Threshold) -> str:
    """'Tốt ≥ 80%'."""
    return f"{vntext.clean_line(threshold.label)} ≥ {_number(threshold.percent)}%"


def average_text(average: Decimal) -> str:
    """'Bình quân 84,12%'."""
    return f"Bình quân {format_percent(average)}"


# --- drawing ------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    # BASIC layout: the same glyph placement whether or not the PC's Pillow has libraqm.
    return ImageFont.truetype(str(resource_path("fonts", name)), size, layout_engine=ImageFont.Layout.BASIC)


def _ellipsize(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """The text cut at a word (or a letter) with "…" so that it fits `width`."""
    if font.getlength(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-–") + "…"
        if font.getlength(candidate) <= width:
            return candidate
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap (a title)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


@dataclass(frozen=True)
class _LineLabel:
    x: int  # where the line is
    text: str
    colour: str
    solid: bool
    left: float = 0  # where the label starts
    row: int = 0  # which row of labels above the plot


def _place_labels(
    items: Sequence[_LineLabel], font: ImageFont.FreeTypeFont, low: float, high: float, gap: float
) -> list[_LineLabel]:
    """Labels centred over their line (kept inside [low, high]), each on the first row where it does not
    touch another."""
    placed: list[_LineLabel] = []
    rows: list[list[tuple[float, float]]] = []
    for item in sorted(items, key=lambda item: item.x):
        width = font.getlength(item.text)
        left = min(max(item.x - width / 2, low), high - width)
        row = next(
            (
                index
                for index, spans in enumerate(rows)
                if all(left >= end + gap or left + width + gap <= start for start, end in spans)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append((left, left + width))
        placed.append(replace(item, left=left, row=row))
    return placed


def _dashed_vline(
    draw: ImageDraw.ImageDraw, x: int, top: int, bottom: int, colour: str, width: int, dash: int
) -> None:
    y = top
    while y < bottom:
        draw.line([(x, y), (x, min(y + dash, bottom))], fill=colour, width=width)
        y += 2 * dash


def _draw(
    bars: Sequence[Bar],
    *,
    title: str,
    thresholds: Sequence[Threshold],
    average: Decimal | None,
    width_px: int,
    axis_max: int,
    colours: dict[str, str],
    start: int,
) -> bytes:
    from PIL import Image, ImageDraw

    if width_px < 600:
        raise ValueError(f"width_px must be at least 600, got {width_px}")
    scale = width_px / BASE_WIDTH

    def px(value: float) -> int:
        return max(1, round(value * scale))

    title_font = _font(px(TITLE_SIZE), bold=True)
    label_font = _font(px(LABEL_SIZE))
    small_font = _font(px(SMALL_SIZE))
    legend_font = label_font
    margin, row, bar_height = px(MARGIN), px(ROW), px(BAR)

    # Columns: "1." right-aligned, the unit's name, the axis, room for the value after the longest bar.
    rank_width = label_font.getlength(f"{start + len(bars)}.")
    name_left = margin + rank_width + px(8)
    plot_left = round(width_px * LABEL_COLUMN)
    plot_right = width_px - margin - px(VALUE_ROOM)
    name_width = plot_left - px(14) - name_left

    def x_of(value: Decimal | float) -> int:
        clamped = min(max(float(value), 0.0), float(axis_max))
        return round(plot_left + (plot_right - plot_left) * clamped / axis_max)

    # Vertical layout.
    title_lines = _wrap(vntext.clean_line(title), title_font, width_px - 2 * margin)
    title_step = _line_height(title_font)
    small_step = _line_height(small_font) + px(4)
    lines = [_LineLabel(x_of(t.percent), threshold_text(t), THRESHOLD, solid=False) for t in thresholds]
    if average is not None:
        lines.append(_LineLabel(x_of(average), average_text(average), AVERAGE, solid=True))
    lines = _place_labels(lines, small_font, margin, width_px - margin, px(12))
    label_rows = 1 + max((line.row for line in lines), default=-1)

    y = margin
    title_top = y
    y += title_step * len(title_lines) + px(14)
    labels_top = y
    y += small_step * label_rows + (px(6) if label_rows else 0)
    plot_top = y
    plot_bottom = plot_top + row * len(bars)
    ticks_top = plot_bottom + px(6)
    y = ticks_top + _line_height(small_font) + px(16)

    present = [g for g in colours if g and any(vntext.clean_line(b.group) == g for b in bars)]
    swatch, swatch_gap, item_gap = px(18), px(8), px(28)
    legend_rows: list[list[tuple[str, float]]] = []
    for group in present:
        item = swatch + swatch_gap + legend_font.getlength(group)
        row_width = sum(w for _, w in legend_rows[-1]) + item_gap * len(legend_rows[-1]) if legend_rows else 0
        if legend_rows and row_width + item <= width_px - 2 * margin:
            legend_rows[-1].append((group, item))
        else:
            legend_rows.append([(group, item)])
    legend_step = _line_height(legend_font) + px(8)
    legend_top = y
    height = legend_top + legend_step * len(legend_rows) + margin - (px(8) if legend_rows else px(16))

    image = Image.new("RGB", (width_px, height), BACKGROUND)
    draw = ImageDraw.Draw(image)

    for index, line in enumerate(title_lines):
        draw.text(
            (width_px / 2, title_top + index * title_step), line, font=title_font, fill=TEXT, anchor="ma"
        )

    # Grid and tick labels every 10%.
    for tick in range(0, axis_max + 1, 10):
        x = x_of(tick)
        draw.line([(x, plot_top), (x, plot_bottom)], fill=AXIS if tick == 0 else GRID, width=px(1))
        draw.line([(x, plot_bottom), (x, plot_bottom + px(5))], fill=AXIS, width=px(1))
        draw.text((x, ticks_top + px(2)), f"{tick}%", font=small_font, fill=MUTED_TEXT, anchor="ma")
    draw.line([(plot_left, plot_bottom), (plot_right, plot_bottom)], fill=AXIS, width=px(1))

    # Bars and unit names.
    for index, bar in enumerate(bars):
        middle = plot_top + index * row + row // 2
        draw.text(
            (name_left - px(8) + 1, middle),
            f"{bar.rank if bar.rank is not None else start + index + 1}.",
            font=label_font,
            fill=TEXT,
            anchor="rm",
        )
        # a long name first gets the smaller letters, then loses its end
        name = vntext.clean_line(bar.label)
        name_font = label_font if label_font.getlength(name) <= name_width else small_font
        name = _ellipsize(name, name_font, name_width)
        draw.text((name_left, middle), name, font=name_font, fill=TEXT, anchor="lm")
        end = x_of(bar.value)
        if end > plot_left:
            colour = colours.get(vntext.clean_line(bar.group), UNGROUPED)
            draw.rectangle(
                [plot_left + 1, middle - bar_height // 2, end, middle - bar_height // 2 + bar_height - 1],
                fill=colour,
            )

    # Threshold lines (dashed) and the average (solid), over the bars, from under their label to the axis;
    # then the labels on white, so a line from a label above does not cross one below.
    for line in lines:
        top = labels_top + line.row * small_step + _line_height(small_font)
        if line.solid:
            draw.line([(line.x, top), (line.x, plot_bottom)], fill=line.colour, width=px(2))
        else:
            _dashed_vline(draw, line.x, top, plot_bottom, line.colour, px(2), px(6))
    for line in lines:
        _text_on_white(
            draw,
            (line.left, labels_top + line.row * small_step),
            line.text,
            small_font,
            line.colour,
            "la",
            px(3),
        )

    # Values at the bars' ends, on white so a line behind them does not hide a digit.
    for index, bar in enumerate(bars):
        middle = plot_top + index * row + row // 2
        _text_on_white(
            draw, (x_of(bar.value) + px(6), middle), format_percent(bar.value), small_font, TEXT, "lm", px(2)
        )

    # Legend: one centred line of swatches per row.
    for index, items in enumerate(legend_rows):
        total = sum(w for _, w in items) + item_gap * (len(items) - 1)
        x = (width_px - total) / 2
        middle = legend_top + index * legend_step + _line_height(legend_font) // 2
        for group, item_width in items:
            draw.rectangle(
                [x, middle - swatch // 2, x + swatch, middle + swatch // 2], fill=colours[group], outline=AXIS
            )
            draw.text((x + swatch + swatch_gap, middle), group, font=legend_font, fill=TEXT, anchor="lm")
            x += item_width + item_gap

    return _png(image)


def _text_on_white(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    colour: str,
    anchor: str,
    pad: int,
) -> None:
    left, top, right, bottom = draw.textbbox(xy, text, font=font, anchor=anchor)
    draw.rectangle([left - pad, top - pad // 2, right + pad, bottom + pad // 2], fill=BACKGROUND)
    draw.text(xy, text, font=font, fill=colour, anchor=anchor)


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))  # optimize=True costs 0.2 s a picture for 10% less
    return buffer.getvalue()
