-- The review: a card's history that travels, the one-to-one's coaching that travels, and the
-- figures' daily snapshots per seller and per team.

-- What changed on a card's main fields (`field`: 0 title, 1 value, 2 expected close, 3 owner,
-- 4 next step, 5 its day, 6 its minute) with the old and new values (dates as day numbers),
-- when (`updated_at`, the card's stamp of the change) and by whom. Append-only and synced like
-- a card's other records (it replaces step 14's local `card_changes`), so a seller's pushed
-- close dates count the same in every file. `card_owner` and `card_team` are local: the card's
-- owner and team when this file recorded the row, what the review looks a seller's changes
-- up by.
CREATE TABLE card_history (
    id TEXT PRIMARY KEY NOT NULL,
    -- The card's 16 bytes (see `card_key`).
    opportunity_id BLOB NOT NULL REFERENCES opportunities(id),
    field INTEGER NOT NULL CHECK (typeof(field) = 'integer' AND field BETWEEN 0 AND 6),
    old,
    new,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    hlc TEXT NOT NULL DEFAULT '',
    card_owner TEXT NOT NULL DEFAULT '',
    card_team TEXT NOT NULL DEFAULT ''
);
INSERT INTO card_history (id, opportunity_id, field, old, new, updated_at, updated_by, card_owner, card_team)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), c.opportunity_id, c.field, c.old, c.new,
       strftime('%Y-%m-%dT%H:%M:%fZ', c.at / 1000.0, 'unixepoch'), c.by, o.owner, o.team
FROM card_changes c JOIN opportunities o ON o.id = c.opportunity_id
ORDER BY c.rowid;
DROP TRIGGER card_changes_on_update;
DROP TABLE card_changes;
CREATE INDEX card_history_by_opportunity ON card_history(opportunity_id, updated_at);
CREATE INDEX card_history_by_owner ON card_history(card_owner, updated_at);

-- A change made here is recorded as it is made; one pulled from the hub (its `hlc` is the
-- hub's) is not: the file that made it recorded it, and its row arrives with it.
CREATE TRIGGER card_history_on_update AFTER UPDATE OF title, value_cents, expected_close, owner, next_step, next_step_due, next_step_at ON opportunities WHEN NEW.hlc IS OLD.hlc
BEGIN
    INSERT INTO card_history (id, opportunity_id, field, old, new, updated_at, updated_by, card_owner, card_team)
    SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), NEW.id, field, old, new,
           strftime('%Y-%m-%dT%H:%M:%fZ', NEW.updated_at / 1000.0, 'unixepoch'), NEW.updated_by, NEW.owner, NEW.team FROM (
        SELECT 0 AS field, OLD.title AS old, NEW.title AS new
        UNION ALL SELECT 1, OLD.value_cents, NEW.value_cents
        UNION ALL SELECT 2, OLD.expected_close, NEW.expected_close
        UNION ALL SELECT 3, OLD.owner, NEW.owner
        UNION ALL SELECT 4, OLD.next_step, NEW.next_step
        UNION ALL SELECT 5, OLD.next_step_due, NEW.next_step_due
        UNION ALL SELECT 6, OLD.next_step_at, NEW.next_step_at)
    WHERE old IS NOT new;
END;
-- A pulled row takes the card's owner and team as they are here.
CREATE TRIGGER card_history_card_owner AFTER INSERT ON card_history WHEN NEW.card_owner = ''
BEGIN
    UPDATE card_history SET (card_owner, card_team) = (SELECT owner, team FROM opportunities WHERE id = NEW.opportunity_id)
    WHERE id = NEW.id AND EXISTS (SELECT 1 FROM opportunities WHERE id = NEW.opportunity_id);
