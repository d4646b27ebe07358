"""The feedback report's chart: per aspect the company's agreed level as a bar, the round's
mean as a mark and the award level as a line. A standalone SVG (inline attributes, no CSS,
no links), so the page, typst (PDF) and cairosvg (DOCX) draw it alike. Text is escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape

from trechter.analytics import award

WIDTH, LABEL, ROW, TOP = 680.0, 290.0, 30.0, 34.0
CHAR = 6.6  # the width of an average 11-pixel DejaVu Sans character, to space the legend
INK, MUTED, GRID, BAR, MEAN, LINE = "#1d2733", "#5b6675", "#d5dbe3", "#0b5fa5", "#e8772e", "#1a6b35"
DASHED = f'stroke="{LINE}" stroke-width="2" stroke-dasharray="5 3"'


def levels_svg(
    method: award.Method, feedback: award.Feedback, names: dict[str, str], *, title: str, legend: tuple[str, str, str]
) -> tuple[str, float, float]:
    """(svg, width, height). `legend`: the words for "this company", "round mean", "award level"."""
    plot = WIDTH - LABEL - 20
    low, high = method.scale_min, method.scale_max

    def x(level: float) -> float:
        return round(LABEL + plot * (level - low + 1) / (high - low + 1), 1)

    bottom = TOP + ROW * len(feedback.positions)
    height = bottom + 46
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH:.0f} {height:.0f}" font-family="DejaVu Sans, sans-serif" role="img">',
        f"<title>{escape(title)}</title>",
    ]
    for level in method.levels:
        tick = x(level)
        parts.append(f'<text x="{tick}" y="{TOP - 10}" font-size="11" fill="{MUTED}" text-anchor="end">{level}</text>')
        parts.append(f'<line x1="{tick}" x2="{tick}" y1="{TOP - 4}" y2="{bottom}" stroke="{GRID}"/>')
    for n, position in enumerate(feedback.positions):
        y = TOP + n * ROW
        name = escape(names.get(position.aspect, position.aspect))
        parts.append(f'<text x="{LABEL - 8}" y="{y + 19}" font-size="12" fill="{INK}" text-anchor="end">{name}</text>')
        parts.append(f'<rect x="{LABEL}" y="{y + 6}" width="{x(position.level) - LABEL}" height="18" fill="{BAR}"/>')
        parts.append(f'<rect x="{x(position.mean) - 2}" y="{y + 2}" width="4" height="26" fill="{MEAN}"/>')
    award_x = x(method.award_level)
    parts.append(f'<line x1="{award_x}" x2="{award_x}" y1="{TOP - 4}" y2="{bottom}" {DASHED}/>')
    y = bottom + 24
    swatches = (
        f'<rect x="{{x}}" y="{y - 11}" width="14" height="12" fill="{BAR}"/>',
        f'<rect x="{{x}}" y="{y - 13}" width="4" height="16" fill="{MEAN}"/>',
        f'<line x1="{{x}}" x2="{{x20}}" y1="{y - 4}" y2="{y - 4}" {DASHED}/>',
    )
    left = 8.0
    for swatch, word in zip(swatches, legend, strict=True):
        parts.append(swatch.format(x=left, x20=left + 20))
        parts.append(f'<text x="{left + 24}" y="{y}" font-size="11" fill="{INK}">{escape(word)}</text>')
        left += 24 + CHAR * len(word) + 24
    parts.append("</svg>")
    return "\n".join(parts), WIDTH, height
