"""Small line charts as inline SVG, drawn on the server: no chart library to ship, and a page
shows its charts even with scripts off. Pure: points in, markup out (numbers only; titles are
escaped by the template around it)."""

from datetime import datetime

WIDTH, HEIGHT, PAD = 320, 90, 4


def line_svg(points: list[tuple[datetime, float]], unit: str = "") -> str:
    """A polyline of ``points`` (time, value), oldest first, with the min and max labelled."""
    if not points:
        return ""
    t0, t1 = points[0][0].timestamp(), points[-1][0].timestamp()
    values = [v for _, v in points]
    lo, hi = min(values), max(values)
    span_t = (t1 - t0) or 1.0
    span_v = (hi - lo) or 1.0
    coords = " ".join(
        f"{PAD + (t.timestamp() - t0) / span_t * (WIDTH - 2 * PAD):.1f},"
        f"{HEIGHT - PAD - (v - lo) / span_v * (HEIGHT - 2 * PAD):.1f}"
        for t, v in points
    )
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'class="chart"><polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        f'points="{coords}"/><text x="{WIDTH - PAD}" y="12" text-anchor="end">max {hi:g}{unit}'
        f'</text><text x="{WIDTH - PAD}" y="{HEIGHT - PAD}" text-anchor="end">min {lo:g}{unit}'
        f"</text></svg>"
    )


def band_svg(
    points: list[tuple[datetime, float, float, float]], lo: float, hi: float, unit: str = ""
) -> str:
    """A line of ``points`` (time, value, low, high), oldest first, inside its shaded interval,
    on a fixed scale from ``lo`` to ``hi`` (so charts side by side compare)."""
    if not points:
        return ""
    t0, t1 = points[0][0].timestamp(), points[-1][0].timestamp()
    span_t = (t1 - t0) or 1.0

    def xy(t: datetime, v: float) -> str:
        x = PAD + (t.timestamp() - t0) / span_t * (WIDTH - 2 * PAD)
        y = HEIGHT - PAD - (min(hi, max(lo, v)) - lo) / (hi - lo) * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    upper = [xy(t, h) for t, _, _, h in points]
    lower = [xy(t, low) for t, _, low, _ in reversed(points)]
    line = " ".join(xy(t, v) for t, v, _, _ in points)
    last = points[-1][1]
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'class="chart"><polygon fill="currentColor" fill-opacity="0.15" '
        f'points="{" ".join(upper + lower)}"/><polyline fill="none" stroke="currentColor" '
        f'stroke-width="1.5" points="{line}"/><text x="{WIDTH - PAD}" y="12" text-anchor="end">'
        f"last {last:g}{unit}</text></svg>"
    )
