//! Secrets inside URLs (a database's or a proxy's password) shown as `***`:
//! in `herald config`, in errors and in logs. The user and everything else
//! stay, so the printed URL still says where it points.

use serde::Serializer;

const MASK: &str = "***";

/// `url` with its password (in the user info, or a `password=` query
/// parameter as libpq takes it) replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return redact_unparsed(url);
    };
    let has_password_parameter = parsed.query_pairs().any(|(key, _)| is_password(&key));
    if parsed.password().is_none() && !has_password_parameter {
        // Printed as written, not as the parser normalises it.
        return url.to_owned();
    }
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some(MASK));
    }
    if has_password_parameter {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(key, value)| {
                let value = if is_password(&key) {
                    MASK.to_owned()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

fn is_password(key: &str) -> bool {
    key.eq_ignore_ascii_case("password")
}

/// A URL the parser refuses may still hold `user:password@`: everything
/// between the user and the last `@` of the authority goes.
fn redact_unparsed(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:{MASK}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Serialises a URL setting with its password redacted.
pub(super) fn redacted_url<S: Serializer>(url: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&redact_url(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_masked_and_the_rest_kept() {
        assert_eq!(
            redact_url("postgres://herald:pw123@db:5432/herald"),
            "postgres://herald:***@db:5432/herald"
        );
        assert_eq!(
            redact_url("postgres://herald@db/herald?password=pw123&sslmode=require"),
            "postgres://herald@db/herald?password=***&sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://herald:p%40ss@db/herald"),
            "postgres://herald:***@db/herald"
        );
        assert_eq!(
            redact_url("postgres://herald:bad pw@db/herald"),
            "postgres://herald:***@db/herald"
        );
        assert_eq!(
            redact_url("sqlite://data/herald.db"),
            "sqlite://data/herald.db"
        );
        assert_eq!(redact_url("http://proxy:3128"), "http://proxy:3128");
    }
}
