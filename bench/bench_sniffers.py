"""Measure the hand-written sniffer (quality_checks.sniff) against charset-normalizer (encoding)
and clevercsv (delimiter) on the text files of the test corpus (tests/test_corpus_extracts.py).

    .venv/bin/pip install clevercsv==0.8.5   # measurement only, not a dependency
    python bench/bench_sniffers.py

An encoding counts as right when decoding the file with it gives the true text (the text the
file was written from; for a UTF-8 file with a few Windows-1252 values: each line decoded on
its own), so 'ascii' for an ASCII file is right. A delimiter is right when it is the one the
file was written with. clevercsv is given the first 64 KB (on the full 1 MB sample one file
takes minutes).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import charset_normalizer  # noqa: E402
import clevercsv  # noqa: E402

import demo  # noqa: E402
import test_corpus_extracts as corpus  # noqa: E402
from quality_checks.sniff import SAMPLE_BYTES, text_layout  # noqa: E402

DUTCH = {"klanten.csv", "uitkeringen.csv", "verwijzingen.csv", "trajecten.csv", "uitstroom.csv",
         "codeboek.csv"}
SEMICOLON = {("bsn_scientific_notation", "clients.csv"), ("dotted_dates_with_time", "benefits.csv")}


def truth(case: str, path: Path) -> tuple[str, str]:
    if case == "utf16_with_bom" and path.name == "clients.csv":
        encoding = "utf-16"
    elif case == "utf8_with_late_cp1252_bytes" and path.name == "interventions.csv":
        encoding = "mixed"
    elif path.name in DUTCH:
        encoding = "cp1252"
    else:
        encoding = "utf-8"
    delimiter = ";" if path.name in DUTCH or (case, path.name) in SEMICOLON else ","
    if path.suffix == ".txt":
        delimiter = "\t"
    return encoding, delimiter


def text_of(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    if encoding == "mixed":
        return "\n".join(_line(line) for line in data.split(b"\n"))
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return None


def _line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252")


def main() -> None:
    tables = demo.generate(n_clients=300, seed=corpus.SEED, defects=False).tables
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in corpus.CASES:
            folder = Path(tmp) / case.name
            folder.mkdir()
            case.build(tables, folder)
            for path in sorted(folder.iterdir()):
                if path.suffix not in (".csv", ".txt") or case.error or "note" in case.name \
                        or path.name == "README.txt":
                    continue
                data = path.read_bytes()
                if b"\r" in data and b"\n" not in data:
                    data = data.replace(b"\r", b"\n")  # both get the repairs of read.py
                if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                    data = data.replace(b"\x00", b"")
                sample = data[:SAMPLE_BYTES]
                encoding, delimiter = truth(case.name, path)
                expected = text_of(data, encoding)
                t = time.perf_counter()
                ours = text_layout(sample, path.name, complete=len(data) <= SAMPLE_BYTES)
                t_ours = time.perf_counter() - t
                our_encoding = "mixed" if encoding == "mixed" and ours.encoding == "utf-8" else ours.encoding
                t = time.perf_counter()
                best = charset_normalizer.from_bytes(sample).best()
                t_cn = time.perf_counter() - t
                cn_encoding = best.encoding if best else None
                decoded = text_of(sample, "utf-8" if encoding == "mixed" else encoding) \
                    if encoding != "mixed" else "\n".join(_line(x) for x in sample.split(b"\n"))
                t = time.perf_counter()
                try:
                    dialect = clevercsv.Detector().detect(decoded[:65536], delimiters=[",", ";", "\t", "|"])
                    cc_delimiter = dialect.delimiter if dialect else None
                except Exception:  # noqa: BLE001 - a failure counts as wrong
                    cc_delimiter = None
                t_cc = time.perf_counter() - t
                rows.append(dict(
                    case=case.name, file=path.name,
                    ours_enc=text_of(data, our_encoding) == expected,
                    cn_enc=text_of(data, cn_encoding) == expected, cn_name=cn_encoding,
                    ours_delim=ours.delimiter == delimiter, cc_delim=cc_delimiter == delimiter,
                    cc_name=cc_delimiter, t_ours=t_ours, t_cn=t_cn, t_cc=t_cc))
    n = len(rows)
    print(f"{n} text files from {len({r['case'] for r in rows})} corpus cases")
    for label, key, t in (("encoding: sniff.py", "ours_enc", "t_ours"),
                          ("encoding: charset-normalizer 3.5.3", "cn_enc", "t_cn"),
                          ("delimiter: sniff.py", "ours_delim", "t_ours"),
                          ("delimiter: clevercsv 0.8.5 (64 KB)", "cc_delim", "t_cc")):
        right = sum(r[key] for r in rows)
        print(f"  {label:38s} {right}/{n} right, {sum(r[t] for r in rows):6.2f} s in total")
    for r in rows:
        wrong = [k for k in ("ours_enc", "cn_enc", "ours_delim", "cc_delim") if not r[k]]
        if wrong:
            print(f"  wrong: {r['case']}/{r['file']}: {wrong} (charset-normalizer: {r['cn_name']}, "
                  f"clevercsv: {r['cc_name']!r})")


if __name__ == "__main__":
    main()
