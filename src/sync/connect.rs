//! Connecting to the hub the way PostgreSQL users expect: a URL or `key=value` string,
//! the password from the URL, `PGPASSWORD` or `~/.pgpass` (`PGPASSFILE`), and TLS with a
//! pure-Rust stack (rustls, Mozilla's roots plus `PGSSLROOTCERT`) when `sslmode=require`.

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use std::path::{Path, PathBuf};

use super::SyncError;

/// Opens a connection to the hub at `url`.
pub fn connect(url: &str) -> Result<Client, SyncError> {
    let mut config: Config = url
        .parse()
        .map_err(|e| SyncError::Setup(format!("bad hub URL: {e}")))?;
    if config.get_password().is_none() {
        let password = std::env::var("PGPASSWORD").ok().or_else(|| {
            let file = std::env::var_os("PGPASSFILE")
                .map(PathBuf::from)
                .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().join(".pgpass")))?;
            pgpass_lookup(&file, &config)
        });
        if let Some(password) = password {
            config.password(password);
        }
    }
    Ok(match config.get_ssl_mode() {
        SslMode::Require => config.connect(tls()?)?,
        // `prefer` would need a certificate check it cannot promise: plain, like `disable`.
        _ => config.connect(NoTls)?,
    })
}

fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, SyncError> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = std::env::var_os("PGSSLROOTCERT") {
        for cert in CertificateDer::pem_file_iter(&file)
            .map_err(|e| SyncError::Setup(format!("PGSSLROOTCERT: {e}")))?
        {
            let cert = cert.map_err(|e| SyncError::Setup(format!("PGSSLROOTCERT: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| SyncError::Setup(format!("PGSSLROOTCERT: {e}")))?;
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
