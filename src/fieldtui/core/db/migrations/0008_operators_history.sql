CREATE TABLE audit_changes (
    seq INTEGER PRIMARY KEY,
    changes TEXT NOT NULL
);
CREATE TABLE operators (
    name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    pin_salt TEXT,
    pin_hash TEXT,
    created_at TEXT NOT NULL
);
