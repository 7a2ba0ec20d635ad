"""The extract as the checks see it: blanks as missing, dates as numpy, clients as positions."""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.canonical import SENTINEL_DATES, TABLES, TEXT
from quality_checks.rules import arrow_column, as_datetime64, blank_to_na
from quality_checks.transcode import offsets

SENTINELS = np.array([np.datetime64(d.date().isoformat(), "s") for d in SENTINEL_DATES])
NAT = np.datetime64("NaT", "s")


@dataclass
class Prepared:
    tables: dict[str, pd.DataFrame]
    extract_date: np.datetime64
    n_clients: int
    codebook: pd.DataFrame | None = None   # codebook rows with a code (None: no codebook)
    arms: dict[str, str] | None = None     # the mapping file's `arms:` (referral value -> arm), core.arms
    _kept: dict = field(default_factory=dict, repr=False)
    _locks: dict = field(default_factory=dict, repr=False)
    _locks_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _positions: Future | None = field(default=None, repr=False)

    def look_up_clients(self) -> None:
        """Start the client lookup (`client_positions`) in a background thread, once; the profile
        does so first, and evaluates the checks that need no client meanwhile."""
        with self._locks_lock:
            if self._positions is None:
                self._positions = in_background(client_positions, self.tables.get("clients"),
                                                {n: df for n, df in self.tables.items() if n != "codebook"})

    @property
    def client_pos(self) -> dict[str, np.ndarray]:
        """Per table (clients too): the row of each row's client in `clients`, -1 unknown; waits
        for the lookup (rules that use it are registered with `clients=True`, and the runner
        evaluates the others first)."""
        self.look_up_clients()
        return self._positions.result()

    def has(self, table: str, *columns: str) -> bool:
        return table in self.tables and all(c in self.tables[table] for c in columns)

    def dates(self, table: str, column: str) -> np.ndarray:
        df = self.tables[table]
        if column not in df:
            return np.full(len(df), NAT)
        return as_datetime64(df[column])

    def months(self, table: str, column: str) -> np.ndarray:
        """Months since 1970-01 of a date column (meaningless where the date is missing), kept."""
        return self.once(("months", table, column), lambda: per_day(
            self.dates(table, column), lambda days: days.astype("datetime64[M]").astype(np.int32)))

    def ymd(self, table: str, column: str) -> np.ndarray:
        """A date column as the number yyyymmdd (meaningless where the date is missing), kept."""
        def of_days(days):
            months = days.astype("datetime64[M]")
            month = months.astype(np.int64) % 12 + 1
            year = days.astype("datetime64[Y]").astype(np.int64) + 1970
            numbers = year * 10000 + month * 100 + (days - months).astype(np.int64) + 1
            return numbers.astype(np.int32) if numbers.max() < 2 ** 31 else numbers   # int32 to the year 214748
        return self.once(("ymd", table, column), lambda: per_day(self.dates(table, column), of_days))

    def usable(self, dates: np.ndarray) -> np.ndarray:
        """Present and not a placeholder date."""
        return ~np.isnat(dates) & ~is_sentinel(dates)

    def usable_at(self, table: str, column: str) -> np.ndarray:
        """`usable` of a date column, kept (many rules ask it of the same column)."""
        return self.once(("usable", table, column), lambda: self.usable(self.dates(table, column)))

    def dated(self, table: str, column: str) -> np.ndarray:
        """Usable and not after the extract date, kept."""
        return self.once(("dated", table, column),
                         lambda: self.usable_at(table, column) & (self.dates(table, column) <= self.extract_date))

    def factor(self, table: str, column: str) -> tuple[np.ndarray, pd.Index]:
        """Code of each row's value (-1 missing) and the distinct values, computed once per column
        (Arrow dictionary encoding, about three times faster than pd.factorize), so the checks
        work on a few distinct values instead of millions of strings."""
        def encode():
            series = self.tables[table][column]
            arrow = arrow_column(series)
            if arrow is None or not arrow.num_chunks:
                codes, values = pd.factorize(series)
                return codes.astype(np.int32), pd.Index(values)
            encoded = arrow.dictionary_encode()        # one dictionary shared by all chunks
            indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks])
            codes = pc.fill_null(indices, -1).to_numpy()      # int32
            return codes, pd.Index(series.dtype.__from_arrow__(encoded.chunk(0).dictionary))
        return self.once(("factor", table, column), encode)

    def once(self, key, compute):
        """`compute()` the first time `key` is asked, the kept result after that; computed once
        when several threads ask at the same time (the profile's background tasks)."""
        if key not in self._kept:
            with self._locks_lock:
                lock = self._locks.setdefault(key, threading.Lock())
            with lock:
                if key not in self._kept:
                    self._kept[key] = compute()
        return self._kept[key]


