"""Radar chart of a maturity result: one closed line per role over the dimensions.

Altair has no radar mark, so the points are placed on x/y coordinates around a circle: level 0
in the centre, level 5 on the outer ring, the first dimension at the top, going clockwise.
"""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from core.texts import pick
from maturity.bank import LEVELS, QuestionBank, load_bank
from maturity.scoring import MaturityResult

OUTER = LEVELS[-1]
LABEL_RADIUS = OUTER + 1.1


def _xy(radius: float, position: int, count: int) -> tuple[float, float]:
    angle = math.pi / 2 - 2 * math.pi * position / count
    return radius * math.cos(angle), radius * math.sin(angle)


def _closed(points: list[dict]) -> list[dict]:
    """The points of a polygon with the first repeated at the end, so the line closes."""
    return points + [dict(points[0], order=len(points))] if points else []


def radar_frames(result: MaturityResult, lang: str, bank: QuestionBank | None = None) -> dict[str, pd.DataFrame]:
    """Coordinates for the grid rings, spokes, dimension labels, level ticks and one line per role."""
    bank = bank or load_bank()
    count = len(result.dimensions)
    rings = [dict(ring=level, order=k, **dict(zip("xy", _xy(level, k, count))))
             for level in LEVELS for k in range(count + 1)]
    spokes = [dict(x=0.0, y=0.0, **dict(zip(("x2", "y2"), _xy(OUTER, k, count)))) for k in range(count)]
    labels = [dict(label=pick(d.name, lang), **dict(zip("xy", _xy(LABEL_RADIUS, k, count))))
              for k, d in enumerate(result.dimensions)]
    ticks = [dict(label=str(level), x=0.2, y=float(level)) for level in LEVELS]
    lines = []
    for role in bank.roles:
        points = [dict(role=pick(bank.roles[role], lang), dimension=pick(d.name, lang),
                       score=d.by_role[role], order=k, **dict(zip("xy", _xy(d.by_role[role], k, count))))
                  for k, d in enumerate(result.dimensions) if role in d.by_role]
        lines += _closed(points)
    return {name: pd.DataFrame(rows) for name, rows in
            (("rings", rings), ("spokes", spokes), ("labels", labels), ("ticks", ticks), ("lines", lines))}


def radar_chart(result: MaturityResult, lang: str, titles: dict, bank: QuestionBank | None = None,
                size: int = 460) -> alt.LayerChart:
    """The chart; `titles` gives the legend title ("role") and tooltip titles ("dimension", "score")."""
    frames = radar_frames(result, lang, bank)
    extent = LABEL_RADIUS + 1.2
    scale = alt.Scale(domain=[-extent, extent], nice=False)
    x = alt.X("x:Q", axis=None, scale=scale)
    y = alt.Y("y:Q", axis=None, scale=scale)
    rings = alt.Chart(frames["rings"]).mark_line(color="#d0d0d0", strokeWidth=1).encode(
        x=x, y=y, detail="ring:N", order="order:Q")
    spokes = alt.Chart(frames["spokes"]).mark_rule(color="#d0d0d0").encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    labels = alt.Chart(frames["labels"]).mark_text(fontSize=11).encode(x=x, y=y, text="label:N")
    ticks = alt.Chart(frames["ticks"]).mark_text(fontSize=9, color="#888888", align="left", baseline="bottom").encode(
        x=x, y=y, text="label:N")
    layers = [rings, spokes, labels, ticks]
    if not frames["lines"].empty:
        layers.append(alt.Chart(frames["lines"]).mark_line(point=True, strokeWidth=2).encode(
            x=x, y=y, order="order:Q",
            color=alt.Color("role:N", title=titles["role"]),
            tooltip=[alt.Tooltip("role:N", title=titles["role"]),
                     alt.Tooltip("dimension:N", title=titles["dimension"]),
                     alt.Tooltip("score:Q", title=titles["score"])]))
    return alt.layer(*layers).properties(width=size, height=size).configure_view(strokeWidth=0)
