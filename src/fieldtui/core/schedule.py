"""When a placement's follow-up checks fall due: 3, 6 and 12 months after it started, on the same
day of the month, or the month's last day when that day does not exist (30 November + 3 months
is 28 February). Plain dates, no pydantic: the due list and the summary read this without loading
the validation models (the memory target in benchmarks/)."""

from __future__ import annotations

import calendar
import datetime as dt

from fieldtui.core.vocabulary import FollowupMonth, values

#: The checks of a placement, in months after it started.
FOLLOWUP_MONTHS: tuple[int, ...] = tuple(int(v) for v in values(FollowupMonth))
#: A check can be recorded from this many days before it is due (people are met when they can be).
FOLLOWUP_EARLY_DAYS = 14
#: A check is "due" for this many days after its due date, then "overdue".
FOLLOWUP_GRACE_DAYS = 30


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when that day does not exist.
    Never decreasing in `day`, which the due list's keyset needs."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def due_on(start: dt.date, months: int) -> dt.date:
    """The day a placement that started on `start` is due for its `months`-month check."""
    return add_months(start, months)


def last_start_due_by(day: dt.date, months: int) -> dt.date:
    """The latest start whose `months`-month check is due on or before `day` (starts on or before
    it are due; a start after it is not yet): the due list's and the summary's index bound."""
    start = add_months(day, -months)  # due on or before `day`, at most a few days early
    while add_months(start + dt.timedelta(days=1), months) <= day:
        start += dt.timedelta(days=1)
    return start


def overdue_before(today: dt.date) -> dt.date:
    """A check due before this day is overdue (past its FOLLOWUP_GRACE_DAYS)."""
    return today - dt.timedelta(days=FOLLOWUP_GRACE_DAYS)


def due_sql(start: str, months: int | str) -> str:
    """`due_on` in SQL (SQLite alone would roll 30 November + 3 months over to 2 March);
    `months` a number, or an SQL expression of one (a column)."""
    if isinstance(months, int):
        return (f"min(date({start}, '+{months} months'), "
                f"date({start}, 'start of month', '+{months + 1} months', '-1 day'))")
    return (f"min(date({start}, '+' || {months} || ' months'), "
            f"date({start}, 'start of month', '+' || ({months} + 1) || ' months', '-1 day'))")
