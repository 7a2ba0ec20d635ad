"""The kit's output step: only tables that pass the disclosure rules are written, and every
table is listed in a checking report in the form TRE output checkers use.

The report follows the `results.json` of ACRO (AI-SDC, the SACRO tools used by UK and Dutch
TREs): per output a `uid`, `status` (pass / review / fail), `type`, `properties`, `files`
with their SDC summary, `outcome` per cell, `command`, `summary`, `timestamp`, `comments`
and `exception` (for the researcher to fill in when asking for an exception). ACRO itself is
not used: acro 1.0.2 requires pandas <= 2.3.3, this project pins pandas 3.1.1.

Rules (ACRO's defaults where it has one: safe_threshold 10, safe_dof_threshold 10,
zeros_are_disclosive):
- frequency tables (counts of people): a cell under `min_count` is hidden, with
  complementary cells so that no hidden cell follows from the row, column and grand totals
  (`core.disclosure.suppression_mask`); a zero cell is hidden too (class disclosure), with
  its complementary cells. Status: pass when nothing is hidden, review when some cells are,
  fail when all are (the table is withheld).
- statistics (estimates, tests): every group of people behind them has at least `min_count`
  people and the model keeps at least `dof_min` residual degrees of freedom; else fail.
- all outputs: no identifier column (`core.disclosure.IDENTIFIER_COLUMNS`, the kit's key)
  and no cell or row label equal to an identifier value of the input; else fail.
- tables of sums of magnitudes (where the dominance and p% rules apply) are not produced.
A failed output is not written; it stays in the report with the reason.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from core.disclosure import IDENTIFIER_COLUMNS, small_cells, suppression_mask

DOF_MIN = 10   # ACRO safe_dof_threshold


@dataclass
class CheckedOutput:
    uid: str
    status: str                  # pass | review | fail
    type: str                    # table | statistics
    properties: dict
    files: list[dict]
    outcome: dict                # per cell: "ok" or the rules it broke
    command: str
    summary: str
    timestamp: str
    comments: list[str] = field(default_factory=list)
    exception: str = ""


def protect_counts(counts: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """Which cells of a frequency table to hide (True): small and zero cells plus
    complementary cells, so that no hidden cell follows from the row, column and grand totals
    (everything when that cannot be done)."""
    counts = counts.fillna(0).round().astype("Int64")
    return suppression_mask(counts, min_count, also=(counts == 0).astype(bool))


class OutputChecker:
    """Writes checked tables to `folder` and their checking report (`finalise`)."""

    def __init__(self, folder: Path, min_count: int, identifier_values: set[str],
                 identifier_columns: tuple[str, ...] = (), dof_min: int = DOF_MIN):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.min_count, self.dof_min = min_count, dof_min
        self.identifier_values = {str(v).strip() for v in identifier_values if str(v).strip()}
        self.identifier_columns = {c.lower() for c in IDENTIFIER_COLUMNS + tuple(identifier_columns)}
        self.outputs: list[CheckedOutput] = []

    def _identifiers(self, table: pd.DataFrame) -> list[str]:
        named = [str(c) for c in table.columns if str(c).lower() in self.identifier_columns]
        labels = [str(v).strip() for v in list(table.index) + table.astype(str).to_numpy().ravel().tolist()]
        found = sorted({v for v in labels if v in self.identifier_values})
        return named + (["identifier value"] if found else [])

    def _record(self, name, status, kind, table, properties, sdc, outcome, command, summary):
        files = []
        if status != "fail":
            path = self.folder / f"{name}.csv"
            table.to_csv(path)
            files.append({"name": path.name, "sdc": sdc})
        else:
            files.append({"name": None, "sdc": sdc})
        self.outputs.append(CheckedOutput(
            uid=name, status=status, type=kind, properties=properties, files=files, outcome=outcome,
            command=command, summary=summary, timestamp=datetime.now().isoformat(timespec="seconds")))
        return status

    def frequency(self, name: str, counts: pd.DataFrame, description: str) -> str:
        """A table of counts of people (rows x columns)."""
        ids = self._identifiers(counts)
        mask = protect_counts(counts, self.min_count)
        values = counts.fillna(0).round().astype("Int64")
        small = int(small_cells(values, self.min_count).to_numpy().sum())
        zeros = int((values == 0).to_numpy().sum())
        hidden = int(mask.to_numpy().sum())
        outcome = {f"{r}|{c}": ("ok" if not mask.loc[r, c] else
                                "threshold" if 0 < values.loc[r, c] < self.min_count else
                                "zero" if values.loc[r, c] == 0 else "complementary")
                   for r in values.index for c in values.columns}
        all_hidden = hidden == mask.size
        status = "fail" if ids or all_hidden else "review" if hidden else "pass"
        sdc = {"summary": {"suppressed": bool(hidden), "threshold": small, "zeros": zeros,
                           "complementary": hidden - small - zeros, "identifiers": ids},
               "cells": {"suppressed": [[str(r), str(c)] for r in values.index for c in values.columns
                                        if mask.loc[r, c]]}}
        summary = ("fail; " + ("identifiers: " + ", ".join(ids) if ids else "every cell would be hidden")
                   if status == "fail" else f"{status}; {hidden} cell(s) hidden (threshold {self.min_count})"
                   if hidden else "pass")
        return self._record(name, status, "table", values.mask(mask), {"description": description},
                            sdc, outcome, f"frequency table: {description}", summary)

    def statistics(self, name: str, table: pd.DataFrame, description: str, *, people: dict[str, int],
                   dof: int | None) -> str:
        """Estimates or test statistics; `people`: the number of people behind each group
        they describe (e.g. clients per arm), `dof`: residual degrees of freedom of the model."""
        ids = self._identifiers(table)
        small = sorted(g for g, n in people.items() if n < self.min_count)
        low_dof = dof is not None and dof < self.dof_min
        reasons = ([f"identifiers: {', '.join(ids)}"] if ids else []) \
            + ([f"fewer than {self.min_count} people in {', '.join(small)}"] if small else []) \
            + ([f"residual degrees of freedom {dof} < {self.dof_min}"] if low_dof else [])
        status = "fail" if reasons else "pass"
        shown = {g: n if n >= self.min_count else f"<{self.min_count}" for g, n in people.items()}  # the report leaves too
        sdc = {"summary": {"min_group": min(people.values()) >= self.min_count if people else None, "dof": dof,
                           "identifiers": ids}, "cells": {}}
        return self._record(name, status, "statistics", table, {"description": description, "people": shown},
                            sdc, {"table": "; ".join(reasons) or "ok"}, f"statistics: {description}",
                            "; ".join(["fail"] + reasons) if reasons else "pass")

    def finalise(self, meta: dict) -> dict:
        """Write checking_report.json (ACRO results.json form) and checking_report.md."""
        report = {"version": meta.get("kit_version"), "rules": {
            "threshold": self.min_count, "dof_threshold": self.dof_min, "zeros_are_disclosive": True,
            "identifier_columns": sorted(self.identifier_columns)},
            "meta": meta, "results": {o.uid: asdict(o) for o in self.outputs}}
        (self.folder / "checking_report.json").write_text(json.dumps(report, indent=2, default=str),
                                                          encoding="utf-8")
        lines = ["# Checking report / controlerapport", "",
                 f"Threshold / drempel: {self.min_count} people; residual df >= {self.dof_min}; "
                 "zero cells hidden; no identifiers.", "",
                 "| output | description | type | status | file | summary |", "|---|---|---|---|---|---|"]
        lines += [f"| {o.uid} | {o.properties['description']} | {o.type} | {o.status} | "
                  f"{o.files[0]['name'] or '-'} | {o.summary} |" for o in self.outputs]
        (self.folder / "checking_report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return report
