"""One person across programmes: who they are, every enrolment, their placements and the
record's history, and "enrol in another programme" that reuses the person (never a copy).

Opened from any list of people (Space on a row) and from the duplicate dialog when the person
found is registered in another programme. Figures come from `Store.person_overview`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from fieldtui.core import formatting as fmt
from fieldtui.core import kinds, vocabulary
from fieldtui.i18n import N_, _, language
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.tables import measure_rows_now

#: (key, kind, label msgid) of "enrol in another programme".
ENROL = (("t", "trainees", N_("Enrol as trainee")), ("a", "children", N_("Enrol in after-school")),
         ("o", "others", N_("Enrol in another programme")))

_ACTIONS = {"create": N_("created"), "update": N_("changed"), "delete": N_("removed"),
            "restore": N_("restored"), "merge": N_("merged"), "import": N_("imported")}


class PersonScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """The person view."""

    BINDINGS = [
        *(Binding(key, f"enrol({kind!r})", label) for key, kind, label in ENROL),
        Binding("escape", "app.pop_screen", N_("Back")),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__(classes="person-screen")
        self.participant_id = participant_id
        self.overview: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="person-body", can_focus=True):
            yield Static(id="person-card", classes="card", markup=False)
            yield Static(_("Programmes"), classes="section-title")
            yield DataTable(id="person-enrolments", cursor_type="row", zebra_stripes=True)
            yield Static(_("Job placements"), classes="section-title")
            yield DataTable(id="person-placements", cursor_type="row", zebra_stripes=True)
            yield Static(_("History of this record"), classes="section-title")
            yield DataTable(id="person-history", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _("Person")
        self.load()
        self.query_one("#person-enrolments").focus()

    def on_screen_resume(self) -> None:
        self.load()

    async def refresh_language(self) -> None:
        await self.recompose()
        self.on_mount()

    def load(self) -> None:
        self.overview = self.app.store.person_overview(self.participant_id)
        if self.overview is None:
            self.query_one("#person-card", Static).update(_("that person no longer exists or was removed"))
            return
        p = self.overview["person"]
        cbo = fmt.cbo_name(p["cbo_zh"], p["cbo_en"])
        lines = [
            fmt.shown(p["full_name"]) + ("  " + _("(removed)") if p["deleted"] else ""),
            f"{vocabulary.choice_label(p['gender'])} · {_('born')} {p['birth_date'] or p['birth_year']} · "
            f"{fmt.shown(cbo or '')}",
            f"{_('Phone')}: {fmt.shown(p['phone'] or fmt.DASH)} · {_('Province of origin')}: "
            f"{_province(p['province'])} · {vocabulary.choice_label(p['origin'])}",
            f"{_('Registered')}: {p['registered_on']} · {fmt.shown(p['registered_by'])}",
        ]
        self.query_one("#person-card", Static).update("\n".join(lines))
        self._fill("#person-enrolments", (_("Programme"), _("What"), _("Status"), _("Start"), _("End")), [
            (_(kinds.kind(e["kind"]).singular), vocabulary.choice_label(e["what"]),
             vocabulary.choice_label(e["status"]) if e["kind"] != "others" else (e["status"] or ""),
             e["start_date"], e["end_date"] or "", e["deleted"]) for e in self.overview["enrolments"]])
        self._fill("#person-placements", (_("Employer"), _("Job title"), _("Start"), _("Wage"), _("Verified")), [
            (pl["employer"], pl["job_title"], pl["start_date"], fmt.cny(pl["wage_cny"]),
             _("yes") if pl["verified"] else "", pl["deleted"]) for pl in self.overview["placements"]])
        self._fill("#person-history", (_("When"), _("Who"), _("What")), [
            (_local(h["at"]), h["actor"], f"{_(TABLE_NOUNS.get(h['table_name'], h['table_name']))} "
             f"{_(_ACTIONS.get(h['action'], h['action']))}", False) for h in self.overview["history"]])

    def _fill(self, selector: str, headers: tuple[str, ...], rows: list[tuple]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear(columns=True)
        table.add_columns(*headers)
        for *cells, removed in rows:
            style = "strike dim" if removed else ""
            table.add_row(*(Text(fmt.shown(str(c)), style=style) for c in cells))
        if not rows:
            table.add_row(Text(_("none"), style="dim"), *([""] * (len(headers) - 1)))
        measure_rows_now(table)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a live programme or placement opens its form, where the person's own fields
        are corrected too: a headquarters refusal naming a person row opens this page."""
        if self.overview is None:
            return
        rows = {"person-enrolments": [(kinds.kind(e["kind"]).table, e) for e in self.overview["enrolments"]],
                "person-placements": [("placements", pl) for pl in self.overview["placements"]]}.get(
            event.data_table.id or "", [])
        if event.cursor_row < len(rows) and not rows[event.cursor_row][1]["deleted"]:
            from fieldtui.tui.app import screen_class

            table, row = rows[event.cursor_row]
            kind = next(k for k in kinds.KINDS if k.table == table and getattr(screen_class(k.key), "FORM", None))
            # over this page, not by way of its list (that closed every screen above home): Escape
            # comes back here, and to the list this page was opened from, as it was
            self.app.push_screen(screen_class(kind.key).FORM(row["id"]), self._enrolled)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enrol":
            return self.overview is not None and not self.overview["person"]["deleted"]
        return True

    def action_enrol(self, kind: str) -> None:
        """That kind's form with this person's fields filled in; saving adds an enrolment to them."""
        if self.overview is None:
            return
        from fieldtui.tui.app import screen_class

        form_cls = screen_class(kind).FORM
        p = self.overview["person"]
        person = {f"participant.{k}": "" if p.get(k) is None else str(p[k]) for k in (
            "cbo_id", "full_name", "gender", "birth_year", "birth_date", "province", "origin", "phone",
            "household_members", "registered_on", "registered_by")}
        self.app.push_screen(form_cls(defaults=person, person_id=self.participant_id), self._enrolled)

    def _enrolled(self, row_id: str | None) -> None:
        if row_id:
            self.load()


#: How the history names each table's rows (msgids).
TABLE_NOUNS = {"participants": N_("person"), "trainings": N_("training"), "after_school": N_("after-school enrolment"),
               "other_programmes": N_("other programme"), "placements": N_("job placement")}


def _province(key: str) -> str:
    from fieldtui.core.models.fields import PROVINCES

    return PROVINCES.get(key, key) if language() == "zh" else key


def _local(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp
