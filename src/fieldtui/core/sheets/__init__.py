"""Spreadsheets in and out: bulk import of the sheets CBOs keep, and exports donors can open.

  formats    the format registry: file suffix -> reader / writer (csvfile.py, xlsxfile.py)
  cells      one cell in (dates, numbers, yes/no words) and out (formulas neutralised)
  columns    which fields each kind's sheet carries, and the headings people give them
  importing  every row validated, one transaction, a report by line
  rows       a list kind's columns and live rows, by keyset pages
  exporting  a list or the summary to .csv / .xlsx, streamed, 0600
"""

from fieldtui.core.sheets.cells import neutralise
from fieldtui.core.sheets.exporting import EXPORT_KINDS, export_table
from fieldtui.core.sheets.importing import IMPORT_KINDS, ImportReport, RowProblem, import_table
from fieldtui.core.sheets.rows import iter_table, table_columns

__all__ = [
    "EXPORT_KINDS", "IMPORT_KINDS", "ImportReport", "RowProblem", "export_table", "import_table", "iter_table",
    "neutralise", "table_columns",
]
