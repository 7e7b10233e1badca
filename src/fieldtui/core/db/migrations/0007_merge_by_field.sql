
    ALTER TABLE field_changes ADD COLUMN device TEXT NOT NULL DEFAULT '';
    ALTER TABLE field_conflicts RENAME COLUMN source TO device;
    DROP TABLE conflicts;
    DROP TABLE row_data;
    DROP TABLE row_versions;
    DROP TABLE devices;
