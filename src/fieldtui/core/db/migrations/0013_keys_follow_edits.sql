CREATE TRIGGER participant_keys_follow_edits AFTER UPDATE OF id, full_name, birth_year, phone ON participants
WHEN NEW.id IS NOT OLD.id OR NEW.full_name IS NOT OLD.full_name OR NEW.birth_year IS NOT OLD.birth_year
    OR NEW.phone IS NOT OLD.phone
BEGIN
    DELETE FROM participant_keys WHERE participant_id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER participant_keys_follow_inserts AFTER INSERT ON participants
BEGIN
    DELETE FROM participant_keys WHERE participant_id = NEW.id;
END;
