
CREATE TABLE funnels (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    fiscal_start INTEGER NOT NULL DEFAULT 1 CHECK (fiscal_start BETWEEN 1 AND 12),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX funnels_by_name ON funnels(name) WHERE deleted_at IS NULL;

CREATE TABLE opportunities (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
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
    created TEXT NOT NULL,
    expected_close TEXT,
    closed TEXT,
    lost_reason TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    decision_date TEXT,
    budget_cents INTEGER,
    problem_cost_cents INTEGER,
    decision_criteria TEXT NOT NULL DEFAULT '',
    stage_since TEXT NOT NULL,
    period INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
) WITHOUT ROWID;
-- Keyed by the id itself (no rowid, so no second copy of every id in a separate key index),
-- which also keeps exports in id order without a sort.
-- One page of one board column: open cards of a stage, biggest first. An owner filter reads
-- the same pages (a handful of sellers) and its counts come from `totals`.
CREATE INDEX opportunities_board ON opportunities(funnel_id, status, stage, value_cents DESC, id)
    WHERE deleted_at IS NULL;

CREATE TABLE totals (
    funnel_id TEXT NOT NULL,
    period INTEGER NOT NULL,
    status INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    owner TEXT NOT NULL,
    count INTEGER NOT NULL,
    value_cents INTEGER NOT NULL,
    PRIMARY KEY (funnel_id, period, status, stage, owner)
) WITHOUT ROWID;

CREATE TRIGGER totals_on_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO totals VALUES (NEW.funnel_id, NEW.period, NEW.status, NEW.stage, NEW.owner, 1, NEW.value_cents)
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;
CREATE TRIGGER totals_on_delete AFTER DELETE ON opportunities WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE totals SET count = count - 1, value_cents = value_cents - OLD.value_cents
    WHERE funnel_id = OLD.funnel_id AND period = OLD.period AND status = OLD.status
      AND stage = OLD.stage AND owner = OLD.owner;
END;
CREATE TRIGGER totals_on_update
AFTER UPDATE OF funnel_id, period, status, stage, owner, value_cents, deleted_at ON opportunities
BEGIN
    UPDATE totals SET count = count - 1, value_cents = value_cents - OLD.value_cents
    WHERE OLD.deleted_at IS NULL AND funnel_id = OLD.funnel_id AND period = OLD.period
      AND status = OLD.status AND stage = OLD.stage AND owner = OLD.owner;
    INSERT INTO totals
    SELECT NEW.funnel_id, NEW.period, NEW.status, NEW.stage, NEW.owner, 1, NEW.value_cents
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;

CREATE TABLE stage_events (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'moved', 'won', 'lost', 'reopened')),
    from_stage INTEGER CHECK (from_stage BETWEEN 0 AND 7),
    to_stage INTEGER NOT NULL CHECK (to_stage BETWEEN 0 AND 7),
    evidence_confirmed INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX stage_events_by_opportunity ON stage_events(opportunity_id, at);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    confirmed_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (opportunity_id, stage)
);

CREATE TABLE answers (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    question INTEGER NOT NULL CHECK (question >= 0),
    asked INTEGER NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (opportunity_id, stage, question)
);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    influence INTEGER NOT NULL DEFAULT 0 CHECK (influence BETWEEN 0 AND 5),
    authority INTEGER NOT NULL DEFAULT 0 CHECK (authority BETWEEN 0 AND 5),
    motivations TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX people_by_opportunity ON people(opportunity_id);

CREATE TABLE targets (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    period INTEGER NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (funnel_id, period, owner)
);
