//! The team sync's words: its state on the status line, what a sync that ended says, and the
//! conflicts screen.

crate::texts! {
    /// A background thread that ended under the board.
    pub sync_thread_stopped = {
        en: "the sync thread stopped",
        fr: "le fil de synchronisation s'est arrêté",
    };
    pub figures_thread_stopped = {
        en: "the figures thread stopped",
        fr: "le fil de calcul des chiffres s'est arrêté",
    };
    pub syncing = { en: "syncing…", fr: "synchronisation…" };
    pub syncing_short = { en: "syncing…", fr: "synchro…" };
    pub offline = { en: "offline", fr: "hors ligne" };
    pub sync_failed_state = { en: "sync failed", fr: "échec de la synchro" };
    pub sync_failed_short = { en: "sync failed", fr: "échec synchro" };
    pub synced_ago(ago: &str) = { en: "synced {ago} ago", fr: "synchronisé il y a {ago}" };
    pub not_synced_yet = { en: "not synced yet", fr: "pas encore synchronisé" };
    pub not_synced_short = { en: "not synced", fr: "non synchro" };
    /// Counted words (see `i18n::count`).
    pub refused = { en: "refused", fr: "refusés" };
    pub refused_one = { en: "refused", fr: "refusé" };
    /// Pulled rows that failed a check (counted words, see `i18n::count`).
    pub kept_aside = { en: "kept aside", fr: "mises de côté" };
    pub kept_aside_one = { en: "kept aside", fr: "mise de côté" };
    pub local_changes_pending = {
        en: "local changes pending",
        fr: "changements locaux en attente",
    };
    pub local_change_pending_one = {
        en: "local change pending",
        fr: "changement local en attente",
    };
    pub pending(n: i64) = { en: "{n} pending", fr: "{n} en attente" };
}

// A sync that ended, and `S`.
crate::texts! {
    /// Counted words (see `i18n::count`).
    pub conflicts_kept = { en: "conflicts", fr: "conflits gardés" };
    pub conflicts_kept_one = { en: "conflict", fr: "conflit gardé" };
    /// `count`: the conflicts counted with the words above.
    pub kept_by_the_sync(count: &str) = {
        en: "{count} kept by the sync (see `funnel conflicts`)",
        fr: "{count} par la synchro (voir `funnel conflicts`)",
    };
    pub sync_failed(why: &str) = { en: "Sync failed: {why}", fr: "Échec de la synchro : {why}" };
    pub already_syncing = { en: "Already syncing", fr: "Synchro déjà en cours" };
    pub no_hub = {
        en: "No hub configured: set [sync] url in config.toml or $FUNNEL_SYNC_URL",
        fr: "Aucun hub configuré : [sync] url dans config.toml ou $FUNNEL_SYNC_URL",
    };
    pub no_conflicts = { en: "No sync conflicts", fr: "Aucun conflit de synchro" };
}

// The conflicts screen.
crate::texts! {
    pub conflicts_title = { en: " Sync conflicts ", fr: " Conflits de synchro " };
    pub mine_kept = { en: "mine kept", fr: "le mien gardé" };
    pub theirs_kept = { en: "theirs kept", fr: "le leur gardé" };
    pub difference(field: &str, mine: &str, theirs: &str) = {
        en: "{field}: mine {mine} · theirs {theirs}",
        fr: "{field}: le mien {mine} · le leur {theirs}",
    };
    pub conflict_settled(title: &str) = {
        en: "Conflict settled: {title} (pushed on the next sync)",
        fr: "Conflit réglé : {title} (envoyé à la prochaine synchro)",
    };
    pub settling_barrier = { en: "settling a sync conflict", fr: "régler un conflit de synchro" };
}
