
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cbos (
        id TEXT PRIMARY KEY,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        city TEXT NOT NULL,
        sector TEXT NOT NULL,
        grant_usd REAL NOT NULL,
        target_direct INTEGER NOT NULL,
        sii REAL,
        programmes TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        cbo_id TEXT NOT NULL REFERENCES cbos(id),
        full_name TEXT NOT NULL,
        gender TEXT NOT NULL,
        birth_year INTEGER NOT NULL,
        birth_date TEXT,
        province TEXT NOT NULL,
        origin TEXT NOT NULL,
        phone TEXT,
        household_members INTEGER NOT NULL DEFAULT 0,
        registered_on TEXT NOT NULL,
        registered_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE trainings (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        course TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT,
        status TEXT NOT NULL,
        income_before_cny REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE after_school (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        school TEXT NOT NULL,
        grade INTEGER NOT NULL,
        guardian_name TEXT,
        programme TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE other_programmes (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        programme TEXT NOT NULL,
        description TEXT,
        start_date TEXT NOT NULL,
        end_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE TABLE placements (
        id TEXT PRIMARY KEY,
        training_id TEXT NOT NULL REFERENCES trainings(id),
        employer TEXT NOT NULL,
        job_title TEXT NOT NULL,
        start_date TEXT NOT NULL,
        wage_cny REAL NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE INDEX participants_cbo ON participants (cbo_id, deleted, household_members);
    CREATE INDEX participants_name ON participants (full_name COLLATE NOCASE);
    CREATE INDEX trainings_participant ON trainings (participant_id);
    CREATE INDEX after_school_participant ON after_school (participant_id);
    CREATE INDEX other_programmes_participant ON other_programmes (participant_id);
    CREATE INDEX placements_training ON placements (training_id);
    