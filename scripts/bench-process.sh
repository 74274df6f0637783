#!/usr/bin/env bash
# Whole-process rows of BENCHMARKS.md: board --print, report --json (warm: figures kept; cold:
# after a change), CSV import into an empty database, CSV export, peak RSS of the board,
# database bytes per opportunity.
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
    /usr/bin/time -f "board --print peak RSS: %M KB" \
      "$BIN" --db "$db" board --print --width 200 --height 60 >/dev/null
    # Bytes per opportunity of the cards alone (table and its indexes), and of the whole file.
    sqlite3 "$fresh" "SELECT 'cards without history: ' || (
        (SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'opportunities%')
        / $size) || ' bytes/opportunity'"
    echo "file with demo history: $(( $(stat -c %s "$db") / size )) bytes/opportunity"
  done
done