def per_day(dates: np.ndarray, of_days) -> np.ndarray:
    """`of_days(days)` (an integer array from datetime64[D] days) for every date, computed once per
    day of the range the dates span and looked up: numpy's calendar casts (datetime64[M], [Y])
    cost about 40 ns a row. When the range has more days than there are dates (a stray date
    centuries away), on the dates themselves. Meaningless where the date is missing."""
    present = ~np.isnat(dates)
    if not present.any():
        return np.zeros(len(dates), dtype=np.int32)
    offset = day_numbers(dates)                 # in place from here on
    low = offset.min(where=present, initial=np.iinfo(np.int32).max)
    offset -= low
    offset[~present] = 0
    if offset.max() >= len(dates):
        return of_days(np.where(present, dates, np.datetime64(0, "s")).astype("datetime64[D]"))
    return of_days(np.arange(low, low + offset.max() + 1).astype("datetime64[D]"))[offset]


def day_numbers(dates: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of datetime64[s] dates as int32, without an int64 array in between
    (meaningless where the date is missing)."""
    days = np.empty(len(dates), dtype=np.int32)
    np.floor_divide(dates.view(np.int64), 86400, out=days, casting="unsafe")
    return days


def is_sentinel(dates: np.ndarray) -> np.ndarray:
    """A placeholder date (two comparisons: np.isin would sort ten million dates)."""
    return np.logical_or.reduce([dates == s for s in SENTINELS])


def per_row(per_value: np.ndarray, codes: np.ndarray, missing) -> np.ndarray:
    """A value per distinct value spread to the rows (`Prepared.factor` codes; -1 gets `missing`)."""
    return np.append(per_value, np.asarray([missing], dtype=per_value.dtype))[codes]


def _clean(df: pd.DataFrame, table: str) -> pd.DataFrame:
    spec = TABLES.get(table)
    if spec is None:
        return df
    text = [c.name for c in spec.columns if c.kind == TEXT and c.name in df]
    cleaned = {name: blank_to_na(df[name]) for name in text}
    changed = {name: s for name, s in cleaned.items() if s is not df[name]}
    return df.assign(**changed) if changed else df


def _arrow_text(series: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow text; zero-copy for Arrow-backed strings however many chunks they have."""
    return pa.Table.from_pandas(series.to_frame("v"), preserve_index=False).column("v").cast(pa.large_string())


def _runs(values: pa.ChunkedArray) -> tuple[list[pa.Array], np.ndarray]:
    """Run-end encoding: the value of every run of equal values (exports list a client's rows
    together) and the length of each run."""
    encoded = pc.run_end_encode(values).chunks
    lengths = [np.diff(chunk.run_ends.to_numpy(), prepend=0) for chunk in encoded]
    return [chunk.values for chunk in encoded], np.concatenate(lengths) if lengths else np.zeros(0, np.int64)


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """For codes numbered in order of first appearance (-1 missing): the row where each appears first."""
    seen = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]]))
    new = codes > seen
    first = np.empty(int(codes.max(initial=-1)) + 1, dtype=np.int64)
    first[codes[new]] = np.flatnonzero(new)
    return first


