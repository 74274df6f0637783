//! The eight buying stages and their catalog.
//!
//! The stages are fixed by the method (they follow the customer's buying journey), so they are an
//! enum; their words — names, evidence statements, questions, coaching — are data shipped in
//! `assets/stages.<lang>.toml` and embedded in the binary, one file per language.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::Lang;

/// A step of the customer's buying journey, in order. Serialised as its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    PreFunnel,
    ProblemRecognized,
    ImpactDefined,
    CommitsToInvest,
    DecisionCriteria,
    EvaluatesAlternatives,
    VendorSelected,
    Closing,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::PreFunnel,
        Stage::ProblemRecognized,
        Stage::ImpactDefined,
        Stage::CommitsToInvest,
        Stage::DecisionCriteria,
        Stage::EvaluatesAlternatives,
        Stage::VendorSelected,
        Stage::Closing,
    ];
    pub const COUNT: usize = 8;

    /// The stable key used in files, the database and the command line.
    pub fn key(self) -> &'static str {
        match self {
            Stage::PreFunnel => "pre_funnel",
            Stage::ProblemRecognized => "problem_recognized",
            Stage::ImpactDefined => "impact_defined",
            Stage::CommitsToInvest => "commits_to_invest",
            Stage::DecisionCriteria => "decision_criteria",
            Stage::EvaluatesAlternatives => "evaluates_alternatives",
            Stage::VendorSelected => "vendor_selected",
            Stage::Closing => "closing",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Stage> {
        Stage::ALL.get(i).copied()
    }

    /// From `commits_to_invest` on, the customer will very probably buy (from us or a rival):
    /// only these stages count in RTV.
    pub fn is_viable(self) -> bool {
        self >= Stage::CommitsToInvest
    }

    pub fn next(self) -> Option<Stage> {
        Stage::from_index(self.index() + 1)
    }

    pub fn previous(self) -> Option<Stage> {
        self.index().checked_sub(1).and_then(Stage::from_index)
    }

    /// Accepts a key, or a stage name in English or French, case-insensitively.
    pub fn parse_any(text: &str) -> Option<Stage> {
        // Exports write the key: found without lowercasing a copy.
        if let Ok(stage) = text.parse() {
            return Some(stage);
        }
        let wanted = text.trim().to_lowercase();
        if let Ok(stage) = wanted.parse() {
            return Some(stage);
        }
        [Lang::En, Lang::Fr].into_iter().find_map(|lang| {
            Catalog::get(lang)
                .stages
                .iter()
                .find(|s| s.name.to_lowercase() == wanted || s.short.to_lowercase() == wanted)
                .map(|s| s.stage)
        })
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Stage {
    type Err = UnknownKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.key() == s)
            .ok_or_else(|| UnknownKey::Stage(s.to_owned()))
    }
}

/// A key that names no stage, status or event kind, as given (a status's trimmed and
/// lower-cased), said by `i18n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownKey {
    Stage(String),
    Status(String),
    EventKind(String),
    ActivityKind(String),
    Flag(String),
}

/// The words of one stage in one language.
#[derive(Debug, Clone)]
pub struct StageInfo {
    pub stage: Stage,
    pub name: String,
    /// At most 14 columns, for narrow column headers.
    pub short: String,
    /// The customer's verifiable step that proves the stage is reached.
    pub evidence: String,
    pub guidance: String,
    pub questions: Vec<String>,
    /// Days after which a card in this stage is stale (overridable in config.toml).
    pub expected_days: u32,
}

/// All stages' words in one language, in stage order.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub stages: Vec<StageInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    stage: Vec<StageEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageEntry {
    key: String,
    name: String,
    short: String,
    evidence: String,
    guidance: String,
    expected_days: u32,
    viable: bool,
    questions: Vec<String>,
}

/// Why a catalog file is refused. The catalogs are embedded and a test parses them, so no user
/// meets one: it has no words, only what a failing test or `expect` shows (`Debug`).
#[derive(Debug)]
pub enum CatalogError {
    Toml(toml::de::Error),
    /// Not eight stages.
    StageCount(usize),
    /// The key found where `expected` belongs.
    OutOfOrder {
        found: String,
        expected: Stage,
    },
    WrongViability(Stage),
    /// Not 3 to 7 questions.
    QuestionCount(Stage),
}

