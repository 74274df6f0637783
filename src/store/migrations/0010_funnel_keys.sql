
CREATE TEMP TABLE funnels_by_id AS SELECT * FROM funnels;
DROP TABLE funnels;
CREATE TABLE funnels (
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    fiscal_start INTEGER NOT NULL DEFAULT 1 CHECK (fiscal_start BETWEEN 1 AND 12),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    hlc TEXT NOT NULL DEFAULT '',
    -- Local only: what the cards and the sums name the funnel by.
    key INTEGER PRIMARY KEY
);
INSERT INTO funnels (id, name, currency, fiscal_start, updated_at, updated_by, deleted_at, hlc)
SELECT id, name, currency, fiscal_start, updated_at, updated_by, deleted_at, hlc
FROM temp.funnels_by_id;
DROP TABLE temp.funnels_by_id;
CREATE UNIQUE INDEX funnels_by_name ON funnels(name) WHERE deleted_at IS NULL;

-- The history's triggers read the cards: they go before the cards' table, and come back with
-- the other triggers below.
DROP TRIGGER history_sums_event_insert;
DROP TRIGGER history_sums_event_insert_earlier;
DROP TRIGGER history_sums_event_update;
DROP TRIGGER history_sums_event_delete;
CREATE TABLE opportunities_keyed (
    id TEXT PRIMARY KEY NOT NULL,
    funnel INTEGER NOT NULL REFERENCES funnels(key),
    title TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    value_cents INTEGER NOT NULL CHECK (value_cents >= 0),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),
    owner TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    territory TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    -- Days since 1970-01-01 (see the step's comment); a date written as text is refused
    -- rather than sorted after every number.
    created INTEGER NOT NULL CHECK (typeof(created) = 'integer'),
    expected_close INTEGER CHECK (typeof(expected_close) IN ('integer', 'null')),
    closed INTEGER CHECK (typeof(closed) IN ('integer', 'null')),
    lost_reason TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    decision_date INTEGER CHECK (typeof(decision_date) IN ('integer', 'null')),
    budget_cents INTEGER,
    problem_cost_cents INTEGER,
    decision_criteria TEXT NOT NULL DEFAULT '',
    stage_since INTEGER NOT NULL CHECK (typeof(stage_since) = 'integer'),
    period INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    hlc TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
INSERT INTO opportunities_keyed
SELECT id, (SELECT key FROM funnels f WHERE f.id = o.funnel_id), title, account, value_cents,
       stage, status, owner, team, region, territory, product, unixepoch(created) / 86400,
       unixepoch(expected_close) / 86400, unixepoch(closed) / 86400, lost_reason, next_step,
       unixepoch(decision_date) / 86400, budget_cents, problem_cost_cents, decision_criteria,
       unixepoch(stage_since) / 86400, period, version, updated_at, updated_by, deleted_at, hlc
FROM opportunities o;
DROP TABLE opportunities;
ALTER TABLE opportunities_keyed RENAME TO opportunities;
CREATE TEMP TABLE totals_by_id AS SELECT * FROM totals
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.totals_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE totals;

CREATE TABLE totals (
    funnel INTEGER NOT NULL,
    period INTEGER NOT NULL,
    status INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    owner TEXT NOT NULL,
    count INTEGER NOT NULL,
    value_cents INTEGER NOT NULL,
    PRIMARY KEY (funnel, period, status, stage, owner)
) WITHOUT ROWID;
INSERT INTO totals SELECT * FROM temp.totals_by_id;
DROP TABLE temp.totals_by_id;
CREATE TEMP TABLE group_totals_by_id AS SELECT * FROM group_totals
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.group_totals_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE group_totals;

CREATE TABLE group_totals (funnel INTEGER NOT NULL, period INTEGER NOT NULL, status INTEGER NOT NULL, viable INTEGER NOT NULL, owner TEXT NOT NULL, team TEXT NOT NULL, region TEXT NOT NULL, territory TEXT NOT NULL, count INTEGER NOT NULL, value_cents INTEGER NOT NULL, PRIMARY KEY (funnel, period, status, viable, owner, team, region, territory)) WITHOUT ROWID;
INSERT INTO group_totals SELECT * FROM temp.group_totals_by_id;
DROP TABLE temp.group_totals_by_id;
CREATE TEMP TABLE open_value_counts_by_id AS SELECT * FROM open_value_counts
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.open_value_counts_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE open_value_counts;

CREATE TABLE open_value_counts (funnel INTEGER NOT NULL, period INTEGER NOT NULL, stage INTEGER NOT NULL, value_cents INTEGER NOT NULL, owner TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (funnel, period, stage, value_cents, owner)) WITHOUT ROWID;
INSERT INTO open_value_counts SELECT * FROM temp.open_value_counts_by_id;
DROP TABLE temp.open_value_counts_by_id;
CREATE TEMP TABLE account_totals_by_id AS SELECT * FROM account_totals
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.account_totals_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE account_totals;

CREATE TABLE account_totals (funnel INTEGER NOT NULL, period INTEGER NOT NULL, account TEXT NOT NULL, owner TEXT NOT NULL, count INTEGER NOT NULL, value_cents INTEGER NOT NULL, PRIMARY KEY (funnel, period, account, owner)) WITHOUT ROWID;
INSERT INTO account_totals SELECT * FROM temp.account_totals_by_id;
DROP TABLE temp.account_totals_by_id;
DROP TABLE history_paths;
CREATE TEMP TABLE journey_counts_by_id AS SELECT * FROM journey_counts
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.journey_counts_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE journey_counts;
CREATE TEMP TABLE stage_day_counts_by_id AS SELECT * FROM stage_day_counts
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.stage_day_counts_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE stage_day_counts;
CREATE TEMP TABLE purchase_day_counts_by_id AS SELECT * FROM purchase_day_counts
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.purchase_day_counts_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE purchase_day_counts;

CREATE TABLE journey_counts (
    funnel INTEGER NOT NULL,
    owner TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    status INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, owner, first, last, status)
) WITHOUT ROWID;
CREATE TABLE stage_day_counts (
    funnel INTEGER NOT NULL,
    owner TEXT NOT NULL,
    stage INTEGER NOT NULL,
    days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, owner, stage, days)
) WITHOUT ROWID;
CREATE TABLE purchase_day_counts (
    funnel INTEGER NOT NULL,
    owner TEXT NOT NULL,
    days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, owner, days)
) WITHOUT ROWID;
-- Per card, of its events not deleted: the lowest stage a 'created' event went to, the lowest
-- and highest stage any went to (NULL without events) and the latest by (at, id), whether it
-- starts a visit. A card without a row has not been needed since the last bulk load.
CREATE TABLE history_paths (
    opportunity_id TEXT PRIMARY KEY NOT NULL,
    created INTEGER,
    lowest INTEGER,
    highest INTEGER,
    last_at TEXT,
    last_id TEXT,
    last_stage INTEGER,
    last_opens INTEGER
) WITHOUT ROWID;
INSERT INTO journey_counts SELECT * FROM temp.journey_counts_by_id;
DROP TABLE temp.journey_counts_by_id;
INSERT INTO stage_day_counts SELECT * FROM temp.stage_day_counts_by_id;
DROP TABLE temp.stage_day_counts_by_id;
INSERT INTO purchase_day_counts SELECT * FROM temp.purchase_day_counts_by_id;
DROP TABLE temp.purchase_day_counts_by_id;

