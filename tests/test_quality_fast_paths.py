"""The integer fast paths of the profile give exactly what the plain pandas formulation gives:
duplicate rows (candidates by client and dates, exact comparison after) and code usage per
month (counted on codes, not strings)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.canonical import conform
from quality_checks.checks_coding import code_usage
from quality_checks.checks_completeness import duplicate_rows
from quality_checks.prepare import prepare

EXTRACT_DATE = "2018-12-31"


def _tables(seed: int = 3, rows: int = 4000) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    clients = conform(pd.DataFrame({"client_id": [f"K{i:04d}" for i in range(300)]}), "clients")
    ids = np.array([f"K{i:04d}" for i in range(320)], dtype=object)      # 20 unknown clients
    days = pd.to_datetime("2014-01-01") + pd.to_timedelta(rng.integers(0, 40, rows), unit="D")
    frame = pd.DataFrame({
        "client_id": rng.choice(ids, rows),
        "intervention_code": rng.choice(np.array(["SOL", "TRN", "OVR", None], dtype=object), rows),
        "intervention_label": rng.choice(np.array(["Sollicitatie", "Training", None], dtype=object), rows),
        "start_date": days.where(rng.random(rows) > 0.05),
        "end_date": days + pd.to_timedelta(rng.integers(0, 3, rows), unit="D"),
        "status": rng.choice(np.array(["afgerond", "lopend", None], dtype=object), rows),
    })
    frame.loc[rng.integers(0, rows, 30), "client_id"] = None
    frame.loc[rng.integers(0, rows, 20), "start_date"] = pd.Timestamp("9999-12-31")
    copies = frame.sample(200, random_state=seed)               # exact copies, placed anywhere
    interventions = pd.concat([frame, copies]).sample(frac=1, random_state=seed + 1).reset_index(drop=True)
    return {"clients": clients, "interventions": conform(interventions, "interventions")}


def test_duplicate_rows_equal_pandas_duplicated():
    tables = _tables()
    p = prepare(tables, EXTRACT_DATE)
    df = p.tables["interventions"]
    expected = df.duplicated(keep="first").to_numpy()
    flags = duplicate_rows(p, "interventions")
    assert expected.sum() >= 200
    assert np.array_equal(flags, expected)
    assert not duplicate_rows(p, "clients").any()


def test_code_usage_equals_groupby_on_the_strings():
    p = prepare(_tables(seed=5), EXTRACT_DATE)
    df = p.tables["interventions"]
    start = p.dates("interventions", "start_date")
    dated = p.usable(start) & (start <= p.extract_date)
    month = np.where(dated, start.astype("datetime64[M]"), np.datetime64("NaT", "M")).astype("datetime64[s]")
    keys = pd.DataFrame({"month": month, "code": df["intervention_code"].array,
                         "label": df["intervention_label"].array})
    expected = keys.groupby(["month", "code", "label"], dropna=False, observed=True).size().rename("rows").reset_index()
    usage = code_usage(p)
    pd.testing.assert_frame_equal(usage, expected)
    assert usage["month"].isna().any() and usage["code"].isna().any()
