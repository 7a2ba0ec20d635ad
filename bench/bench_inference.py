"""Monte Carlo of the judge-design inference checks (design_feasibility.inference).

Run from the repository root:  python bench/bench_inference.py [--reps 500] [--only NAME ...]
Prints one line per experiment and writes bench/inference_results.json. Worlds come from
bench/inference_world.py (independent of the demo generator); seeds are fixed per experiment
(seed0 + replication). One BLAS thread (as design_feasibility.analysis does).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from threadpoolctl import threadpool_limits

from bench.inference_world import arm_index, binary, controls, three_arms
from design_feasibility.inference import (effective_f, exclusion_monotonicity_test,
                                          iv_inference, jive, joint_balance)


def balance(reps, g, n=6000, sorting=0.0, boot_reps=0, boot_worlds=0, seed0=10_000):
    rows = []
    for r in range(reps):
        w = three_arms(seed0 + r, n=n, g=g, sorting=sorting)
        b = joint_balance(w.z["preference_Matching"], w.x, w.cells, w.caseworker,
                          bootstrap=boot_reps if r < boot_worlds else 0, seed=r, index=arm_index(w))
        rows.append((b.p, b.p_uncorrected, np.nan if b.p_bootstrap is None else b.p_bootstrap,
                     b.index_p))
    a = np.array(rows)
    out = {"corrected_5": (a[:, 0] < .05).mean(), "corrected_10": (a[:, 0] < .10).mean(),
           "corrected_1": (a[:, 0] < .01).mean(),
           "uncorrected_5": (a[:, 1] < .05).mean(), "uncorrected_10": (a[:, 1] < .10).mean(),
           "index_5": (a[:, 3] < .05).mean(), "index_10": (a[:, 3] < .10).mean()}
    if boot_worlds:
        out |= {"bootstrap_5": np.nanmean(a[:boot_worlds, 2] < .05),
                "bootstrap_10": np.nanmean(a[:boot_worlds, 2] < .10), "bootstrap_worlds": boot_worlds,
                "bootstrap_reps": boot_reps}
    return out


def coverage(reps, g, n=6000, seed0=20_000):
    hits = {k: [] for k in ("cr1", "cr3", "primary", "ar", "ujive", "primary_Matching",
                            "primary_Activering", "ar_Matching", "ar_Activering")}
    width = {k: [] for k in ("cr1", "cr3", "ar")}
    bounded, feff, est = [], [], []
    primary = None
    for r in range(reps):
        w = three_arms(seed0 + r, n=n, g=g)
        res = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker)
        uj = jive(w.y, w.d, w.caseworker, controls(w))
        primary = res.primary_method
        for arm in res.arms:
            t = w.truth[arm.arm]
            hits["cr1"].append(arm.ci_cr1[0] <= t <= arm.ci_cr1[1])
            hits["cr3"].append(arm.ci_cr3[0] <= t <= arm.ci_cr3[1])
            hits["primary"].append(arm.ci[0] <= t <= arm.ci[1])
            hits[f"primary_{arm.arm}"].append(hits["primary"][-1])
            hits["ar"].append(arm.ar.contains(t))
            hits[f"ar_{arm.arm}"].append(hits["ar"][-1])
            ci = uj.arm(arm.arm).ci
            hits["ujive"].append(ci[0] <= t <= ci[1])
            width["cr1"].append(arm.ci_cr1[1] - arm.ci_cr1[0])
            width["cr3"].append(arm.ci_cr3[1] - arm.ci_cr3[0])
            bounded.append(arm.ar.bounded)
            if arm.ar.bounded:
                width["ar"].append(sum(hi - lo for lo, hi in arm.ar.intervals))
            est.append((arm.arm, arm.estimate, uj.arm(arm.arm).estimate, t))
        feff += [e.f_eff for e in effective_f(w.d, w.z, controls(w), w.caseworker)]
    out = {f"coverage_{k}": float(np.mean(v)) for k, v in hits.items()}
    out |= {f"median_width_{k}": float(np.median(v)) for k, v in width.items() if v}
    out |= {"ar_bounded": float(np.mean(bounded)), "median_effective_f": float(np.median(feff)),
            "primary_method": primary,
            "bias_2sls_matching": float(np.mean([e[1] - e[3] for e in est if e[0] == "Matching"])),
            "bias_ujive_matching": float(np.mean([e[2] - e[3] for e in est if e[0] == "Matching"]))}
    return out


def coverage_binary(reps, g, seed0=30_000):
    hits = {"cr1": [], "primary": [], "ar_exact": []}
    for r in range(reps):
        w = binary(seed0 + r, g=g)
        res = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker)
        arm, t = res.arms[0], w.truth["treated"]
        hits["cr1"].append(arm.ci_cr1[0] <= t <= arm.ci_cr1[1])
        hits["primary"].append(arm.ci[0] <= t <= arm.ci[1])
        hits["ar_exact"].append(arm.ar.contains(t))
    return {f"coverage_{k}": float(np.mean(v)) for k, v in hits.items()}


def flj(reps, seed0=40_000, **world):
    p = np.array([exclusion_monotonicity_test(w.y, w.d, w.caseworker, w.cells).p
                  for w in (binary(seed0 + r, **world) for r in range(reps))])
    return {"reject_5": float((p < .05).mean()), "reject_10": float((p < .10).mean())}


def experiments(reps):
    few = max(20, reps // 5)
    return {
        "balance_size_G15": lambda: balance(reps, 15, boot_reps=199, boot_worlds=few),
        "balance_size_G80": lambda: balance(reps, 80, boot_reps=199, boot_worlds=few),
        "balance_size_G80_n3000": lambda: balance(reps, 80, n=3000),
        "balance_power_sorted_G15": lambda: balance(few, 15, sorting=1.5),
        "balance_power_sorted_G30": lambda: balance(few, 30, sorting=1.5),
        "balance_power_mildly_sorted_G15": lambda: balance(few, 15, sorting=0.75),
        "balance_power_sorted_G80": lambda: balance(few, 80, sorting=1.5),
        "iv_coverage_G15": lambda: coverage(reps, 15),
        "iv_coverage_G30": lambda: coverage(reps, 30),
        "iv_coverage_G80": lambda: coverage(reps, 80),
        "iv_binary_coverage_G15": lambda: coverage_binary(reps, 15),
        "flj_size_G15": lambda: flj(reps, g=15),
        "flj_size_G30": lambda: flj(reps, g=30),
        "flj_size_G80": lambda: flj(reps, g=80),
        "flj_power_own_defiers_035_G15": lambda: flj(few, g=15, defiers=.25, defier_effect=.35),
        "flj_power_own_defiers_065_G15": lambda: flj(few, g=15, defiers=.25, defier_effect=.65),
        "flj_power_own_defiers_065_G30": lambda: flj(few, g=30, defiers=.25, defier_effect=.65),
        "flj_power_direct_003_G30": lambda: flj(few, g=30, direct_sd=.03),
        "flj_power_direct_005_G30": lambda: flj(few, g=30, direct_sd=.05),
        "flj_mirror_defiers_G15": lambda: flj(few, g=15, defiers=.25, defier_mode="mirror"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--out", default=str(Path(__file__).with_name("inference_results.json")))
    args = parser.parse_args()
    results = {}
    out = Path(args.out)
    if out.exists():
        results = json.loads(out.read_text())
    with threadpool_limits(limits=1, user_api="blas"):
        for name, run in experiments(args.reps).items():
            if args.only and not any(o in name for o in args.only):
                continue
            start = time.perf_counter()
            res = {k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in run().items()}
            res |= {"reps": args.reps if "power" not in name and "mirror" not in name else max(20, args.reps // 5),
                    "seconds": round(time.perf_counter() - start, 1)}
            results[name] = res
            print(name, json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in res.items()}),
                  flush=True)
            out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
