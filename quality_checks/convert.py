"""Turn raw columns (text as read from the file) into the canonical kinds, with Arrow compute.

- text: whitespace stripped, empty -> missing; numbers from Parquet become their digits.
- date: `timestamp[s]` (9999-12-31 and 1900-01-01 fit). The formats are tried per column,
  the one that fits a sample best over the whole column first, the others only on the values
  it could not read: dd-mm-jjjj, jjjj-mm-dd, dd/mm/jjjj, d-m-jjjj, dd.mm.jjjj, jjjjmmdd, each
  with or without a time, and Excel serial day numbers. Values none of them reads become
  missing and are counted (`unparseable`), never dropped silently. Impossible dates such as
  31-02-2015 are unparseable (the C parser would roll them over to 3 March).
- count: whole numbers as `int64`, decimal comma accepted ("2,0"); fractions are unparseable.
"""
from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.canonical import COUNT, DATE, TEXT
from quality_checks.ingest_errors import shown
from quality_checks.transcode import offsets

DATE_PARTS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%m/%d/%Y")
MONTH_FIRST = "%m/%d/%Y"   # US order: chosen for a column only when its values say so
TIME_PARTS = ("", " %H:%M:%S", " %H:%M", "T%H:%M:%S", "T%H:%M", "T%H")
DATE_FORMATS = tuple(d + t for d in DATE_PARTS for t in TIME_PARTS)
SAMPLE_SIZE = 2000
EXAMPLES = 3
SERIAL = "excel-serial"
# Excel day numbers: 1 = 1900-01-01, 2958465 = 9999-12-31; 25569 = 1970-01-01. Excel counts a
# 29 February 1900 that never was (day 60), so days before it are one day later than Unix
# arithmetic says. Only 5-digit numbers (1927-2173) and the two sentinels count as dates,
# so that a stray year such as "2015" is reported rather than turned into 1905.
_SERIAL = r"^(1|\d{5}|2958465)([.,]\d+)?$"
_EPOCH_SERIAL, _DAY = 25569, 86400
_NUMBER = r"^[+-]?\d+(\.\d+)?$"
_FRACTION = r"^(.*\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$"
_TOKENS = {"%Y": r"\d{4}", "%m": r"\d{1,2}", "%d": r"(?P<day>\d{1,2})", "%H": r"\d{1,2}",
           "%M": r"\d{1,2}", "%S": r"\d{1,2}"}


TWO_DIGIT_YEAR = "two-digit-year"
LOCAL_TIMEZONE = "Europe/Amsterdam"
# dd-mm-jj, d/m/jj, dd.mm.jj (optionally with a time): a two-digit year
_TWO_DIGIT = r"^\s*(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{2})(?P<rest>(?:[ T]\d.*)?)\s*$"
_DECIMAL_SUFFIX = r"^\d+\.0+$"        # Excel's number format: 612670648.0
_SCIENTIFIC = r"^\d([.,]\d+)?[eE]\+?\d+$"  # Excel's 6.12671E+08: digits lost
IDENTIFIER_COLUMNS = ("bsn", "client_id")


@dataclass
class Remark:
    """Something the reading decided or could not do, for a note `ingest.<key>` (texts in
    ingest_notes.yaml); values only, never cell contents that could identify someone."""
    key: str
    column: str | None = None
    count: int | None = None
    values: dict = field(default_factory=dict)


@dataclass
class Converted:
    array: pa.ChunkedArray | None
    unparseable: int = 0
    examples: list[str] = field(default_factory=list)  # up to EXAMPLES unreadable raw values
    formats: list[str] = field(default_factory=list)   # date formats that read some values
    remarks: list[Remark] = field(default_factory=list)


def convert(array: pa.ChunkedArray | pa.Array, kind: str, column: str | None = None) -> Converted:
    """A raw column as the canonical `kind` (core.canonical TEXT, DATE or COUNT); `column`
    (the canonical name) switches on the identifier checks for bsn and client_id."""
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if kind == DATE:
        return as_date(array)
    if kind == COUNT:
        return as_count(array)
    if kind == TEXT:
        return as_identifier_text(array, column in IDENTIFIER_COLUMNS)
    raise ValueError(f"unknown kind {kind!r}")


