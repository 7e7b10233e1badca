"""How numbers, money and dates read to people (shared by the TUI and the CLI)."""

from __future__ import annotations

from fieldtui.i18n import _


def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def usd(value: float | None, places: int = 0) -> str:
    if value is None:
        return "—"
    return f"US${value:,.{places}f}"


def cny(value: float | None) -> str:
    if value is None:
        return "—"
    return f"¥{value:,.0f}"


def percent(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio * 100:.0f}%"


def sii(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def no_data_note() -> str:
    return _("No participants match these filters: every figure is zero.")
