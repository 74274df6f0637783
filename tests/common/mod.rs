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