def as_identifier_text(array: pa.ChunkedArray, identifier: bool = False) -> Converted:
    """Text, with Excel's damage to numbers undone or reported: a column whose values with a
    dot are all whole numbers with a decimal suffix ('612670648.0') loses the suffix; in an
    identifier column, numbers in scientific notation ('6.12671E+08') are reported, since
    their last digits are gone."""
    text = as_text(array)
    remarks = []
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return Converted(text)
    if any(_has_byte(chunk, ".") and pc.any(pc.ends_with(chunk, ".0")).as_py() for chunk in text.chunks):
        suffixed = pc.match_substring_regex(text, _DECIMAL_SUFFIX)
        dotted = pc.match_substring(text, ".")
        n_suffixed = pc.sum(suffixed).as_py() or 0
        if n_suffixed and n_suffixed == (pc.sum(dotted).as_py() or 0):
            text = pc.if_else(suffixed, pc.replace_substring_regex(text, r"\.0+$", ""), text)
            remarks.append(Remark("decimal_suffix", count=n_suffixed))
    # two plain searches: ignore_case=True would run a regular expression on every value
    if identifier and any(_has_byte(c, "+") and pc.any(pc.match_substring(c, e)).as_py()
                          for c in text.chunks for e in ("e+", "E+")):
        scientific = pc.sum(pc.match_substring_regex(text, _SCIENTIFIC)).as_py() or 0
        if scientific:
            remarks.append(Remark("scientific_notation", count=scientific))
    return Converted(text, remarks=remarks)


def _has_byte(chunk: pa.Array, character: str) -> bool:
    """Whether the ASCII `character` occurs anywhere in the chunk's text: one scan of its bytes,
    much cheaper than a search value by value, so such a search runs only where it can match."""
    data_buffer = chunk.buffers()[2]
    if data_buffer is None or not len(chunk):
        return False
    bounds = offsets(chunk)
    data = np.frombuffer(data_buffer, np.uint8, bounds[-1] - bounds[0], bounds[0])
    return bool((data == ord(character)).any())


def as_text(array: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_floating(array.type) and _all_whole(array):
        array = pc.cast(array, pa.int64())
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return pc.cast(array, pa.string())
    return pa.chunked_array(_per_chunk(_trimmed, array.chunks), array.type)


def _per_chunk(function, chunks: list[pa.Array]) -> list[pa.Array]:
    """`function` on every chunk, the chunks side by side on all of Arrow's cores: each compute
    call runs on one core and releases the GIL (loading the ten-million-row demo on two cores:
    10.9 s instead of 12.6 s wall, for about 2 s more CPU). The results keep the order of the
    chunks."""
    with ThreadPoolExecutor(pa.cpu_count()) as pool:
        return list(pool.map(function, chunks))


def _trimmed(chunk: pa.Array) -> pa.Array:
    """Whitespace stripped, blank (empty after stripping) -> missing, so that no text value the
    ingest delivers is blank; chunk by chunk, so that a column without any whitespace to strip
    keeps the buffers read from the file and costs no extra memory."""
    if not may_be_blank(chunk):
        return chunk
    trimmed = pc.utf8_trim_whitespace(chunk)
    blank = pc.equal(trimmed, "")
    if not pc.any(blank).as_py() and pc.sum(pc.binary_length(trimmed)) == pc.sum(pc.binary_length(chunk)):
        return chunk
    return pc.if_else(blank, pa.scalar(None, chunk.type), trimmed)


def _may_need_trim(chunk: pa.Array) -> bool:
    """False when no value starts or ends with a byte that could be whitespace (ASCII space and
    control bytes, or any non-ASCII byte, which covers Unicode spaces): a look at two bytes per
    value in the buffers, instead of trimming a copy of the whole chunk. For an empty value the
    bytes looked at are those of its neighbours (clipped at the ends), which can only say "may"."""
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)) or not len(chunk):
        return True
    data_buffer, bounds = chunk.buffers()[2], offsets(chunk)
    if data_buffer is None or bounds[-1] == bounds[0]:
        return False
    data = np.frombuffer(data_buffer, np.uint8)
    return any(_edge(np.take(data, at, mode="clip")) for at in (bounds[:-1], bounds[1:] - 1))


def _edge(byte: np.ndarray) -> bool:
    """Any byte that could be (part of) whitespace: ASCII space and control bytes, DEL and non-ASCII."""
    return bool(((byte - np.uint8(0x21)) >= np.uint8(0x7F - 0x21)).any())    # outside 0x21-0x7E, one comparison


