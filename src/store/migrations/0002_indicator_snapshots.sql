
CREATE TABLE indicator_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    period INTEGER NOT NULL,
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
    UNIQUE (funnel_id, period, day)
);
