"""The outcome figures and the breakdowns as labelled lines: one list that the summary screen, the
CLI table and the donor report all show, so they name and format each figure alike.

Labels are msgids: each caller translates them in its own language (the report speaks its own,
tui and cli the app's), and `group_label` takes that language for the groups' names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fieldtui.core import formatting as fmt
from fieldtui.core.vocabulary import CHOICE_LABELS, PROVINCES
from fieldtui.i18n import N_

#: (label msgid, attribute of a Summary or CBOFigures, kind of figure), in the order shown.
OUTCOMES: tuple[tuple[str, str, str], ...] = (
    (N_("Job follow-ups due"), "followups_due", fmt.COUNT),
    (N_("Job follow-ups overdue"), "followups_overdue", fmt.COUNT),
    (N_("Still employed at 3 months"), "retention_3m", fmt.PCT1),
    (N_("Still employed at 6 months"), "retention_6m", fmt.PCT1),
    (N_("Still employed at 12 months"), "retention_12m", fmt.PCT1),
    (N_("Median monthly income before training"), "median_income_before_cny", fmt.CNY),
    (N_("Median wage after placement"), "median_wage_after_cny", fmt.CNY),
    (N_("Change in monthly income"), "income_change_cny", fmt.CNY_CHANGE),
    (N_("Attendance (held sessions)"), "attendance_rate", fmt.PCT1),
    (N_("Volunteers"), "volunteers", fmt.COUNT),
    (N_("Volunteer hours"), "volunteer_hours", fmt.HOURS),
)

#: The breakdowns' columns: (header msgid, attribute of GroupFigures and of Summary, kind).
BREAKDOWN_COLUMNS: tuple[tuple[str, str, str], ...] = (
    (N_("Lives changed"), "direct_beneficiaries", fmt.COUNT),
    (N_("Trainees"), "trainees", fmt.COUNT),
    (N_("Placed"), "trainees_placed", fmt.COUNT),
    (N_("After-school"), "after_school_children", fmt.COUNT),
    (N_("Still employed at 6 months"), "retention_6m", fmt.PCT1),
)

#: Dimension (summary.DIMENSIONS) -> its title msgid.
DIMENSION_TITLES = {"sex": N_("By sex"), "age_band": N_("By age at registration"), "origin": N_("By origin"),
                    "province": N_("By province of origin")}


def outcome_lines(figures: Any, tr: Callable[[str], str]) -> list[tuple[str, str]]:
    """(label, value as read) of every outcome figure of a Summary or a CBO's figures."""
    return [(tr(label), fmt.figure(kind, getattr(figures, attr))) for label, attr, kind in OUTCOMES]


def group_label(dimension: str, key: str, tr: Callable[[str], str], zh: bool) -> str:
    """A group's name: a province as stored (in Chinese its Chinese name), any other group its label;
    a stored value drawn safe (fmt.shown: a file edited with sqlite3 may hold an escape sequence)."""
    if dimension == "province":
        return fmt.shown(PROVINCES.get(key, key) if zh else key)
    return tr(CHOICE_LABELS[key]) if key in CHOICE_LABELS else fmt.shown(key)


def breakdown_rows(summary: Any, dimension: str, tr: Callable[[str], str], zh: bool) -> list[tuple[str, list[str]]]:
    """(group, values as read) of one breakdown, each group once, in the order shown."""
    return [(group_label(dimension, key, tr, zh), [fmt.figure(kind, getattr(group, attr))
                                                    for _h, attr, kind in BREAKDOWN_COLUMNS])
            for key, group in summary.breakdown(dimension)]
