"""Benchmark: the full data-quality profile against a plain pyarrow read of the same extract.

    python bench/bench_profile.py --rows 10000000 [--dir /tmp/bench] [--repeat 3] [--ydata-python PATH]

Writes the demo municipality with about `--rows` intervention rows (`python -m demo`, 4 per
client) unless DIR already holds it, then measures, each in a fresh process and `--repeat`
times alternately (the quickest run of each is compared: on a shared or virtual machine other
work and the host only ever add time):
- read:    pyarrow.csv of every table file, dates parsed in the reader, Arrow-backed pandas;
           once with pyarrow's own allocator, once with the tool's (core.memory), the quicker
           of the two is the floor;
- profile: `load_extract` (all tables) and `profile_extract` (every registered check, coding
           drift, missingness, the exported Great Expectations suite), timed separately and together;
- whole commands: the read (as above, the tool's allocator) and `python -m quality_checks DIR
           --json FILE`, each timed as a user waits for it (a fresh process, imports included);
- ydata:   ydata-profiling minimal mode on interventions.csv, when `--ydata-python` names an
           interpreter that has it (it needs pandas < 3, so it cannot live in this project's
           environment).
Peak memory is the process's maximum resident set size; CPU is user + system time of the
process (robust when other jobs share the cores). Goal: load + profile <= 3x the plain read of
all table files (wall), peak memory <= 3x the in-memory frames.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GB = 1024 ** 3


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GB


def _cpu() -> float:
    """CPU seconds of this process (user + system): robust when other jobs share the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _read_csv(path: Path):
    import pandas as pd
    import pyarrow.csv as pcsv

    text_columns = {"client_id", "bsn", "postcode", "house_number", "caseworker_id", "intervention_code"}
    options = pcsv.ConvertOptions(column_types={c: "string" for c in text_columns},
                                  timestamp_parsers=["%Y-%m-%d"])
    return pcsv.read_csv(path, convert_options=options).to_pandas(types_mapper=pd.ArrowDtype)


def measure_read(folder: Path) -> dict:
    """pyarrow.csv, dates parsed in the reader, identifiers as text, Arrow-backed pandas (the
    libraries imported before the clock starts, as in `measure_profile`)."""
    import pandas  # noqa: F401
    import pyarrow.csv  # noqa: F401

    start, cpu = time.perf_counter(), _cpu()
    frame = _read_csv(folder / "interventions.csv")
    seconds, cpu_seconds = time.perf_counter() - start, _cpu() - cpu
    others = [_read_csv(path) for path in sorted(folder.glob("*.csv")) if path.name != "interventions.csv"]
    return {"seconds": seconds, "cpu": cpu_seconds, "rows": len(frame),
            "all_seconds": time.perf_counter() - start, "all_cpu": _cpu() - cpu,
            "frame_gb": frame.memory_usage(deep=True).sum() / GB,
            "all_gb": sum(f.memory_usage(deep=True).sum() for f in [frame, *others]) / GB, "peak_gb": _peak()}


def measure_read_heap(folder: Path) -> dict:
    """The same read with Arrow on glibc's kept heap, as the tool allocates (core.memory)."""
    sys.path.insert(0, str(ROOT))
    import core  # noqa: F401
    return measure_read(folder)


