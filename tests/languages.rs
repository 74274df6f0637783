//! The command line speaks the user's language everywhere, errors included: the real binary on
//! error paths and summaries, in English and in French, asked with `--lang`, the config or the
//! locale.

use predicates::prelude::*;

mod common;

use common::Env;

fn fixture(name: &str) -> String {
    common::fixture(name).display().to_string()
}

/// What a command says on stderr, and the exit code it must end with.
fn stderr(env: &Env, lang: &str, args: &[&str], code: i32) -> String {
    let out = env
        .command()
        .env_remove("FUNNEL_SYNC_URL")
        .args(["--lang", lang])
        .args(args)
        .assert()
        .code(code);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// A database with the report fixture and one card of its own, whose id is returned.
fn with_cards() -> (Env, String) {
    let env = Env::new();
    env.run(&["import", &fixture("report.csv")]).success();
    let id = env.stdout(&["add", "--title", "Pilot", "--value", "1000"]);
    (env, id.trim().to_owned())
}

/// Each command fails with exit code `code` and says every one of `en` in English and every
/// one of `fr` in French.
struct Refusal<'a> {
    args: Vec<&'a str>,
    code: i32,
    en: &'a [&'a str],
    fr: &'a [&'a str],
}

fn check(env: &Env, refusals: &[Refusal]) {
    for r in refusals {
        for (lang, wanted) in [("en", r.en), ("fr", r.fr)] {
            let said = stderr(env, lang, &r.args, r.code);
            for text in wanted {
                assert!(
                    said.contains(text),
                    "{lang} {:?}: {text:?} in\n{said}",
                    r.args
                );
            }
        }
    }
}

#[test]
fn command_line_errors_are_said_in_the_language_asked_for() {
    let (env, id) = with_cards();
    let db = env.db().display().to_string();
    let text_file = env.dir.path().join("notes.txt");
    std::fs::write(&text_file, "not a funnel file").unwrap();
    let text_file = text_file.display().to_string();
    check(
        &env,
        &[
            Refusal {
                args: vec!["move", "zzz", "closing"],
                code: 1,
                en: &["funnel: no opportunity matches \"zzz\""],
                fr: &["funnel: aucune opportunité ne correspond à « zzz »"],
            },
            Refusal {
                args: vec!["add", "--title", "X", "--value", "12abc"],
                code: 1,
                en: &["amount: not a number: \"12abc\""],
                fr: &["montant : pas un nombre : « 12abc »"],
            },
            Refusal {
                args: vec!["move", &id, "nowhere"],
                code: 1,
                en: &["unknown stage \"nowhere\" (one of pre_funnel,"],
                fr: &["étape inconnue « nowhere » (l'une de pre_funnel,"],
            },
            Refusal {
                args: vec!["move", &id, "commits_to_invest"],
                code: 1,
                en: &["evidence not confirmed for: Pre-funnel", "--force"],
                fr: &[
                    "preuve non confirmée pour : ",
                    "Confirmez-la avec `funnel evidence",
                ],
            },
            Refusal {
                args: vec!["won", &id, "--date", "2026-02-30"],
                code: 1,
                en: &["not a date (YYYY-MM-DD): \"2026-02-30\""],
                fr: &["pas une date (AAAA-MM-JJ) : « 2026-02-30 »"],
            },
            Refusal {
                args: vec!["list", "--status", "Maybe"],
                code: 1,
                en: &["unknown status \"maybe\" (open, won or lost)"],
                fr: &["statut inconnu « maybe » (open, won ou lost)"],
            },
            Refusal {
                args: vec!["funnels", "add", "main"],
                code: 1,
                en: &["a funnel named \"main\" already exists"],
                fr: &["un entonnoir nommé « main » existe déjà"],
            },
            Refusal {
                args: vec!["--funnel", "nope", "list"],
                code: 1,
                en: &["no funnel named \"nope\""],
                fr: &["aucun entonnoir nommé « nope »"],
            },
            Refusal {
                args: vec!["board"],
                code: 1,
                en: &["`funnel board` needs --print"],
                fr: &["`funnel board` demande --print"],
            },
            Refusal {
                args: vec!["backup", &db],
                code: 1,
                en: &["it is the database file"],
                fr: &["c'est le fichier de la base"],
            },
            Refusal {
                args: vec!["sync"],
                code: 2,
                en: &["no hub configured"],
                fr: &["aucun hub configuré : renseignez [sync] url"],
            },
            Refusal {
                args: vec!["import", &text_file],
                code: 1,
                en: &["unsupported file type (use a .csv or .json file)"],
                fr: &["type de fichier non pris en charge (utilisez un fichier .csv ou .json)"],
            },
        ],
    );
}

