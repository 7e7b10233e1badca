CREATE TRIGGER cbos_never_deleted BEFORE DELETE ON cbos
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a cbos row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER participants_never_deleted BEFORE DELETE ON participants
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a participants row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER trainings_never_deleted BEFORE DELETE ON trainings
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a trainings row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER after_school_never_deleted BEFORE DELETE ON after_school
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a after_school row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER other_programmes_never_deleted BEFORE DELETE ON other_programmes
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a other_programmes row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER placements_never_deleted BEFORE DELETE ON placements
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a placements row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER followups_never_deleted BEFORE DELETE ON followups
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a followups row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER sessions_never_deleted BEFORE DELETE ON sessions
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a sessions row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER attendance_never_deleted BEFORE DELETE ON attendance
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a attendance row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER volunteers_never_deleted BEFORE DELETE ON volunteers
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a volunteers row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER volunteer_hours_never_deleted BEFORE DELETE ON volunteer_hours
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a volunteer_hours row is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER duplicate_decisions_never_deleted BEFORE DELETE ON duplicate_decisions
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a duplicate decision is never deleted: headquarters keeps every decision, and this file would disagree with it');
END;
