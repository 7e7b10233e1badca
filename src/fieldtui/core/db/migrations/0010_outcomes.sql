
    CREATE TABLE followups (
        id TEXT PRIMARY KEY,
        placement_id TEXT NOT NULL REFERENCES placements(id),
        due_month INTEGER NOT NULL,
        checked_on TEXT NOT NULL,
        employed INTEGER NOT NULL,
        same_employer INTEGER,
        wage_cny REAL,
        reason TEXT,
        note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        cbo_id TEXT NOT NULL REFERENCES cbos(id),
        programme TEXT NOT NULL,
        held_on TEXT NOT NULL,
        held INTEGER NOT NULL,
        topic TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE attendance (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        enrolment_id TEXT NOT NULL REFERENCES after_school(id),
        present INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE volunteers (
        id TEXT PRIMARY KEY,
        cbo_id TEXT NOT NULL REFERENCES cbos(id),
        full_name TEXT NOT NULL,
        phone TEXT,
        affiliation TEXT,
        joined_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE volunteer_hours (
        id TEXT PRIMARY KEY,
        volunteer_id TEXT NOT NULL REFERENCES volunteers(id),
        session_id TEXT REFERENCES sessions(id),
        activity TEXT NOT NULL,
        worked_on TEXT NOT NULL,
        hours REAL NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE INDEX followups_check ON followups (placement_id, due_month, deleted, checked_on, employed);
    CREATE INDEX placements_start ON placements (start_date, id, deleted, training_id);
    DROP INDEX IF EXISTS placements_live;
    CREATE INDEX placements_training ON placements (training_id, deleted, start_date, wage_cny, id);
    DROP INDEX IF EXISTS participants_key;
    CREATE INDEX participants_traits ON participants (id, deleted, cbo_id, gender, origin, province, birth_year,
        registered_on, birth_date, household_members);
    CREATE INDEX sessions_cbo ON sessions (cbo_id, held_on, id);
    CREATE INDEX sessions_date ON sessions (held_on, id);
    CREATE INDEX attendance_session ON attendance (session_id, enrolment_id, deleted);
    CREATE INDEX attendance_child ON attendance (enrolment_id, deleted, session_id, present);
    CREATE INDEX volunteers_cbo ON volunteers (cbo_id, deleted, joined_on);
    CREATE INDEX volunteers_name ON volunteers (full_name COLLATE NOCASE);
    CREATE INDEX volunteers_sort_name ON volunteers (full_name, id);
    CREATE INDEX volunteers_phone ON volunteers (phone) WHERE phone IS NOT NULL;
    CREATE INDEX volunteer_hours_volunteer ON volunteer_hours (volunteer_id, deleted, hours);
    CREATE INDEX volunteer_hours_session ON volunteer_hours (session_id) WHERE session_id IS NOT NULL;