def may_be_blank(chunk: pa.Array) -> bool:
    """False when no text value is empty or has whitespace at an edge (`_may_need_trim`), so
    that none is blank."""
    return bool(pc.any(pc.equal(pc.binary_length(chunk), 0)).as_py()) or _may_need_trim(chunk)


def as_date(array: pa.ChunkedArray) -> Converted:
    """Dates. The main format runs chunk by chunk on the column as read (no copy, small
    temporaries); only the values it cannot read are trimmed and tried in the other formats."""
    if pa.types.is_timestamp(array.type) and array.type.tz:  # Parquet with a time zone
        local = pc.local_timestamp(pc.cast(array, pa.timestamp(array.type.unit, LOCAL_TIMEZONE)))
        local = pc.floor_temporal(pc.cast(local, pa.timestamp("s"), safe=False), unit="day")
        return Converted(local,
                         remarks=[Remark("timezone_local", values={"zone": array.type.tz})])
    if pa.types.is_timestamp(array.type) or pa.types.is_date(array.type):
        return Converted(pc.cast(array, pa.timestamp("s"), safe=False))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pc.cast(array, pa.string())
    array, zoned = _local_dates_of_zoned_text(array)
    result = _as_date_text(array)
    result.remarks = zoned + result.remarks
    if before_year_1000(result.array):  # '01-02-80' read by %Y as the year 80
        array, remarks = _four_digit_years(array)
        if remarks:
            result = _as_date_text(array)
            result.remarks = remarks + result.remarks
    if any(f.startswith(MONTH_FIRST) for f in result.formats):
        result.remarks.append(Remark("month_first"))
    return result


_YEAR_1000 = -30610224000  # 1000-01-01 in seconds since 1970


_ZONED = r"\d:\d\d(:\d\d)?(\.\d+)?\s*(Z|[+-]\d\d:?\d\d)$"


def _local_dates_of_zoned_text(array: pa.ChunkedArray) -> tuple[pa.ChunkedArray, list[Remark]]:
    """Text timestamps with a zone ('2015-02-28T23:00:00Z', '...+01:00') as the Dutch local
    date they fall on (jjjj-mm-dd text), so that a UTC midnight is not the day before."""
    if not pc.any(pc.match_substring_regex(_sample(array), _ZONED)).as_py():
        return array, []
    zoned = pc.match_substring_regex(array, _ZONED)
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(array), r"(\.\d+)?\s*Z$", "+0000")
    text = pc.replace_substring_regex(text, r"\.\d+([+-]\d\d:?\d\d)$", r"\1")
    parsed = pa.nulls(len(text), pa.timestamp("s", "UTC"))
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M%z"):
        parsed = pc.coalesce(parsed, pc.strptime(text, format=fmt, unit="s", error_is_null=True))
    local = pc.local_timestamp(pc.cast(parsed, pa.timestamp("s", LOCAL_TIMEZONE)))
    written = pc.cast(pc.strftime(pc.floor_temporal(local, unit="day"), format="%Y-%m-%d"), array.type)
    use = pc.and_(zoned, pc.is_valid(written))
    count = pc.sum(use).as_py() or 0
    if not count:
        return array, []
    return pc.if_else(use, written, array), [Remark("timezone_local", count=count,
                                                    values={"zone": "UTC/offset"})]


def before_year_1000(dates: pa.ChunkedArray) -> bool:
    earliest = pc.min(dates)   # .value: seconds (as_py fails for year 0), no cast of the column
    return earliest.is_valid and earliest.value < _YEAR_1000


def pivot_year(today: dt.date | None = None) -> int:
    """Two-digit years up to this one's last two digits are 20jj, the others 19jj."""
    return (today or dt.date.today()).year % 100