CREATE INDEX opportunities_board ON opportunities(funnel, status, stage, value_cents DESC, id)
    WHERE deleted_at IS NULL;
-- The stale list's: a funnel's open cards of a stage in the order they entered it. The funnel
-- takes a byte now; the seller (about 11) is read from the card, only for a seller's list.
CREATE INDEX opportunities_overdue
    ON opportunities(funnel, stage, stage_since, id, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;

CREATE TRIGGER totals_on_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO totals VALUES (NEW.funnel, NEW.period, NEW.status, NEW.stage, NEW.owner, 1, NEW.value_cents)
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;
CREATE TRIGGER totals_on_delete AFTER DELETE ON opportunities WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE totals SET count = count - 1, value_cents = value_cents - OLD.value_cents
    WHERE funnel = OLD.funnel AND period = OLD.period AND status = OLD.status
      AND stage = OLD.stage AND owner = OLD.owner;
END;
CREATE TRIGGER totals_on_update
AFTER UPDATE OF funnel, period, status, stage, owner, value_cents, deleted_at ON opportunities
BEGIN
    UPDATE totals SET count = count - 1, value_cents = value_cents - OLD.value_cents
    WHERE OLD.deleted_at IS NULL AND funnel = OLD.funnel AND period = OLD.period
      AND status = OLD.status AND stage = OLD.stage AND owner = OLD.owner;
    INSERT INTO totals
    SELECT NEW.funnel, NEW.period, NEW.status, NEW.stage, NEW.owner, 1, NEW.value_cents
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;

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
CREATE TRIGGER generation_on_opportunities_insert AFTER insert ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_opportunities_update AFTER update ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_opportunities_delete AFTER delete ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;

CREATE TRIGGER history_sums_card_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN
INSERT INTO journey_counts SELECT NEW.funnel, NEW.owner, coalesce(r.created, r.lowest, NEW.stage), max(coalesce(r.highest, NEW.stage), NEW.stage), NEW.status, 1 FROM (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = NEW.id AND deleted_at IS NULL AND id IS NOT NULL
         ) r
                 WHERE true AND NEW.deleted_at IS NULL 
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT NEW.funnel, NEW.owner, stage, days, 1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = NEW.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE NEW.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO purchase_day_counts SELECT NEW.funnel, NEW.owner, NEW.closed - NEW.created, 1
         WHERE NEW.deleted_at IS NULL AND NEW.status = 1 AND NEW.closed >= NEW.created
           AND NEW.closed - NEW.created IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_path
AFTER UPDATE OF funnel, owner, stage, status, deleted_at ON opportunities
WHEN (OLD.funnel, OLD.owner, OLD.status, OLD.deleted_at IS NULL) IS NOT (NEW.funnel, NEW.owner, NEW.status, NEW.deleted_at IS NULL)
  OR OLD.stage IS NOT NEW.stage AND max(OLD.stage, NEW.stage)
     > coalesce((SELECT highest FROM history_paths WHERE opportunity_id = NEW.id), -1)
BEGIN
INSERT INTO history_paths
         SELECT c.id, (SELECT min(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NULL AND e.kind = 'created'),
                (SELECT min(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NULL), (SELECT max(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NULL),
                l.at, l.id, l.to_stage, (l.kind = 'created' OR l.kind = 'moved' OR l.kind = 'reopened')
         FROM opportunities c LEFT JOIN stage_events l
              ON l.id = (SELECT e.id FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)
         WHERE c.id = NEW.id
           AND NOT EXISTS (SELECT 1 FROM history_paths h WHERE h.opportunity_id = c.id);
INSERT INTO journey_counts SELECT OLD.funnel, OLD.owner, coalesce(m.created, m.lowest, OLD.stage), max(coalesce(m.highest, OLD.stage), OLD.stage), OLD.status, -1 FROM history_paths m
                 WHERE m.opportunity_id = NEW.id AND OLD.deleted_at IS NULL AND (OLD.deleted_at IS NULL, OLD.funnel, OLD.owner, coalesce(m.created, m.lowest, OLD.stage), max(coalesce(m.highest, OLD.stage), OLD.stage), OLD.status) IS NOT (NEW.deleted_at IS NULL, NEW.funnel, NEW.owner, coalesce(m.created, m.lowest, NEW.stage), max(coalesce(m.highest, NEW.stage), NEW.stage), NEW.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT NEW.funnel, NEW.owner, coalesce(m.created, m.lowest, NEW.stage), max(coalesce(m.highest, NEW.stage), NEW.stage), NEW.status, 1 FROM history_paths m
                 WHERE m.opportunity_id = NEW.id AND NEW.deleted_at IS NULL AND (OLD.deleted_at IS NULL, OLD.funnel, OLD.owner, coalesce(m.created, m.lowest, OLD.stage), max(coalesce(m.highest, OLD.stage), OLD.stage), OLD.status) IS NOT (NEW.deleted_at IS NULL, NEW.funnel, NEW.owner, coalesce(m.created, m.lowest, NEW.stage), max(coalesce(m.highest, NEW.stage), NEW.stage), NEW.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_visits
AFTER UPDATE OF funnel, owner, deleted_at ON opportunities WHEN (OLD.funnel, OLD.owner, OLD.deleted_at IS NULL) IS NOT (NEW.funnel, NEW.owner, NEW.deleted_at IS NULL)
BEGIN
INSERT INTO stage_day_counts
         SELECT OLD.funnel, OLD.owner, stage, days, -1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = OLD.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE OLD.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT NEW.funnel, NEW.owner, stage, days, 1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = NEW.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE NEW.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_purchase
AFTER UPDATE OF funnel, owner, status, closed, created, deleted_at ON opportunities
WHEN (OLD.funnel, OLD.owner, OLD.status, OLD.closed, OLD.created, OLD.deleted_at IS NULL) IS NOT (NEW.funnel, NEW.owner, NEW.status, NEW.closed, NEW.created, NEW.deleted_at IS NULL)
BEGIN
INSERT INTO purchase_day_counts SELECT OLD.funnel, OLD.owner, OLD.closed - OLD.created, -1
         WHERE OLD.deleted_at IS NULL AND OLD.status = 1 AND OLD.closed >= OLD.created
           AND OLD.closed - OLD.created IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO purchase_day_counts SELECT NEW.funnel, NEW.owner, NEW.closed - NEW.created, 1
         WHERE NEW.deleted_at IS NULL AND NEW.status = 1 AND NEW.closed >= NEW.created
           AND NEW.closed - NEW.created IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_delete AFTER DELETE ON opportunities
BEGIN
INSERT INTO journey_counts SELECT OLD.funnel, OLD.owner, coalesce(r.created, r.lowest, OLD.stage), max(coalesce(r.highest, OLD.stage), OLD.stage), OLD.status, -1 FROM (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = OLD.id AND deleted_at IS NULL AND id IS NOT NULL
         ) r
                 WHERE true AND OLD.deleted_at IS NULL 
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT OLD.funnel, OLD.owner, stage, days, -1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = OLD.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE OLD.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO purchase_day_counts SELECT OLD.funnel, OLD.owner, OLD.closed - OLD.created, -1
         WHERE OLD.deleted_at IS NULL AND OLD.status = 1 AND OLD.closed >= OLD.created
           AND OLD.closed - OLD.created IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;

DELETE FROM history_paths WHERE opportunity_id = OLD.id;
END;
CREATE TRIGGER history_sums_event_insert AFTER INSERT ON stage_events WHEN NEW.deleted_at IS NULL
BEGIN
INSERT INTO history_paths
         SELECT c.id, (SELECT min(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id AND e.kind = 'created'),
                (SELECT min(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id), (SELECT max(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id),
                l.at, l.id, l.to_stage, (l.kind = 'created' OR l.kind = 'moved' OR l.kind = 'reopened')
         FROM opportunities c LEFT JOIN stage_events l
              ON l.id = (SELECT e.id FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
         WHERE c.id = NEW.opportunity_id
           AND NOT EXISTS (SELECT 1 FROM history_paths h WHERE h.opportunity_id = c.id);
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status, -1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE true AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status, 1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE true AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, m.last_stage, CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER), 1
         FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
         WHERE true AND m.opportunity_id = NEW.opportunity_id AND o.deleted_at IS NULL AND m.last_opens
           AND (NEW.at, NEW.id) > (m.last_at, m.last_id) AND CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER) IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
UPDATE history_paths SET created = iif(NEW.kind = 'created', min(coalesce(created, NEW.to_stage), NEW.to_stage), created), lowest = min(coalesce(lowest, NEW.to_stage), NEW.to_stage), highest = max(coalesce(highest, NEW.to_stage), NEW.to_stage),
            last_at = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), NEW.at, last_at), last_id = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), NEW.id, last_id),
            last_stage = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), NEW.to_stage, last_stage),
            last_opens = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), (NEW.kind = 'created' OR NEW.kind = 'moved' OR NEW.kind = 'reopened'), last_opens)
         WHERE true AND opportunity_id = NEW.opportunity_id;
