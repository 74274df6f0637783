//! The demo's previous one-to-ones, so a review has "since the last meeting" to start from and
//! a meeting has a skill and action items to carry: two weeks before the demo's today, a lead
//! met two sellers (a skill each, an action item done, one left overdue, one still to come)
//! and a director met a team's lead. Written through the store's meeting API on that day's
//! clock; a seller or team that already has a meeting is left alone, so the demo again adds
//! none.

use chrono::{Days, NaiveDate};

use crate::domain::review::ReviewScope;
use crate::store::{self, Clock, Funnel, Store};

/// Days before today the previous meetings were held.
const DAYS_AGO: u64 = 14;

/// A meeting the demo keeps: with whom, the skill chosen, its note, and its action items
/// (text, due so many days after the meeting — before today: overdue — and whether done).
struct Held {
    scope: fn() -> ReviewScope,
    /// The team's lead (a team meeting only).
    lead: &'static str,
    skill: &'static str,
    notes: &'static str,
    items: &'static [(&'static str, u64, bool)],
}

const HELD: [Held; 3] = [
    Held {
        scope: || ReviewScope::Owner("Julia Weber".into()),
        lead: "",
        skill: "Confirming the decision criteria before the proposal",
        notes: "Good quarter; two large deals depend on one sponsor each.",
        items: &[
            (
                "Send the ROI model to the CFO of the largest open deal",
                3,
                true,
            ),
            ("Find a second sponsor on each deal above 100k", 7, false),
            ("Review the close dates of the cards in Closing", 21, false),
        ],
    },
    Held {
        scope: || ReviewScope::Owner("Marc Dubois".into()),
        lead: "",
        skill: "Getting evidence before moving a card",
        notes: "Many cards moved without the customer's evidence; close dates keep slipping.",
        items: &[
            (
                "Confirm the evidence of every card moved without it",
                5,
                false,
            ),
            ("Log a call on each card quiet for two weeks", 10, true),
            (
                "Agree a close plan with the customer on the top three deals",
                20,
                false,
            ),
        ],
    },
    Held {
        scope: || ReviewScope::Team("Enterprise".into()),
        lead: "Claire Fontaine",
        skill: "Coaching with the funnel factor rather than the forecast",
        notes: "Enterprise is on target; its unverified moves are mostly one seller's.",
        items: &[(
            "Hold a one-to-one with every seller before month end",
            10,
            false,
        )],
    },
];

/// Keeps the demo's previous meetings (see the module doc), two weeks before `today`.
pub(super) fn previous_meetings(
    store: &mut Store,
    funnel: &Funnel,
    today: NaiveDate,
) -> store::Result<()> {
    let held_on = today - Days::new(DAYS_AGO);
    let owners = store.owners(funnel)?;
    let clock = store.clock();
    store.set_clock(Clock::Fixed(held_on.and_hms_opt(10, 0, 0).expect("a time")));
    let kept = HELD.iter().try_for_each(|held| {
        let scope = (held.scope)();
        let present = match &scope {
            ReviewScope::Owner(owner) => owners.contains(owner),
            ReviewScope::Team(team) => !store.team_members(funnel, team)?.is_empty(),
        };
        if !present || store.last_meeting_day(funnel, &scope, today)?.is_some() {
            return Ok(());
        }
        let meeting = match &scope {
            ReviewScope::Owner(owner) => store.start_meeting(funnel, owner)?,
            ReviewScope::Team(team) => store.start_team_meeting(funnel, team, held.lead)?,
        };
        store.set_meeting_skill(&meeting.id, held.skill)?;
        store.set_meeting_notes(&meeting.id, held.notes)?;
        let who = match &scope {
            ReviewScope::Owner(owner) => owner.as_str(),
            ReviewScope::Team(_) => held.lead,
        };
        for &(text, due_in, done) in held.items {
            let due = held_on + Days::new(due_in);
            let item = store.add_action_item(&meeting.id, who, text, Some(due))?;
            if done {
                store.toggle_action_item(&item.id)?;
            }
        }
        Ok(())
    });
    store.set_clock(clock);
    kept
}
