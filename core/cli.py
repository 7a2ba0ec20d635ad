"""Shared command-line behaviour: plain one-line errors, no tracebacks, exit codes."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Callable

from core import DEFAULT_LANGUAGE, LANGUAGES, jsonio
from core.errors import UserInputError

EXIT_BAD_INPUT = 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose usage errors end as one plain line (UserInputError `bad_argument`)."""

    def error(self, message):
        raise UserInputError("bad_argument", detail=message)


def language_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES,
                        default=os.environ.get("READINESS_LANG", DEFAULT_LANGUAGE),
                        help="language of the printed summary (default: nl)")


def extract_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments every step that reads an extract folder shares."""
    parser.add_argument("folder", help="folder with one file per table (CSV, XLSX or Parquet)")
    parser.add_argument("--mapping", help="column mapping file (YAML or JSON); default: suggested")
    parser.add_argument("--json", help="write the full result as JSON to this file")


def iso_date(text: str) -> str:
    """`text` as a yyyy-mm-dd date, or a plain user error."""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserInputError("bad_argument", detail=f"'{text}' is not a date like 2018-12-31") from None


def extract_date_argument(parser: argparse.ArgumentParser) -> None:
    """`--extract-date`: the date the extract was drawn, the same for every step."""
    parser.add_argument("--extract-date", type=iso_date,
                        help="date of the extract (default: manifest.json in the folder, else inferred from the data)")


def extract_date_of(args, tables: dict):
    """The extract date of `extract_date_argument` for the folder's `tables`
    (core.extract_date: given, else the folder's manifest, else inferred from the data)."""
    from core.extract_date import resolve_extract_date
    return resolve_extract_date(tables, args.extract_date, args.folder)


def reference_argument(parser: argparse.ArgumentParser) -> None:
    """`--reference ARM`: the arm the others are compared with (core.arms)."""
    parser.add_argument("--reference", default=None,
                        help="the arm the others are compared with (default: the mapping's reference, else "
                             "Prematching when present, else the arm with the most clients)")


def arm_choice_of(args, mapping):
    """The arms of the mapping file and the reference: `--reference` before the mapping's."""
    from core.arms import ArmChoice
    if args.reference:
        return ArmChoice.of(mapping.arms, args.reference, "given")
    return ArmChoice.of(mapping.arms, mapping.reference, "mapping")


def load_folder(args):
    """The extract folder of `extract_arguments` loaded with its mapping file (if any)."""
    from quality_checks import load_extract, load_mapping   # the ingest is step 2's
    return load_extract(args.folder, load_mapping(args.mapping) if args.mapping else None)


def report(lines: list[str], result, args) -> int:
    """Print a command's summary lines and write its result with `--json`."""
    print("\n".join(lines))
    if args.json:
        write_json(result, args.json)
    return 0


def write_file(path, writer: Callable[[str], object]) -> None:
    """`writer(path)`; a file that cannot be written is a UserInputError, not a traceback."""
    try:
        writer(path)
    except OSError as error:
        raise UserInputError("cannot_write", path=path, detail=error.strerror) from None


def write_json(value, path: str) -> None:
    """`--json FILE`: the result as JSON (see `write_file`)."""
    write_file(path, lambda p: jsonio.write(value, p))


def run(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run a command's `main`; unusable input ends with one plain line and exit code 2."""
    lang = os.environ.get("READINESS_LANG", DEFAULT_LANGUAGE)
    args = sys.argv[1:] if argv is None else argv
    if "--lang" in args and args.index("--lang") + 1 < len(args):
        lang = args[args.index("--lang") + 1]
    try:
        return main(argv)
    except UserInputError as error:
        print(f"error: {error.message(lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