const EN: &str = include_str!("../../assets/stages.en.toml");
const FR: &str = include_str!("../../assets/stages.fr.toml");

impl Catalog {
    /// The built-in catalog of a language (parsed once; the embedded files are checked by tests).
    pub fn get(lang: Lang) -> &'static Catalog {
        static CATALOGS: std::sync::OnceLock<[Catalog; 2]> = std::sync::OnceLock::new();
        let both = CATALOGS.get_or_init(|| {
            [
                Catalog::parse(EN).expect("embedded English catalog"),
                Catalog::parse(FR).expect("embedded French catalog"),
            ]
        });
        match lang {
            Lang::En => &both[0],
            Lang::Fr => &both[1],
        }
    }

    /// Parses a catalog file and checks it lists the eight stages in order.
    pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(CatalogError::Toml)?;
        if file.stage.len() != Stage::COUNT {
            return Err(CatalogError::StageCount(file.stage.len()));
        }
        let stages = file
            .stage
            .into_iter()
            .zip(Stage::ALL)
            .map(|(entry, stage)| {
                if entry.key != stage.key() {
                    return Err(CatalogError::OutOfOrder {
                        found: entry.key,
                        expected: stage,
                    });
                }
                if entry.viable != stage.is_viable() {
                    return Err(CatalogError::WrongViability(stage));
                }
                if !(3..=7).contains(&entry.questions.len()) {
                    return Err(CatalogError::QuestionCount(stage));
                }
                Ok(StageInfo {
                    stage,
                    name: entry.name,
                    short: entry.short,
                    evidence: entry.evidence,
                    guidance: entry.guidance,
                    questions: entry.questions,
                    expected_days: entry.expected_days,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Catalog { stages })
    }

    pub fn info(&self, stage: Stage) -> &StageInfo {
        &self.stages[stage.index()]
    }

    pub fn name(&self, stage: Stage) -> &str {
        &self.info(stage).name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogs_parse_and_agree() {
        let en = Catalog::get(Lang::En);
        let fr = Catalog::get(Lang::Fr);
        for stage in Stage::ALL {
            let (e, f) = (en.info(stage), fr.info(stage));
            assert_eq!(e.questions.len(), f.questions.len(), "{stage}");
            assert_eq!(e.expected_days, f.expected_days, "{stage}");
            assert!(crate::domain::text::width(&e.short) <= 14, "{}", e.short);
            assert!(crate::domain::text::width(&f.short) <= 14, "{}", f.short);
            assert_ne!(e.name, f.name, "French name should be translated: {stage}");
        }
    }

    #[test]
    fn stage_order_and_viability() {
        assert!(!Stage::ImpactDefined.is_viable());
        assert!(Stage::CommitsToInvest.is_viable());
        assert!(Stage::Closing.is_viable());
        assert_eq!(Stage::PreFunnel.previous(), None);
        assert_eq!(Stage::Closing.next(), None);
        assert_eq!(Stage::ImpactDefined.next(), Some(Stage::CommitsToInvest));
    }

    #[test]
    fn parses_keys_and_names_in_both_languages() {
        assert_eq!(Stage::parse_any("closing"), Some(Stage::Closing));
        assert_eq!(
            Stage::parse_any("  Decision Criteria "),
            Some(Stage::DecisionCriteria)
        );
        let fr = &Catalog::get(Lang::Fr).info(Stage::VendorSelected).name;
        assert_eq!(
            Stage::parse_any(&fr.to_uppercase()),
            Some(Stage::VendorSelected)
        );
        assert_eq!(Stage::parse_any("nonsense"), None);
    }

    #[test]
    fn rejects_a_broken_catalog() {
        assert!(Catalog::parse("[[stage]]\nkey = 1").is_err());
        let en = EN.replacen("key = \"pre_funnel\"", "key = \"pre\"", 1);
        assert!(matches!(
            Catalog::parse(&en),
            Err(CatalogError::OutOfOrder { found, expected: Stage::PreFunnel }) if found == "pre"
        ));
        let en = EN.replacen("viable = false", "viable = true", 1);
        assert!(matches!(
            Catalog::parse(&en),
            Err(CatalogError::WrongViability(Stage::PreFunnel))
        ));
    }
}