END;
CREATE TRIGGER history_sums_event_insert_earlier AFTER INSERT ON stage_events
WHEN NEW.deleted_at IS NULL AND (EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = NEW.opportunity_id AND (NEW.at, NEW.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = NEW.opportunity_id)
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
                           AND at >= NEW.at AND (at > NEW.at OR id > NEW.id)))
BEGIN
INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
             SELECT p.to_stage AS stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER) AS days, -1 AS n FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at <= NEW.at AND (at < NEW.at OR id < NEW.id)
          ORDER BY at DESC, id DESC LIMIT 1) p JOIN (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at >= NEW.at AND (at > NEW.at OR id > NEW.id)
          ORDER BY at ASC, id ASC LIMIT 1) s
             WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT p.to_stage, CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER), 1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at <= NEW.at AND (at < NEW.at OR id < NEW.id)
          ORDER BY at DESC, id DESC LIMIT 1) p WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT NEW.to_stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(NEW.at, 1, 10)) AS INTEGER), 1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at >= NEW.at AND (at > NEW.at OR id > NEW.id)
          ORDER BY at ASC, id ASC LIMIT 1) s WHERE (NEW.kind = 'created' OR NEW.kind = 'moved' OR NEW.kind = 'reopened')
         ) v
         WHERE true AND o.id = NEW.opportunity_id AND o.deleted_at IS NULL AND v.days IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_event_update
