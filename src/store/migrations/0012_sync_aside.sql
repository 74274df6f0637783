-- Rows pulled from the hub that failed a check, kept aside with why instead of applied (and
-- instead of stopping every later pull); the next sync fetches each again and tries it.
CREATE TABLE sync_aside (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    hlc TEXT NOT NULL,
    -- The row as the hub sent it.
    data TEXT NOT NULL,
    -- What was wrong (see `Flaw`: 'shape', 'mismatch', 'nested', 'stamp', 'ahead', 'card',
    -- 'amount', 'refused') and the detail it needs to be said (a column, the parser's or
    -- SQLite's words, minutes ahead).
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
