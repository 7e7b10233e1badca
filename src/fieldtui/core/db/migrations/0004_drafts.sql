
    CREATE TABLE drafts (
        form TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id TEXT,
        data TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    