/// What the store refuses (a card's move or close, a funnel, a backup, a one-to-one) is said
/// in the language asked for, not only in English.
#[test]
fn the_stores_refusals_are_said_in_the_language_asked_for() {
    let (env, id) = with_cards();
    let won = env.stdout(&[
        "add", "--title", "Won deal", "--value", "500", "--owner", "Ana",
    ]);
    let won = won.trim();
    env.run(&["won", won]).success();
    let existing = env.dir.path().join("existing.db");
    std::fs::write(&existing, "precious").unwrap();
    let existing = existing.display().to_string();
    check(
        &env,
        &[
            Refusal {
                args: vec!["won", won],
                code: 1,
                en: &["funnel: this opportunity is already won\n"],
                fr: &["funnel: cette opportunité est déjà gagnée\n"],
            },
            Refusal {
                args: vec!["move", won, "closing"],
                code: 1,
                en: &["this opportunity is won: reopen it before moving it"],
                fr: &["cette opportunité est gagnée : rouvrez-la avant de la déplacer"],
            },
            Refusal {
                args: vec!["lost", &id, "--reason", " "],
                code: 1,
                en: &["a lost opportunity needs a reason"],
                fr: &["une opportunité perdue doit avoir une raison"],
            },
            Refusal {
                args: vec!["move", &id, "pre_funnel"],
                code: 1,
                en: &["already in stage pre_funnel"],
                fr: &["déjà à l'étape pre_funnel"],
            },
            Refusal {
                args: vec!["funnels", "add", "export", "--currency", "euro"],
                code: 1,
                en: &["currency must be a three-letter ISO code such as EUR, not \"EURO\""],
                fr: &["la devise doit être un code ISO de trois lettres comme EUR, pas « EURO »"],
            },
            Refusal {
                args: vec!["funnels", "add", "export", "--fiscal-start", "13"],
                code: 1,
                en: &["fiscal-year start must be a month from 1 to 12, not 13"],
                fr: &["le début de l'exercice doit être un mois de 1 à 12, pas 13"],
            },
            Refusal {
                args: vec!["backup", &existing],
                code: 1,
                en: &["existing.db already exists (--force replaces it)"],
                fr: &["existing.db existe déjà (--force le remplace)"],
            },
            Refusal {
                args: vec!["one-to-one", "Nobody"],
                code: 1,
                en: &[
                    "no seller named \"Nobody\" in this funnel (sellers: ",
                    "Ana",
                ],
                fr: &[
                    "aucun vendeur nommé « Nobody » dans cet entonnoir (vendeurs : ",
                    "Ana",
                ],
            },
        ],
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");
    let funnels = env.stdout(&["funnels"]);
    assert!(!funnels.contains("export"), "{funnels}");
}

#[test]
fn a_refused_file_is_explained_row_by_row_in_the_language_asked_for() {
    let (env, _) = with_cards();
    let bad_rows = fixture("bad_rows.csv");
    let bad_values = fixture("bad_values.json");
    let unknown_column = fixture("unknown_column.csv");
    let before = env.stdout(&["export"]);
    check(
        &env,
        &[
            Refusal {
                args: vec!["import", &bad_rows],
                code: 1,
                en: &[
                    "bad_rows.csv: nothing imported\n",
                    "\n3: title: required\n",
                    "\n4: value: not a number: \"12abc\"\n",
                    "\n5: stage: unknown stage \"nowhere\" (a key such as commits_to_invest",
                    "\n6: closed: a won opportunity needs a closed date\n",
                    "\n7: lost_reason: a lost opportunity needs a reason\n",
                    "\n8: currency: USD is not the funnel's currency (EUR)\n",
                    "\n10: expected 8 fields like the header, found 2\n",
                    "\n11: created: no such date: 2026-13-01\n",
                ],
                fr: &[
                    "bad_rows.csv : rien n'a été importé\n",
                    "\n3: title: obligatoire\n",
                    "\n4: value: pas un nombre : « 12abc »\n",
                    "\n5: stage: étape inconnue « nowhere » (une clé comme commits_to_invest",
                    "\n6: closed: une opportunité gagnée doit avoir une date de clôture\n",
                    "\n7: lost_reason: une opportunité perdue doit avoir une raison\n",
                    "\n8: currency: USD n'est pas la devise de l'entonnoir (EUR)\n",
                    "\n9: value: montant ambigu « 1,234 »",
                    "\n10: 8 champs attendus comme dans l'en-tête, 2 trouvés\n",
                    "\n11: created: cette date n'existe pas : 2026-13-01\n",
                    "\n12: value: montant négatif refusé\n",
                ],
            },
            Refusal {
                args: vec!["import", &bad_values],
                code: 1,
                en: &[
                    "value_cents: negative amount not allowed",
                    "stage: unknown stage \"nowhere\"",
                    "status: unknown status \"maybe\"",
                    "created: no such date: 2026-02-30",
                ],
                fr: &[
                    "value_cents: montant négatif refusé",
                    "stage: étape inconnue « nowhere »",
                    "status: statut inconnu « maybe »",
                    "created: cette date n'existe pas : 2026-02-30",
                ],
            },
            Refusal {
                args: vec!["import", &unknown_column],
                code: 1,
                en: &["unknown column (the columns are id, title,"],
                fr: &["colonne inconnue (les colonnes sont id, title,"],
            },
        ],
    );
    assert_eq!(env.stdout(&["export"]), before, "nothing was imported");
}

#[test]
fn foreign_damaged_and_misconfigured_files_are_refused_in_the_language_asked_for() {
    let foreign = Env::new();
    std::fs::write(foreign.db(), "hello, I am a text file").unwrap();
    check(
        &foreign,
        &[Refusal {
            args: vec!["list"],
            code: 2,
            en: &["funnel.db: not a funnel database (left untouched)"],
            fr: &["funnel.db : ce n'est pas une base funnel (laissée intacte)"],
        }],
    );

    let (damaged, _) = with_cards();
    let whole = std::fs::read(damaged.db()).unwrap();
    std::fs::write(damaged.db(), &whole[..whole.len() / 2]).unwrap();
    check(
        &damaged,
        &[Refusal {
            args: vec!["list"],
            code: 2,
            en: &[
                "a funnel database, but damaged (",
                " bytes of the ",
                "restore a backup",
            ],
            fr: &[
                "une base funnel, mais endommagée (",
                " octets sur les ",
                "restaurez une sauvegarde",
            ],
        }],
    );

    let env = Env::new();
    let config = env.dir.path().join("bad.toml");
    std::fs::write(&config, "\nfiscal_start = 13\n").unwrap();
    let config = config.display().to_string();
    check(
        &env,
        &[Refusal {
            args: vec!["--config", &config, "list"],
            code: 2,
            en: &["bad.toml:2: fiscal_start must be a month from 1 to 12, not 13"],
            fr: &["bad.toml:2: fiscal_start doit être un mois de 1 à 12, pas 13"],
        }],
    );
}

/// `check` lists each problem of a broken file in the language asked for.
#[test]
fn checks_problems_are_said_in_the_language_asked_for() {
    let env = Env::new();
    let id = env.stdout(&[
        "add", "--title", "A", "--value", "100", "--stage", "closing",
    ]);
    // Another program broke the running totals and the history.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch(
            "UPDATE totals SET count = count + 1;
             UPDATE stage_events SET to_stage = 0;",
        )
        .unwrap();
    let problems = |lang: &str| {
        let out = env
            .command()
            .args(["--lang", lang, "check"])
            .assert()
            .code(1);
        let output = out.get_output();
        let stdout = String::from_utf8(output.stdout.clone()).unwrap();
        (stdout, String::from_utf8(output.stderr.clone()).unwrap())
    };
    let (en, said) = problems("en");
    assert!(said.contains(": 2 problem(s) found"), "{said}");
    let lines: Vec<&str> = en.lines().collect();
    let history = format!(
        "opportunity {}: in stage 7 but its history ends in stage 0",
        id.trim()
    );
    assert_eq!(lines.first(), Some(&history.as_str()), "{en}");
    assert!(
        lines[1].starts_with("totals of funnel \"main\", period ")
            && lines[1].contains(": kept 2 cards / 10000 cents, recount 1 / 10000"),
        "{en}"
    );
    let (fr, said) = problems("fr");
    assert!(said.contains(" : 2 problème(s) trouvé(s)"), "{said}");
    let lines: Vec<&str> = fr.lines().collect();
    let history = format!(
        "opportunité {} : à l'étape 7 mais son historique se termine à l'étape 0",
        id.trim()
    );
    assert_eq!(lines.first(), Some(&history.as_str()), "{fr}");
    assert!(
        lines[1].starts_with("totaux de l'entonnoir « main », période ")
            && lines[1].contains(" : gardés 2 cartes / 10000 centimes, recompte 1 / 10000"),
        "{fr}"
    );
}

