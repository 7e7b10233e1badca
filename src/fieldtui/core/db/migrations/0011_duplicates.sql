ALTER TABLE participants ADD COLUMN merged_into TEXT;
CREATE INDEX participants_merged ON participants (merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE duplicate_decisions (
    person_a TEXT NOT NULL,
    person_b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    PRIMARY KEY (person_a, person_b),
    CHECK (person_a < person_b)
) WITHOUT ROWID;
ALTER TABLE participant_keys ADD COLUMN birth_year INTEGER;
ALTER TABLE participant_keys ADD COLUMN bag TEXT;
UPDATE participant_keys SET bag = fieldtui_bag(CAST(name AS BLOB)),
    birth_year = (SELECT p.birth_year FROM participants p WHERE p.id = participant_keys.participant_id);
CREATE INDEX participant_keys_initials_year ON participant_keys (initials, birth_year, participant_id);
CREATE INDEX participant_keys_bag ON participant_keys (bag, birth_year, participant_id);
CREATE INDEX participant_keys_pinyin_year ON participant_keys (pinyin, birth_year, participant_id);
