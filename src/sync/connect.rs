//! Connecting to the hub the way PostgreSQL users expect: a URL or `key=value` string,
//! the password from the URL, `PGPASSWORD` or `~/.pgpass` (`PGPASSFILE`), and TLS with a
//! pure-Rust stack (rustls).
//!
//! **TLS.** `sslmode=require` (or libpq's `verify-full`, accepted as the same thing) encrypts
//! and checks the server: its certificate must chain to Mozilla's roots or to the roots in
//! `PGSSLROOTCERT` (default `~/.postgresql/root.crt`, as libpq), and name the host connected
//! to. This is stricter than libpq's `require`, which encrypts without checking whom it talks
//! to: a sales pipeline should not go to whoever answers on the network. `prefer` would need
//! a fallback it cannot promise and connects in plain text, like `disable`.

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::SyncError;

/// Opens a connection to the hub at `url`, reading the PostgreSQL environment variables.
pub fn connect(url: &str) -> Result<Client, SyncError> {
    connect_with(url, |name| std::env::var_os(name))
}

/// [`connect`] with the environment given by `env` (tests pass their own).
pub fn connect_with(
    url: &str,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Client, SyncError> {
    let url = url.replace("sslmode=verify-full", "sslmode=require");
    if url.contains("sslmode=verify-ca") {
        return Err(SyncError::VerifyCa);
    }
    let mut config: Config = (url.parse()).map_err(|e| SyncError::BadUrl(format!("{e}")))?;
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    if config.get_password().is_none() {
        let password = env("PGPASSWORD")
            .and_then(|p| p.into_string().ok())
            .or_else(|| {
                let file = env("PGPASSFILE")
                    .map(PathBuf::from)
                    .or_else(|| home().map(|h| h.join(".pgpass")))?;
                pgpass_lookup(&file, &config)
            });
        if let Some(password) = password {
            config.password(password);
        }
    }
    Ok(match config.get_ssl_mode() {
        SslMode::Require => {
            // libpq's default root file counts only when it exists; one named explicitly must.
            let roots = env("PGSSLROOTCERT").map(PathBuf::from).or_else(|| {
                home()
                    .map(|h| h.join(".postgresql/root.crt"))
                    .filter(|f| f.exists())
            });
            config.connect(tls(roots.as_deref())?).map_err(|e| {
                let text = super::with_causes(&e);
                if text.contains("certificate") {
                    SyncError::Certificate(text)
                } else {
                    e.into()
                }
            })?
        }
        _ => config.connect(NoTls)?,
    })
}

fn tls(extra_roots: Option<&Path>) -> Result<tokio_postgres_rustls::MakeRustlsConnect, SyncError> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = extra_roots {
        let bad = |e: &dyn std::fmt::Display| SyncError::Roots {
            file: file.to_owned(),
            reason: e.to_string(),
        };
        let before = roots.len();
        for cert in CertificateDer::pem_file_iter(file).map_err(|e| bad(&e))? {
            roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
        }
        if roots.len() == before {
            let file = file.to_owned();
            return Err(SyncError::NoRoots { file });
        }
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The password `.pgpass` gives for this connection (first matching line, `*` matches anything;
/// like libpq, a file others can read is ignored).
fn pgpass_lookup(file: &Path, config: &Config) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(file).ok()?.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        _ => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    pgpass_find(&text, [&host, &port, db, user])
}

fn pgpass_find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_escaped(line);
            let [host, port, db, user, password] = <[String; 5]>::try_from(fields).ok()?;
            [host, port, db, user]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want)
                .then_some(password)
        })
}

/// Splits a `.pgpass` line on `:`, where `\:` and `\\` stand for themselves.
fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_takes_the_first_matching_line() {
        let text = "# comment\nother:5432:*:ann:no\nhub.example:5432:*:ann:pa\\:ss\n*:*:*:*:any\n";
        let want = |host| pgpass_find(text, [host, "5432", "sales", "ann"]);
        assert_eq!(want("hub.example").as_deref(), Some("pa:ss"));
        assert_eq!(want("elsewhere").as_deref(), Some("any"));
        assert_eq!(pgpass_find("a:b:c\n", ["a", "b", "c", "d"]), None);
    }
}
