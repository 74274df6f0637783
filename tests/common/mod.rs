//! What the tests that run the binary share: a temporary directory holding the database, and
//! `funnel` isolated from the user's config, locale and `$FUNNEL_DB`.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::PathBuf;

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("funnel.db")
    }

    /// `funnel --db <temp>`, for a test to add arguments or a working directory.
    pub fn command(&self) -> assert_cmd::Command {
        self.isolated(cargo_bin_cmd!("funnel"))
    }

    /// [`Env::command`] started by `sh -c SCRIPT`, where the script ends with `exec "$@"`: it
    /// sets limits the process inherits.
    pub fn command_under_shell(&self, script: &str) -> assert_cmd::Command {
        let mut shell = assert_cmd::Command::new("sh");
        shell
            .args(["-c", script, "sh"])
            .arg(assert_cmd::cargo::cargo_bin!("funnel"));
        self.isolated(shell)
    }

    fn isolated(&self, mut command: assert_cmd::Command) -> assert_cmd::Command {
        command
            .arg("--db")
            .arg(self.db())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("FUNNEL_DB");
        command
    }

    /// `funnel --db <temp> ARGS`.
    pub fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.command().args(args).assert()
    }

    /// Standard output of a command that must succeed.
    pub fn stdout(&self, args: &[&str]) -> String {
        String::from_utf8(self.run(args).success().get_output().stdout.clone()).unwrap()
    }
}

/// A file of `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// What a test that needs PostgreSQL is told to set.
pub const POSTGRESQL_HINT: &str =
    "set FUNNEL_TEST_PG=\"host=127.0.0.1 port=5432 user=postgres dbname=postgres\"";

/// Whether a run must not skip the PostgreSQL tests (`FUNNEL_REQUIRE_PG`, set by `.ci/run`): a
/// CI whose server did not start fails instead of looking passed.
fn postgresql_required() -> bool {
    std::env::var("FUNNEL_REQUIRE_PG").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The admin connection string of the server the team-sync tests use (`FUNNEL_TEST_PG`). Unset,
/// the test says on stderr that it is skipped (seen with `--nocapture`) and gets `None`, unless
/// the run requires PostgreSQL: then it fails saying so.
pub fn postgresql(test: &str) -> Option<String> {
    // libtest names each test's thread after the test.
    let name = std::thread::current().name().unwrap_or(test).to_owned();
    match std::env::var("FUNNEL_TEST_PG") {
        Ok(admin) if !admin.is_empty() => Some(admin),
        _ if postgresql_required() => panic!(
            "{name}: FUNNEL_REQUIRE_PG is set but FUNNEL_TEST_PG is not, so this PostgreSQL test \
             would be skipped; {POSTGRESQL_HINT}, naming a running server"
        ),
        _ => {
            eprintln!("skipped: {name} needs PostgreSQL ({POSTGRESQL_HINT})");
            None
        }
    }
}

/// An admin connection to `FUNNEL_TEST_PG`; a server that is named but does not answer fails
/// the test, saying which.
pub fn connect_postgresql(admin: &str) -> postgres::Client {
    postgres::Client::connect(admin, postgres::NoTls).unwrap_or_else(|e| {
        panic!("cannot connect to FUNNEL_TEST_PG ({admin:?}): {e:?}; is the server running?")
    })
}
