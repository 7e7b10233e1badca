"""Moving records between files: the field export, and headquarters' checked merge of exports.

One module a step, each saying why it works as it does:
  schema     what an export file is (tables, manifest, checksum), rebuilt for every version
  export     a consistent snapshot of a field file, tombstones blanked, optionally pseudonymised
  hostile    how a file given to merge is opened (a private copy, distrusted) and refused
  check      the file checks before anything is written, and the upgrade of older exports
  rules      every live row against the models, as a form would check it
  worker     a second process checking the next file while this one merges
  merge      one transaction per file, headquarters' settings while merging
  versions   the merge semantics: field versions by their history, the value kept, conflicts
  conflicts  conflicts for review (who, field, every value), and settling them
  report     what a merge says it did

The functions `export`, `merge` and `conflicts` are the names of their modules too, and win on
the package: take anything else of those modules by its full path
(`from fieldtui.core.exchange.merge import CHECKPOINT_EVERY`).
"""

from fieldtui.core.errors import StoreError
from fieldtui.core.exchange.check import MAX_FILE_BYTES, MAX_ROWS_PER_TABLE, CheckedFile, check_file
from fieldtui.core.exchange.conflicts import conflicts, resolve_conflict, short_ids
from fieldtui.core.exchange.export import KEY_ENV, ExportResult, export
from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.exchange.merge import CHECKPOINT_EVERY, MERGE_CACHE_KIB, merge, merge_into
from fieldtui.core.exchange.report import FileResult, MergeReport, TableCounts
from fieldtui.core.exchange.rules import ROW_BATCH, check_rows
from fieldtui.core.exchange.schema import EXPORT_FORMAT, MANIFEST_DDL, Progress, content_checksum, expected_schema
from fieldtui.core.exchange.values import MAX_CELL_CHARS
from fieldtui.core.exchange.worker import PIPELINE_MIN_BYTES
from fieldtui.core.models import CONSENT_FIELD_SINCE

__all__ = [
    "CHECKPOINT_EVERY", "CONSENT_FIELD_SINCE", "EXPORT_FORMAT", "KEY_ENV", "MANIFEST_DDL", "MAX_CELL_CHARS",
    "MAX_FILE_BYTES", "MAX_ROWS_PER_TABLE", "MERGE_CACHE_KIB", "PIPELINE_MIN_BYTES", "ROW_BATCH", "CheckedFile",
    "ExportResult", "FileResult", "MergeReport", "Progress", "Refused", "StoreError", "TableCounts", "check_file",
    "check_rows", "conflicts", "content_checksum", "expected_schema", "export", "merge", "merge_into",
    "resolve_conflict", "short_ids",
]
