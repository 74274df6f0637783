//! The demo's words and cast, read once from `assets/demo.toml`: the teams and sellers with their
//! habits, the products, what companies, public bodies and people are called, and what a card
//! says at each stage. Kept as data so that the generator's code reads as the rules it follows.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::domain::Stage;

const TEXT: &str = include_str!("../../assets/demo.toml");

/// Everything the generator draws words from (every list has at least one entry).
pub(super) struct Words {
    /// In the file's order, team by team.
    pub sellers: Vec<Seller>,
    pub products: Vec<Product>,
    pub places: Vec<String>,
    pub sectors: Vec<String>,
    pub company_forms: Vec<String>,
    pub public_bodies: Vec<String>,
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub roles: Vec<Role>,
    pub lost_reasons: Vec<LostReason>,
    pub criteria: Vec<String>,
    /// One per stage, in stage order.
    pub stages: Vec<StageWords>,
    /// For a checklist question without answers of its own.
    pub generic_answer: String,
    pub activities: ActivityWords,
}

/// What a seller writes when logging each kind of activity (a next step done says its step).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ActivityWords {
    pub call: Vec<String>,
    pub meeting: Vec<String>,
    pub email: Vec<String>,
    pub note: Vec<String>,
}

/// A seller and the habits that shape their cards.
pub(super) struct Seller {
    pub name: String,
    pub team: String,
    pub region: String,
    pub territories: Vec<String>,
    /// Share of the cards.
    pub weight: u32,
    /// Share of closed cards that are won.
    pub win: f64,
    /// Share of open cards overdue in their stage.
    pub stale: f64,
    /// Share of moves made without the evidence confirmed.
    pub unverified: f64,
    /// Factor the seller's individual target is set for (low: a hard target); `None`: the
    /// target is already reached.
    pub ambition: Option<f64>,
    /// The team's: stretches the deal sizes.
    pub deal_scale: f64,
    /// The team's: sells to public bodies rather than companies.
    pub public_bodies: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Product {
    pub name: String,
    /// Share of the cards.
    pub weight: u32,
    /// Multiplies the drawn value (training and support deals are smaller).
    pub scale: f64,
    pub titles: Vec<String>,
}

/// Role in the purchase, with ranges of (authority, influence) and typical motivations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Role {
    pub name: String,
    pub authority: (u32, u32),
    pub influence: (u32, u32),
    pub motivations: Vec<String>,
}

/// Why a card was lost, with its weights for a card lost before it was viable and after.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LostReason {
    pub reason: String,
    pub early: u32,
    pub late: u32,
}

