//! The funnel's domain: stages, opportunities, periods, money and the indicator math.
//!
//! Pure types and functions only — no I/O, no terminal, no SQL — so that the method's rules
//! (what counts in RTV, when a target is reached, how text is made safe) are tested on their own.

pub mod activity;
pub mod indicators;
pub mod insight;
pub mod lang;
pub mod money;
pub mod opportunity;
pub mod period;
pub mod review;
pub mod stage;
pub mod text;
pub mod upkeep;
pub mod when;

pub use activity::{Activity, ActivityKind, NewActivity};
pub use lang::Lang;
pub use opportunity::{
    Answer, DateConflict, EventKind, Evidence, Opportunity, OpportunityFields, Person, StageEvent,
    Status,
};
pub use period::Period;
pub use stage::{Catalog, CatalogError, Stage, StageInfo, UnknownKey};
pub use upkeep::{Flag, FlagCounts, Flags, Upkeep, UpkeepSettings};
