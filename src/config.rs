//! Where files live and what `config.toml` may say.
//!
//! On every Unix (macOS included) the XDG variables are honoured first and the fallbacks are
//! `~/.local/share/funnel` and `~/.config/funnel`, as terminal users expect; elsewhere the
//! platform's directories are used. A bad config file is reported with its path, line and key.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::domain::upkeep::{Flag, Flags, UpkeepSettings};
use crate::domain::{Lang, Stage, money};

/// A funnel that closes one viable euro in three needs about three times its GAP.
pub const DEFAULT_REQUIRED_FACTOR: f64 = 3.0;

crate::texts! {
    unknown_stage(key: &str, keys: &str) = {
        en: "unknown stage `{key}` in [stages] (expected one of {keys})",
        fr: "étape inconnue `{key}` dans [stages] (attendu : l'une de {keys})",
    };
    no_expected_days(key: &str) = {
        en: "stages.{key}.expected_days must be at least 1",
        fr: "stages.{key}.expected_days doit valoir au moins 1",
    };
    fiscal_start_not_a_month(month: u32) = {
        en: "fiscal_start must be a month from 1 to 12, not {month}",
        fr: "fiscal_start doit être un mois de 1 à 12, pas {month}",
    };
    user_empty = {
        en: "user must name the person who makes the changes, not be empty",
        fr: "user doit nommer la personne qui fait les changements, pas être vide",
    };
    no_inactive_days(funnel: &str) = {
        en: "funnels.{funnel}.inactive_days must be at least 1",
        fr: "funnels.{funnel}.inactive_days doit valoir au moins 1",
    };
    required_factor_too_small(factor: f64) = {
        en: "required_factor must be a number of at least 1, not {factor}",
        fr: "required_factor doit être un nombre d'au moins 1, pas {factor}",
    };
}

