//! Why a `[keys]` entry of `config.toml` is refused.

crate::texts! {
    pub unknown_key_table(table: &str, tables: &str) = {
        en: "unknown key table [keys.{table}] (the tables: {tables})",
        fr: "table de touches inconnue [keys.{table}] (les tables : {tables})",
    };
    pub unknown_key_action(action: &str, table: &str, actions: &str) = {
        en: "unknown action `{action}` in [keys.{table}] (its actions: {actions})",
        fr: "action inconnue `{action}` dans [keys.{table}] (ses actions : {actions})",
    };
    pub no_key_given = {
        en: "give at least one key",
        fr: "donnez au moins une touche",
    };
    pub unreadable_key(key: &str) = {
        en: "cannot read the key `{key}` (write a character such as `L` or `?`, or Space, Enter, Esc, Tab, S-Tab, Del, Home, End, PgUp, PgDn, Up, Down, Left, Right, F1 to F12, C-x for Control, S-Left for Shift)",
        fr: "touche illisible `{key}` (écrivez un caractère comme `L` ou `?`, ou Space, Enter, Esc, Tab, S-Tab, Del, Home, End, PgUp, PgDn, Up, Down, Left, Right, F1 à F12, C-x pour Contrôle, S-Left pour Maj)",
    };
    pub shifted_character(key: &str) = {
        en: "`{key}`: write the character Shift types instead (`L`, not `S-l`)",
        fr: "`{key}` : écrivez plutôt le caractère que donne Maj (`L`, pas `S-l`)",
    };
    pub ctrl_c_quits = {
        en: "C-c always quits funnel",
        fr: "C-c quitte toujours funnel",
    };
    pub key_types_itself(key: &str) = {
        en: "`{key}` types itself in a text field (choose a key such as Enter, Tab or C-x)",
        fr: "`{key}` s'écrit dans un champ de texte (choisissez une touche comme Enter, Tab ou C-x)",
    };
    pub key_written_twice(key: &str) = {
        en: "`{key}` is written twice",
        fr: "`{key}` est écrite deux fois",
    };
    pub key_bound_twice(key: &str, table: &str, action: &str, other: &str) = {
        en: "`{key}` would be bound twice in [keys.{table}], to {action} and to {other}",
        fr: "`{key}` serait liée deux fois dans [keys.{table}], à {action} et à {other}",
    };
}