/// What a card says at one stage.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StageWords {
    key: String,
    pub next_steps: Vec<String>,
    /// Evidence notes; `{cost}` is replaced by the problem's yearly cost.
    pub evidence: Vec<String>,
    /// Two short answers per checklist question (English catalog order); `{n}`, `{pct}` and
    /// `{cost}` are filled in per card.
    pub answers: Vec<[String; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    places: Vec<String>,
    sectors: Vec<String>,
    company_forms: Vec<String>,
    public_bodies: Vec<String>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    criteria: Vec<String>,
    generic_answer: String,
    activity: ActivityWords,
    team: Vec<Team>,
    product: Vec<Product>,
    role: Vec<Role>,
    lost_reason: Vec<LostReason>,
    stage: Vec<StageWords>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Team {
    name: String,
    deal_scale: f64,
    #[serde(default)]
    public_bodies: bool,
    seller: Vec<SellerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SellerEntry {
    name: String,
    region: String,
    territories: Vec<String>,
    weight: u32,
    win: f64,
    stale: f64,
    unverified: f64,
    ambition: Option<f64>,
}

impl Words {
    /// The embedded words, parsed on first use (a test checks the file).
    pub fn get() -> &'static Words {
        static WORDS: LazyLock<Words> =
            LazyLock::new(|| Words::parse(TEXT).expect("embedded assets/demo.toml"));
        &WORDS
    }

    /// Parses a words file and checks that the generator can draw from every list.
    pub fn parse(text: &str) -> Result<Words, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let sellers = file
            .team
            .into_iter()
            .flat_map(|team| {
                team.seller.into_iter().map(move |s| Seller {
                    name: s.name,
                    team: team.name.clone(),
                    region: s.region,
                    territories: s.territories,
                    weight: s.weight,
                    win: s.win,
                    stale: s.stale,
                    unverified: s.unverified,
                    ambition: s.ambition,
                    deal_scale: team.deal_scale,
                    public_bodies: team.public_bodies,
                })
            })
            .collect();
        let words = Words {
            sellers,
            products: file.product,
            places: file.places,
            sectors: file.sectors,
            company_forms: file.company_forms,
            public_bodies: file.public_bodies,
            first_names: file.first_names,
            last_names: file.last_names,
            roles: file.role,
            lost_reasons: file.lost_reason,
            criteria: file.criteria,
            stages: file.stage,
            generic_answer: file.generic_answer,
            activities: file.activity,
        };
        words.check()?;
        Ok(words)
    }

    fn check(&self) -> Result<(), String> {
        let keys: Vec<&str> = self.stages.iter().map(|s| s.key.as_str()).collect();
        if keys != Stage::ALL.map(Stage::key) {
            return Err(format!("stages should be the eight in order, not {keys:?}"));
        }
        let lists = [
            ("team.seller", self.sellers.len()),
            ("product", self.products.len()),
            ("lost_reason", self.lost_reasons.len()),
            ("places", self.places.len()),
            ("sectors", self.sectors.len()),
            ("company_forms", self.company_forms.len()),
            ("public_bodies", self.public_bodies.len()),
            ("first_names", self.first_names.len()),
            ("last_names", self.last_names.len()),
            ("criteria", self.criteria.len()),
            ("role", self.roles.len()),
            ("activity.call", self.activities.call.len()),
            ("activity.meeting", self.activities.meeting.len()),
            ("activity.email", self.activities.email.len()),
            ("activity.note", self.activities.note.len()),
        ];
        let per_item = self
            .sellers
            .iter()
            .map(|s| (s.name.as_str(), s.territories.len()))
            .chain(
                self.products
                    .iter()
                    .map(|p| (p.name.as_str(), p.titles.len())),
            )
            .chain(
                self.roles
                    .iter()
                    .map(|r| (r.name.as_str(), r.motivations.len())),
            )
            .chain(self.stages.iter().flat_map(|s| {
                [
                    (s.key.as_str(), s.next_steps.len()),
                    (s.key.as_str(), s.evidence.len()),
                ]
            }));
        if let Some((name, _)) = lists.into_iter().chain(per_item).find(|(_, n)| *n == 0) {
            return Err(format!("{name}: an empty list"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Catalog, Lang};

    #[test]
    fn the_embedded_words_follow_the_catalog() {
        let words = Words::get();
        let en = Catalog::get(Lang::En);
        for stage in Stage::ALL {
            assert_eq!(
                words.stages[stage.index()].answers.len(),
                en.info(stage).questions.len(),
                "{stage}"
            );
        }
        assert_eq!(words.sellers.len(), 6);
        assert_eq!(words.sellers.iter().filter(|s| s.public_bodies).count(), 2);
    }

    #[test]
    fn a_broken_file_is_refused() {
        let broken = |from: &str, to: &str| {
            assert!(TEXT.contains(from), "{from}");
            Words::parse(&TEXT.replacen(from, to, 1))
                .err()
                .expect("refused")
        };
        assert!(broken("key = \"closing\"", "key = \"done\"").contains("eight in order"));
        let titles = "titles = [\n  \"ERP integration\",\n  \"CRM integration project\",\n  \
                      \"Legacy system migration\",\n  \"API gateway integration\",\n]";
        let empty = broken(titles, "titles = []");
        assert_eq!(empty, "Integration services: an empty list");
    }
}