AFTER UPDATE OF opportunity_id, at, kind, to_stage, deleted_at ON stage_events
WHEN (OLD.opportunity_id, OLD.at, OLD.kind, OLD.to_stage, OLD.deleted_at IS NULL) IS NOT (NEW.opportunity_id, NEW.at, NEW.kind, NEW.to_stage, NEW.deleted_at IS NULL)
BEGIN
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status, -1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE OLD.deleted_at IS NULL AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status, 1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE OLD.deleted_at IS NULL AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
             SELECT p.to_stage AS stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER) AS days, 1 AS n FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at <= OLD.at AND (at < OLD.at OR id < OLD.id)
          ORDER BY at DESC, id DESC LIMIT 1) p JOIN (SELECT at, to_stage, kind FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at >= OLD.at AND (at > OLD.at OR id > OLD.id)
          ORDER BY at ASC, id ASC LIMIT 1) s
             WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT p.to_stage, CAST(julianday(substr(OLD.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER), -1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at <= OLD.at AND (at < OLD.at OR id < OLD.id)
          ORDER BY at DESC, id DESC LIMIT 1) p WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT OLD.to_stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(OLD.at, 1, 10)) AS INTEGER), -1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at >= OLD.at AND (at > OLD.at OR id > OLD.id)
          ORDER BY at ASC, id ASC LIMIT 1) s WHERE (OLD.kind = 'created' OR OLD.kind = 'moved' OR OLD.kind = 'reopened')
         ) v
         WHERE OLD.deleted_at IS NULL AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND v.days IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