def _four_digit_years(array: pa.ChunkedArray) -> tuple[pa.ChunkedArray, list[Remark]]:
    """dd-mm-jj written out as dd-mm-jjjj by the pivot rule (`pivot_year`), with a remark."""
    if not any(pc.any(pc.match_substring_regex(c, _TWO_DIGIT)).as_py() for c in array.chunks):
        return array, []
    pivot = pivot_year()
    parts = pc.extract_regex(array, _TWO_DIGIT)
    year = pc.cast(pc.struct_field(parts, "y"), pa.int64())
    century = pc.cast(pc.if_else(pc.less_equal(year, pivot), "20", "19"), array.type)
    dash, nothing = pa.scalar("-", array.type), pa.scalar("", array.type)
    written = pc.binary_join_element_wise(
        pc.struct_field(parts, "d"), pc.struct_field(parts, "m"),
        pc.binary_join_element_wise(century, pc.struct_field(parts, "y"), nothing), dash)
    written = pc.binary_join_element_wise(written, pc.struct_field(parts, "rest"), nothing)
    count = len(array) - written.null_count
    array = pc.coalesce(written, array)
    return array, [Remark("two_digit_year", count=count,
                          values={"pivot": f"{pivot:02d}", "first": "2000",
                                  "last": str(2000 + pivot), "from": str(1901 + pivot)})]


def _as_date_text(array: pa.ChunkedArray) -> Converted:
    sample = _trimmed(_sample(array)).drop_null()
    main = _main_format_of(sample)
    results = _per_chunk(lambda chunk: _main_format(chunk, main), array.chunks)
    failed = [pc.and_(pc.is_valid(c), pc.is_null(r)) for c, r in zip(array.chunks, results)]
    n_failed = sum(pc.sum(f).as_py() or 0 for f in failed)
    formats = [main] if n_failed < len(array) - array.null_count else []
    if not n_failed:
        return Converted(pa.chunked_array(results, pa.timestamp("s")), 0, [], formats)
    opposite = "%d/%m/%Y" if main.startswith(MONTH_FIRST) else MONTH_FIRST
    others = [f for f in _format_order(sample) if f != main and not f.startswith(opposite)]
    rest = _trimmed(pa.concat_arrays([pc.filter(c, f) for c, f in zip(array.chunks, failed)]))
    parsed, used = _parse_rest(rest, others)
    start = 0
    for i, mask in enumerate(failed):
        count = pc.sum(mask).as_py() or 0
        if count:
            results[i] = pc.replace_with_mask(results[i], mask, parsed.slice(start, count))
            start += count
    unreadable = pc.filter(rest, pc.and_(pc.is_valid(rest), pc.is_null(parsed)))
    return Converted(pa.chunked_array(results, pa.timestamp("s")), len(unreadable),
                     _first_distinct(unreadable), formats + used)


def as_count(array: pa.ChunkedArray) -> Converted:
    if pa.types.is_integer(array.type):
        return Converted(pc.cast(array, pa.int64()))
    text = as_text(array)
    plain = None if pa.types.is_floating(array.type) else _plain_integers(text)
    if plain is not None:
        return Converted(plain)
    number = array if pa.types.is_floating(array.type) else as_number(text)
    whole = pc.equal(pc.floor(number), number)
    result = pc.cast(pc.if_else(whole, number, pa.scalar(None, pa.float64())), pa.int64())
    unreadable = pc.filter(text, pc.and_(pc.is_valid(text), pc.is_null(result)))
    return Converted(result, len(unreadable), _first_distinct(unreadable))


