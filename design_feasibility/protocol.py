"""The one protocol of a design: `assess(inputs) -> DesignRun`, tables and options in;
findings, verdict and estimates out."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import pandas as pd

from core.extract_date import ExtractDate, resolve_extract_date
from core.findings import Finding, verdict
from design_feasibility.config import Options
from design_feasibility.design_findings import DesignFindings
from design_feasibility.frame import AnalysisFrame, build_frame, observation_end
from design_feasibility.result import DesignOutputs


@dataclass
class Inputs:
    """What every design gets: the extract's tables and the user's options (the analysis frame
    of referred clients is built once, when a design asks for it)."""
    tables: dict[str, pd.DataFrame]
    options: Options

    @cached_property
    def extract_date(self) -> ExtractDate:
        """The extract date (core.extract_date): the one given, else inferred from the data."""
        return resolve_extract_date(self.tables, self.options.extract_date)

    @property
    def end(self) -> pd.Timestamp:
        """The end of observation (frame.observation_end of the extract date)."""
        return observation_end(self.tables, self.extract_date)

    @cached_property
    def frame(self) -> AnalysisFrame:
        return build_frame(self.tables, self.options.arms, self.end)

    @property
    def outcome_present(self) -> bool:
        outcomes = self.tables.get("outcomes")
        return outcomes is not None and len(outcomes) > 0


@dataclass
class DesignRun(DesignOutputs):
    """What every design returns. Only the caseworker design fills the estimates and charts."""
    design: str
    label: dict[str, str]
    findings: list[Finding]
    settings: dict = field(default_factory=dict)   # settings the design resolved (shown in the result)

    @property
    def verdict(self) -> str:
        return verdict("design", self.findings)


class Design(Protocol):
    name: str
    config: dict

    def assess(self, inputs: Inputs) -> DesignRun: ...


@dataclass
class DeclaredDesign:
    """A design of thresholds.yaml: its name (the YAML block) and its settings."""
    name: str
    config: dict

    def findings(self) -> DesignFindings:
        return DesignFindings(self.name)

    def run(self, found: DesignFindings, **outputs) -> DesignRun:
        return DesignRun(self.name, dict(self.config["label"]), found.findings, **outputs)
