"""Volunteers and the hours they give. Volunteers are not participants: nothing here touches
`participants`, so they never count as direct or indirect beneficiaries (core/summary)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldtui.core.errors import RecordInvalid
from fieldtui.core.lazy import lazy_module
from fieldtui.core.records.saves import _row_for, stored
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.core.models import Volunteer, VolunteerHours

_models = lazy_module("fieldtui.core.models")


class Volunteers:
    """Saving and reading volunteers and their hours."""

    def save_volunteer(self, volunteer: Volunteer) -> Volunteer:
        with self.transaction():
            row = self.conn.execute("SELECT deleted FROM cbos WHERE id = ?", (volunteer.cbo_id,)).fetchone()
            if row is None or row[0]:
                raise RecordInvalid({"cbo_id": _("CBO") + ": " + _("choose an existing CBO")})
            vid = self._write("volunteers", _row_for(volunteer), self.clock())
        return volunteer.model_copy(update={"id": vid})

    def get_volunteer(self, volunteer_id: str) -> Volunteer:
        return stored(_models.Volunteer, self._require("volunteers", volunteer_id))

    def save_volunteer_hours(self, hours: VolunteerHours) -> VolunteerHours:
        with self.transaction():
            volunteer = self._parent(_models.Volunteer, "volunteers", hours.volunteer_id, "volunteer_id",
                                     _("Volunteer"))
            session = self._parent(_models.Session, "sessions", hours.session_id, "session_id", _("Session"))
            _models.check_volunteer_hours(hours, volunteer, session)
            hid = self._write("volunteer_hours", _row_for(hours), self.clock())
        return hours.model_copy(update={"id": hid})

    def get_volunteer_hours(self, hours_id: str) -> VolunteerHours:
        return stored(_models.VolunteerHours, self._require("volunteer_hours", hours_id))