def _plain_integers(text: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Text of whole numbers (digits, a minus sign) as int64 by Arrow's cast, the usual case;
    None when any value is something else. Arrow's cast also reads hexadecimal ('0x10'), which
    is no count: text with an x goes the general way."""
    if any(_has_byte(chunk, "x") or _has_byte(chunk, "X") for chunk in text.chunks):
        return None
    try:
        return pc.cast(text, pa.int64())
    except pa.ArrowInvalid:
        return None


def as_number(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """float64 from text with a decimal point or a decimal comma ("1.234,5" reads 1234.5)."""
    comma = pc.match_substring(text, ",")
    dutch = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    plain = pc.if_else(comma, dutch, text)
    valid = pc.match_substring_regex(plain, _NUMBER)
    return pc.cast(pc.if_else(valid, plain, None), pa.float64())


def _all_whole(array: pa.ChunkedArray) -> bool:
    return bool(pc.all(pc.equal(pc.floor(array), array)).as_py() is not False)


def _sample(text: pa.ChunkedArray) -> pa.Array:
    values, total = [], 0
    for chunk in text.chunks:
        part = chunk.slice(0, 10 * SAMPLE_SIZE).drop_null()
        values.append(part)
        total += len(part)
        if total >= SAMPLE_SIZE:
            break
    return pa.concat_arrays(values) if values else pa.array([], pa.string())


def _main_format_of(sample: pa.Array) -> str:
    """`_format_order(sample)[0]`; jjjj-mm-dd, the first format, without trying the others
    when it reads the whole sample (no other format can read more)."""
    if not _strptime(sample, DATE_FORMATS[0]).null_count:
        return DATE_FORMATS[0]
    return _format_order(sample)[0]


def _format_order(sample: pa.Array) -> list[str]:
    """All date formats, those reading most of the sample first."""
    hits = {fmt: len(sample) - _strptime(sample, fmt).null_count for fmt in DATE_FORMATS}
    return sorted(DATE_FORMATS, key=lambda fmt: -hits[fmt])


def _main_format(chunk: pa.Array, fmt: str) -> pa.Array:
    """`_strptime` of a chunk. Fast path: when every value is 10 characters long and the format
    is jjjj-mm-dd, Arrow's ISO cast reads the chunk several times faster; it refuses the whole
    chunk for any other value (an impossible date such as 2015-02-30 included), and then the
    chunk goes through `_strptime`, so the result is the same."""
    if fmt == "%Y-%m-%d" and _all_of_length(chunk, 10):
        try:
            return pc.cast(chunk, pa.timestamp("s"))
        except pa.ArrowInvalid:
            pass
    return _strptime(chunk, fmt)


def _all_of_length(chunk: pa.Array, length: int) -> bool:
    """Every value present has `length` bytes (and there is one)."""
    extremes = pc.min_max(pc.binary_length(chunk)).as_py()
    return extremes["min"] == extremes["max"] == length


def _strptime(text: pa.Array, fmt: str) -> pa.Array:
    """Parse with `fmt`; values the C parser would roll over (31-02 -> 03-03) become missing."""
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    day = pc.day(parsed)
    suspect = pc.fill_null(pc.less_equal(day, 3), False)
    if not pc.any(suspect).as_py():
        return parsed
    written = pc.extract_regex(pc.filter(text, suspect), _pattern(fmt))
    written_day = pc.cast(pc.struct_field(written, "day"), pa.int64())
    wrong = pc.fill_null(pc.not_equal(written_day, pc.filter(day, suspect)), False)
    rolled = pc.replace_with_mask(pc.fill_null(pa.nulls(len(parsed), pa.bool_()), False),
                                  suspect, wrong)
    return pc.if_else(rolled, pa.scalar(None, parsed.type), parsed)


def _pattern(fmt: str) -> str:
    parts = re.split(r"(%[A-Za-z])", fmt)
    return "^" + "".join(_TOKENS.get(p, re.escape(p)) for p in parts) + "$"


def _parse_rest(rest: pa.Array, formats: list[str]) -> tuple[pa.Array, list[str]]:
    """The values the main format missed, through every other format and Excel serials."""
    rest = pc.replace_substring_regex(rest, _FRACTION, r"\1")  # 2015-01-02 10:00:00.000Z
    result = pa.nulls(len(rest), pa.timestamp("s"))
    used = []
    for fmt in formats:
        missing = pc.is_null(result)
        if not pc.any(missing).as_py():
            break
        parsed = _strptime(rest, fmt)
        if pc.any(pc.and_(missing, pc.is_valid(parsed))).as_py():
            used.append(fmt)
            result = pc.coalesce(result, parsed)
    serial = _from_serial(pc.if_else(pc.is_null(result), rest, pa.scalar(None, rest.type)))
    if pc.any(pc.is_valid(serial)).as_py():
        used.append(SERIAL)
        result = pc.coalesce(result, serial)
    return result, used


def _from_serial(text: pa.ChunkedArray) -> pa.ChunkedArray:
    days = as_number(pc.if_else(pc.match_substring_regex(text, _SERIAL), text, None))
    days = pc.if_else(pc.equal(days, 60), None, days)  # Excel's 29-02-1900
    shift = pc.if_else(pc.less(days, 60), _EPOCH_SERIAL - 1, _EPOCH_SERIAL)
    seconds = pc.round(pc.multiply(pc.subtract(days, shift), _DAY))
    return pc.cast(pc.cast(seconds, pa.int64()), pa.timestamp("s"))


def _first_distinct(values: pa.Array | pa.ChunkedArray) -> list[str]:
    return [shown(v) for v in pc.unique(values.slice(0, 1000)).to_pylist()[:EXAMPLES]]