def client_positions(clients: pd.DataFrame | None, tables: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Per table, the row of each row's client in `clients` (first occurrence), -1 when unknown
    or missing. Every table's client numbers are looked up once per run of equal numbers (exports
    list a client's rows together): by binary search when `clients` lists its numbers sorted,
    once each and all of one length (`_sorted_lookup`), else by hashing (`_hashed_lookup`)."""
    known = clients is not None and "client_id" in clients
    asked = [name for name, df in tables.items()
             if known and name != "clients" and "client_id" in df and len(df)]
    found = {}
    if known:
        ids = _arrow_text(clients["client_id"])
        runs = [_runs(_arrow_text(tables[name]["client_id"])) for name in asked]
        found["clients"], per_run = _sorted_lookup(ids, [values for values, _ in runs]) \
            or _hashed_lookup(ids, [values for values, _ in runs])
        found.update({name: np.repeat(rows, lengths) for name, rows, (_, lengths) in zip(asked, per_run, runs)})
    return {name: found[name] if name in found else np.full(len(df), -1, dtype=np.int32)
            for name, df in tables.items()}


def _hashed_lookup(ids: pa.ChunkedArray, runs: list[list[pa.Array]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """(first row of each client's number, the row of each run's client) by one Arrow
    dictionary encoding of the client numbers of `clients` followed by the runs of every table:
    codes are numbered in order of first appearance, so the codes of `clients` come first and
    any later code is an unknown client."""
    encoded = pa.chunked_array(ids.chunks + [v for values in runs for v in values],
                               pa.large_string()).dictionary_encode()
    codes = np.concatenate([pc.fill_null(chunk.indices, -1).to_numpy() for chunk in encoded.chunks]
                           or [np.zeros(0, np.int32)])
    first = _first_rows(codes[:len(ids)])
    row_of_code = np.full(int(codes.max(initial=-1)) + 2, -1, dtype=np.int32)   # last: missing
    row_of_code[:len(first)] = first
    sizes = np.cumsum([sum(len(v) for v in values) for values in runs])[:-1]
    return row_of_code[codes[:len(ids)]], np.split(row_of_code[codes[len(ids):]], sizes)


def _sorted_lookup(ids: pa.ChunkedArray, runs: list[list[pa.Array]]) -> tuple[np.ndarray, list[np.ndarray]] | None:
    """The same as `_hashed_lookup` by binary search, when the numbers of `clients` are present,
    of one length, in ascending order and each listed once (as a registration system numbers its
    clients): a search in their bytes as Arrow holds them, without building a hash table
    (ten million rows: about half the time). None otherwise."""
    sorted_ids = _fixed_width(ids.combine_chunks())
    if sorted_ids is None or not (sorted_ids[1:] > sorted_ids[:-1]).all():
        return None
    found = [[_search(sorted_ids, chunk) for chunk in values] for values in runs]
    if any(rows is None for per_chunk in found for rows in per_chunk):
        return None
    return np.arange(len(sorted_ids), dtype=np.int32), [np.concatenate(per_chunk or [np.zeros(0, np.int32)])
                                                         for per_chunk in found]


def _search(sorted_ids: np.ndarray, numbers: pa.Array) -> np.ndarray | None:
    """The position of each of `numbers` in `sorted_ids`, -1 when it is not there or missing
    (a number of another length is not there); None when a number holds a NUL byte."""
    rows = np.full(len(numbers), -1, dtype=np.int32)
    comparable = pc.fill_null(pc.equal(pc.binary_length(numbers), sorted_ids.itemsize), False).to_numpy(
        zero_copy_only=False)
    if not comparable.any():
        return rows
    wanted = _fixed_width(numbers if comparable.all() else numbers.filter(comparable))
    if wanted is None:
        return None
    at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    rows[comparable] = np.where(sorted_ids[at] == wanted, at, -1)
    return rows


def _fixed_width(text: pa.Array) -> np.ndarray | None:
    """Text values as a numpy array of byte strings of one width, a view of Arrow's data buffer
    (no copy); None unless every value is present, all have the same length and none holds a
    NUL byte (numpy's byte strings ignore trailing NULs)."""
    if not len(text) or text.null_count:
        return None
    bounds = offsets(text)
    width = int(bounds[1] - bounds[0])
    if not width or not (np.diff(bounds) == width).all():
        return None
    data = np.frombuffer(text.buffers()[2], np.uint8, bounds[-1] - bounds[0], bounds[0])
    return data.view(f"S{width}") if data.all() else None


def in_background(function, *args) -> Future:
    """`function(*args)` in a thread of its own, while the caller goes on: the client lookup and
    the missingness by period are mostly Arrow's and numpy's loops, which release the GIL, so
    on two cores the other checks run meanwhile."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="profile")
    try:
        return pool.submit(function, *args)
    finally:
        pool.shutdown(wait=False)


def _codebook(codebook: pd.DataFrame | None) -> pd.DataFrame | None:
    if codebook is None or "intervention_code" not in codebook:
        return None
    return codebook[codebook["intervention_code"].notna()]


def prepare(tables: dict[str, pd.DataFrame], extract_date, codebook: pd.DataFrame | None = None,
            arms: dict[str, str] | None = None, trimmed: bool = False) -> Prepared:
    """`codebook` overrides tables["codebook"]; `arms`: the mapping file's (value -> arm).
    `trimmed`: the tables come from the ingest, whose text has no blank values
    (`quality_checks.convert.as_text`), so blanks are not looked for."""
    cleaned = tables if trimmed else {name: _clean(df, name) for name, df in tables.items()}
    clients = cleaned.get("clients")
    return Prepared(tables=cleaned, extract_date=np.datetime64(pd.Timestamp(extract_date).date(), "s"),
                    n_clients=0 if clients is None else len(clients),
                    codebook=_codebook(cleaned.get("codebook") if codebook is None else codebook),
                    arms=arms or None)