def measure_profile(folder: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    import core  # noqa: F401
    from quality_checks import load_extract
    from core.extract_date import resolve_extract_date
    from quality_checks.profile import profile_loaded

    start, cpu = time.perf_counter(), _cpu()
    loaded = load_extract(folder)
    loaded_at, loaded_cpu = time.perf_counter(), _cpu()
    frames_gb = sum(df.memory_usage(deep=True).sum() for df in loaded.tables.values()) / GB
    report = profile_loaded(loaded, extract_date=resolve_extract_date(loaded.tables, folder=folder))
    done = time.perf_counter()
    return {"load_seconds": loaded_at - start, "profile_seconds": done - loaded_at, "frames_gb": frames_gb,
            "load_cpu": loaded_cpu - cpu, "profile_cpu": _cpu() - loaded_cpu,
            "peak_gb": _peak(), "errors": report.summary["error"]}


def measure_ydata(folder: Path) -> dict:
    import pandas as pd
    from ydata_profiling import ProfileReport

    start, cpu = time.perf_counter(), _cpu()
    frame = pd.read_csv(folder / "interventions.csv")
    ProfileReport(frame, minimal=True, progress_bar=False).to_json()
    return {"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu, "peak_gb": _peak()}


MEASURES = {"read": measure_read, "read_heap": measure_read_heap, "profile": measure_profile,
            "ydata": measure_ydata}


def in_fresh_process(kind: str, folder: Path, python: str = sys.executable) -> dict:
    done = subprocess.run([python, __file__, "--measure", kind, "--dir", str(folder)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def whole_command(command: list[str]) -> float:
    """Wall seconds of a command as a user waits for it: a fresh process, imports included."""
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def ensure_extract(folder: Path, rows: int) -> None:
    if (folder / "interventions.csv").exists():
        return
    clients = max(rows // 4, 100)
    subprocess.run([sys.executable, "-m", "demo", "--out", str(folder), "--clients", str(clients)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def warm_cache(folder: Path) -> None:
    """Read every file once, so neither measurement pays for a cold disk cache."""
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def page_reporting() -> bool:
    """Whether this Linux guest hands free memory back to its host (virtio page reporting):
    touching memory afresh then costs a fault in the host, 0.1-4 s per GB depending on what
    the host did meanwhile, so single wall times vary several-fold from run to run."""
    return Path("/sys/module/page_reporting").exists()


def _rows(read: dict, prof: dict, ydata: dict | None) -> list[tuple]:
    base_wall, base_cpu = read["all_seconds"], read["all_cpu"]
    rows = [("pyarrow read of all table files", base_wall, base_cpu, read["peak_gb"]),
            ("load_extract (all tables, types, mapping)", prof["load_seconds"], prof["load_cpu"], None),
            ("profile_extract (all checks, drift)", prof["profile_seconds"], prof["profile_cpu"], None),
            ("load_extract + profile_extract", _wall(prof), _cpu_of(prof), prof["peak_gb"])]
    if ydata:
        rows.append(("ydata-profiling minimal (pandas read incl.)", ydata["seconds"], ydata["cpu"], ydata["peak_gb"]))
    return [(name, wall, wall / base_wall, cpu, cpu / base_cpu, peak) for name, wall, cpu, peak in rows]


def _wall(prof: dict) -> float:
    return prof["load_seconds"] + prof["profile_seconds"]


def _cpu_of(prof: dict) -> float:
    return prof["load_cpu"] + prof["profile_cpu"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each (default 3)")
    parser.add_argument("--ydata-python", help="interpreter with ydata-profiling (pandas < 3)")
    parser.add_argument("--measure", choices=MEASURES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.dir or Path(f"/tmp/bench_profile_{args.rows}")
    if args.measure:
        print(json.dumps(MEASURES[args.measure](folder)))
        return
    ensure_extract(folder, args.rows)
    warm_cache(folder)
    reads, profs, commands = [], [], []
    read_command = [sys.executable, __file__, "--measure", "read_heap", "--dir", str(folder)]
    with tempfile.TemporaryDirectory() as scratch:
        tool_command = [sys.executable, "-m", "quality_checks", str(folder), "--json", f"{scratch}/quality.json"]
        for _ in range(args.repeat):     # alternating, so all see the same state of the machine
            reads += [in_fresh_process("read", folder), in_fresh_process("read_heap", folder)]
            profs.append(in_fresh_process("profile", folder))
            commands.append((whole_command(read_command), whole_command(tool_command)))
    ydata = in_fresh_process("ydata", folder, args.ydata_python) if args.ydata_python else None
    read = min(reads, key=lambda r: r["all_seconds"])
    prof = min(profs, key=_wall)
    print(f"interventions: {read['rows']:,} rows ({(folder / 'interventions.csv').stat().st_size / GB:.2f} GB CSV); "
          f"{args.repeat} alternating runs of each, the quickest shown")
    print(f"{'step':<44}{'wall s':>8}{'x read':>8}{'cpu s':>8}{'x read':>8}{'peak GB':>9}")
    for name, wall, wall_ratio, cpu, cpu_ratio, peak in _rows(read, prof, ydata):
        print(f"{name:<44}{wall:>8.1f}{wall_ratio:>8.1f}{cpu:>8.1f}{cpu_ratio:>8.1f}"
              f"{'' if peak is None else f'{peak:.2f}':>9}")
    if not ydata:
        print("ydata-profiling: not measured (needs pandas < 3; pass --ydata-python of a separate venv)")
    print("every run, wall s (read, read on the kept heap / load + profile): " + ", ".join(
        f"{a['all_seconds']:.1f}, {b['all_seconds']:.1f} / {_wall(p):.1f}" for a, b, p in zip(reads[::2], reads[1::2], profs)))
    if page_reporting():
        print("this machine hands free memory back to its host (page reporting): first touches of "
              "memory cost 0.1-4 s per GB, so single runs vary; compare the quickest")
    print(f"in-memory frames: all tables {prof['frames_gb']:.2f} GB (pyarrow read: {read['all_gb']:.2f} GB); "
          f"load + profile peak / frames = {max(p['peak_gb'] for p in profs) / prof['frames_gb']:.1f}x (highest run)")
    read_process, tool_process = min(c for c, _ in commands), min(t for _, t in commands)
    print(f"whole commands, imports included (quickest): the read in a process of its own {read_process:.1f} s; "
          f"python -m quality_checks DIR --json FILE {tool_process:.1f} s ({tool_process / read_process:.1f}x)")
    floors = [min(a["all_seconds"], b["all_seconds"]) for a, b in zip(reads[::2], reads[1::2])]
    print(f"load + profile vs plain read of all files (quickest of each): wall {_wall(prof) / read['all_seconds']:.1f}x, "
          f"cpu {_cpu_of(prof) / read['all_cpu']:.1f}x; median of the runs (the quicker read of each round): wall "
          f"{statistics.median(_wall(p) for p in profs) / statistics.median(floors):.1f}x")


if __name__ == "__main__":
    main()
