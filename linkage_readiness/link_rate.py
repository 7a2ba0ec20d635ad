"""Predicted CBS link rate: per client the route (BSN or address key) and its expected rate.

The rates per route are data (data/link_rate.yaml) with their source stated: CBS's own
figures for the BSN route and the PC6 address key, this tool's assumption for PC4. Counts
leave this module only after disclosure control.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core import LANGUAGES
from core.disclosure import MIN_COUNT, SMALL, shown_count, suppress, suppress_counts
from core.texts import pick, render
from linkage_readiness.address_key import PC4, PC6
from linkage_readiness.resources import data, percent

BSN, ADDRESS_PC6, ADDRESS_PC4, NONE = "bsn", "address_pc6", "address_pc4", "none"
ROUTES = (BSN, ADDRESS_PC6, ADDRESS_PC4, NONE)
FALLBACKS = (ADDRESS_PC6, ADDRESS_PC4, NONE)


@dataclass
class LinkRate:
    value: float
    low: float
    high: float
    route: str                      # the route most clients take: bsn / address / none
    basis: dict[str, str]
    by_route: list[dict] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict) -> "LinkRate":
        return cls(**{k: d[k] for k in ("value", "low", "high", "route", "basis")},
                   by_route=list(d.get("by_route", [])))


def routes(bsn_per_client: pd.DataFrame, key_per_client: pd.DataFrame) -> pd.DataFrame:
    """Per client: `reason` (why not the BSN route, <NA> if it is), `fallback` and `route`."""
    per = pd.DataFrame({"client_id": bsn_per_client["client_id"]})
    reason = "bsn_" + bsn_per_client["kind"].astype(object)
    reason[bsn_per_client["usable"]] = None
    reason[bsn_per_client["several"]] = "bsn_several"
    reason[bsn_per_client["conflicting"]] = "bsn_conflicting"
    usable_key = key_per_client["complete"] & key_per_client["unique"]
    fallback = pd.Series(NONE, index=per.index, dtype=object)
    fallback[usable_key & (key_per_client["postcode_form"] == PC4)] = ADDRESS_PC4
    fallback[usable_key & (key_per_client["postcode_form"] == PC6)] = ADDRESS_PC6
    per["reason"] = reason
    per["fallback"] = fallback
    per["route"] = fallback.where(reason.notna(), BSN)
    return per


def predict(per_client: pd.DataFrame, min_count: int = MIN_COUNT) -> LinkRate:
    """The expected link rate with its band and the basis in words."""
    rates = data("link_rate")
    spec = rates["routes"]
    n = len(per_client)
    counts = per_client["route"].value_counts().reindex(ROUTES, fill_value=0)
    shown = suppress_counts(counts, min_count)

    def mean(level: str) -> float:
        return float(sum(counts[r] * spec[r][level] for r in ROUTES) / n) if n else 0.0

    by_route = [{"route": r, "clients": None if pd.isna(shown[r]) else int(shown[r]),
                 "share": None if pd.isna(shown[r]) or not n else float(counts[r] / n),
                 "expected": spec[r]["expected"], "low": spec[r]["low"], "high": spec[r]["high"],
                 "source": spec[r]["source"], "label": {lang: spec[r][lang] for lang in LANGUAGES}}
                for r in ROUTES if counts[r]]
    main = counts.idxmax() if n else NONE
    return LinkRate(value=mean("expected"), low=mean("low"), high=mean("high"),
                    route="address" if main in (ADDRESS_PC6, ADDRESS_PC4) else main,
                    basis=_basis(rates, n, by_route), by_route=by_route)


def _basis(rates: dict, n: int, by_route: list[dict]) -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        parts = [render(pick(rates["route_share"], lang), lang, {
            "share": pick(rates["withheld"], lang) if row["share"] is None else pick(percent(row["share"]), lang),
            "route": row["label"][lang]}) for row in by_route]
        shown = shown_count(n)
        out[lang] = render(pick(rates["basis"], lang), lang, {"n": SMALL if shown is None else shown,
                                                              "routes": "; ".join(parts)})
    return out


def at_risk(per_client: pd.DataFrame, min_count: int = MIN_COUNT) -> list[dict]:
    """Clients off the BSN route: reason x fallback counts, small cells suppressed (None)."""
    rates = data("link_rate")
    off = per_client[per_client["reason"].notna()]
    reasons = [r for r in rates["reasons"] if (off["reason"] == r).any()]
    if not reasons:
        return []
    table = pd.crosstab(off["reason"], off["fallback"]).reindex(index=reasons, columns=FALLBACKS, fill_value=0)
    hidden = suppress(table, min_count)
    totals = suppress_counts(table.sum(axis=1), min_count)
    return [{"reason": reason, "label": rates["reasons"][reason],
             **{fb: _cell(hidden.loc[reason, fb]) for fb in FALLBACKS},
             "total": _cell(totals[reason])} for reason in reasons]


def _cell(value) -> int | None:
    return None if pd.isna(value) else int(value)
