-- The seller's day: dated next steps with a time, a log of activities, the agenda's upkeep
-- flags and the card's timeline.

-- The minute of the day a card's next step is due (0 to 1439, NULL: any time that day); it
-- travels with the card like `next_step_due`.
ALTER TABLE opportunities ADD COLUMN next_step_at INTEGER CHECK (next_step_at IS NULL OR (typeof(next_step_at) = 'integer' AND next_step_at BETWEEN 0 AND 1439));
-- The day of the card's latest live activity, kept by the triggers on `activities` below. Local
-- only: derived here from the synced activities, it never travels and never stamps the card.
ALTER TABLE opportunities ADD COLUMN last_activity INTEGER;

-- What a seller did with the customer (`ActivityKind`), on a day (days since 1970-01-01 like a
-- card's dates) and at a minute of it if known. Synced like the other records of a card.
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    -- The card's 16 bytes (see `card_key`).
    opportunity_id BLOB NOT NULL REFERENCES opportunities(id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'note', 'done')),
    day INTEGER NOT NULL CHECK (typeof(day) = 'integer'),
    at_minute INTEGER CHECK (at_minute IS NULL OR (typeof(at_minute) = 'integer' AND at_minute BETWEEN 0 AND 1439)),
    with_whom TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    hlc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activities_by_opportunity ON activities(opportunity_id, day);

