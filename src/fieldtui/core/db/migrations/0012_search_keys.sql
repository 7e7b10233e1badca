ALTER TABLE participant_keys ADD COLUMN phone TEXT;
UPDATE participant_keys SET phone = (SELECT p.phone FROM participants p WHERE p.id = participant_keys.participant_id);
DROP INDEX participant_keys_sort;
DROP INDEX participant_keys_pinyin;
DROP INDEX participant_keys_initials;
CREATE INDEX participant_keys_sort ON participant_keys (sort_key, participant_id, initials, pinyin, phone);
