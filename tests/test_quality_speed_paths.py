"""The shortcuts that keep the profile fast on ten million rows give exactly what the plain
formulation gives: examples taken from heavily chunked Arrow columns, duplicate rows of an
export ordered by client, the client lookup by runs, the benefit windows on whole columns,
and a Great Expectations run without the batch fingerprint."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from core.canonical import TEXT_DTYPE, conform
from quality_checks.checks_completeness import duplicate_rows
from quality_checks.checks_dates import within_any_benefit
from quality_checks.expectations import private_context, run_suite
from quality_checks.prepare import _arrow_text, _sorted_lookup, client_positions, day_numbers, per_day, prepare
from quality_checks.rules import few_rows, mask_value, row_examples

ROWS = 3000


def _chunked(values: list, arrow_type: pa.DataType, size: int = 7) -> pa.ChunkedArray:
    """`values` as an Arrow column of many small chunks, like a large CSV read by pyarrow."""
    return pa.chunked_array([pa.array(values[i:i + size], arrow_type) for i in range(0, len(values), size)],
                            arrow_type)


def _arrow_dtype(arrow_type: pa.DataType):
    """Text as the project's text dtype (as `quality_checks.read` does); millisecond timestamps
    kept in Arrow, second ones as numpy datetime64[s] (as the ingest delivers dates)."""
    if pa.types.is_large_string(arrow_type):
        return TEXT_DTYPE
    if arrow_type == pa.timestamp("ms"):
        return pd.ArrowDtype(arrow_type)
    return None


def _chunked_frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 900, ROWS), unit="D")
    columns = {
        "client_id": ([None if i % 97 == 0 else f"K{i:06d}" for i in range(ROWS)], pa.large_string()),
        "bsn": ([f"{rng.integers(10 ** 8, 10 ** 9):09d}" for _ in range(ROWS)], pa.large_string()),
        "intervention_code": (list(rng.choice(["SOL", "TRN", "OVR"], ROWS)), pa.large_string()),
        "start_date": ([None if rng.random() < 0.1 else d for d in days.to_pydatetime()], pa.timestamp("s")),
        "arrow_date": (list(days.to_pydatetime()), pa.timestamp("ms")),
        "n_children": ([None if i % 5 == 0 else i % 4 for i in range(ROWS)], pa.int64()),
    }
    table = pa.table({name: _chunked(values, arrow_type) for name, (values, arrow_type) in columns.items()})
    frame = table.to_pandas(types_mapper=_arrow_dtype).set_axis(pd.RangeIndex(100, 100 + ROWS))
    frame["n_children"] = frame["n_children"].astype("Int64")
    assert frame["client_id"].array._pa_array.num_chunks > 400
    assert str(frame["start_date"].dtype) == "datetime64[s]"
    return frame


def _old_examples(df: pd.DataFrame, flags: np.ndarray, columns: list[str]) -> list[str]:
    """The formulation before the fast path: `take` of the rows, then the columns."""
    positions = np.flatnonzero(flags)[:5]
    columns = [c for c in columns if c in df]
    rows = df.iloc[positions][columns]
    return ["; ".join(f"{c}={mask_value(c, row[c])}" for c in columns) for _, row in rows.iterrows()]


def test_few_rows_equal_iloc_on_chunked_arrow_columns():
    df = _chunked_frame()
    positions = np.array([0, 6, 7, 97, 1500, ROWS - 1])
    taken = few_rows(df, positions)
    pd.testing.assert_frame_equal(taken, df.iloc[positions])
    assert list(taken.index) == [100, 106, 107, 197, 1600, 100 + ROWS - 1]
    pd.testing.assert_frame_equal(few_rows(df, np.array([], dtype=np.int64)), df.iloc[[]])


def test_row_examples_equal_the_old_output():
    df = _chunked_frame()
    columns = ["client_id", "bsn", "intervention_code", "start_date", "arrow_date", "n_children", "absent"]
    for flags in (np.arange(ROWS) % 97 == 0,                  # rows with a missing client number
                  df["start_date"].isna().to_numpy(),         # missing dates
                  np.arange(ROWS) >= ROWS - 3,                # the last chunk only
                  np.zeros(ROWS, dtype=bool)):
        examples = row_examples(df, flags, columns)
        assert examples == _old_examples(df, flags, columns)
        assert len(examples) == min(5, flags.sum())
    first = row_examples(df, np.arange(ROWS) % 97 == 0, ["client_id", "bsn", "start_date"])[0]
    assert first.startswith("client_id=(leeg); bsn=") and df["bsn"].iloc[0] not in first


def test_duplicate_rows_of_an_export_ordered_by_client():
    """Ordered input is where the timsort of the candidate keys runs in linear time."""
    rng = np.random.default_rng(4)
    rows = 5000
    frame = pd.DataFrame({
        "client_id": [f"K{i:04d}" for i in np.sort(rng.integers(0, 800, rows))],
        "intervention_code": rng.choice(["SOL", "TRN"], rows),
        "start_date": pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 30, rows), unit="D"),
    })
    copies = frame.iloc[::50]                                   # 100 exact copies, next to their original
    interventions = pd.concat([frame, copies]).sort_index(kind="stable").reset_index(drop=True)
    clients = pd.DataFrame({"client_id": [f"K{i:04d}" for i in range(800)]})
    p = prepare({"clients": conform(clients, "clients"),
                 "interventions": conform(interventions, "interventions")}, "2018-12-31")
    expected = p.tables["interventions"].duplicated(keep="first").to_numpy()
    flags = duplicate_rows(p, "interventions")
    assert expected.sum() >= 100
    assert np.array_equal(flags, expected)


def _first_row_of(clients: list, ids: list) -> list[int]:
    """The plain formulation: the first row of each id in `clients`, -1 for unknown or missing."""
    first = {}
    for row, value in enumerate(clients):
        if value is not None:
            first.setdefault(value, row)
    return [-1 if value is None else first.get(value, -1) for value in ids]


def _text(values: list) -> pd.Series:
    return pd.Series(pd.array(values, dtype=TEXT_DTYPE))


def test_client_positions_equal_a_first_occurrence_lookup():
    """Runs of one client, clients listed twice or missing, unknown numbers, shuffled rows,
    numbers that differ only in case or a leading zero, many small Arrow chunks."""
    rng = np.random.default_rng(8)
    clients = [f"K{i:03d}" for i in range(300)] + ["K299", "K007", None, "k001", "0K001"]  # twice: K299, K007
    by_client = [f"K{i:03d}" for i in np.sort(rng.integers(0, 320, 2000))]          # runs, some unknown
    shuffled = list(rng.permutation(by_client + [None] * 30 + ["K001 ", "k001"]))
    tables = {"clients": pd.DataFrame({"client_id": _text(clients)}),
              "interventions": pd.DataFrame({"client_id": pd.Series(pd.array(
                  _chunked(by_client, pa.large_string()), dtype=TEXT_DTYPE))}),
              "referrals": pd.DataFrame({"client_id": _text(shuffled)}),
              "outcomes": pd.DataFrame({"client_id": _text([None, None])}),
              "benefits": pd.DataFrame({"start_date": pd.to_datetime(["2016-01-01"])})}
    found = client_positions(tables["clients"], tables)
    assert list(found["clients"]) == _first_row_of(clients, clients)
    assert found["clients"][[7, 299, 300, 301]].tolist() == [7, 299, 299, 7]
    assert list(found["interventions"]) == _first_row_of(clients, by_client)
    assert list(found["referrals"]) == _first_row_of(clients, shuffled)
    assert list(found["outcomes"]) == [-1, -1] and list(found["benefits"]) == [-1]
    unknown = sum(1 for v in by_client if int(v[1:]) >= 300)
    assert (found["interventions"] < 0).sum() == unknown > 0


@pytest.mark.parametrize("clients, searched", [
    ([f"{i:06d}" for i in range(0, 900, 3)], True),                    # numbered in order: searched
    ([f"{i:06d}" for i in range(0, 900, 3)][::-1], False),             # descending: hashed
    ([f"{i:06d}" for i in range(0, 900, 3)] + ["000000"], False),      # one listed twice
    ([f"{i:06d}" for i in range(0, 900, 3)] + ["99999"], False),       # another length
    ([f"{i:06d}" for i in range(0, 900, 3)] + [None], False),          # one missing
])
def test_client_lookup_by_search_equals_a_first_occurrence_lookup(clients, searched):
    """The binary search on clients numbered in order, with table numbers that are unknown,
    one character short or long, missing, in another case, with a NUL byte, shuffled; and the
    cases where the hash must be used instead."""
    rng = np.random.default_rng(21)
    by_client = [f"{i:06d}" for i in np.sort(rng.integers(0, 950, 1500))]       # runs; some unknown
    odd = ["00003", "0000030", "", None, "000a03", "000003 ", "000901"]
    shuffled = list(rng.permutation(by_client + odd * 5))
    with_nul = by_client[:50] + ["00000\x00"]
    tables = {"clients": pd.DataFrame({"client_id": _text(clients)}),
              "interventions": pd.DataFrame({"client_id": pd.Series(pd.array(
                  _chunked(by_client, pa.large_string()), dtype=TEXT_DTYPE))}),
              "referrals": pd.DataFrame({"client_id": _text(shuffled)})}
    found = client_positions(tables["clients"], tables)
    assert list(found["clients"]) == _first_row_of(clients, clients)
    assert list(found["interventions"]) == _first_row_of(clients, by_client)
    assert list(found["referrals"]) == _first_row_of(clients, shuffled)
    assert (found["referrals"] >= 0).sum() == sum(1 for v in shuffled if v in set(clients) and v is not None)
    ids = _arrow_text(tables["clients"]["client_id"])
    assert (_sorted_lookup(ids, [[pa.array(by_client, pa.large_string())]]) is not None) == searched
    nul = {"clients": tables["clients"], "outcomes": pd.DataFrame({"client_id": _text(with_nul)})}
    assert list(client_positions(nul["clients"], nul)["outcomes"]) == _first_row_of(clients, with_nul)


def test_benefit_windows_equal_a_loop_over_the_periods():
    """Clients with none, one and three benefit periods (some open, some ending after the
    extract date), intervention dates on the edges of the tolerance."""
    rng = np.random.default_rng(5)
    periods = [(c, pd.Timestamp("2015-01-01") + pd.Timedelta(days=int(s)), int(n))
               for c in range(40) for s, n in zip(rng.integers(0, 1400, 3), rng.integers(10, 200, 3))
               if c % 4 or s % 2]                                # clients with 0-3 periods
    benefits = pd.DataFrame({"client_id": [f"K{c:02d}" for c, _, _ in periods],
                             "start_date": [s for _, s, _ in periods],
                             "end_date": [None if i % 9 == 0 else s + pd.Timedelta(days=n)
                                          for i, (_, s, n) in enumerate(periods)]})
    starts = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(-30, 1500, 3000), unit="D")
    interventions = pd.DataFrame({"client_id": [f"K{c:02d}" for c in rng.integers(0, 45, 3000)],
                                  "start_date": starts})
    clients = pd.DataFrame({"client_id": [f"K{c:02d}" for c in range(40)]})
    p = prepare({"clients": conform(clients, "clients"), "benefits": conform(benefits, "benefits"),
                 "interventions": conform(interventions, "interventions")}, "2018-12-31")
    tolerance = pd.Timedelta(days=7)
    extract = pd.Timestamp("2018-12-31")           # an open or later end counts until the extract date
    ends = benefits["end_date"].fillna(extract).clip(upper=extract)
    expected = [any(s - tolerance <= day <= e + tolerance
                    for c, s, e in zip(benefits["client_id"], benefits["start_date"], ends) if c == client)
                for client, day in zip(interventions["client_id"], interventions["start_date"])]
    inside = within_any_benefit(p, p.client_pos["interventions"], p.dates("interventions", "start_date"), 7)
    assert inside.tolist() == expected
    assert 0 < sum(expected) < len(expected)


def test_suite_runs_without_the_batch_fingerprint():
    df = pd.DataFrame({"client_id": pd.array(["K1", "K2", "K2", None], dtype=TEXT_DTYPE)})
    results = run_suite(prepare({"clients": df}, "2018-12-31"), private_context())
    unique = next(r for r in results[0]["results"]
                  if r["expectation_config"]["meta"]["finding_id"] == "key.duplicate_client")
    assert unique["result"]["unexpected_count"] == 2      # GX counts both K2 rows
    markers = results[0]["meta"]["batch_markers"]
    assert "ge_load_time" in markers and "pandas_data_fingerprint" not in markers


def test_arrow_allocates_from_the_kept_heap():
    """Where glibc's heap keeps freed memory (core.memory), Arrow allocates from it as well."""
    from core.memory import keep_freed_memory
    if not keep_freed_memory():
        pytest.skip("not glibc")
    assert pa.default_memory_pool().backend_name == "system"


