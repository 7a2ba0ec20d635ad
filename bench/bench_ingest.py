"""Benchmark the ingest on a large Dutch-style intervention export.

    python bench/bench_ingest.py --rows 10000000

Writes bench/out/trajecten_<rows>.csv once (cp1252, ';', dd-mm-jjjj, fields with commas and
accents, 10 columns, ~110 bytes a row: 10M rows ~ 1.1 GB), then measures, each in a fresh
process so peak memory is its own:

- `pyarrow`: a plain pyarrow.csv read of the whole file, every column as text (the floor);
- `ingest`: what load_extract does for the file: sniff, suggest the mapping, read the six
  mapped columns as text, convert them to canonical types and hand over the pandas frame.

Reports seconds, peak resident memory (VmHWM) and the size of the resulting frame.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import core  # noqa: E402,F401  (telemetry off)

CHUNK = 1_000_000
CODES = {"DIA": "Diagnose, intake en plan", "SOL": "Sollicitatietraining – groep",
         "WEP": "Werkervaringsplaats", "TAA": "Taalcursus, NT2", "SCH": "Schuldhulpverlening",
         "COA": "Coaching naar werk", "PRE": "Cliëntgesprek, prematching", "ZOR": "Zorg en welzijn",
         "VRW": "Vrijwilligerswerk", "OVE": "Overig"}
STATUS = ["afgerond", "lopend", "afgebroken", "gepland"]
TEAMS = ["Matching", "Prematching", "Activering"]


def generate(path: Path, rows: int, seed: int = 2015) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    days = np.arange(np.datetime64("2008-01-01"), np.datetime64("2022-12-31"))
    date_text = pa.array(np.datetime_as_string(days, unit="D")).cast(pa.timestamp("s"))
    date_text = pc.strftime(date_text, format="%d-%m-%Y")  # once per calendar day
    codes, labels = pa.array(list(CODES)), pa.array(list(CODES.values()))
    header = ["Klantnummer", "Instrumentcode", "Omschrijving", "Begindatum", "Einddatum",
              "Status", "Registratiedatum", "Medewerker", "Afdeling", "Opmerking"]
    with open(path, "wb") as out:
        out.write((";".join(header) + "\r\n").encode("cp1252"))
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            client = pc.utf8_lpad(pa.array(rng.integers(1, 400_000_000, n)).cast(pa.string()), 9, "0")
            code = rng.integers(0, len(CODES), n)
            begin = rng.integers(30, len(days) - 400, n)
            end = pa.array(begin + rng.integers(-20, 400, n))
            end_text = pc.if_else(pa.array(rng.random(n) < 0.15), None, date_text.take(end))
            columns = [client, codes.take(code), labels.take(code), date_text.take(begin), end_text,
                       pa.array(STATUS).take(rng.integers(0, 4, n)),
                       date_text.take(begin - rng.integers(0, 30, n)),
                       pc.binary_join_element_wise("MW", pc.utf8_lpad(
                           pa.array(rng.integers(0, 9999, n)).cast(pa.string()), 5, "0"), ""),
                       pa.array(TEAMS).take(rng.integers(0, 3, n)),
                       pc.if_else(pa.array(rng.random(n) < 0.8), "", "zie dossier, 2e gesprek")]
            lines = pc.binary_join_element_wise(*[pc.fill_null(c, "") for c in columns], ";")
            out.write(("\r\n".join(lines.to_pylist()) + "\r\n").encode("cp1252"))


def measure(mode: str, path: Path) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    from quality_checks.mapping import check_columns, complete_mapping, conform_raw
    from quality_checks.read import peek, read_table

    base = peak_rss_mb()
    t0 = time.perf_counter()
    layout = peek(path)
    if mode == "pyarrow":
        table = pcsv.read_csv(path, read_options=pcsv.ReadOptions(encoding="cp1252"),
                              parse_options=pcsv.ParseOptions(delimiter=";"),
                              convert_options=pcsv.ConvertOptions(
                                  column_types={c: pa.string() for c in layout.columns}))
        result = {"seconds": time.perf_counter() - t0, "frame_mb": table.nbytes / 1e6}
    else:
        used = check_columns("interventions", complete_mapping(layout.columns, "interventions"),
                             layout.columns, path.name)
        raw = read_table(path, columns=list(used))
        read_seconds = time.perf_counter() - t0
        raw_mb = raw.table.nbytes / 1e6
        conformed = conform_raw(raw, "interventions", used, release=True)
        del raw
        frame = conformed.frame
        result = {"seconds": time.perf_counter() - t0, "read_seconds": read_seconds,
                  "raw_arrow_mb": raw_mb,
                  "frame_mb": frame.memory_usage(deep=True).sum() / 1e6,
                  "unparseable": {c: r.unparseable for c, r in conformed.converted.items()},
                  "rows": len(frame)}
    return dict(result, mode=mode, peak_rss_mb=peak_rss_mb(), baseline_rss_mb=base)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss not inherited at exec)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--measure", choices=["pyarrow", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.file)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"trajecten_{args.rows}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        partial = path.with_suffix(".partial")
        generate(partial, args.rows)
        partial.rename(path)
        print(f"generated {path.name}: {path.stat().st_size / 1e9:.2f} GB in {time.perf_counter() - t0:.0f} s")
    results = {}
    for mode in ("pyarrow", "ingest"):
        done = subprocess.run([sys.executable, __file__, "--measure", mode, "--file", str(path)],
                              check=True, capture_output=True, text=True)
        results[mode] = json.loads(done.stdout)
        print(json.dumps(results[mode]))
    ratio = results["ingest"]["seconds"] / results["pyarrow"]["seconds"]
    print(f"{args.rows:,} rows, {path.stat().st_size / 1e9:.2f} GB: pyarrow read "
          f"{results['pyarrow']['seconds']:.1f} s; ingest {results['ingest']['seconds']:.1f} s "
          f"({ratio:.1f}x), peak {results['ingest']['peak_rss_mb']:.0f} MB for a "
          f"{results['ingest']['frame_mb']:.0f} MB frame")


if __name__ == "__main__":
    main()
