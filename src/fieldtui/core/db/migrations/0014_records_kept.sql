CREATE TRIGGER cbos_never_deleted BEFORE DELETE ON cbos
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of cbos is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER participants_never_deleted BEFORE DELETE ON participants
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of participants is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER trainings_never_deleted BEFORE DELETE ON trainings
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of trainings is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER after_school_never_deleted BEFORE DELETE ON after_school
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of after_school is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER other_programmes_never_deleted BEFORE DELETE ON other_programmes
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of other_programmes is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER placements_never_deleted BEFORE DELETE ON placements
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of placements is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER followups_never_deleted BEFORE DELETE ON followups
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of followups is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER sessions_never_deleted BEFORE DELETE ON sessions
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of sessions is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER attendance_never_deleted BEFORE DELETE ON attendance
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of attendance is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER volunteers_never_deleted BEFORE DELETE ON volunteers
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of volunteers is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER volunteer_hours_never_deleted BEFORE DELETE ON volunteer_hours
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of volunteer_hours is never deleted, or headquarters would go on counting it: remove it in fieldtui, whose removal travels in the next export');
END;
CREATE TRIGGER duplicate_decisions_never_deleted BEFORE DELETE ON duplicate_decisions
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a duplicate decision is never deleted: headquarters keeps every decision, and this file would disagree with it');
END;
CREATE TRIGGER cbos_id_kept BEFORE UPDATE OF id ON cbos WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of cbos keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER participants_id_kept BEFORE UPDATE OF id ON participants WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of participants keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER trainings_id_kept BEFORE UPDATE OF id ON trainings WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of trainings keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER after_school_id_kept BEFORE UPDATE OF id ON after_school WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of after_school keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER other_programmes_id_kept BEFORE UPDATE OF id ON other_programmes WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of other_programmes keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER placements_id_kept BEFORE UPDATE OF id ON placements WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of placements keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER followups_id_kept BEFORE UPDATE OF id ON followups WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of followups keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER sessions_id_kept BEFORE UPDATE OF id ON sessions WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of sessions keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER attendance_id_kept BEFORE UPDATE OF id ON attendance WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of attendance keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER volunteers_id_kept BEFORE UPDATE OF id ON volunteers WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of volunteers keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
CREATE TRIGGER volunteer_hours_id_kept BEFORE UPDATE OF id ON volunteer_hours WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'fieldtui: a record of volunteer_hours keeps its id, or headquarters would count it twice: headquarters knows a record by its id');
END;