DELETE FROM history_paths WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id;
INSERT INTO history_paths
         SELECT c.id, (SELECT min(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id AND e.kind = 'created'),
                (SELECT min(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id), (SELECT max(e.to_stage) FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id),
                l.at, l.id, l.to_stage, (l.kind = 'created' OR l.kind = 'moved' OR l.kind = 'reopened')
         FROM opportunities c LEFT JOIN stage_events l
              ON l.id = (SELECT e.id FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT NEW.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
         WHERE c.id = NEW.opportunity_id
           AND NOT EXISTS (SELECT 1 FROM history_paths h WHERE h.opportunity_id = c.id);
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status, -1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE NEW.deleted_at IS NULL AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status, 1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE NEW.deleted_at IS NULL AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, m.last_stage, CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER), 1
         FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
         WHERE NEW.deleted_at IS NULL AND m.opportunity_id = NEW.opportunity_id AND o.deleted_at IS NULL AND m.last_opens
           AND (NEW.at, NEW.id) > (m.last_at, m.last_id) AND CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER) IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
             SELECT p.to_stage AS stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER) AS days, -1 AS n FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE NEW.deleted_at IS NULL AND (EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = NEW.opportunity_id AND (NEW.at, NEW.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = NEW.opportunity_id)
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
                           AND at >= NEW.at AND (at > NEW.at OR id > NEW.id))) AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at <= NEW.at AND (at < NEW.at OR id < NEW.id)
          ORDER BY at DESC, id DESC LIMIT 1) p JOIN (SELECT at, to_stage, kind FROM stage_events
          WHERE NEW.deleted_at IS NULL AND (EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = NEW.opportunity_id AND (NEW.at, NEW.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = NEW.opportunity_id)
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
                           AND at >= NEW.at AND (at > NEW.at OR id > NEW.id))) AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at >= NEW.at AND (at > NEW.at OR id > NEW.id)
          ORDER BY at ASC, id ASC LIMIT 1) s
             WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT p.to_stage, CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER), 1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE NEW.deleted_at IS NULL AND (EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = NEW.opportunity_id AND (NEW.at, NEW.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = NEW.opportunity_id)
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
                           AND at >= NEW.at AND (at > NEW.at OR id > NEW.id))) AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at <= NEW.at AND (at < NEW.at OR id < NEW.id)
          ORDER BY at DESC, id DESC LIMIT 1) p WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT NEW.to_stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(NEW.at, 1, 10)) AS INTEGER), 1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE NEW.deleted_at IS NULL AND (EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = NEW.opportunity_id AND (NEW.at, NEW.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = NEW.opportunity_id)
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
                           AND at >= NEW.at AND (at > NEW.at OR id > NEW.id))) AND opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
            AND at >= NEW.at AND (at > NEW.at OR id > NEW.id)
          ORDER BY at ASC, id ASC LIMIT 1) s WHERE (NEW.kind = 'created' OR NEW.kind = 'moved' OR NEW.kind = 'reopened')
         ) v
         WHERE NEW.deleted_at IS NULL AND (EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = NEW.opportunity_id AND (NEW.at, NEW.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = NEW.opportunity_id)
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = NEW.opportunity_id AND deleted_at IS NULL AND id <> NEW.id
                           AND at >= NEW.at AND (at > NEW.at OR id > NEW.id))) AND o.id = NEW.opportunity_id AND o.deleted_at IS NULL AND v.days IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