@pytest.mark.parametrize("numpy_first, chosen, huge", [(False, None, False), (True, None, False),
                                                       (True, "1", True), (False, "1", True)])
def test_numpy_arrays_on_normal_pages_unless_the_user_chose(numpy_first, chosen, huge):
    """Importing core turns numpy's huge-page advice off, also when numpy came first; a value of
    NUMPY_MADVISE_HUGEPAGE the user set is kept (fresh interpreters: numpy reads it once)."""
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if chosen:
        env["NUMPY_MADVISE_HUGEPAGE"] = chosen
    code = ("import numpy; " if numpy_first else "") + \
        "import core, numpy; print(numpy._core.multiarray._get_madvise_hugepage())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == str(huge)


def test_a_kept_value_is_computed_once_when_threads_ask_together():
    """The profile's background tasks (client lookup, missingness by period) and the checks ask
    the same kept columns at the same time: each is computed once and all get the same array."""
    import threading
    import time

    p = prepare({"clients": pd.DataFrame({"client_id": _text(["K1", "K2"])})}, "2020-01-01")
    calls, results = [], []

    def compute():
        calls.append(1)
        time.sleep(0.05)
        return np.arange(3)

    threads = [threading.Thread(target=lambda: results.append(p.once(("months", "x", "y"), compute)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(results) == 4 and all(r is results[0] for r in results)


def test_day_numbers_and_months_per_day_equal_numpys_calendar():
    """int32 day numbers and months looked up per day, against numpy's own casts, from the year 1
    to 9999, a time of day before 1970 included."""
    rng = np.random.default_rng(1)
    dates = (np.datetime64("0001-01-01", "s") + rng.integers(0, 3652000, 10000).astype("timedelta64[D]"))
    dates = np.append(dates.astype("datetime64[s]"), np.array(["NaT", "9999-12-31", "1969-12-31T23:00"],
                                                               dtype="datetime64[s]"))
    present = ~np.isnat(dates)
    months = per_day(dates, lambda days: days.astype("datetime64[M]").astype(np.int32))
    assert (months[present] == dates[present].astype("datetime64[M]").astype(np.int64)).all()
    assert (day_numbers(dates)[present] == dates[present].astype("datetime64[D]").astype(np.int64)).all()
    assert day_numbers(dates).dtype == np.int32


def test_yyyymmdd_numbers_stay_exact_beyond_the_int32_range():
    """Dates from Parquet may lie far out: the year 300000 does not fit yyyymmdd in int32 (and
    its range of days is not tabulated)."""
    dates = pd.Series(np.array(["1980-05-06", "2999-12-31", "300000-01-01", "NaT"], dtype="datetime64[s]"))
    p = prepare({"clients": pd.DataFrame({"client_id": _text(["K1", "K2", "K3", "K4"]), "birth_date": dates})},
                "2020-01-01")
    assert p.ymd("clients", "birth_date").tolist()[:3] == [19800506, 29991231, 3000000101]
    assert p.months("clients", "birth_date").tolist()[:3] == [124, 12359, (300000 - 1970) * 12]
    assert prepare({"clients": pd.DataFrame({"birth_date": dates[:2]})}, "2020-01-01").ymd(
        "clients", "birth_date").dtype == np.int32
