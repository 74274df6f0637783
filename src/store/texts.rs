//! What the store's errors say, in English and French.

use std::fmt::Display;

use super::{Damage, StoreError};
use crate::domain::Lang;

crate::texts! {
    not_funnel_database(path: impl Display) = {
        en: "{path}: not a funnel database (left untouched)",
        fr: "{path} : ce n'est pas une base funnel (laissée intacte)",
    };
    damaged(path: impl Display, reason: &str) = {
        en: "{path}: a funnel database, but damaged ({reason}); left untouched: restore a backup \
             (`funnel backup` makes them)",
        fr: "{path} : une base funnel, mais endommagée ({reason}) ; laissée intacte : restaurez \
             une sauvegarde (`funnel backup` en fait)",
    };
    truncated(len: u64, expected: u64) = {
        en: "{len} bytes of the {expected} it should hold",
        fr: "{len} octets sur les {expected} qu'elle devrait contenir",
    };
    unreadable = { en: "its pages cannot be read", fr: "ses pages sont illisibles" };
    too_new(path: impl Display, found: usize, supported: usize) = {
        en: "{path}: made by a newer version of funnel (schema {found}, this one knows \
             {supported}); left untouched",
        fr: "{path} : créée par une version plus récente de funnel (schéma {found}, celle-ci \
             connaît le {supported}) ; laissée intacte",
    };
    cannot_create(path: impl Display, reason: impl Display) = {
        en: "cannot create {path}: {reason}",
        fr: "impossible de créer {path} : {reason}",
    };
    not_found(id: &str) = {
        en: "no opportunity matches \"{id}\"",
        fr: "aucune opportunité ne correspond à « {id} »",
    };
    ambiguous(id: &str) = {
        en: "\"{id}\" matches several opportunities: give more characters of the id",
        fr: "« {id} » correspond à plusieurs opportunités : donnez plus de caractères de \
             l'identifiant",
    };
    no_such_funnel(name: &str) = {
        en: "no funnel named \"{name}\"",
        fr: "aucun entonnoir nommé « {name} »",
    };
    funnel_exists(name: &str) = {
        en: "a funnel named \"{name}\" already exists",
        fr: "un entonnoir nommé « {name} » existe déjà",
    };
    conflict = {
        en: "this card was changed elsewhere (another window or command); reloaded, try again",
        fr: "cette carte a été modifiée ailleurs (autre fenêtre ou commande) ; rechargée, \
             réessayez",
    };
    busy = {
        en: "the database is busy (another funnel is writing); try again in a moment",
        fr: "la base est occupée (un autre funnel écrit) ; réessayez dans un instant",
    };
    read_only = {
        en: "the database is read-only: nothing was changed",
        fr: "la base est en lecture seule : rien n'a été modifié",
    };
    read_only_outdated(path: impl Display) = {
        en: "{path}: read-only, and made by an older version of funnel: make it writable once \
             to upgrade it",
        fr: "{path} : en lecture seule, et créée par une version plus ancienne de funnel : \
             rendez-la modifiable une fois pour la mettre à jour",
    };
    full = {
        en: "the disk is full (or the database reached its size limit): nothing was saved",
        fr: "le disque est plein (ou la base a atteint sa taille limite) : rien n'a été \
             enregistré",
    };
    database_error(reason: impl Display) = {
        en: "database error: {reason}",
        fr: "erreur de la base : {reason}",
    };
    migration_failed(reason: impl Display) = {
        en: "schema migration failed: {reason}",
        fr: "la mise à jour du schéma a échoué : {reason}",
    };
}

impl StoreError {
    /// The message in `lang`. The reasons that come from SQLite and the system, and those of
    /// [`StoreError::Invalid`], are in English.
    pub fn say(&self, lang: Lang) -> String {
        match self {
            StoreError::NotFunnelDatabase { path } => not_funnel_database(lang, path.display()),
            StoreError::Damaged { path, reason } => {
                let reason = match *reason {
                    Damage::Truncated { len, expected } => truncated(lang, len, expected),
                    Damage::Unreadable => unreadable(lang).to_owned(),
                };
                damaged(lang, path.display(), &reason)
            }
            StoreError::TooNew {
                path,
                found,
                supported,
            } => too_new(lang, path.display(), *found, *supported),
            StoreError::Create { path, source } => cannot_create(lang, path.display(), source),
            StoreError::NotFound(id) => not_found(lang, id),
            StoreError::Ambiguous(id) => ambiguous(lang, id),
            StoreError::NoSuchFunnel(name) => no_such_funnel(lang, name),
            StoreError::FunnelExists(name) => funnel_exists(lang, name),
            StoreError::Conflict => conflict(lang).to_owned(),
            StoreError::Invalid(reason) => reason.clone(),
            StoreError::Busy => busy(lang).to_owned(),
            StoreError::ReadOnly => read_only(lang).to_owned(),
            StoreError::ReadOnlyOutdated { path } => read_only_outdated(lang, path.display()),
            StoreError::Full => full(lang).to_owned(),
            StoreError::Sqlite(e) => database_error(lang, e),
            StoreError::Migration(e) => migration_failed(lang, migration_failure(e)),
        }
    }
}

/// Why a schema step failed, without the step's SQL (hundreds of lines nobody can act on).
fn migration_failure(e: &rusqlite_migration::Error) -> String {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => err.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_speak_both_languages_and_display_stays_english() {
        let e = StoreError::NotFound("zzz".into());
        assert_eq!(e.to_string(), "no opportunity matches \"zzz\"");
        assert_eq!(
            e.say(Lang::Fr),
            "aucune opportunité ne correspond à « zzz »"
        );
        let e = StoreError::Damaged {
            path: "f.db".into(),
            reason: Damage::Truncated {
                len: 10,
                expected: 4096,
            },
        };
        assert!(
            e.to_string()
                .contains("(10 bytes of the 4096 it should hold)"),
            "{e}"
        );
        let fr = e.say(Lang::Fr);
        assert!(
            fr.starts_with("f.db : une base funnel, mais endommagée (10 octets"),
            "{fr}"
        );
    }
}
