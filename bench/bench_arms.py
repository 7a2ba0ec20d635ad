"""Coverage of the IV 95% interval and bias of the raw difference for three organisations'
arms (demo generator `organisation=`): Rotterdam's three departments (Prematching the
reference), a two-arm programme design and four arms with another reference (Werkfit).

Run from the repository root: `python bench/bench_arms.py [SEEDS] [CLIENTS] [CASEWORKERS]`
(default 20 seeds, 3,000 clients, 40 caseworkers); writes bench/arms_results.json.
tests/test_design_arms.py runs a few of these seeds at a smaller size.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import core  # noqa: E402,F401
from core.arms import ArmChoice  # noqa: E402
from demo import generate  # noqa: E402
from design_feasibility import Options, analyse  # noqa: E402

ORGANISATIONS = ("rotterdam", "two_arms", "four_arms")


def run_seed(organisation: str, seed: int, clients: int, caseworkers: int) -> dict:
    """Per treated arm: true effect, IV estimate and interval, raw difference and built-in bias."""
    extract = generate(n_clients=clients, seed=seed, defects=False, organisation=organisation,
                       n_caseworkers=caseworkers)
    manifest = extract.manifest
    result = analyse(extract.tables, Options(arms=ArmChoice.of(reference=manifest["reference"])))
    arms = {}
    for arm, true in manifest["true_effects"].items():
        iv, raw = result.estimate("iv", arm), result.estimate("raw", arm)
        arms[arm] = {"true": true, "iv": iv.estimate, "ci": [iv.ci_low, iv.ci_high],
                     "covered": iv.ci_low <= true <= iv.ci_high, "raw": raw.estimate,
                     "raw_ci": [raw.ci_low, raw.ci_high], "bias": manifest["selection_bias"][arm]}
    return arms


def main() -> None:
    seeds, clients, caseworkers = (int(a) for a in (sys.argv[1:] + ["20", "3000", "40"][len(sys.argv) - 1:]))
    out = {"seeds": f"1-{seeds}", "clients": clients, "caseworkers": caseworkers, "organisations": {}}
    for organisation in ORGANISATIONS:
        runs = [run_seed(organisation, seed, clients, caseworkers) for seed in range(1, seeds + 1)]
        summary = {}
        for arm in runs[0]:
            rows = [r[arm] for r in runs]
            summary[arm] = {"true": rows[0]["true"], "covered": sum(r["covered"] for r in rows), "of": len(rows),
                            "mean_iv": sum(r["iv"] for r in rows) / len(rows),
                            "mean_raw": sum(r["raw"] for r in rows) / len(rows), "built_in_bias": rows[0]["bias"],
                            "raw_excludes_truth": sum(not r["raw_ci"][0] <= r["true"] <= r["raw_ci"][1] for r in rows)}
            print(f"{organisation:10s} {arm:14s} true {summary[arm]['true']:+.3f}  IV covers {summary[arm]['covered']}"
                  f"/{len(rows)}  mean IV {summary[arm]['mean_iv']:+.3f}  mean raw {summary[arm]['mean_raw']:+.3f}"
                  f" (built-in bias {summary[arm]['built_in_bias']:+.3f})", flush=True)
        out["organisations"][organisation] = summary
    Path(__file__).with_name("arms_results.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