END;
CREATE TRIGGER card_history_sync_insert AFTER INSERT ON card_history WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE card_history SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('card_history', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
UPDATE card_history SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node')
WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled');
INSERT INTO sync_outbox (tbl, row_id, base) SELECT 'card_history', id, '' FROM card_history WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
ON CONFLICT DO NOTHING;

-- The stage history is looked up by seller too: the card's owner and team when this file
-- recorded the event (local, like `card_history`'s). The store writes them with the event; an
-- event pulled without them takes the card's (a bulk load, whose cards are staged apart,
-- writes them itself).
-- Writing them is no change to the event: it is neither stamped for sync nor a new data
-- generation.
DROP TRIGGER stage_events_sync_update;
CREATE TRIGGER stage_events_sync_update AFTER UPDATE OF id, opportunity_id, at, kind, from_stage, to_stage, evidence_confirmed, note, updated_at, updated_by, deleted_at ON stage_events WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE stage_events SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('stage_events', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
DROP TRIGGER generation_on_stage_events_update;
CREATE TRIGGER generation_on_stage_events_update AFTER UPDATE OF id, opportunity_id, at, kind, from_stage, to_stage, evidence_confirmed, note, updated_at, updated_by, deleted_at, hlc ON stage_events
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
ALTER TABLE stage_events ADD COLUMN card_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE stage_events ADD COLUMN card_team TEXT NOT NULL DEFAULT '';
UPDATE stage_events SET (card_owner, card_team) = (SELECT owner, team FROM opportunities o WHERE o.id = stage_events.opportunity_id)
WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.id = stage_events.opportunity_id AND (o.owner <> '' OR o.team <> ''));
CREATE INDEX stage_events_by_owner ON stage_events(card_owner, at);
-- The moves made without their evidence confirmed (a minority), for the share of a seller's RTV
-- whose last move was one.
CREATE INDEX stage_events_unverified ON stage_events(opportunity_id, id)
    WHERE kind = 'moved' AND evidence_confirmed = 0 AND deleted_at IS NULL;
CREATE TRIGGER stage_events_card_owner AFTER INSERT ON stage_events WHEN NEW.card_owner = '' AND NEW.card_team = ''
BEGIN
    UPDATE stage_events SET (card_owner, card_team) = (SELECT owner, team FROM opportunities WHERE id = NEW.opportunity_id)
    WHERE id = NEW.id AND EXISTS (SELECT 1 FROM opportunities WHERE id = NEW.opportunity_id);
END;

-- Coaching travels: a meeting is with a seller (`kind` 'seller', `owner` the seller, `team`
-- theirs when it was held: what the hub's rights read) or with a team's lead (`kind` 'team',
-- `team` the team, `owner` the lead). Its card notes and action items go with it.
ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'seller' CHECK (kind IN ('seller', 'team'));
ALTER TABLE meetings ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
ALTER TABLE meeting_card_notes ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
ALTER TABLE action_items ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE meetings SET team = coalesce((SELECT team FROM group_totals
    WHERE funnel = (SELECT key FROM funnels WHERE id = meetings.funnel_id) AND owner = meetings.owner
      AND team <> '' AND count > 0
    GROUP BY team ORDER BY sum(count) DESC, team LIMIT 1), '');
CREATE INDEX meetings_by_team ON meetings(funnel_id, kind, team, started_at);
-- A seller's open action items, for their agenda.
CREATE INDEX action_items_open_by_owner ON action_items(owner, due) WHERE done = 0 AND deleted_at IS NULL;
CREATE TRIGGER meetings_sync_insert AFTER INSERT ON meetings WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE meetings SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('meetings', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER meetings_sync_update AFTER UPDATE ON meetings WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE meetings SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('meetings', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER meeting_card_notes_sync_insert AFTER INSERT ON meeting_card_notes WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE meeting_card_notes SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('meeting_card_notes', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER meeting_card_notes_sync_update AFTER UPDATE ON meeting_card_notes WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE meeting_card_notes SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('meeting_card_notes', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER action_items_sync_insert AFTER INSERT ON action_items WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE action_items SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('action_items', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER action_items_sync_update AFTER UPDATE ON action_items WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE action_items SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('action_items', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
UPDATE meetings SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node')
WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled');
INSERT INTO sync_outbox (tbl, row_id, base) SELECT 'meetings', id, '' FROM meetings WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
ON CONFLICT DO NOTHING;
UPDATE meeting_card_notes SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node')
WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled');
INSERT INTO sync_outbox (tbl, row_id, base) SELECT 'meeting_card_notes', id, '' FROM meeting_card_notes WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
ON CONFLICT DO NOTHING;
UPDATE action_items SET hlc = printf('%013d-00000-',
        CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER))
    || (SELECT value FROM sync_state WHERE key = 'node')
WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled');
INSERT INTO sync_outbox (tbl, row_id, base) SELECT 'action_items', id, '' FROM action_items WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
ON CONFLICT DO NOTHING;

-- Daily snapshots per seller (`owner`) and per team (`team`) beside the whole funnel's (both
-- ''), so a one-to-one shows the seller's own trend. Local, like before.
CREATE TABLE indicator_snapshots_scoped (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    period INTEGER NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL,
    rtv_cents INTEGER NOT NULL,
    sales_to_date_cents INTEGER NOT NULL,
    target_cents INTEGER,
    gap_cents INTEGER,
    factor REAL,
    probability REAL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    CHECK (owner = '' OR team = ''),
    UNIQUE (funnel_id, period, owner, team, day)
);
INSERT INTO indicator_snapshots_scoped (id, funnel_id, period, day, rtv_cents, sales_to_date_cents,
    target_cents, gap_cents, factor, probability, updated_at, updated_by, deleted_at)
SELECT id, funnel_id, period, day, rtv_cents, sales_to_date_cents, target_cents, gap_cents,
    factor, probability, updated_at, updated_by, deleted_at FROM indicator_snapshots;
DROP TABLE indicator_snapshots;
ALTER TABLE indicator_snapshots_scoped RENAME TO indicator_snapshots;
