#!/usr/bin/env bash
# Whole-process rows of BENCHMARKS.md: board --print, report --json (warm: figures kept; cold:
# after a change), CSV import into an empty database and SQLite's own floor under it, CSV
# export, peak RSS of the board, database bytes per opportunity.
#
#   scripts/bench-process.sh [SIZE...]      (default: 1000 100000 1000000)
#
# Needs a release build (cargo build --release), hyperfine (apt-get install -y hyperfine) and
# sqlite3 for the size breakdown. Work files go to $BENCH_DIR (default /tmp/funnel-bench) and
# are deleted at the end unless KEEP=1: a million cards take about 1 GB there.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/target/release/funnel
DIR=${BENCH_DIR:-/tmp/funnel-bench}
RUNS=${RUNS:-10}
mkdir -p "$DIR"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$DIR"' EXIT

for n in "${@:-1000 100000 1000000}"; do
  for size in $n; do
    db=$DIR/demo-$size.db csv=$DIR/demo-$size.csv fresh=$DIR/import-$size.db
    echo "== $size opportunities"
    [ -f "$db" ] || /usr/bin/time -f "demo: %e s, peak %M KB" "$BIN" --db "$db" demo --size "$size" --seed 7
    hyperfine -N -w 2 -r "$RUNS" --export-markdown "$DIR/board-$size.md" \
      "$BIN --db $db board --print --width 200 --height 60" \
      "$BIN --db $db report --json"
    # Cold: one more data generation (what any change to a card does) leaves the kept figures
    # unused, so the next report scans every card and its history again, and keeps the result.
    sqlite3 "$db" "UPDATE data_generation SET generation = generation + 1"
    /usr/bin/time -f "report --json after a change (cold): %e s wall, %U s user, %S s sys" \
      "$BIN" --db "$db" report --json >/dev/null
    hyperfine -N -w 1 -r 3 "$BIN --db $db export --format csv -o $csv"
    hyperfine -N -r 3 --prepare "rm -f $fresh $fresh-wal $fresh-shm" "$BIN --db $fresh import $csv"
    # The floor under the import: SQLite alone writing the rows the import wrote (its cards and
    # their "created" events, decoded from the imported file: no CSV, no checks, no binding)
    # into an empty file with the same tables, then building the same indexes.
    floor=$DIR/floor-$size.db
    rm -f "$floor"
    sqlite3 "$fresh" "SELECT sql || ';' FROM sqlite_schema
        WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'" | sqlite3 "$floor"
    indexes=$(sqlite3 "$fresh" "SELECT sql || ';' FROM sqlite_schema
        WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('opportunities', 'stage_events')")
    /usr/bin/time -f "floor, SQLite alone writing the same cards and events: %e s wall" \
      sqlite3 "$floor" >/dev/null <<SQL
PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;
PRAGMA foreign_keys = OFF;
ATTACH '$fresh' AS src;
BEGIN;
INSERT INTO funnels SELECT * FROM src.funnels;
-- The WHERE keeps SQLite from copying whole pages: each row is written as the import writes it.
INSERT INTO opportunities SELECT * FROM src.opportunities WHERE id IS NOT NULL;
INSERT INTO stage_events SELECT * FROM src.stage_events WHERE id IS NOT NULL;
$indexes
COMMIT;
SQL
    rm -f "$floor"
    /usr/bin/time -f "board --print peak RSS: %M KB" \
      "$BIN" --db "$db" board --print --width 200 --height 60 >/dev/null
    # Bytes per opportunity of the cards alone (table and its indexes), and of the whole file.
    sqlite3 "$fresh" "SELECT 'cards without history: ' || (
        (SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'opportunities%')
        / $size) || ' bytes/opportunity'"
    echo "file with demo history: $(( $(stat -c %s "$db") / size )) bytes/opportunity"
  done
done
