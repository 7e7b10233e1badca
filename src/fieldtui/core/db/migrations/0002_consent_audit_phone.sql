
    ALTER TABLE after_school ADD COLUMN guardian_consent INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'merge', 'import')),
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL
    );
    CREATE INDEX audit_row ON audit (table_name, row_id);
    CREATE INDEX participants_phone ON participants (phone) WHERE phone IS NOT NULL;
    CREATE INDEX participants_registered ON participants (registered_on, cbo_id, deleted, household_members);
    