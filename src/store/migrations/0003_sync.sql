
CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO sync_state VALUES ('node', lower(hex(randomblob(8))));

CREATE TABLE sync_outbox (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    -- The hub version (hlc) the first unpushed change was made on; '' for a new row.
    base TEXT NOT NULL,
    -- Why the hub refused the last push (kept, and tried again on every sync).
    refused TEXT,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    title TEXT NOT NULL,
    mine TEXT NOT NULL,
    theirs TEXT NOT NULL,
    winner TEXT NOT NULL CHECK (winner IN ('mine', 'theirs')),
    at TEXT NOT NULL
);

ALTER TABLE funnels ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE funnels SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER funnels_sync_insert AFTER INSERT ON funnels WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE funnels SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('funnels', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER funnels_sync_update AFTER UPDATE ON funnels WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE funnels SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('funnels', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

ALTER TABLE opportunities ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE opportunities SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER opportunities_sync_insert AFTER INSERT ON opportunities WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE opportunities SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('opportunities', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER opportunities_sync_update AFTER UPDATE ON opportunities WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE opportunities SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('opportunities', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

ALTER TABLE stage_events ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE stage_events SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER stage_events_sync_insert AFTER INSERT ON stage_events WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE stage_events SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('stage_events', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER stage_events_sync_update AFTER UPDATE ON stage_events WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE stage_events SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('stage_events', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

ALTER TABLE evidence ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE evidence SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER evidence_sync_insert AFTER INSERT ON evidence WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE evidence SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('evidence', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER evidence_sync_update AFTER UPDATE ON evidence WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE evidence SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('evidence', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

ALTER TABLE answers ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE answers SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER answers_sync_insert AFTER INSERT ON answers WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE answers SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('answers', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER answers_sync_update AFTER UPDATE ON answers WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE answers SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('answers', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

ALTER TABLE people ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE people SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node');

CREATE TRIGGER people_sync_insert AFTER INSERT ON people WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE people SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('people', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER people_sync_update AFTER UPDATE ON people WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE people SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('people', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
