#!/usr/bin/env bash
# Load on the team hub (BENCHMARKS.md, "200 sellers syncing every 30 s"): SELLERS sellers, each
# with their own small file, each running `funnel sync` every INTERVAL seconds for ROUNDS rounds,
# one in CHANGE_EVERY adding a card before its sync. Prints the CPU the hub used meanwhile.
#
#   scripts/hub-load.sh
#
# Settings (environment): ADMIN, a superuser connection string (default
# "host=127.0.0.1 user=postgres"); SELLERS (200), TEAM_SIZE (10), CARDS per seller (20),
# ROUNDS (6: three minutes), INTERVAL (30 s), CHANGE_EVERY (5); LOAD_DIR for the files
# (default /tmp/funnel-hub-load); KEEP=1 keeps the database, roles and files.
#
# Needs a release build (cargo build --release), psql, and the PostgreSQL server on this machine:
# its CPU is read from /proc, the utime+stime of the postmaster and its children plus the
# postmaster's cutime+cstime, which holds the backends that exited (each sync connects anew).
# Makes the database funnel_load and the roles funnel_load_sNNN (trust or ~/.pgpass auth for
# them), and drops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/target/release/funnel
ADMIN=${ADMIN:-host=127.0.0.1 user=postgres}
SELLERS=${SELLERS:-200}
TEAM_SIZE=${TEAM_SIZE:-10}
CARDS=${CARDS:-20}
ROUNDS=${ROUNDS:-6}
INTERVAL=${INTERVAL:-30}
CHANGE_EVERY=${CHANGE_EVERY:-5}
DIR=${LOAD_DIR:-/tmp/funnel-hub-load}
DB=funnel_load
HUB="$ADMIN dbname=$DB"

admin() { PGOPTIONS="-c client_min_messages=warning" psql "$ADMIN dbname=postgres" -qAt -v ON_ERROR_STOP=1 "$@"; }
seller() { printf 's%03d' "$1"; }
role() { echo "${DB}_$(seller "$1")"; }
team() { echo "t$(( ($1 - 1) / TEAM_SIZE ))"; }
url() { echo "$HUB user=$(role "$1")"; }

drop_all() {
  admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  for i in $(seq 1 "$SELLERS"); do echo "DROP ROLE IF EXISTS $(role "$i");"; done | admin
}
finish() {
  if [ "${KEEP:-0}" != 1 ]; then
    drop_all
    rm -rf "$DIR"
  fi
}

# Clock ticks used by the server so far (see the header).
hub_ticks() {
  local total=0 p own waited
  for p in $POSTMASTER $(pgrep -P "$POSTMASTER"); do
    # Fields after the command name: utime, stime, cutime, cstime are the 12th to 15th.
    read -r own waited < <(awk '{ sub(/^.*\) /, ""); print $12 + $13, $14 + $15 }' \
      "/proc/$p/stat" 2>/dev/null || echo "0 0")
    total=$(( total + own ))
    [ "$p" = "$POSTMASTER" ] && total=$(( total + waited ))
  done
  echo "$total"
}

drop_all
trap finish EXIT
rm -rf "$DIR" && mkdir -p "$DIR"
POSTMASTER=$(head -1 "$(admin -c 'SHOW data_directory')/postmaster.pid")
admin -c "CREATE DATABASE $DB"
"$BIN" hub init "$HUB"
echo "setting up $SELLERS sellers ($CARDS cards each, teams of $TEAM_SIZE)"
for i in $(seq 1 "$SELLERS"); do
  admin -c "CREATE ROLE $(role "$i") LOGIN"
  "$BIN" hub member "$(role "$i")" --owner "$(seller "$i")" --team "$(team "$i")" \
    --kind seller --url "$HUB" 2>/dev/null
  {
    echo "title,value,owner,team,stage"
    for c in $(seq 1 "$CARDS"); do
      echo "Deal $c of $(seller "$i"),$(( c * 1000 )),$(seller "$i"),$(team "$i"),impact_defined"
    done
  } > "$DIR/$i.csv"
  "$BIN" --db "$DIR/$i.db" import "$DIR/$i.csv" 2>/dev/null
done
# The first syncs (everyone's first push, and the pull of their team) are not measured.
for i in $(seq 1 "$SELLERS"); do
  FUNNEL_SYNC_URL=$(url "$i") "$BIN" --db "$DIR/$i.db" sync 2>/dev/null
done

# Each round, the sellers' syncs start evenly spread over INTERVAL seconds, each in the
# background, as independent laptops would.
pause=$(awk "BEGIN { print $INTERVAL / $SELLERS }")
: > "$DIR/failed"
echo "measuring: $ROUNDS rounds of $INTERVAL s"
start_ticks=$(hub_ticks)
start=$(date +%s.%N)
for round in $(seq 1 "$ROUNDS"); do
  for i in $(seq 1 "$SELLERS"); do
    (
      if (( (i + round) % CHANGE_EVERY == 0 )); then
        "$BIN" --db "$DIR/$i.db" add --title "Round $round" --value 500 \
          --owner "$(seller "$i")" --team "$(team "$i")" >/dev/null
      fi
      FUNNEL_SYNC_URL=$(url "$i") "$BIN" --db "$DIR/$i.db" sync 2>/dev/null \
        || echo "$(seller "$i") round $round" >> "$DIR/failed"
    ) &
    sleep "$pause"
  done
done
wait
end=$(date +%s.%N)
end_ticks=$(hub_ticks)

ticks=$(getconf CLK_TCK)
cores=$(nproc)
awk -v t=$(( end_ticks - start_ticks )) -v hz="$ticks" -v s="$start" -v e="$end" \
    -v n=$(( SELLERS * ROUNDS )) -v f="$(wc -l < "$DIR/failed")" -v c="$cores" 'BEGIN {
  cpu = t / hz; wall = e - s
  printf "%d syncs (%d failed) in %.1f s; hub CPU %.1f s = %.1f%% of one core, %.1f%% of %d cores\n",
    n, f, wall, cpu, 100 * cpu / wall, 100 * cpu / wall / c, c
}'
