
CREATE TABLE journey_counts (
    funnel_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    status INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel_id, owner, first, last, status)
) WITHOUT ROWID;
CREATE TABLE stage_day_counts (
    funnel_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    stage INTEGER NOT NULL,
    days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel_id, owner, stage, days)
) WITHOUT ROWID;
CREATE TABLE purchase_day_counts (
    funnel_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel_id, owner, days)
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

CREATE TRIGGER history_sums_card_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN
INSERT INTO journey_counts SELECT NEW.funnel_id, NEW.owner, coalesce(r.created, r.lowest, NEW.stage), max(coalesce(r.highest, NEW.stage), NEW.stage), NEW.status, 1 FROM (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = NEW.id AND deleted_at IS NULL AND id IS NOT NULL
         ) r
                 WHERE true AND NEW.deleted_at IS NULL 
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT NEW.funnel_id, NEW.owner, stage, days, 1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = NEW.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE NEW.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO purchase_day_counts SELECT NEW.funnel_id, NEW.owner, CAST(julianday(NEW.closed) - julianday(NEW.created) AS INTEGER), 1
         WHERE NEW.deleted_at IS NULL AND NEW.status = 1 AND NEW.closed >= NEW.created
           AND CAST(julianday(NEW.closed) - julianday(NEW.created) AS INTEGER) IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_path