/// The optional `config.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `en` or `fr`.
    pub language: Option<LangSetting>,
    /// Currency of funnels created from now on (ISO code).
    pub currency: Option<String>,
    /// Fiscal-year start month of funnels created from now on.
    pub fiscal_start: Option<u32>,
    /// Who makes the changes, as each change and the history record it (else the hub
    /// member's name once a sync has told it, else the system's user name).
    pub user: Option<String>,
    /// Capture the mouse in the board (off by default: it breaks the terminal's text selection).
    #[serde(default)]
    pub mouse: bool,
    /// The funnel factor to aim for while there is no won viable opportunity to compute it from
    /// (default [`DEFAULT_REQUIRED_FACTOR`]).
    pub required_factor: Option<f64>,
    /// Per-stage settings, by stage key.
    #[serde(default)]
    pub stages: BTreeMap<String, StageSetting>,
    /// Per-funnel settings, by funnel name.
    #[serde(default)]
    pub funnels: BTreeMap<String, FunnelSetting>,
    /// Team sync.
    #[serde(default)]
    pub sync: SyncSetting,
    /// `[keys.TABLE]` as written, with where (see [`Config::keys`]).
    #[serde(default, rename = "keys")]
    keys_written: WrittenKeys,
    /// Keys remapped per key table, with their lines, filled by [`Config::parse`]. Only their
    /// shape is checked here: the board's key map knows the tables and actions.
    #[serde(skip)]
    pub keys: Vec<KeyTableSetting>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SyncSetting {
    /// The hub, as a PostgreSQL URL (`FUNNEL_SYNC_URL` wins over it).
    pub url: Option<String>,
    /// Seconds between the board's background syncs (default 60).
    pub every_seconds: Option<u64>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LangSetting {
    En,
    Fr,
}

impl From<LangSetting> for Lang {
    fn from(l: LangSetting) -> Lang {
        match l {
            LangSetting::En => Lang::En,
            LangSetting::Fr => Lang::Fr,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StageSetting {
    pub expected_days: Option<u32>,
}

/// `[funnels.NAME]`: what the funnel's upkeep checks.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FunnelSetting {
    /// No activity for more than this many days flags an open card (default 14).
    pub inactive_days: Option<u32>,
    /// The upkeep flags the funnel raises (default: all), by key (`overdue`, `no_next_step`…).
    pub flags: Option<Vec<String>>,
}

impl Config {
    /// Reads a config file; a missing file at the default place is an empty config. Errors are
    /// said in `lang`.
    pub fn load(path: &Path, must_exist: bool, lang: Lang) -> Result<Config, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config::default());
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let config = Config::parse(&text, lang).map_err(|e| format!("{}:{e}", path.display()))?;
        Ok(config)
    }

    /// Parses and checks a config; errors read `LINE: message`, the message in `lang` (the TOML
    /// reader's own are in English).
    pub fn parse(text: &str, lang: Lang) -> Result<Config, String> {
        let line_of = |offset: usize| text[..offset.min(text.len())].lines().count().max(1);
        // The line where a key is written (serde's "unknown field" errors span the whole table).
        let find = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key) || l.contains(&format!(".{key}]")))
                .map_or(1, |i| i + 1)
        };
        let config: Config = toml::from_str(text).map_err(|e| {
            let named = e
                .message()
                .split('`')
                .nth(1)
                .filter(|_| e.message().starts_with("unknown"));
            let line = match named {
                Some(key) => find(key),
                None => e.span().map_or(1, |s| line_of(s.start)),
            };
            format!("{line}: {}", e.message().trim())
        })?;
        for (key, setting) in &config.stages {
            if key.parse::<Stage>().is_err() {
                let keys = Stage::ALL.map(Stage::key).join(", ");
                return Err(format!(
                    "{}: {}",
                    find(key),
                    unknown_stage(lang, key, &keys)
                ));
            }
            if setting.expected_days == Some(0) {
                return Err(format!("{}: {}", find(key), no_expected_days(lang, key)));
            }
        }
        for (name, setting) in &config.funnels {
            if setting.inactive_days == Some(0) {
                return Err(format!(
                    "{}: {}",
                    find("inactive_days"),
                    no_inactive_days(lang, name)
                ));
            }
            for key in setting.flags.iter().flatten() {
                if let Err(e) = key.parse::<Flag>() {
                    return Err(format!("{}: {}", find("flags"), e.say(lang)));
                }
            }
        }
        if let Some(month) = config.fiscal_start.filter(|m| !(1..=12).contains(m)) {
            let reason = fiscal_start_not_a_month(lang, month);
            return Err(format!("{}: {reason}", find("fiscal_start")));
        }
        if let Some(f) = config
            .required_factor
            .filter(|f| !(f.is_finite() && *f >= 1.0))
        {
            let reason = required_factor_too_small(lang, f);
            return Err(format!("{}: {reason}", find("required_factor")));
        }
        if config.user.as_ref().is_some_and(|u| u.trim().is_empty()) {
            return Err(format!("{}: {}", find("user"), user_empty(lang)));
        }
        if let Some(code) = &config.currency {
            money::normalize_currency(code)
                .map_err(|e| format!("{}: {}", find("currency"), e.say(lang)))?;
        }
        Ok(Config {
            keys: key_settings(&config.keys_written, text)?,
            ..config
        })
    }

    /// The required factor without history: the config's, else the default.
    pub fn default_required_factor(&self) -> f64 {
        self.required_factor.unwrap_or(DEFAULT_REQUIRED_FACTOR)
    }

    /// The upkeep settings of the funnel named `funnel`: its `[funnels.NAME]`, else the defaults.
    pub fn upkeep(&self, funnel: &str) -> UpkeepSettings {
        let default = UpkeepSettings::default();
        let Some(setting) = self.funnels.get(funnel) else {
            return default;
        };
        UpkeepSettings {
            inactive_days: setting.inactive_days.unwrap_or(default.inactive_days),
            // Checked by `parse`: an unknown key cannot be here.
            flags: setting.flags.as_ref().map_or(default.flags, |keys| {
                keys.iter()
                    .filter_map(|k| k.parse::<Flag>().ok())
                    .collect::<Flags>()
            }),
        }
    }

    /// Expected days in a stage: the config's, else the catalog's.
    pub fn expected_days(&self, stage: Stage, catalog_days: u32) -> u32 {
        self.stages
            .get(stage.key())
            .and_then(|s| s.expected_days)
            .unwrap_or(catalog_days)
    }
}