UPDATE history_paths SET created = iif(NEW.kind = 'created', min(coalesce(created, NEW.to_stage), NEW.to_stage), created), lowest = min(coalesce(lowest, NEW.to_stage), NEW.to_stage), highest = max(coalesce(highest, NEW.to_stage), NEW.to_stage),
            last_at = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), NEW.at, last_at), last_id = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), NEW.id, last_id),
            last_stage = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), NEW.to_stage, last_stage),
            last_opens = iif(last_at IS NULL OR (NEW.at, NEW.id) > (last_at, last_id), (NEW.kind = 'created' OR NEW.kind = 'moved' OR NEW.kind = 'reopened'), last_opens)
         WHERE NEW.deleted_at IS NULL AND opportunity_id = NEW.opportunity_id;
END;
CREATE TRIGGER history_sums_event_delete AFTER DELETE ON stage_events WHEN OLD.deleted_at IS NULL
BEGIN
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status, -1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE true AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status, 1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE true AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
             SELECT p.to_stage AS stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER) AS days, 1 AS n FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at <= OLD.at AND (at < OLD.at OR id < OLD.id)
          ORDER BY at DESC, id DESC LIMIT 1) p JOIN (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at >= OLD.at AND (at > OLD.at OR id > OLD.id)
          ORDER BY at ASC, id ASC LIMIT 1) s
             WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT p.to_stage, CAST(julianday(substr(OLD.at, 1, 10)) - julianday(substr(p.at, 1, 10)) AS INTEGER), -1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at <= OLD.at AND (at < OLD.at OR id < OLD.id)
          ORDER BY at DESC, id DESC LIMIT 1) p WHERE (p.kind = 'created' OR p.kind = 'moved' OR p.kind = 'reopened')
             UNION ALL SELECT OLD.to_stage, CAST(julianday(substr(s.at, 1, 10)) - julianday(substr(OLD.at, 1, 10)) AS INTEGER), -1 FROM (SELECT at, to_stage, kind FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id <> OLD.id
            AND at >= OLD.at AND (at > OLD.at OR id > OLD.id)
          ORDER BY at ASC, id ASC LIMIT 1) s WHERE (OLD.kind = 'created' OR OLD.kind = 'moved' OR OLD.kind = 'reopened')
         ) v
         WHERE true AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND v.days IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
DELETE FROM history_paths WHERE true AND opportunity_id = OLD.opportunity_id;
END;

