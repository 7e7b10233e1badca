
    CREATE TABLE merges (
        seq INTEGER PRIMARY KEY,
        export_id TEXT NOT NULL UNIQUE,
        checksum TEXT NOT NULL,
        device_id TEXT NOT NULL,
        merged_at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        counts TEXT NOT NULL
    );
    CREATE TABLE devices (seq INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE);
    CREATE TABLE row_versions (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        device INTEGER NOT NULL,
        export INTEGER NOT NULL,
        PRIMARY KEY (tbl, row_id, updated_at, hash, device)
    ) WITHOUT ROWID;
    CREATE TABLE row_data (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, updated_at, hash)
    ) WITHOUT ROWID;
    CREATE TABLE conflicts (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        export_id TEXT NOT NULL,
        kept_updated_at TEXT NOT NULL,
        kept TEXT NOT NULL,
        other_updated_at TEXT NOT NULL,
        other TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, device_id)
    ) WITHOUT ROWID;
    