#[test]
fn summaries_follow_the_language_too() {
    let env = Env::new();
    let report = fixture("report.csv");
    let dry_run = ["import", report.as_str(), "--dry-run"];
    assert!(stderr(&env, "en", &dry_run, 0).contains("would import: 8 added, 0 updated"));
    let said = stderr(&env, "fr", &dry_run, 0);
    assert!(
        said.contains("importerait : 8 ajoutées, 0 mise à jour"),
        "{said}"
    );
    let id = env.stdout(&["add", "--title", "Pilot", "--value", "1000"]);
    let moved = stderr(
        &env,
        "fr",
        &["move", id.trim(), "problem_recognized", "--force"],
        0,
    );
    assert!(moved.starts_with("déplacée vers "), "{moved}");
    let said = stderr(&env, "fr", &["target", "set", "2026", "1200000"], 0);
    assert!(said.contains("objectif de 1 200 000 € pour "), "{said}");
    let said = stderr(&env, "fr", &["check"], 0);
    assert!(said.ends_with(" : ok\n"), "{said}");
    let said = stderr(&env, "en", &["check"], 0);
    assert!(
        said.ends_with(": ok\n") && !said.contains(" : ok"),
        "{said}"
    );
}

#[test]
fn without_lang_the_config_then_the_locale_choose() {
    let env = Env::new();
    env.command()
        .env("LANG", "fr_FR.UTF-8")
        .args(["move", "zzz", "closing"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "aucune opportunité ne correspond à « zzz »",
        ));
    let config = env.dir.path().join("fr.toml");
    std::fs::write(&config, "language = \"fr\"\n").unwrap();
    env.command()
        .args([
            "--config",
            config.to_str().unwrap(),
            "move",
            "zzz",
            "closing",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("aucune opportunité ne correspond"));
    // --lang wins over both.
    env.command()
        .env("LANG", "fr_FR.UTF-8")
        .args(["--lang", "en", "--config", config.to_str().unwrap()])
        .args(["move", "zzz", "closing"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no opportunity matches \"zzz\""));
}
