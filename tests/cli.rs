//! The command line as scripts use it: the real binary, a temporary database, exit codes and
//! output checked.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;

mod common;

use common::Env;

fn fixture(name: &str) -> String {
    common::fixture(name).display().to_string()
}

#[test]
fn report_figures_on_a_hand_computed_fixture() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    env.run(&["target", "set", "2025", "1000"]).success();
    let json: serde_json::Value =
        serde_json::from_str(&env.stdout(&["report", "--period", "2025", "--json"])).unwrap();
    // Viable open in 2025: 300.00 + 200.50; won in 2025: 250 + 150; target 1000.
    assert_eq!(json["rtv_cents"], 50050);
    assert_eq!(json["sales_to_date_cents"], 40000);
    assert_eq!(json["target_cents"], 100000);
    assert_eq!(json["gap_cents"], 60000);
    assert!((json["factor"].as_f64().unwrap() - 50050.0 / 60000.0).abs() < 1e-9);
    assert_eq!(json["target_reached"], false);
    assert_eq!(
        (json["won_count"].as_i64(), json["lost_count"].as_i64()),
        (Some(2), Some(1))
    );
    assert!((json["win_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        (json["open_count"].as_i64(), json["viable_count"].as_i64()),
        (Some(3), Some(2))
    );
    let stages = json["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 8);
    assert_eq!(
        stages[2],
        serde_json::json!({"key": "impact_defined", "count": 1, "value_cents": 10000})
    );
    assert_eq!(
        stages[7],
        serde_json::json!({"key": "closing", "count": 1, "value_cents": 20050})
    );
    assert_eq!(json["currency"], "EUR");
    assert_eq!(json["funnel"], "main");

    let en = env.stdout(&["report", "--period", "2025"]);
    assert!(
        en.contains("€500.50") && en.contains("€600") && en.contains("0.83"),
        "{en}"
    );
    let fr = env.stdout(&["--lang", "fr", "report", "--period", "2025"]);
    assert!(
        fr.contains("500,50 €") && fr.contains("1 000 €") && fr.contains("0,83"),
        "{fr}"
    );
    // Every line of the stage table is aligned on the value column.
    let widths: Vec<usize> = en
        .lines()
        .skip_while(|l| !l.contains("Stage"))
        .take(9)
        .map(|l| l.chars().count())
        .collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{en}");
}

#[test]
fn report_without_target_says_how_to_set_one() {
    let env = Env::new();
    let out = env.stdout(&["report"]);
    assert!(
        out.contains("no target") && out.contains("funnel target set"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&env.stdout(&["report", "--json"])).unwrap();
    assert!(
        json["target_cents"].is_null() && json["factor"].is_null() && json["win_rate"].is_null()
    );
}

#[test]
fn add_move_evidence_won_lost_through_the_cli() {
    let env = Env::new();
    let id = env
        .stdout(&[
            "add",
            "--title",
            "Pilot",
            "--value",
            "12 000,50",
            "--owner",
            "ana",
        ])
        .trim()
        .to_owned();
    assert_eq!(id.len(), 36);
    let short = &id[..13];
    env.run(&["move", short, "problem_recognized"])
        .code(1)
        .stderr(predicate::str::contains("evidence not confirmed"));
    env.run(&["evidence", short, "--note", "COO named the problem"])
        .success();
    env.run(&["move", short, "Problem recognized"]).success();
    env.run(&["move", short, "commits_to_invest", "--force"])
        .success();
    let list: serde_json::Value = serde_json::from_str(&env.stdout(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["stage"], "commits_to_invest");
    assert_eq!(list[0]["value"], "12000.50");
    env.run(&["lost", short, "--reason", ""]).code(1);
    env.run(&["won", short, "--date", "2026-02-30"])
        .code(1)
        .stderr(predicate::str::contains("not a date"));
    env.run(&["won", short, "--date", "2026-02-03"]).success();
    env.run(&["won", short])
        .code(1)
        .stderr(predicate::str::contains("already won"));
    let won = env.stdout(&["list", "--status", "won"]);
    assert!(won.contains("Pilot") && won.contains("[won]"), "{won}");
    env.run(&["list", "--stage", "nowhere"]).code(1);
    env.run(&["move", "ffff", "closing"])
        .code(1)
        .stderr(predicate::str::contains("no opportunity"));
}

/// The history of a card says who made each change: `user` in config.toml, else the system's
/// user name; the JSON export keeps it.
#[test]
fn the_history_says_who_moved_a_card() {
    let env = Env::new();
    let history = |env: &Env, user: &str| -> Vec<String> {
        let run = |args: &[&str]| {
            let out = env
                .command()
                .env("USER", user)
                .args(args)
                .assert()
                .success();
            String::from_utf8(out.get_output().stdout.clone()).unwrap()
        };
        let id = run(&[
            "add", "--title", "Pilot", "--value", "100", "--owner", "ana",
        ]);
        run(&["move", &id.trim()[..13], "problem_recognized", "--force"]);
        let json: serde_json::Value =
            serde_json::from_str(&run(&["export", "--format", "json"])).unwrap();
        let card = &json["opportunities"].as_array().unwrap().last().unwrap();
        let events = card["history"].as_array().unwrap();
        events
            .iter()
            .map(|e| e["by"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(history(&env, "lea"), ["lea", "lea"]);
    let config = env.dir.path().join("funnel/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "user = \"Ana\"\n").unwrap();
    assert_eq!(history(&env, "lea"), ["Ana", "Ana"]);
    std::fs::write(&config, "mouse = false\nuser = \"\"\n").unwrap();
    env.run(&["list"])
        .code(2)
        .stderr(predicate::str::contains("config.toml:2: user must name"));
}

#[test]
fn funnels_and_targets() {
    let env = Env::new();
    env.run(&[
        "funnels",
        "add",
        "Iberia",
        "--currency",
        "usd",
        "--fiscal-start",
        "4",
    ])
    .success();
    env.run(&["funnels", "add", "Iberia"]).code(1);
    env.run(&["funnels", "add", "X", "--fiscal-start", "13"])
        .code(1);
    let list = env.stdout(&["funnels"]);
    assert!(
        list.contains("Iberia\tUSD\t4") && list.contains("main\tEUR\t1"),
        "{list}"
    );
    env.run(&["--funnel", "Iberia", "target", "set", "2026", "1200000.50"])
        .success();
    env.run(&["--funnel", "Iberia", "target", "set", "2026", "abc"])
        .code(1);
    let json: serde_json::Value = serde_json::from_str(
        &env.stdout(&["--funnel", "Iberia", "report", "--period", "2026", "--json"]),
    )
    .unwrap();
    assert_eq!(json["target_cents"], 120000050);
    assert_eq!(json["currency"], "USD");
    assert_eq!(json["period_start"], "2026-04-01");
    env.run(&["--funnel", "Nope", "report"])
        .code(1)
        .stderr(predicate::str::contains("no funnel named"));
}

#[test]
fn export_import_round_trip_through_the_binary() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let json = env.stdout(&["export", "--format", "json"]);
    let other = Env::new();
    let path = other.dir.path().join("all.json");
    std::fs::write(&path, &json).unwrap();
    other.run(&["import", path.to_str().unwrap()]).success();
    assert_eq!(other.stdout(&["export", "--format", "json"]), json);
    let csv = env.stdout(&["export"]);
    assert!(csv.starts_with("id,title,account,value,currency,stage,status"));
    assert_eq!(csv.lines().count(), 9);
    // Re-importing the export changes nothing and duplicates nothing.
    let csv_path = env.dir.path().join("all.csv");
    env.run(&["export", "--output", csv_path.to_str().unwrap()])
        .success();
    env.run(&["import", csv_path.to_str().unwrap()])
        .success()
        .stderr(predicate::str::contains("0 added, 8 updated"));
    assert_eq!(env.stdout(&["export"]), csv);
}

/// The names in a directory, sorted: what a command left there.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn export_and_backup_refuse_the_database_and_its_companions_however_they_are_named() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let before = env.stdout(&["export", "--format", "json"]);
    let dir = env.dir.path();
    std::os::unix::fs::symlink(env.db(), dir.join("link.csv")).unwrap();
    std::fs::hard_link(env.db(), dir.join("hard.csv")).unwrap();
    let db = env.db().display().to_string();
    // The `-wal` and `-shm` files exist while the export runs; the `-journal` one does not.
    for output in [
        db.as_str(),
        "./funnel.db",
        "link.csv",
        "hard.csv",
        "funnel.db-wal",
        "./funnel.db-shm",
        "funnel.db-journal",
    ] {
        let export = |format| ["export", "--format", format, "--output", output];
        for args in [
            &export("csv")[..],
            &export("json"),
            &["backup", "--force", output],
        ] {
            env.command()
                .current_dir(dir)
                .args(args)
                .assert()
                .code(1)
                .stderr(predicate::str::contains(format!(
                    "cannot write {output}: it is the database file"
                )));
            env.run(&["check"]).success();
            assert_eq!(env.stdout(&["export", "--format", "json"]), before);
        }
    }
    assert_eq!(names(dir), ["funnel.db", "hard.csv", "link.csv"]);
}

#[test]
fn an_export_that_cannot_be_written_names_the_path() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let missing = env.dir.path().join("missing/all.csv");
    env.run(&["export", "--output", missing.to_str().unwrap()])
        .code(1)
        .stderr(format!(
            "funnel: cannot write {}: No such file or directory (os error 2)\n",
            missing.display()
        ));
    let folder = env.dir.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    env.run(&["export", "--output", folder.to_str().unwrap()])
        .code(1)
        .stderr(format!(
            "funnel: cannot write {}: is a directory\n",
            folder.display()
        ));
    assert!(names(&folder).is_empty());
}

#[test]
fn an_export_replaces_the_file_whole_and_a_new_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let csv = env.stdout(&["export"]);
    let dir = env.dir.path();
    let new = dir.join("new.csv");
    env.run(&["export", "--output", new.to_str().unwrap()])
        .success();
    assert_eq!(std::fs::read_to_string(&new).unwrap(), csv);
    assert_eq!(mode(&new), 0o600);
    // A longer file is replaced, not overwritten from its start, and keeps its mode.
    let old = dir.join("old.csv");
    std::fs::write(&old, "x".repeat(csv.len() * 3)).unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
    env.run(&["export", "--output", old.to_str().unwrap()])
        .success();
    assert_eq!(std::fs::read_to_string(&old).unwrap(), csv);
    assert_eq!(mode(&old), 0o640);
    // Through a symbolic link, the file it leads to is replaced and the link stays.
    let link = dir.join("latest.json");
    std::os::unix::fs::symlink("old.csv", &link).unwrap();
    env.run(&[
        "export",
        "--format",
        "json",
        "--output",
        link.to_str().unwrap(),
    ])
    .success();
    assert!(link.symlink_metadata().unwrap().is_symlink());
    assert_eq!(
        std::fs::read_to_string(&old).unwrap(),
        env.stdout(&["export", "--format", "json"])
    );
    assert_eq!(
        names(dir),
        ["funnel.db", "latest.json", "new.csv", "old.csv"]
    );
}

#[test]
fn an_export_cut_off_half_way_leaves_the_previous_file_as_it_was() {
    let env = Env::new();
    env.run(&["demo", "--size", "60"]).success();
    assert!(env.stdout(&["export", "--format", "json"]).len() > 128 * 1024);
    let path = env.dir.path().join("all.json");
    std::fs::write(&path, "the previous export").unwrap();
    // No file the process writes may pass 64 KiB (128 blocks of 512 bytes; of 1 KiB under
    // bash): room for the database's WAL index (32 KiB), not for the export. With SIGXFSZ
    // ignored, the write past the limit fails (EFBIG) instead of killing the process.
    env.command_under_shell("trap '' XFSZ; ulimit -f 128; exec \"$@\"")
        .args([
            "export",
            "--format",
            "json",
            "--output",
            path.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(format!(
            "funnel: cannot write {}: File too large (os error 27)\n",
            path.display()
        ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the previous export"
    );
    assert_eq!(names(env.dir.path()), ["all.json", "funnel.db"]);
}

#[test]
fn a_bad_import_reports_every_row_and_writes_nothing() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let before = env.stdout(&["export"]);
    env.run(&["import", &fixture("bad_rows.csv")])
        .code(1)
        .stderr(predicate::str::contains("nothing imported"));
    env.run(&["import", &fixture("report.csv"), "--dry-run"])
        .success()
        .stderr(predicate::str::contains("would import: 8 added"));
    assert_eq!(env.stdout(&["export"]), before);
}

#[test]
fn foreign_and_newer_databases_are_refused_untouched() {
    let env = Env::new();
    std::fs::write(env.db(), "hello, I am a text file").unwrap();
    env.run(&["report"])
        .code(2)
        .stderr(predicate::str::contains("not a funnel database"));
    assert_eq!(
        std::fs::read_to_string(env.db()).unwrap(),
        "hello, I am a text file"
    );

    let env = Env::new();
    env.run(&["report"]).success();
    rusqlite::Connection::open(env.db())
        .unwrap()
        .pragma_update(None, "user_version", 42)
        .unwrap();
    let before = std::fs::read(env.db()).unwrap();
    env.run(&["list"])
        .code(2)
        .stderr(predicate::str::contains("newer version"));
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
}

#[test]
fn a_bad_config_names_the_file_line_and_key() {
    let env = Env::new();
    let config = env.dir.path().join("config.toml");
    std::fs::write(
        &config,
        "language = \"fr\"\n\n[stages.closing]\nexpected_dayz = 3\n",
    )
    .unwrap();
    env.run(&["--config", config.to_str().unwrap(), "report"])
        .code(2)
        .stderr(
            predicate::str::contains("config.toml:4")
                .and(predicate::str::contains("expected_dayz")),
        );
}

/// A bad `[keys]` entry stops every command that opens the board before anything starts: the
/// database is neither created nor touched.
#[test]
fn a_bad_key_remap_names_its_line_and_starts_nothing() {
    let env = Env::new();
    let config = env.dir.path().join("config.toml");
    std::fs::write(&config, "mouse = false\n[keys.board]\nquit = \"Ctrl+Q\"\n").unwrap();
    env.run(&["--config", config.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains(
            "config.toml:3: keys.board.quit: cannot read the key `Ctrl+Q`",
        ));
    assert!(!env.db().exists());

    env.run(&["add", "--title", "Pilot", "--value", "100"])
        .success();
    let before = std::fs::read(env.db()).unwrap();
    // At the default place, where the board finds it without --config.
    let default = env.dir.path().join("funnel/config.toml");
    std::fs::create_dir_all(default.parent().unwrap()).unwrap();
    std::fs::write(
        &default,
        "[keys.board]\nquit = \"Q\"\n\nmove_forward = \"d\"\n",
    )
    .unwrap();
    for args in [&[][..], &["board"], &["one-to-one", "ana"]] {
        env.run(args).code(2).stderr(predicate::str::contains(
            "config.toml:4: keys.board.move_forward: `d` would be bound twice in [keys.board], \
             to move_forward and to delete_card",
        ));
    }
    std::fs::write(&default, "[keys.bord]\nquit = \"Q\"\n").unwrap();
    env.run(&["board"]).code(2).stderr(predicate::str::contains(
        "config.toml:1: unknown key table [keys.bord]",
    ));
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
}

#[test]
fn board_print_is_plain_text() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let out = env.stdout(&[
        "board", "--print", "--width", "140", "--height", "30", "--period", "2025",
    ]);
    assert!(!out.contains('\x1b'));
    assert_eq!(out.lines().count(), 30);
    assert!(
        out.contains("Commits to invest") && out.contains("Fleet rollout"),
        "{out}"
    );
    env.run(&["board"]).code(1);
}

#[test]
fn completions_are_generated() {
    let env = Env::new();
    let out = env.stdout(&["completions", "bash"]);
    assert!(out.contains("funnel") && out.contains("import"));
}

#[test]
fn backup_makes_a_private_copy_and_refuses_to_overwrite_without_force() {
    let env = Env::new();
    let id = env.stdout(&["add", "--title", "Kept deal", "--value", "1200"]);
    let copy = env.dir.path().join("copy.db");
    let copy_arg = copy.to_str().unwrap();
    env.run(&["backup", copy_arg])
        .success()
        .stderr(predicate::str::contains("backed up to"));
    assert_eq!(mode(&copy), 0o600);
    env.run(&["backup", copy_arg])
        .code(1)
        .stderr(predicate::str::contains(
            "already exists (--force replaces it)",
        ));
    env.run(&["backup", "--force", copy_arg]).success();
    let listed = cargo_bin_cmd!("funnel")
        .args(["--db", copy_arg, "list", "--json"])
        .env("XDG_CONFIG_HOME", env.dir.path())
        .assert()
        .success();
    let listed = String::from_utf8(listed.get_output().stdout.clone()).unwrap();
    assert!(listed.contains(id.trim()) && listed.contains("Kept deal"));
}

#[test]
fn check_passes_a_sound_file_and_lists_each_problem_of_a_broken_one() {
    let env = Env::new();
    let id = env.stdout(&[
        "add", "--title", "A", "--value", "100", "--stage", "closing",
    ]);
    env.run(&["check"])
        .success()
        .stdout("")
        .stderr(predicate::str::ends_with(": ok\n"));
    // Another program broke the running totals and the history.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch(
            "UPDATE totals SET count = count + 1;
             UPDATE stage_events SET to_stage = 0;",
        )
        .unwrap();
    let out = env
        .run(&["check"])
        .code(1)
        .stderr(predicate::str::contains("2 problem(s) found"));
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].contains(id.trim()) && lines[0].contains("history ends in stage 0"));
    assert!(lines[1].starts_with("totals of funnel \"main\"") && lines[1].contains("kept 2 cards"));
}

#[test]
fn report_insight_figures_and_groups_on_the_hand_computed_fixture() {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    env.run(&["target", "set", "2025", "1000"]).success();
    env.run(&["target", "set", "2025", "600", "--owner", "ana"])
        .success();
    let json: serde_json::Value = serde_json::from_str(
        &env.stdout(&["report", "--period", "2025", "--json", "--by", "owner"]),
    )
    .unwrap();
    // Imported without history, each card stays in its stage: 3 won from closing, 1 lost in
    // decision_criteria. Viable and closed: 3 won of 4 → required factor 4/3.
    assert!((json["required_factor"].as_f64().unwrap() - 4.0 / 3.0).abs() < 1e-9);
    let conversion = json["conversion"].as_array().unwrap();
    assert_eq!(conversion.len(), 7 + 8);
    let to_won = |from: &str| {
        conversion
            .iter()
            .find(|c| c["from"] == from && c["to"] == "won")
            .unwrap()["rate"]
            .clone()
    };
    assert_eq!(to_won("closing"), 1.0);
    assert_eq!(to_won("decision_criteria"), 0.0);
    assert!(to_won("pre_funnel").is_null());
    // GAP 600: Renewal (200.50, closing, p = 1) is sure; 399.50 more needs both Fleet (300) and
    // Audit (100), each at the viable rate 3/4 (no history in their stages): 0.75² = 0.5625.
    assert!((json["probability_of_target"].as_f64().unwrap() - 0.5625).abs() < 1e-9);
    // Top accounts of RTV 500.50: Norvik 300 + Helia 200.50 = all of it.
    assert_eq!(
        json["concentration"],
        serde_json::json!({"top3_share": 1.0, "flagged": true, "accounts": [
            {"name": "Norvik", "rtv_cents": 30000}, {"name": "Helia", "rtv_cents": 20050}]})
    );
    assert!(json["lead_time_days"]["purchase"].is_null());
    assert!(json["lead_time_days"]["closing"].is_null());
    // ana: won 250 (the 2024 win is another period), RTV 300 (the audit is not viable),
    // target 600 → GAP 350. bob: 1 won (150) of 2 closed, RTV 200.50, no target.
    assert_eq!(
        json["groups"],
        serde_json::json!([
            {"name": "ana", "won_count": 1, "lost_count": 0, "win_rate": 1.0, "won_cents": 25000,
             "rtv_cents": 30000, "target_cents": 60000, "gap_cents": 35000},
            {"name": "bob", "won_count": 1, "lost_count": 1, "win_rate": 0.5, "won_cents": 15000,
             "rtv_cents": 20050, "target_cents": null, "gap_cents": null}
        ])
    );
    let no_groups: serde_json::Value =
        serde_json::from_str(&env.stdout(&["report", "--period", "2025", "--json"])).unwrap();
    assert!(no_groups.get("groups").is_none());

    let en = env.stdout(&["report", "--period", "2025", "--by", "owner"]);
    assert!(
        en.contains("Probability of target") && en.contains("56.2%") && en.contains("▼ below"),
        "{en}"
    );
    let owner_lines: Vec<usize> = en
        .lines()
        .skip_while(|l| !l.starts_with("Owner"))
        // The upkeep table follows after a blank line.
        .take_while(|l| !l.is_empty())
        .map(|l| l.chars().count())
        .collect();
    assert_eq!(owner_lines.len(), 3, "{en}");
    assert!(owner_lines.windows(2).all(|w| w[0] == w[1]), "{en}");
    let fr = env.stdout(&["--lang", "fr", "report", "--period", "2025", "--by", "team"]);
    assert!(
        fr.contains("Probabilité d'atteindre l'objectif") && fr.contains("56,2 %"),
        "{fr}"
    );
    assert!(fr.contains("Équipe"), "{fr}");
}

#[test]
fn one_to_one_refuses_an_unknown_owner() {
    let env = Env::new();
    env.run(&[
        "add", "--title", "Deal", "--value", "1000", "--owner", "Ana",
    ])
    .success();
    env.run(&["one-to-one", "Nobody"]).code(1).stderr(
        predicate::str::contains("no seller named \"Nobody\"").and(predicate::str::contains("Ana")),
    );
}

/// The ids `list` shows name their card alone, even for cards imported together (which share
/// their first digits), so a script can pass them straight to another command.
#[test]
fn listed_ids_name_their_cards_alone() {
    let env = Env::new();
    let csv = env.dir.path().join("deals.csv");
    let rows: String = (0..6).map(|i| format!("Deal {i},{i}00\n")).collect();
    std::fs::write(&csv, format!("title,value\n{rows}")).unwrap();
    env.run(&["import", csv.to_str().unwrap()]).success();
    let listed = env.stdout(&["list"]);
    let ids: Vec<&str> = listed
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 6, "{listed}");
    for id in ids {
        env.run(&["evidence", id]).success();
    }
}

/// A mistyped command line is bad input (exit 1), not an unusable database (2); help succeeds.
#[test]
fn a_mistyped_command_line_exits_1_and_help_0() {
    let env = Env::new();
    for args in [
        &["frobnicate"][..],
        &["lost", "abc"],
        &["add", "--title", "A"],
        &["export", "--format", "xml"],
    ] {
        env.run(args)
            .code(1)
            .stderr(predicate::str::contains("error:"));
    }
    env.run(&["--help"])
        .success()
        .stdout(predicate::str::contains("Usage:"));
}

/// Whoever reads the output may stop early (`funnel list --json | head`): the command stops
/// quietly and successfully, without a panic or an error message.
#[test]
fn output_closed_early_ends_the_command_quietly() {
    use std::io::Read;
    let env = Env::new();
    env.run(&["demo", "--size", "2000"]).success();
    for args in [&["list", "--json"][..], &["list"], &["export"]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("funnel"))
            .args(["--db", env.db().to_str().unwrap()])
            .args(args)
            .env("XDG_CONFIG_HOME", env.dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// Looking at the figures while another program writes (a long import) works: the day's
/// snapshot they keep is left for the next look instead of failing the report.
#[test]
fn report_and_printed_board_work_while_another_program_writes() {
    let env = Env::new();
    env.run(&["add", "--title", "A", "--value", "100"])
        .success();
    let writer = rusqlite::Connection::open(env.db()).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    env.run(&["--busy-timeout", "50", "report"])
        .success()
        .stdout(predicate::str::contains("RTV"));
    env.run(&["--busy-timeout", "50", "board", "--print"])
        .success()
        .stdout(predicate::str::contains("A"));
    writer.execute_batch("COMMIT").unwrap();
}

/// Amounts stop at 1,000,000,000,000.00, so the sums kept in the database cannot overflow: one
/// above is refused with the limit and nothing is written, and a card at the cap beside another
/// leaves every reading command working.
#[test]
fn amounts_stop_at_the_cap_and_the_figures_stay_readable() {
    let env = Env::new();
    let too_large = "funnel: amount: amount too large (at most 1,000,000,000,000)\n";
    for value in ["92233720368547758.07", "1000000000000.01"] {
        env.run(&["add", "--title", "Too big", "--value", value])
            .code(1)
            .stderr(too_large);
    }
    env.run(&["target", "set", "2026", "1000000000000.01"])
        .code(1)
        .stderr(too_large);
    assert_eq!(env.stdout(&["list", "--json"]).trim(), "[]");

    for (title, value) in [("Biggest", "1 000 000 000 000.00"), ("Small", "1")] {
        env.run(&[
            "add",
            "--title",
            title,
            "--value",
            value,
            "--stage",
            "commits_to_invest",
            "--expected-close",
            "2026-06-30",
        ])
        .success();
    }
    env.run(&["target", "set", "2026", "1000000000000"])
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&env.stdout(&["report", "--period", "2026", "--json"])).unwrap();
    assert_eq!(json["rtv_cents"], 100_000_000_000_100_i64);
    assert_eq!(json["target_cents"], 100_000_000_000_000_i64);
    env.run(&["check"]).success();
    let board = env.stdout(&["board", "--print", "--period", "2026"]);
    assert!(
        board.contains("Biggest") && board.contains("Small"),
        "{board}"
    );
}

/// Confirming a stage's evidence again without a note keeps the note given before.
#[test]
fn evidence_confirmed_again_without_a_note_keeps_the_note() {
    let env = Env::new();
    let id = env.stdout(&["add", "--title", "A", "--value", "100"]);
    let id = id.trim();
    env.run(&["evidence", id, "--note", "they said so"])
        .success();
    env.run(&["evidence", id]).success();
    let json = env.stdout(&["export", "--format", "json"]);
    assert!(json.contains("they said so"), "{json}");
    env.run(&["evidence", id, "--note", "in writing"]).success();
    let json = env.stdout(&["export", "--format", "json"]);
    assert!(
        json.contains("in writing") && !json.contains("they said so"),
        "{json}"
    );
}

/// A target names a year that can be one and, when it is a seller's, a seller.
#[test]
fn a_target_of_no_seller_or_of_an_odd_year_is_refused() {
    let env = Env::new();
    env.run(&["target", "set", "2026", "5000"]).success();
    for args in [
        &["target", "set", "2026", "9", "--owner", ""][..],
        &["target", "set", "1800", "9"],
        &["target", "set", "99999", "9"],
    ] {
        env.run(args).code(1);
    }
    let json: serde_json::Value =
        serde_json::from_str(&env.stdout(&["report", "--period", "2026", "--json"])).unwrap();
    assert_eq!(json["target_cents"], 500_000);
}

/// A closing date after today is refused; a closing date before the card was created is kept
/// with a warning (a deal entered late may have closed before), in both languages.
#[test]
fn closing_dates_are_checked_against_today_and_the_creation_date() {
    let env = Env::new();
    let add = |title: &str| {
        env.stdout(&["add", "--title", title, "--value", "100"])
            .trim()
            .to_owned()
    };
    let future = add("Future win");
    env.run(&["won", &future, "--date", "2099-01-01"])
        .code(1)
        .stderr(predicate::str::contains(
            "closing date after today: a win or a loss is recorded when it happens",
        ));
    env.run(&[
        "--lang",
        "fr",
        "lost",
        &future,
        "--reason",
        "Budget",
        "--date",
        "2099-01-01",
    ])
    .code(1)
    .stderr(predicate::str::contains(
        "date de clôture après aujourd'hui : un gain ou une perte s'enregistre quand il a lieu",
    ));
    assert!(
        env.stdout(&["list", "--status", "open"])
            .contains("Future win")
    );
    env.run(&["won", &future, "--date", "2020-01-01"])
        .success()
        .stderr(predicate::str::contains(
            "saved, but check the dates: closing date before the opportunity was created",
        ));
    let late = add("Late entry");
    env.run(&[
        "--lang",
        "fr",
        "lost",
        &late,
        "--reason",
        "Budget",
        "--date",
        "2020-01-01",
    ])
    .success()
    .stderr(predicate::str::contains(
        "enregistré, mais vérifiez les dates : date de clôture antérieure à la création de \
             l'opportunité",
    ));
    // An import refuses a row closed after today, and says where.
    let file = env.dir.path().join("future.csv");
    std::fs::write(
        &file,
        "title,value,status,closed\nFuture,100,won,2099-01-01\n",
    )
    .unwrap();
    let file = file.display().to_string();
    env.run(&["import", &file]).code(1).stderr(
        predicate::str::contains("closed")
            .and(predicate::str::contains("closing date after today")),
    );
    env.run(&["--lang", "fr", "import", "--dry-run", &file])
        .code(1)
        .stderr(predicate::str::contains(
            "date de clôture après aujourd'hui",
        ));
    assert!(!env.stdout(&["list"]).contains("Future,"));
    // A JSON file too.
    let mut doc: serde_json::Value =
        serde_json::from_str(&env.stdout(&["export", "--format", "json"])).unwrap();
    let cards = doc["opportunities"].as_array_mut().unwrap();
    let won = cards.iter_mut().find(|c| c["status"] == "won").unwrap();
    won["closed"] = "2099-01-01".into();
    let file = env.dir.path().join("future.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    env.run(&["import", file.to_str().unwrap()]).code(1).stderr(
        predicate::str::contains("].closed")
            .and(predicate::str::contains("closing date after today")),
    );
}

/// `check --repair` copies the file, then counts the sums again from the cards; what a recount
/// cannot know (a history changed by hand) is said and left.
#[test]
fn check_repair_recounts_the_sums_after_a_copy_and_says_what_is_left() {
    let env = Env::new();
    env.stdout(&[
        "add", "--title", "A", "--value", "100", "--stage", "closing",
    ]);
    let b = env.stdout(&["add", "--title", "B", "--value", "250"]);
    env.run(&["won", b.trim()]).success();
    // A sound file: nothing to repair, no copy.
    env.run(&["check", "--repair"])
        .success()
        .stdout("")
        .stderr(predicate::str::ends_with(": ok\n"));
    let copies = || -> Vec<std::path::PathBuf> {
        (std::fs::read_dir(env.dir.path()).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".bak-repair-"))
            .collect()
    };
    assert!(copies().is_empty());
    // Sums damaged as an old overflow left them, and a history no recount can know.
    let damage = || {
        rusqlite::Connection::open(env.db())
            .unwrap()
            .execute_batch(
                "UPDATE totals SET value_cents = -9223372036854775808, count = count + 1;
                 UPDATE group_totals SET count = count + 3;
                 UPDATE journey_counts SET count = count + 1;",
            )
            .unwrap();
    };
    damage();
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("UPDATE stage_events SET to_stage = 0")
        .unwrap();
    let out =
        env.run(&["check", "--repair"])
            .code(1)
            .stderr(
                predicate::str::contains("copied to").and(predicate::str::contains(
                    "problem(s) repaired, 1 not (a recount cannot repair them)",
                )),
            );
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let (repaired, left): (Vec<&str>, Vec<&str>) =
        lines.iter().partition(|l| l.starts_with("repaired: "));
    assert!(repaired.len() >= 3, "{stdout}");
    for table in ["totals of funnel", "group_totals", "journey_counts"] {
        assert!(
            repaired.iter().any(|l| l.contains(table)),
            "{table}: {stdout}"
        );
    }
    assert_eq!(left.len(), 1, "{stdout}");
    assert!(left[0].starts_with("not repaired: ") && left[0].contains("history ends in stage 0"));
    // The copy is the file as it was; the file now has only what a recount cannot repair.
    let copy = copies();
    assert_eq!(copy.len(), 1, "{copy:?}");
    cargo_bin_cmd!("funnel")
        .args(["--db", copy[0].to_str().unwrap(), "check"])
        .env("XDG_CONFIG_HOME", env.dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{} problem(s) found",
            repaired.len() + 1
        )));
    env.run(&["check"])
        .code(1)
        .stderr(predicate::str::contains("1 problem(s) found"));
    let report = env.stdout(&["report", "--json"]);
    assert!(
        report.contains("\"sales_to_date_cents\": 25000"),
        "{report}"
    );
    // In French.
    std::fs::remove_file(&copy[0]).unwrap();
    damage();
    let out = env
        .run(&["--lang", "fr", "check", "--repair"])
        .code(1)
        .stderr(
            predicate::str::contains("copie dans").and(predicate::str::contains(
                "problème(s) réparé(s), 1 non (un recomptage ne peut pas les réparer)",
            )),
        );
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.lines().any(|l| l.starts_with("réparé : ")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("non réparé : ")),
        "{stdout}"
    );
}
