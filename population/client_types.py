"""Client types: k-modes clustering of the categorical characteristics (population.k_modes,
the kmodes library's algorithm with the same results).

The number of types is the one with the highest mean silhouette (Hamming distance, i.e. the
Gower distance for categorical data) among k_min..k_max, counting only solutions whose smallest
type has at least the disclosure threshold; the user can choose another number. Each type is
described by the levels that are relatively more common in it than in all clients."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import pairwise_distances, silhouette_score

from core.disclosure import shown_share
from population import k_modes
from population.config import MISSING, settings


def _encode(frame: pd.DataFrame) -> np.ndarray:
    return np.column_stack([pd.factorize(frame[c], sort=True)[0] for c in frame.columns])


def find_types(frame: pd.DataFrame, n_types: int | None = None, min_count: int = 10) -> dict:
    """Types of the rows of `frame` (categorical columns). Returns labels for every row, the
    silhouette per candidate k, the chosen k and how it was chosen."""
    conf = settings()["types"]
    codes = _encode(frame)
    rng = np.random.default_rng(conf["seed"])
    n = len(codes)
    sample = rng.choice(n, size=min(n, conf["sample"]), replace=False)
    fit_codes = codes[sample]
    sil_idx = rng.choice(len(sample), size=min(len(sample), conf["silhouette_sample"]), replace=False)
    distances = pairwise_distances(fit_codes[sil_idx], metric="hamming")   # the same for every k
    distinct = len(np.unique(fit_codes, axis=0))
    candidates = {}
    k_max = min(conf["k_max"], max(conf["k_min"], n // max(min_count, 1)))
    wanted = range(conf["k_min"], k_max + 1)
    if n_types is not None and n_types not in wanted:
        wanted = list(wanted) + [n_types]
    for k in wanted:
        if k < 2 or k >= distinct:
            continue
        model = k_modes.fit(fit_codes, k, conf["seed"], conf["n_init"])
        labels_all = k_modes.nearest(codes, model.modes)
        sizes = np.bincount(labels_all, minlength=k)
        sample_labels = model.labels[sil_idx]
        silhouette = (float(silhouette_score(distances, sample_labels, metric="precomputed"))
                      if len(set(sample_labels)) > 1 else float("nan"))
        candidates[k] = {"model": model, "labels": labels_all, "silhouette": silhouette,
                         "smallest_ok": bool(sizes.min() >= min_count)}
    valid = {k: c for k, c in candidates.items() if c["smallest_ok"] and not np.isnan(c["silhouette"])}
    if not valid:
        return {"k": None, "chosen_by": "none", "labels": None, "silhouette": {}}
    best = max(valid, key=lambda k: valid[k]["silhouette"])
    chosen_by = "silhouette"
    if n_types is not None:
        allowed = [k for k in valid if k <= n_types]
        best, chosen_by = (n_types, "user") if n_types in valid else (max(allowed) if allowed else best, "user_reduced")
    return {"k": int(best), "chosen_by": chosen_by, "labels": by_size(valid[best]["labels"]),
            "silhouette": {int(k): c["silhouette"] for k, c in candidates.items()},
            "smallest_ok": {int(k): c["smallest_ok"] for k, c in candidates.items()}}


def describe(frame: pd.DataFrame, labels: np.ndarray, min_count: int = 10) -> list[dict]:
    """Per type: size, share and the levels that stand out (share in the type at least
    lift_min times and lift_points above the share among all clients; at least min_count
    clients of the type have it)."""
    conf = settings()["types"]
    out = []
    overall = {c: frame[c].value_counts(normalize=True) for c in frame.columns}
    for k in sorted(set(labels)):
        members = frame[labels == k]
        size = len(members)
        notable = []
        for column in frame.columns:
            counts = members[column].value_counts()
            for level, count in counts.items():
                share = shown_share(count, size, min_count)   # neither it nor the rest is small
                if level == MISSING or share is None:
                    continue
                base = overall[column][level]
                if share >= conf["lift_min"] * base and share - base >= conf["lift_points"]:
                    notable.append({"characteristic": column, "level": level, "share": float(share),
                                    "overall": float(base), "difference": float(share - base)})
        notable.sort(key=lambda item: -item["difference"])
        out.append({"type": int(k) + 1, "size": int(size) if size >= min_count else None,
                    "share": float(size / len(frame)) if size >= min_count else None,
                    "stands_out": notable[:conf["show_levels"]]})
    return out


def by_size(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... from the largest type to the smallest."""
    order = np.argsort(-np.bincount(labels), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels]
