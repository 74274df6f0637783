
ALTER TABLE targets ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE targets SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER targets_sync_insert AFTER INSERT ON targets WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE targets SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('targets', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER targets_sync_update AFTER UPDATE ON targets WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE targets SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('targets', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

INSERT INTO sync_outbox (tbl, row_id, base) SELECT 'targets', id, '' FROM targets WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
ON CONFLICT DO NOTHING;