CREATE TRIGGER activities_sync_insert AFTER INSERT ON activities WHEN NEW.hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE activities SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr('', 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr('', 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr('', 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr('', 1, 13) AS INTEGER), CAST(substr('', 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('activities', NEW.id, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activities_sync_update AFTER UPDATE ON activities WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE activities SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('activities', NEW.id, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;

-- `last_activity` follows the card's live activities.
CREATE TRIGGER activities_last_on_insert AFTER INSERT ON activities WHEN NEW.deleted_at IS NULL
BEGIN
    UPDATE opportunities SET last_activity = NEW.day
    WHERE id = NEW.opportunity_id AND (last_activity IS NULL OR last_activity < NEW.day);
END;
CREATE TRIGGER activities_last_on_update AFTER UPDATE OF opportunity_id, day, deleted_at ON activities
BEGIN
    UPDATE opportunities SET last_activity = (SELECT max(day) FROM activities
        WHERE opportunity_id = opportunities.id AND deleted_at IS NULL)
    WHERE id IN (OLD.opportunity_id, NEW.opportunity_id);
END;
CREATE TRIGGER activities_last_on_delete AFTER DELETE ON activities
BEGIN
    UPDATE opportunities SET last_activity = (SELECT max(day) FROM activities
        WHERE opportunity_id = OLD.opportunity_id AND deleted_at IS NULL)
    WHERE id = OLD.opportunity_id;
END;

-- A card is stamped and queued for sync when a column that travels changes: not when only
-- `last_activity` does (nor `hlc`, which the trigger itself writes).
DROP TRIGGER opportunities_sync_update;
CREATE TRIGGER opportunities_sync_update AFTER UPDATE OF id, funnel, title, account, value_cents, stage, status, owner, team, region, territory, product, created, expected_close, closed, lost_reason, next_step, decision_date, budget_cents, problem_cost_cents, decision_criteria, stage_since, period, version, updated_at, updated_by, deleted_at, next_step_due, next_step_at ON opportunities WHEN NEW.hlc IS OLD.hlc AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
BEGIN
    UPDATE opportunities SET hlc = (CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > CAST(substr(OLD.hlc, 1, 13) AS INTEGER) THEN printf('%013d-00000-', CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHEN CAST(substr(OLD.hlc, 15, 5) AS INTEGER) >= 99999 THEN printf('%013d-00000-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER) + 1) ELSE printf('%013d-%05d-', CAST(substr(OLD.hlc, 1, 13) AS INTEGER), CAST(substr(OLD.hlc, 15, 5) AS INTEGER) + 1) END || (SELECT value FROM sync_state WHERE key = 'node')) WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('opportunities', lower(substr(hex(NEW.id), 1, 8) || '-' || substr(hex(NEW.id), 9, 4) || '-' || substr(hex(NEW.id), 13, 4) || '-' || substr(hex(NEW.id), 17, 4) || '-' || substr(hex(NEW.id), 21, 12)), OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
-- Nor does a new activity count a data generation (no kept figure reads it).
DROP TRIGGER generation_on_opportunities_update;
CREATE TRIGGER generation_on_opportunities_update AFTER UPDATE OF id, funnel, title, account, value_cents, stage, status, owner, team, region, territory, product, created, expected_close, closed, lost_reason, next_step, decision_date, budget_cents, problem_cost_cents, decision_criteria, stage_since, period, version, updated_at, updated_by, deleted_at, next_step_due, next_step_at, hlc ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;

-- The upkeep flags' counts without reading every card: per funnel, owner and day, how many
-- open cards have their next step due that day (`what` 0; 1 with day 0: no next step), their
-- expected close (2), were last touched (3: latest of last activity, creation and stage
-- move), or entered their stage (10 + stage). Kept like `totals` (a bulk load drops the
-- triggers and counts again).
CREATE TABLE upkeep_counts (
    funnel INTEGER NOT NULL,
    what INTEGER NOT NULL,
    owner TEXT NOT NULL,
    day INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, what, owner, day)
) WITHOUT ROWID;
INSERT INTO upkeep_counts SELECT funnel, what, owner, day, count(*) FROM (
    SELECT funnel, CASE WHEN next_step_due IS NULL THEN 1 ELSE 0 END AS what, owner, coalesce(next_step_due, 0) AS day FROM opportunities WHERE status = 0 AND deleted_at IS NULL
    UNION ALL SELECT funnel, 2, owner, expected_close FROM opportunities WHERE status = 0 AND deleted_at IS NULL AND expected_close IS NOT NULL
    UNION ALL SELECT funnel, 3, owner, max(coalesce(last_activity, created), created, stage_since) FROM opportunities WHERE status = 0 AND deleted_at IS NULL
    UNION ALL SELECT funnel, 10 + stage, owner, stage_since FROM opportunities WHERE status = 0 AND deleted_at IS NULL)
GROUP BY 1, 2, 3, 4;
CREATE TRIGGER totals_upkeep_on_insert AFTER INSERT ON opportunities WHEN NEW.status = 0 AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO upkeep_counts SELECT funnel, what, owner, day, 1 FROM (
        SELECT NEW.funnel AS funnel, CASE WHEN NEW.next_step_due IS NULL THEN 1 ELSE 0 END AS what, NEW.owner AS owner, coalesce(NEW.next_step_due, 0) AS day
        UNION ALL SELECT NEW.funnel, 2, NEW.owner, NEW.expected_close WHERE NEW.expected_close IS NOT NULL
        UNION ALL SELECT NEW.funnel, 3, NEW.owner, max(coalesce(NEW.last_activity, NEW.created), NEW.created, NEW.stage_since)
        UNION ALL SELECT NEW.funnel, 10 + NEW.stage, NEW.owner, NEW.stage_since) WHERE true
    ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER totals_upkeep_on_delete AFTER DELETE ON opportunities WHEN OLD.status = 0 AND OLD.deleted_at IS NULL
BEGIN
    UPDATE upkeep_counts SET count = count - 1 WHERE (funnel, what, owner, day) IN (
        SELECT OLD.funnel AS funnel, CASE WHEN OLD.next_step_due IS NULL THEN 1 ELSE 0 END AS what, OLD.owner AS owner, coalesce(OLD.next_step_due, 0) AS day
        UNION ALL SELECT OLD.funnel, 2, OLD.owner, OLD.expected_close WHERE OLD.expected_close IS NOT NULL
        UNION ALL SELECT OLD.funnel, 3, OLD.owner, max(coalesce(OLD.last_activity, OLD.created), OLD.created, OLD.stage_since)
        UNION ALL SELECT OLD.funnel, 10 + OLD.stage, OLD.owner, OLD.stage_since);
END;
CREATE TRIGGER totals_upkeep_on_update AFTER UPDATE OF funnel, owner, status, deleted_at, next_step_due, expected_close, stage, stage_since, created, last_activity ON opportunities
WHEN (OLD.funnel, OLD.owner, OLD.status, OLD.deleted_at, OLD.next_step_due, OLD.expected_close, OLD.stage, OLD.stage_since, OLD.created, OLD.last_activity) IS NOT (NEW.funnel, NEW.owner, NEW.status, NEW.deleted_at, NEW.next_step_due, NEW.expected_close, NEW.stage, NEW.stage_since, NEW.created, NEW.last_activity)
BEGIN
    UPDATE upkeep_counts SET count = count - 1 WHERE OLD.status = 0 AND OLD.deleted_at IS NULL AND (funnel, what, owner, day) IN (
        SELECT OLD.funnel AS funnel, CASE WHEN OLD.next_step_due IS NULL THEN 1 ELSE 0 END AS what, OLD.owner AS owner, coalesce(OLD.next_step_due, 0) AS day
        UNION ALL SELECT OLD.funnel, 2, OLD.owner, OLD.expected_close WHERE OLD.expected_close IS NOT NULL
        UNION ALL SELECT OLD.funnel, 3, OLD.owner, max(coalesce(OLD.last_activity, OLD.created), OLD.created, OLD.stage_since)
        UNION ALL SELECT OLD.funnel, 10 + OLD.stage, OLD.owner, OLD.stage_since);
    INSERT INTO upkeep_counts SELECT funnel, what, owner, day, 1 FROM (
        SELECT NEW.funnel AS funnel, CASE WHEN NEW.next_step_due IS NULL THEN 1 ELSE 0 END AS what, NEW.owner AS owner, coalesce(NEW.next_step_due, 0) AS day
        UNION ALL SELECT NEW.funnel, 2, NEW.owner, NEW.expected_close WHERE NEW.expected_close IS NOT NULL
        UNION ALL SELECT NEW.funnel, 3, NEW.owner, max(coalesce(NEW.last_activity, NEW.created), NEW.created, NEW.stage_since)
        UNION ALL SELECT NEW.funnel, 10 + NEW.stage, NEW.owner, NEW.stage_since) WHERE NEW.status = 0 AND NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET count = count + 1;
END;

-- The agenda walks the open cards of a funnel biggest first, reading what decides their flags
-- from the index alone (`status` and `deleted_at` too, which its condition fixes: SQLite
-- would otherwise read each card's row to check them, as for `opportunities_overdue`).
CREATE INDEX opportunities_agenda ON opportunities(funnel, value_cents DESC, id, next_step_due, expected_close, stage, stage_since, created, last_activity, owner, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;
-- A board column of open cards in the order of their expected close or their next step's day
-- (without one: last).
CREATE INDEX opportunities_by_close ON opportunities(funnel, stage, coalesce(expected_close, 2147483647), id, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;
CREATE INDEX opportunities_by_next_step ON opportunities(funnel, stage, coalesce(next_step_due, 2147483647), id, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;

-- Changes to the fields a card's timeline shows (`field`: 0 title, 1 value, 2 expected close,
-- 3 owner, 4 next step, 5 its day, 6 its minute), with their old and new values, when (the
-- card's `updated_at`) and by whom. Local: pulled changes are recorded as they are applied.
CREATE TABLE card_changes (
    opportunity_id BLOB NOT NULL REFERENCES opportunities(id),
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    field INTEGER NOT NULL,
    old,
    new
);
CREATE INDEX card_changes_by_opportunity ON card_changes(opportunity_id, at);
CREATE TRIGGER card_changes_on_update AFTER UPDATE OF title, value_cents, expected_close, owner, next_step, next_step_due, next_step_at ON opportunities
BEGIN
    INSERT INTO card_changes (opportunity_id, at, by, field, old, new)
    SELECT NEW.id, NEW.updated_at, NEW.updated_by, field, old, new FROM (
        SELECT 0 AS field, OLD.title AS old, NEW.title AS new
        UNION ALL SELECT 1, OLD.value_cents, NEW.value_cents
        UNION ALL SELECT 2, OLD.expected_close, NEW.expected_close
        UNION ALL SELECT 3, OLD.owner, NEW.owner
        UNION ALL SELECT 4, OLD.next_step, NEW.next_step
        UNION ALL SELECT 5, OLD.next_step_due, NEW.next_step_due
        UNION ALL SELECT 6, OLD.next_step_at, NEW.next_step_at)
    WHERE old IS NOT new;
END;

-- What a funnel's board remembers here (its order, its filters), as text the app reads.
-- Local, not synced.
CREATE TABLE funnel_settings (
    funnel INTEGER NOT NULL REFERENCES funnels(key),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (funnel, name)
) WITHOUT ROWID;