CREATE TRIGGER totals_breakdown_on_insert AFTER INSERT ON opportunities
BEGIN
    INSERT INTO group_totals SELECT NEW.funnel, NEW.period, NEW.status, NEW.stage >= 3, NEW.owner, NEW.team, NEW.region, NEW.territory, 1, NEW.value_cents WHERE NEW.deleted_at IS NULL AND true AND true
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
INSERT INTO open_value_counts SELECT NEW.funnel, NEW.period, NEW.stage, NEW.value_cents, NEW.owner, 1 WHERE NEW.deleted_at IS NULL AND NEW.status = 0 AND true
    ON CONFLICT DO UPDATE SET count = count + 1;
INSERT INTO account_totals SELECT NEW.funnel, NEW.period, NEW.account, NEW.owner, 1, NEW.value_cents WHERE NEW.deleted_at IS NULL AND NEW.status = 0 AND NEW.stage >= 3 AND NEW.account <> '' AND true
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;
CREATE TRIGGER totals_breakdown_on_delete AFTER DELETE ON opportunities
BEGIN
    DELETE FROM group_totals WHERE OLD.deleted_at IS NULL AND true AND funnel = (OLD.funnel) AND period = (OLD.period) AND status = (OLD.status) AND viable = (OLD.stage >= 3) AND owner = (OLD.owner) AND team = (OLD.team) AND region = (OLD.region) AND territory = (OLD.territory) AND true AND count = 1;
    UPDATE group_totals SET count = count - 1, value_cents = value_cents - OLD.value_cents WHERE OLD.deleted_at IS NULL AND true AND funnel = (OLD.funnel) AND period = (OLD.period) AND status = (OLD.status) AND viable = (OLD.stage >= 3) AND owner = (OLD.owner) AND team = (OLD.team) AND region = (OLD.region) AND territory = (OLD.territory) AND true;
DELETE FROM open_value_counts WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND funnel = (OLD.funnel) AND period = (OLD.period) AND stage = (OLD.stage) AND value_cents = (OLD.value_cents) AND owner = (OLD.owner) AND true AND count = 1;
    UPDATE open_value_counts SET count = count - 1 WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND funnel = (OLD.funnel) AND period = (OLD.period) AND stage = (OLD.stage) AND value_cents = (OLD.value_cents) AND owner = (OLD.owner) AND true;
DELETE FROM account_totals WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '' AND funnel = (OLD.funnel) AND period = (OLD.period) AND account = (OLD.account) AND owner = (OLD.owner) AND true AND count = 1;
    UPDATE account_totals SET count = count - 1, value_cents = value_cents - OLD.value_cents WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '' AND funnel = (OLD.funnel) AND period = (OLD.period) AND account = (OLD.account) AND owner = (OLD.owner) AND true;
END;
CREATE TRIGGER totals_breakdown_on_update AFTER UPDATE OF funnel, period, status, stage,
    owner, team, region, territory, account, value_cents, deleted_at ON opportunities
