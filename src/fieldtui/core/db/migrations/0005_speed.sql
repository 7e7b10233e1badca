
    DROP INDEX IF EXISTS participants_cbo;
    CREATE INDEX participants_cbo_people ON participants (cbo_id, deleted, registered_on, household_members, id);
    CREATE INDEX participants_key ON participants (id, deleted, cbo_id);
    CREATE INDEX participants_sort_name ON participants (full_name, id, phone);
    DROP INDEX IF EXISTS participants_name;
    CREATE INDEX participants_name_key ON participants (full_name COLLATE NOCASE, id, cbo_id);
    DROP INDEX IF EXISTS participants_phone;
    CREATE INDEX participants_phone_key ON participants (phone, id, cbo_id) WHERE phone IS NOT NULL;
    DROP INDEX IF EXISTS trainings_participant;
    CREATE INDEX trainings_person ON trainings (participant_id, deleted, status, id);
    DROP INDEX IF EXISTS after_school_participant;
    CREATE INDEX after_school_person ON after_school (participant_id, deleted);
    DROP INDEX IF EXISTS other_programmes_participant;
    CREATE INDEX other_programmes_person ON other_programmes (participant_id, deleted);
    DROP INDEX IF EXISTS placements_training;
    CREATE INDEX placements_live ON placements (training_id, deleted);
    CREATE INDEX after_school_guardian ON after_school (guardian_name COLLATE NOCASE);
    CREATE INDEX placements_employer ON placements (employer COLLATE NOCASE);
    