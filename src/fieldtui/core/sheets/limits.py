"""What an import reads at most, whatever the file: the bounds that keep a hostile or mistaken
spreadsheet to bounded memory and time (zipguard.py checks an .xlsx against them first)."""

from fieldtui.i18n import _

MAX_ROWS = 1_000_000  # data rows (blank ones count: a sheet can jump to row 1,000,000,000)
MAX_COLUMNS = 1_000  # columns read of a row; a sheet may declare 16,384
MAX_CELL = 32_767  # characters in one cell (Excel's own limit)
MAX_LINE = 1024 * 1024  # characters in one line of a CSV file
MAX_REPORTED = 50  # problems kept (and printed) by line; the rest are counted
#: How many rows are read for the headings: a title such as "2012年3月培训学员名单", and a blank
#: line, often stand above them (before, the title was taken for the headings: the sheet refused).
HEADINGS_WITHIN = 5


def too_many_rows(path: object) -> str:
    return _("{path} has over {n:,} rows: split it into several files").format(path=path, n=MAX_ROWS)