BEGIN
    DELETE FROM group_totals WHERE OLD.deleted_at IS NULL AND true AND funnel = (OLD.funnel) AND period = (OLD.period) AND status = (OLD.status) AND viable = (OLD.stage >= 3) AND owner = (OLD.owner) AND team = (OLD.team) AND region = (OLD.region) AND territory = (OLD.territory) AND NOT ((OLD.deleted_at IS NULL AND true) IS (NEW.deleted_at IS NULL AND true) AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.status) IS (NEW.status) AND (OLD.stage >= 3) IS (NEW.stage >= 3) AND (OLD.owner) IS (NEW.owner) AND (OLD.team) IS (NEW.team) AND (OLD.region) IS (NEW.region) AND (OLD.territory) IS (NEW.territory) AND OLD.value_cents IS NEW.value_cents) AND count = 1;
    UPDATE group_totals SET count = count - 1, value_cents = value_cents - OLD.value_cents WHERE OLD.deleted_at IS NULL AND true AND funnel = (OLD.funnel) AND period = (OLD.period) AND status = (OLD.status) AND viable = (OLD.stage >= 3) AND owner = (OLD.owner) AND team = (OLD.team) AND region = (OLD.region) AND territory = (OLD.territory) AND NOT ((OLD.deleted_at IS NULL AND true) IS (NEW.deleted_at IS NULL AND true) AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.status) IS (NEW.status) AND (OLD.stage >= 3) IS (NEW.stage >= 3) AND (OLD.owner) IS (NEW.owner) AND (OLD.team) IS (NEW.team) AND (OLD.region) IS (NEW.region) AND (OLD.territory) IS (NEW.territory) AND OLD.value_cents IS NEW.value_cents);
    INSERT INTO group_totals SELECT NEW.funnel, NEW.period, NEW.status, NEW.stage >= 3, NEW.owner, NEW.team, NEW.region, NEW.territory, 1, NEW.value_cents WHERE NEW.deleted_at IS NULL AND true AND NOT ((OLD.deleted_at IS NULL AND true) IS (NEW.deleted_at IS NULL AND true) AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.status) IS (NEW.status) AND (OLD.stage >= 3) IS (NEW.stage >= 3) AND (OLD.owner) IS (NEW.owner) AND (OLD.team) IS (NEW.team) AND (OLD.region) IS (NEW.region) AND (OLD.territory) IS (NEW.territory) AND OLD.value_cents IS NEW.value_cents)
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
DELETE FROM open_value_counts WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND funnel = (OLD.funnel) AND period = (OLD.period) AND stage = (OLD.stage) AND value_cents = (OLD.value_cents) AND owner = (OLD.owner) AND NOT ((OLD.deleted_at IS NULL AND OLD.status = 0) IS (NEW.deleted_at IS NULL AND NEW.status = 0) AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.stage) IS (NEW.stage) AND (OLD.value_cents) IS (NEW.value_cents) AND (OLD.owner) IS (NEW.owner)) AND count = 1;
    UPDATE open_value_counts SET count = count - 1 WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND funnel = (OLD.funnel) AND period = (OLD.period) AND stage = (OLD.stage) AND value_cents = (OLD.value_cents) AND owner = (OLD.owner) AND NOT ((OLD.deleted_at IS NULL AND OLD.status = 0) IS (NEW.deleted_at IS NULL AND NEW.status = 0) AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.stage) IS (NEW.stage) AND (OLD.value_cents) IS (NEW.value_cents) AND (OLD.owner) IS (NEW.owner));
    INSERT INTO open_value_counts SELECT NEW.funnel, NEW.period, NEW.stage, NEW.value_cents, NEW.owner, 1 WHERE NEW.deleted_at IS NULL AND NEW.status = 0 AND NOT ((OLD.deleted_at IS NULL AND OLD.status = 0) IS (NEW.deleted_at IS NULL AND NEW.status = 0) AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.stage) IS (NEW.stage) AND (OLD.value_cents) IS (NEW.value_cents) AND (OLD.owner) IS (NEW.owner))
    ON CONFLICT DO UPDATE SET count = count + 1;
DELETE FROM account_totals WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '' AND funnel = (OLD.funnel) AND period = (OLD.period) AND account = (OLD.account) AND owner = (OLD.owner) AND NOT ((OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '') IS (NEW.deleted_at IS NULL AND NEW.status = 0 AND NEW.stage >= 3 AND NEW.account <> '') AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.account) IS (NEW.account) AND (OLD.owner) IS (NEW.owner) AND OLD.value_cents IS NEW.value_cents) AND count = 1;
    UPDATE account_totals SET count = count - 1, value_cents = value_cents - OLD.value_cents WHERE OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '' AND funnel = (OLD.funnel) AND period = (OLD.period) AND account = (OLD.account) AND owner = (OLD.owner) AND NOT ((OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '') IS (NEW.deleted_at IS NULL AND NEW.status = 0 AND NEW.stage >= 3 AND NEW.account <> '') AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.account) IS (NEW.account) AND (OLD.owner) IS (NEW.owner) AND OLD.value_cents IS NEW.value_cents);
    INSERT INTO account_totals SELECT NEW.funnel, NEW.period, NEW.account, NEW.owner, 1, NEW.value_cents WHERE NEW.deleted_at IS NULL AND NEW.status = 0 AND NEW.stage >= 3 AND NEW.account <> '' AND NOT ((OLD.deleted_at IS NULL AND OLD.status = 0 AND OLD.stage >= 3 AND OLD.account <> '') IS (NEW.deleted_at IS NULL AND NEW.status = 0 AND NEW.stage >= 3 AND NEW.account <> '') AND (OLD.funnel) IS (NEW.funnel) AND (OLD.period) IS (NEW.period) AND (OLD.account) IS (NEW.account) AND (OLD.owner) IS (NEW.owner) AND OLD.value_cents IS NEW.value_cents)
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;
