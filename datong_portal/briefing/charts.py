"""The briefing's charts, drawn on the server as SVG that WeasyPrint embeds in the PDF.

Hand-made rather than matplotlib or ECharts' server-side renderer, on purpose: the briefing needs horizontal bar charts
only (ten divisions, one or two series), which are forty lines of SVG; matplotlib would add a large dependency and a
second font configuration, and by default turns text into paths, and ECharts' SSR needs Node in the worker. Text drawn
here stays text, set in the same CJK font as the page, so the PDF embeds one font and ``pdftotext`` reads the labels.
"""

from html import escape

COLOURS = ("#c00000", "#4a6fa5")
ROW_HEIGHT = 22
LABEL_WIDTH = 90
BAR_WIDTH = 330
VALUE_WIDTH = 60


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list]], *, maximum: float | None = None) -> str:
    """Horizontal bars: one row per label, one bar per series (``[(name, values)]``, None draws no bar).

    ``maximum`` fixes the scale (100 for rates); by default the largest value fills the width.
    """
    values = [v for _name, vs in series for v in vs if v is not None]
    scale_top = maximum or max(values, default=0) or 1
    bar_height = (ROW_HEIGHT - 6) / len(series)
    legend_height = 18 if len(series) > 1 else 0
    top = 24 + legend_height
    height = top + ROW_HEIGHT * len(labels) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" font-size="11">',
        f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    if legend_height:
        for index, (name, _values) in enumerate(series):
            x = LABEL_WIDTH + index * 120
            parts.append(f'<rect x="{x}" y="22" width="10" height="10" fill="{COLOURS[index % len(COLOURS)]}"/>')
            parts.append(f'<text x="{x + 14}" y="31">{escape(name)}</text>')
    for row, label in enumerate(labels):
        y = top + row * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW_HEIGHT / 2 + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        for index, (_name, series_values) in enumerate(series):
            value = series_values[row]
            bar_y = y + 3 + index * bar_height
            if value is None:
                parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{bar_y + bar_height - 3:.1f}" fill="#888">—</text>')
                continue
            length = max(float(value) / float(scale_top) * BAR_WIDTH, 0.5)
            colour = COLOURS[index % len(COLOURS)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{length:.1f}" height="{bar_height - 1:.1f}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{bar_y + bar_height - 3:.1f}">{_format(value)}</text>'
            )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{top}" x2="{LABEL_WIDTH}" y2="{top + ROW_HEIGHT * len(labels)}" stroke="#444"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _format(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def briefing_charts(contents: dict) -> dict[str, str]:
    """The three charts of a briefing, as SVG strings keyed by where the template puts them."""
    league = sorted(contents["league"], key=lambda row: row["rank"])
    problems = contents["problems"]["rows"]
    punctuality = contents["punctuality_by_division"]
    return {
        "league": bar_chart(
            "各区县综合得分（%）",
            [row["division_name"] for row in league],
            [("综合得分", [row["mean_rate"] for row in league])],
            maximum=100,
        ),
        "problems": bar_chart(
            "各区县问题发现与销号（个）",
            [row["division"] for row in problems],
            [("本月发现", [row["found"] for row in problems]), ("本月销号", [row["closed"] for row in problems])],
        ),
        "punctuality": bar_chart(
            "各区县报告按时报送率（%）",
            [row["division"] for row in punctuality],
            [("按时报送率", [row["rate"] for row in punctuality])],
            maximum=100,
        ),
    }
