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
    SELECT id, full_name, fieldtui_sort_key(full_name), fieldtui_pinyin(full_name), fieldtui_initials(full_name)
    FROM participants;
