//! What sync errors say, in English and French.

use std::fmt::Display;

use super::{SyncError, with_causes};
use crate::domain::Lang;

crate::texts! {
    hub(reason: impl Display) = { en: "hub: {reason}", fr: "hub : {reason}" };
    verify_ca = {
        en: "hub: sslmode=verify-ca is not supported: use sslmode=require, which also checks the \
             host name",
        fr: "hub : sslmode=verify-ca n'est pas pris en charge : utilisez sslmode=require, qui \
             vérifie aussi le nom de l'hôte",
    };
    bad_url(reason: &str) = {
        en: "hub: bad hub URL: {reason}",
        fr: "hub : URL du hub invalide : {reason}",
    };
    certificate(reason: &str) = {
        en: "hub: {reason} (the hub's certificate must chain to a public root or to \
             PGSSLROOTCERT, and name the host in the URL)",
        fr: "hub : {reason} (le certificat du hub doit remonter à une racine publique ou à \
             PGSSLROOTCERT, et nommer l'hôte de l'URL)",
    };
    roots(file: impl Display, reason: &str) = {
        en: "hub: root certificates {file}: {reason}",
        fr: "hub : certificats racines {file} : {reason}",
    };
    no_roots(file: impl Display) = {
        en: "hub: root certificates {file}: no PEM certificate in the file",
        fr: "hub : certificats racines {file} : aucun certificat PEM dans le fichier",
    };
    stopped(batches: usize) = {
        en: "sync stopped after {batches} batches (test hook)",
        fr: "synchro arrêtée après {batches} lots (point d'arrêt de test)",
    };
}

impl SyncError {
    /// The message in `lang`; the server's, the driver's and the TLS stack's reasons stay in
    /// their own words.
    pub fn say(&self, lang: Lang) -> String {
        match self {
            SyncError::Hub(e) => hub(lang, with_causes(e)),
            SyncError::Store(e) => e.say(lang),
            SyncError::VerifyCa => verify_ca(lang).to_owned(),
            SyncError::BadUrl(reason) => bad_url(lang, reason),
            SyncError::Certificate(reason) => certificate(lang, reason),
            SyncError::Roots { file, reason } => roots(lang, file.display(), reason),
            SyncError::NoRoots { file } => no_roots(lang, file.display()),
            SyncError::Stopped(batches) => stopped(lang, *batches),
        }
    }
}