AFTER UPDATE OF funnel_id, owner, stage, status, deleted_at ON opportunities
WHEN (OLD.funnel_id, OLD.owner, OLD.status, OLD.deleted_at IS NULL) IS NOT (NEW.funnel_id, NEW.owner, NEW.status, NEW.deleted_at IS NULL)
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
INSERT INTO journey_counts SELECT OLD.funnel_id, OLD.owner, coalesce(m.created, m.lowest, OLD.stage), max(coalesce(m.highest, OLD.stage), OLD.stage), OLD.status, -1 FROM history_paths m
                 WHERE m.opportunity_id = NEW.id AND OLD.deleted_at IS NULL AND (OLD.deleted_at IS NULL, OLD.funnel_id, OLD.owner, coalesce(m.created, m.lowest, OLD.stage), max(coalesce(m.highest, OLD.stage), OLD.stage), OLD.status) IS NOT (NEW.deleted_at IS NULL, NEW.funnel_id, NEW.owner, coalesce(m.created, m.lowest, NEW.stage), max(coalesce(m.highest, NEW.stage), NEW.stage), NEW.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT NEW.funnel_id, NEW.owner, coalesce(m.created, m.lowest, NEW.stage), max(coalesce(m.highest, NEW.stage), NEW.stage), NEW.status, 1 FROM history_paths m
                 WHERE m.opportunity_id = NEW.id AND NEW.deleted_at IS NULL AND (OLD.deleted_at IS NULL, OLD.funnel_id, OLD.owner, coalesce(m.created, m.lowest, OLD.stage), max(coalesce(m.highest, OLD.stage), OLD.stage), OLD.status) IS NOT (NEW.deleted_at IS NULL, NEW.funnel_id, NEW.owner, coalesce(m.created, m.lowest, NEW.stage), max(coalesce(m.highest, NEW.stage), NEW.stage), NEW.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_visits
AFTER UPDATE OF funnel_id, owner, deleted_at ON opportunities WHEN (OLD.funnel_id, OLD.owner, OLD.deleted_at IS NULL) IS NOT (NEW.funnel_id, NEW.owner, NEW.deleted_at IS NULL)
BEGIN
INSERT INTO stage_day_counts
         SELECT OLD.funnel_id, OLD.owner, stage, days, -1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = OLD.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE OLD.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT NEW.funnel_id, NEW.owner, stage, days, 1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = NEW.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE NEW.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_purchase
AFTER UPDATE OF funnel_id, owner, status, closed, created, deleted_at ON opportunities
WHEN (OLD.funnel_id, OLD.owner, OLD.status, OLD.closed, OLD.created, OLD.deleted_at IS NULL) IS NOT (NEW.funnel_id, NEW.owner, NEW.status, NEW.closed, NEW.created, NEW.deleted_at IS NULL)
BEGIN
INSERT INTO purchase_day_counts SELECT OLD.funnel_id, OLD.owner, CAST(julianday(OLD.closed) - julianday(OLD.created) AS INTEGER), -1
         WHERE OLD.deleted_at IS NULL AND OLD.status = 1 AND OLD.closed >= OLD.created
           AND CAST(julianday(OLD.closed) - julianday(OLD.created) AS INTEGER) IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO purchase_day_counts SELECT NEW.funnel_id, NEW.owner, CAST(julianday(NEW.closed) - julianday(NEW.created) AS INTEGER), 1
         WHERE NEW.deleted_at IS NULL AND NEW.status = 1 AND NEW.closed >= NEW.created
           AND CAST(julianday(NEW.closed) - julianday(NEW.created) AS INTEGER) IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER history_sums_card_delete AFTER DELETE ON opportunities
BEGIN
INSERT INTO journey_counts SELECT OLD.funnel_id, OLD.owner, coalesce(r.created, r.lowest, OLD.stage), max(coalesce(r.highest, OLD.stage), OLD.stage), OLD.status, -1 FROM (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = OLD.id AND deleted_at IS NULL AND id IS NOT NULL
         ) r
                 WHERE true AND OLD.deleted_at IS NULL 
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT OLD.funnel_id, OLD.owner, stage, days, -1 * count(*) FROM (
             SELECT to_stage AS stage, kind, CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10)) AS INTEGER) AS days
             FROM stage_events WHERE opportunity_id = OLD.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE OLD.deleted_at IS NULL AND days IS NOT NULL AND (kind = 'created' OR kind = 'moved' OR kind = 'reopened')
         GROUP BY stage, days
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO purchase_day_counts SELECT OLD.funnel_id, OLD.owner, CAST(julianday(OLD.closed) - julianday(OLD.created) AS INTEGER), -1
         WHERE OLD.deleted_at IS NULL AND OLD.status = 1 AND OLD.closed >= OLD.created
           AND CAST(julianday(OLD.closed) - julianday(OLD.created) AS INTEGER) IS NOT NULL
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
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status, -1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE true AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status, 1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE true AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel_id, o.owner, m.last_stage, CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER), 1
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
         SELECT o.funnel_id, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
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
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status, -1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE OLD.deleted_at IS NULL AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status, 1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE OLD.deleted_at IS NULL AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE OLD.deleted_at IS NULL AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel_id, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
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
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status, -1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE NEW.deleted_at IS NULL AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status, 1 FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
                 WHERE NEW.deleted_at IS NULL AND m.opportunity_id = NEW.opportunity_id AND (NEW.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR NEW.kind = 'created' AND NEW.to_stage < coalesce(m.created, 8)
          OR m.created IS NULL AND NEW.to_stage < m.lowest) AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(m.created, m.lowest, o.stage), max(coalesce(m.highest, o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(NEW.kind = 'created', min(coalesce(m.created, NEW.to_stage), NEW.to_stage), m.created), min(coalesce(m.lowest, NEW.to_stage), NEW.to_stage), o.stage), max(coalesce(max(coalesce(m.highest, NEW.to_stage), NEW.to_stage), o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel_id, o.owner, m.last_stage, CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER), 1
         FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
         WHERE NEW.deleted_at IS NULL AND m.opportunity_id = NEW.opportunity_id AND o.deleted_at IS NULL AND m.last_opens
           AND (NEW.at, NEW.id) > (m.last_at, m.last_id) AND CAST(julianday(substr(NEW.at, 1, 10)) - julianday(substr(m.last_at, 1, 10)) AS INTEGER) IS NOT NULL
         ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel_id, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
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
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status, -1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE true AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO journey_counts SELECT o.funnel_id, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status, 1 FROM opportunities o JOIN (SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE true AND opportunity_id = OLD.opportunity_id AND deleted_at IS NULL AND id IS NOT OLD.id
         ) r
                 WHERE true AND o.id = OLD.opportunity_id AND o.deleted_at IS NULL AND (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(iif(OLD.kind = 'created', min(coalesce(r.created, OLD.to_stage), OLD.to_stage), r.created), min(coalesce(r.lowest, OLD.to_stage), OLD.to_stage), o.stage), max(coalesce(max(coalesce(r.highest, OLD.to_stage), OLD.to_stage), o.stage), o.stage), o.status) IS NOT (o.deleted_at IS NULL, o.funnel_id, o.owner, coalesce(r.created, r.lowest, o.stage), max(coalesce(r.highest, o.stage), o.stage), o.status)
ON CONFLICT DO UPDATE SET count = count + excluded.count;
INSERT INTO stage_day_counts
         SELECT o.funnel_id, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
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

DELETE FROM history_paths;
DELETE FROM journey_counts;
INSERT INTO journey_counts
SELECT funnel_id, owner, first, last, status, count(*) FROM (
    SELECT o.funnel_id, o.owner, coalesce(e.created, e.lowest, o.stage) AS first,
           max(coalesce(e.highest, o.stage), o.stage) AS last, o.status
    FROM opportunities o LEFT JOIN (
        SELECT opportunity_id, min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
               min(to_stage) AS lowest, max(to_stage) AS highest
        FROM stage_events WHERE deleted_at IS NULL GROUP BY opportunity_id
    ) e ON e.opportunity_id = o.id
    WHERE o.deleted_at IS NULL)
GROUP BY 1, 2, 3, 4, 5;
DELETE FROM stage_day_counts;
INSERT INTO stage_day_counts
SELECT o.funnel_id, o.owner, v.stage, v.days, count(*) FROM (
    SELECT opportunity_id, to_stage AS stage, kind,
           CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10))
                AS INTEGER) AS days
    FROM stage_events WHERE deleted_at IS NULL
    WINDOW w AS (PARTITION BY opportunity_id ORDER BY at, id)
) v JOIN opportunities o ON o.id = v.opportunity_id AND o.deleted_at IS NULL
WHERE v.days IS NOT NULL AND v.kind IN ('created', 'moved', 'reopened')
GROUP BY 1, 2, 3, 4;
DELETE FROM purchase_day_counts;
INSERT INTO purchase_day_counts
SELECT funnel_id, owner, days, count(*) FROM (
    SELECT funnel_id, owner, CAST(julianday(closed) - julianday(created) AS INTEGER) AS days
    FROM opportunities WHERE deleted_at IS NULL AND status = 1 AND closed >= created)
WHERE days IS NOT NULL
GROUP BY 1, 2, 3;