type WrittenKeys = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

/// One `[keys.TABLE]` section: the table's name and the actions it gives new keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTableSetting {
    pub table: String,
    /// The line naming the table.
    pub line: usize,
    /// In the order they are written.
    pub remaps: Vec<KeyRemap>,
}

/// `action = "KEY"` or `action = ["KEY", …]`: the keys that replace the action's default keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRemap {
    pub action: String,
    /// As written (`L`, `S-Left`, `C-x`…).
    pub keys: Vec<String>,
    pub line: usize,
}

/// `[keys]` in the order written, each entry with its line; a value that is neither a key nor a
/// list of keys is refused (`LINE: message`).
fn key_settings(written: &WrittenKeys, text: &str) -> Result<Vec<KeyTableSetting>, String> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let mut tables = written
        .iter()
        .map(|(table, entries)| {
            let mut remaps = entries
                .iter()
                .map(|(action, value)| {
                    let line = line_of(action.span().start);
                    let keys = match value.get_ref() {
                        toml::Value::String(key) => Some(vec![key.clone()]),
                        toml::Value::Array(keys) => {
                            keys.iter().map(|k| k.as_str().map(str::to_owned)).collect()
                        }
                        _ => None,
                    };
                    let keys = keys.ok_or_else(|| {
                        format!(
                            "{line}: keys.{}.{}: expected a key (\"L\") or a list of keys \
                             ([\"H\", \"S-Left\"])",
                            table.get_ref(),
                            action.get_ref()
                        )
                    })?;
                    Ok(KeyRemap {
                        action: action.get_ref().clone(),
                        keys,
                        line,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            remaps.sort_by_key(|r| r.line);
            Ok(KeyTableSetting {
                table: table.get_ref().clone(),
                line: line_of(table.span().start),
                remaps,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    tables.sort_by_key(|t| t.line);
    Ok(tables)
}

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| b.home_dir().to_owned())
}

fn xdg(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home().map(|h| h.join(fallback)))
}

/// `funnel.db` in the data directory.
pub fn default_db_path() -> Option<PathBuf> {
    let dir = if cfg!(unix) {
        xdg("XDG_DATA_HOME", ".local/share")
    } else {
        directories::BaseDirs::new().map(|b| b.data_dir().to_owned())
    }?;
    Some(dir.join("funnel").join("funnel.db"))
}

/// `config.toml` in the config directory.
pub fn default_config_path() -> Option<PathBuf> {
    let dir = if cfg!(unix) {
        xdg("XDG_CONFIG_HOME", ".config")
    } else {
        directories::BaseDirs::new().map(|b| b.config_dir().to_owned())
    }?;
    Some(dir.join("funnel").join("config.toml"))
}

/// The UI language from the environment's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .map_or(Lang::En, |v| Lang::from_locale(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = Config::parse(
            "language = \"fr\"\ncurrency = \"usd\"\nfiscal_start = 4\nmouse = true\n\n[stages.closing]\nexpected_days = 7\n\n[sync]\nurl = \"postgresql://hub/sales\"\nevery_seconds = 30\n",
            Lang::En,
        )
        .unwrap();
        assert_eq!(c.language, Some(LangSetting::Fr));
        assert_eq!(c.fiscal_start, Some(4));
        assert!(c.mouse);
        assert_eq!(c.expected_days(Stage::Closing, 14), 7);
        assert_eq!(c.expected_days(Stage::PreFunnel, 30), 30);
        assert_eq!(c.sync.url.as_deref(), Some("postgresql://hub/sales"));
        assert_eq!(c.sync.every_seconds, Some(30));
        assert_eq!(c.default_required_factor(), DEFAULT_REQUIRED_FACTOR);
        let c = Config::parse("required_factor = 2.5\n", Lang::En).unwrap();
        assert_eq!(c.default_required_factor(), 2.5);
    }

    #[test]
    fn a_funnel_says_what_its_upkeep_checks() {
        let c = Config::parse(
            "[funnels.east]\ninactive_days = 7\nflags = [\"overdue\", \"No-Next-Step\"]\n",
            Lang::En,
        )
        .unwrap();
        let east = c.upkeep("east");
        assert_eq!(east.inactive_days, 7);
        assert_eq!(
            east.flags.iter().collect::<Vec<_>>(),
            [Flag::Overdue, Flag::NoNextStep]
        );
        assert_eq!(c.upkeep("west"), UpkeepSettings::default());
        let e = Config::parse("[funnels.east]\nflags = [\"late\"]\n", Lang::Fr).unwrap_err();
        assert!(
            e.starts_with("2: ") && e.contains("signal inconnu « late »"),
            "{e}"
        );
        let e = Config::parse("\n[funnels.east]\ninactive_days = 0\n", Lang::En).unwrap_err();
        assert!(
            e.starts_with("3: ") && e.contains("funnels.east.inactive_days"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let e = Config::parse("currency = \"EUR\"\nlangage = \"fr\"\n", Lang::En).unwrap_err();
        assert!(e.starts_with("2: "), "{e}");
        assert!(e.contains("langage"), "{e}");
        let e = Config::parse("\n\n[stages.nope]\nexpected_days = 3\n", Lang::En).unwrap_err();
        assert!(e.starts_with("3: ") && e.contains("nope"), "{e}");
        let e = Config::parse("fiscal_start = 13\n", Lang::En).unwrap_err();
        assert!(e.starts_with("1: ") && e.contains("fiscal_start"), "{e}");
        let e = Config::parse("\nrequired_factor = 0.5\n", Lang::En).unwrap_err();
        assert!(e.starts_with("2: ") && e.contains("required_factor"), "{e}");
        let e = Config::parse("language = \"de\"\n", Lang::En).unwrap_err();
        assert!(e.starts_with("1: "), "{e}");
        let e = Config::parse("mouse = true\nuser = \"  \"\n", Lang::En).unwrap_err();
        assert!(e.starts_with("2: ") && e.contains("user"), "{e}");
        let c = Config::parse("user = \"Ana\"\n", Lang::En).unwrap();
        assert_eq!(c.user.as_deref(), Some("Ana"));
        let e = Config::parse("\nfiscal_start = 13\n", Lang::Fr).unwrap_err();
        assert_eq!(e, "2: fiscal_start doit être un mois de 1 à 12, pas 13");
    }

    #[test]
    fn keys_are_kept_as_written_with_their_lines() {
        let c = Config::parse(
            "mouse = true\n\n[keys.detail]\ntoggle_asked = \"x\"\n\n[keys.board]\nmove_back = [\"H\", \"S-Left\"]\nmove_forward = \"L\"\n", Lang::En,
        )
        .unwrap();
        let remap = |action: &str, keys: &[&str], line| KeyRemap {
            action: action.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            line,
        };
        assert_eq!(
            c.keys,
            [
                KeyTableSetting {
                    table: "detail".into(),
                    line: 3,
                    remaps: vec![remap("toggle_asked", &["x"], 4)],
                },
                KeyTableSetting {
                    table: "board".into(),
                    line: 6,
                    remaps: vec![
                        remap("move_back", &["H", "S-Left"], 7),
                        remap("move_forward", &["L"], 8),
                    ],
                },
            ]
        );
        assert!(Config::parse("", Lang::En).unwrap().keys.is_empty());
    }

    #[test]
    fn a_key_entry_of_another_shape_names_its_line() {
        for (text, line) in [
            ("[keys.board]\nmove_forward = 3\n", "2: "),
            ("\n[keys.board]\n\nmove_back = [\"H\", 1]\n", "4: "),
            ("[keys]\nboard = \"L\"\n", "2: "),
        ] {
            let e = Config::parse(text, Lang::En).unwrap_err();
            assert!(e.starts_with(line), "{text}: {e}");
        }
        let e = Config::parse("[keys.board]\nmove_forward = 3\n", Lang::En).unwrap_err();
        assert!(e.contains("keys.board.move_forward: expected a key"), "{e}");
    }
}
