
    CREATE TABLE field_changes (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        stamp TEXT NOT NULL,
        base TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, field, stamp, base)
    ) WITHOUT ROWID;
    CREATE TABLE field_conflicts (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        stamp TEXT NOT NULL,
        value TEXT,
        source TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, field, stamp)
    ) WITHOUT ROWID;
