"""What works for whom: the population profile, start-work curves, hazard ratios, client types
and subgroup feasibility (`analyse`), and the workplan section (`report_section`)."""
from population.analysis import PopulationResult, analyse, correlation_note  # noqa: F401
from population.config import Options  # noqa: F401


def report_section(result, lang: str = "nl", styles: dict | None = None) -> list:
    """The population section as reportlab flowables (see population.report)."""
    from population.report import report_section as build
    return build(result, lang, styles)
