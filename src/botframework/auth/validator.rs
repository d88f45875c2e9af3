//! Validates the bearer token on an activity, as the Bot Framework's
//! "connector to bot" rules say: RS256 only, a key from the issuer's OpenID
//! metadata, issuer and audience, five minutes of clock skew, the token's
//! `serviceurl` equal to the activity's, and the key endorsed for the channel.
//! Emulator tokens (Azure AD v1/v2) are accepted only when enabled.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{Algorithm, Validation};

use super::claims::{Claims, unverified_issuer};
use super::keys::KeySource;
use crate::domain::clock::Clock;

/// Issuers of Emulator tokens (Azure AD v1 and v2, for the Bot Framework's tenants).
const EMULATOR_ISSUERS: [&str; 4] = [
    "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
    "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
    "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
    "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
];

#[derive(Debug, Clone)]
pub struct ValidatorSettings {
    /// The bot's app id: the audience of channel tokens.
    pub app_id: String,
    /// The issuer of channel tokens (`https://api.botframework.com`).
    pub channel_issuer: String,
    pub clock_skew: Duration,
}

/// Where a valid token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The Bot Framework channel service.
    Channel,
    /// The Bot Framework Emulator.
    Emulator,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pub kind: TokenKind,
}

/// Why a request was refused. The reason is for the logs only: the client gets
/// a bare 401 or 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthFailure {
    /// 401: no token, or not a valid one.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// 403: a valid token that does not cover this activity.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
}

pub struct InboundAuth {
    settings: ValidatorSettings,
    channel_keys: Arc<KeySource>,
    emulator_keys: Option<Arc<KeySource>>,
    clock: Arc<dyn Clock>,
}

impl InboundAuth {
    pub fn new(
        settings: ValidatorSettings,
        channel_keys: Arc<KeySource>,
        emulator_keys: Option<Arc<KeySource>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            settings,
            channel_keys,
            emulator_keys,
            clock,
        }
    }

    /// The key sources, to warm up at start.
    pub fn key_sources(&self) -> Vec<Arc<KeySource>> {
        std::iter::once(Arc::clone(&self.channel_keys))
            .chain(self.emulator_keys.iter().cloned())
            .collect()
    }

    /// Validates `token` for an activity of `channel_id` from `service_url`.
    pub async fn authenticate(
        &self,
        token: &str,
        channel_id: &str,
        service_url: &str,
    ) -> Result<Authenticated, AuthFailure> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| AuthFailure::Unauthorized("malformed token"))?;
        // Only RS256, whatever the token claims: this is what stops `alg: none`
        // and HS256-with-the-public-key forgeries.
        if header.alg != Algorithm::RS256 {
            return Err(AuthFailure::Unauthorized("algorithm not allowed"));
        }
        let kid = header
            .kid
            .ok_or(AuthFailure::Unauthorized("token without kid"))?;
        let issuer =
            unverified_issuer(token).ok_or(AuthFailure::Unauthorized("token without issuer"))?;
        let (kind, keys) = if issuer == self.settings.channel_issuer {
            (TokenKind::Channel, &self.channel_keys)
        } else if EMULATOR_ISSUERS.contains(&issuer.as_str()) {
            match &self.emulator_keys {
                Some(keys) => (TokenKind::Emulator, keys),
                None => {
                    return Err(AuthFailure::Unauthorized(
                        "Emulator tokens are not accepted",
                    ));
                }
            }
        } else {
            return Err(AuthFailure::Unauthorized("unknown issuer"));
        };
        let key = keys
            .key(&kid)
            .await
            .ok_or(AuthFailure::Unauthorized("unknown signing key"))?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[issuer.as_str()]);
        // Time is checked below against Herald's clock, not the library's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        // jsonwebtoken checks an audience only when the token has one: without
        // these, a token with no `aud` (or `aud: null`) would pass for any bot.
        validation.set_required_spec_claims(&["aud", "iss", "exp"]);
        match kind {
            TokenKind::Channel => validation.set_audience(&[self.settings.app_id.as_str()]),
            // Emulator tokens name the bot in `appid`/`azp`, checked below.
            TokenKind::Emulator => validation.validate_aud = false,
        }
        let claims = jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|_| AuthFailure::Unauthorized("invalid signature or claims"))?
            .claims;
        self.check_lifetime(&claims)?;

        match kind {
            TokenKind::Channel => {
                let claimed = claims
                    .serviceurl
                    .as_deref()
                    .ok_or(AuthFailure::Unauthorized("token without serviceurl"))?;
                if !same_service_url(claimed, service_url) {
                    return Err(AuthFailure::Forbidden(
                        "serviceurl claim does not match the activity",
                    ));
                }
                if !key.endorsements.iter().any(|e| e == channel_id) {
                    return Err(AuthFailure::Forbidden(
                        "signing key not endorsed for this channel",
                    ));
                }
            }
            TokenKind::Emulator => {
                let app_id = match claims.ver.as_deref() {
                    Some("1.0") => claims.appid.as_deref(),
                    Some("2.0") => claims.azp.as_deref(),
                    _ => return Err(AuthFailure::Unauthorized("unknown Emulator token version")),
                };
                if app_id != Some(self.settings.app_id.as_str()) {
                    return Err(AuthFailure::Unauthorized("Emulator token for another app"));
                }
                if !key.endorsements.is_empty() && !key.endorsements.iter().any(|e| e == channel_id)
                {
                    return Err(AuthFailure::Forbidden(
                        "signing key not endorsed for this channel",
                    ));
                }
            }
        }
        Ok(Authenticated { kind })
    }

    fn check_lifetime(&self, claims: &Claims) -> Result<(), AuthFailure> {
        let now = self.clock.now().timestamp();
        let skew = i64::try_from(self.settings.clock_skew.as_secs()).unwrap_or(i64::MAX);
        let expires = claims
            .exp
            .ok_or(AuthFailure::Unauthorized("token without expiry"))?;
        if now > expires.saturating_add(skew) {
            return Err(AuthFailure::Unauthorized("token expired"));
        }
        if claims.nbf.is_some_and(|nbf| now < nbf.saturating_sub(skew)) {
            return Err(AuthFailure::Unauthorized("token not yet valid"));
        }
        Ok(())
    }
}

/// Service URLs compare without a trailing slash and without case in the host.
fn same_service_url(claimed: &str, actual: &str) -> bool {
    let normalise = |url: &str| match url::Url::parse(url) {
        Ok(parsed) => parsed.as_str().trim_end_matches('/').to_owned(),
        Err(_) => url.trim_end_matches('/').to_owned(),
    };
    normalise(claimed) == normalise(actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_urls_compare_loosely_on_form_only() {
        assert!(same_service_url(
            "https://smba.trafficmanager.net/emea/",
            "https://SMBA.trafficmanager.net/emea"
        ));
        assert!(!same_service_url(
            "https://smba.trafficmanager.net/emea/",
            "https://smba.trafficmanager.net/amer/"
        ));
        assert!(!same_service_url(
            "https://smba.trafficmanager.net/",
            "https://evil.example/"
        ));
    }
}
