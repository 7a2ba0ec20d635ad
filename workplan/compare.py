"""Compare two assessments: the same municipality over time, or two municipalities.

Per step: the traffic light and verdict before and after, findings resolved, new and still
present; maturity dimensions up or down; conditions and go/no-go items that changed; and
what is still blocking in the second assessment."""
from __future__ import annotations

from dataclasses import dataclass, field

from workplan.assessment import Assessment
from workplan.content import LABELS, count_text, number_text
from workplan.report import build_report

_RANK = {"red": 0, "amber": 1, "green": 2}


@dataclass
class StepChange:
    step: str
    before: str                      # traffic light
    after: str
    change: str                      # better | worse | same | not_comparable
    resolved: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    persisting: list[dict] = field(default_factory=list)   # {"id", "before", "after"} counts


@dataclass
class DimensionChange:
    id: str
    name: dict[str, str]
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass
class Comparison:
    before: dict                     # {"municipality", "date"}
    after: dict
    steps: list[StepChange]
    dimensions: list[DimensionChange]
    conditions_now_met: list[dict]   # titles {nl, en}
    conditions_no_longer_met: list[dict]
    still_blocking: list[dict]       # go/no-go items not GO in the second assessment

    @property
    def improved(self) -> list[str]:
        return [s.step for s in self.steps if s.change == "better"]


def _finding_counts(a: Assessment, step: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in (a.result(step) or {}).get("findings", []):
        if f["severity"] in ("error", "warning"):
            counts[f["id"]] = counts.get(f["id"], 0) + (f["count"] or 0)
    return counts


def _change(before: str, after: str) -> str:
    if before not in _RANK or after not in _RANK:
        return "not_comparable"
    return ("better" if _RANK[after] > _RANK[before] else
            "worse" if _RANK[after] < _RANK[before] else "same")


def compare(a: Assessment, b: Assessment) -> Comparison:
    ra, rb = build_report(a), build_report(b)
    steps = []
    for la, lb in zip(ra.lights, rb.lights):
        ca, cb = _finding_counts(a, la.step), _finding_counts(b, la.step)
        steps.append(StepChange(
            la.step, la.light, lb.light, _change(la.light, lb.light),
            resolved=sorted(set(ca) - set(cb)), new=sorted(set(cb) - set(ca)),
            persisting=[{"id": i, "before": ca[i], "after": cb[i]} for i in sorted(set(ca) & set(cb))]))
    dims_a = {d["id"]: d for d in (a.maturity or {}).get("dimensions", [])}
    dims_b = {d["id"]: d for d in (b.maturity or {}).get("dimensions", [])}
    dimensions = [DimensionChange(i, (dims_b.get(i) or dims_a[i])["name"],
                                  (dims_a.get(i) or {}).get("median"), (dims_b.get(i) or {}).get("median"))
                  for i in list(dims_a) + [i for i in dims_b if i not in dims_a]]
    met_a = {c.id for c in ra.conditions if c.met}
    met_b = {c.id for c in rb.conditions if c.met}
    titles = {c.id: c.title for c in rb.conditions}
    return Comparison(
        before={"municipality": a.municipality, "date": a.date},
        after={"municipality": b.municipality, "date": b.date},
        steps=steps, dimensions=dimensions,
        conditions_now_met=[titles[i] for i in titles if i in met_b - met_a],
        conditions_no_longer_met=[titles[i] for i in titles if i in met_a - met_b],
        still_blocking=[g.title for g in rb.gates if g.go is not True])


def render(comparison: Comparison, lang: str) -> list[str]:
    """The comparison as plain lines (command line, app page)."""
    t = lambda key, **values: LABELS(key, lang, **values)
    b, a = comparison.before, comparison.after
    lines = [t("cmp_title", before=f"{b['municipality']} ({b['date']})", after=f"{a['municipality']} ({a['date']})"), ""]
    for s in comparison.steps:
        lines.append(t("cmp_step", step=t(f"step_{s.step}"), before=t(f"light_{s.before}"),
                       after=t(f"light_{s.after}"), change=t(f"cmp_{s.change}")))
        if s.resolved:
            lines.append("  " + t("cmp_resolved", ids=", ".join(s.resolved)))
        if s.new:
            lines.append("  " + t("cmp_new", ids=", ".join(s.new)))
        if s.persisting:
            lines.append("  " + t("cmp_persisting", ids=", ".join(
                f"{p['id']} ({count_text(p['before'], lang)} -> {count_text(p['after'], lang)})"
                if p["before"] or p["after"] else p["id"] for p in s.persisting)))   # findings without a count
    moved = [d for d in comparison.dimensions if d.delta]
    if moved:
        lines += ["", t("cmp_dimensions")] + [
            f"  {d.name.get(lang, d.id)}: {number_text(d.before, lang, 1)} -> {number_text(d.after, lang, 1)}"
            f" ({'+' if d.delta > 0 else ''}{number_text(d.delta, lang, 1)})" for d in moved]
    for key, items in (("cmp_now_met", comparison.conditions_now_met),
                       ("cmp_no_longer_met", comparison.conditions_no_longer_met),
                       ("cmp_still_blocking", comparison.still_blocking)):
        if items:
            lines += ["", t(key)] + [f"  - {item.get(lang, '')}" for item in items]
    return lines
