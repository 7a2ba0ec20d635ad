"""Step 2: data-quality profile of the registration extract.

Ingest and column mapping (this module's exports) are light: pyarrow, pandas, openpyxl only
when an Excel file comes along. Great Expectations is imported only when a suite is validated.
"""
import core  # noqa: F401  (telemetry off before any library is imported)
from quality_checks.ingest import (LoadedExtract, SourceInfo, load_extract, load_uploads,
                                   propose_mapping, table_files)
from core.errors import UserInputError
from quality_checks.mapping import (Mapping, apply_mapping, guess_table, load_mapping,
                                    save_mapping, suggest_mapping)
from quality_checks.read import RawTable, list_sheets, read_table

__all__ = ["UserInputError", "LoadedExtract", "Mapping", "RawTable", "SourceInfo",
           "apply_mapping", "guess_table", "list_sheets", "load_extract", "load_mapping",
           "load_uploads", "propose_mapping", "read_table", "save_mapping", "suggest_mapping",
           "table_files"]
