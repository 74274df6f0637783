
CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    owner TEXT NOT NULL,
    held_on TEXT NOT NULL,
    skill TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX meetings_by_owner ON meetings(funnel_id, owner, started_at);

CREATE TABLE meeting_card_notes (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    note TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (meeting_id, opportunity_id)
);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    owner TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    due TEXT,
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX action_items_by_meeting ON action_items(meeting_id);
