CREATE TABLE participant_keys (
    participant_id TEXT PRIMARY KEY,
    name TEXT,
    sort_key TEXT NOT NULL,
    pinyin TEXT NOT NULL,
    initials TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX participant_keys_sort ON participant_keys (sort_key, participant_id);
CREATE INDEX participant_keys_pinyin ON participant_keys (pinyin, participant_id);
CREATE INDEX participant_keys_initials ON participant_keys (initials, participant_id);
INSERT INTO participant_keys (participant_id, name, sort_key, pinyin, initials)
    SELECT id, full_name, fieldtui_sort_key(CAST(full_name AS BLOB)), fieldtui_pinyin(CAST(full_name AS BLOB)),
        fieldtui_initials(CAST(full_name AS BLOB))
    FROM participants;
