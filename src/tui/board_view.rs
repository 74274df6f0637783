//! What the board shows, in words: the orders its columns take and their names, and the flags
//! its filter keeps. The title bar, the filter form and the board's remembered view say them
//! alike.

use crate::domain::Lang;
use crate::store::{CardFilter, ColumnOrder};
use crate::tui::texts;

/// The columns' orders, in the order `s` goes through them.
pub const ORDERS: [ColumnOrder; 4] = [
    ColumnOrder::Value,
    ColumnOrder::ExpectedClose,
    ColumnOrder::NextStepDue,
    ColumnOrder::DaysInStage,
];

pub fn order_key(order: ColumnOrder) -> &'static str {
    match order {
        ColumnOrder::Value => "value",
        ColumnOrder::ExpectedClose => "expected_close",
        ColumnOrder::NextStepDue => "next_step_due",
        ColumnOrder::DaysInStage => "days_in_stage",
    }
}

/// The order after `order`.
pub fn next_order(order: ColumnOrder) -> ColumnOrder {
    let at = ORDERS.iter().position(|o| *o == order).unwrap_or(0);
    ORDERS[(at + 1) % ORDERS.len()]
}

/// An order's name, as the title bar and the notice say it.
pub fn order_name(order: ColumnOrder, lang: Lang) -> &'static str {
    let name = match order {
        ColumnOrder::Value => texts::order_value,
        ColumnOrder::ExpectedClose => texts::order_expected_close,
        ColumnOrder::NextStepDue => texts::order_next_step,
        ColumnOrder::DaysInStage => texts::order_days_in_stage,
    };
    name(lang)
}

/// A flag the board's filter takes, as typed in its Flags field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterFlag {
    Overdue,
    NoNextStep,
    Unverified,
}

impl FilterFlag {
    pub const ALL: [FilterFlag; 3] = [
        FilterFlag::Overdue,
        FilterFlag::NoNextStep,
        FilterFlag::Unverified,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        let name = match self {
            FilterFlag::Overdue => texts::only_overdue,
            FilterFlag::NoNextStep => texts::only_no_next_step,
            FilterFlag::Unverified => texts::only_unverified,
        };
        name(lang)
    }

    /// Whether `filter` keeps only the cards with this flag.
    pub fn is_in(self, filter: &CardFilter) -> bool {
        match self {
            FilterFlag::Overdue => filter.due_before.is_some(),
            FilterFlag::NoNextStep => filter.no_next_step,
            FilterFlag::Unverified => filter.unverified,
        }
    }

    /// The flags `filter` keeps, named in `lang`, comma separated.
    pub fn names_in(filter: &CardFilter, lang: Lang) -> String {
        FilterFlag::ALL
            .into_iter()
            .filter(|f| f.is_in(filter))
            .map(|f| f.name(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The flag a word names, in either language.
    pub fn parse(word: &str) -> Option<FilterFlag> {
        let word = word.trim().to_lowercase();
        FilterFlag::ALL
            .into_iter()
            .find(|f| [Lang::En, Lang::Fr].iter().any(|l| f.name(*l) == word))
    }
}
