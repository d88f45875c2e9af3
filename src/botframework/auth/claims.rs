//! The claims Herald reads from channel tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

/// Claims of a Bot Framework or Emulator token.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub iss: Option<String>,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub nbf: Option<i64>,
    /// Bot Framework tokens: the service URL the token was issued for.
    #[serde(default)]
    pub serviceurl: Option<String>,
    /// Emulator tokens: the app id, in `appid` (v1) or `azp` (v2).
    #[serde(default)]
    pub appid: Option<String>,
    #[serde(default)]
    pub azp: Option<String>,
    #[serde(default)]
    pub ver: Option<String>,
}

/// Reads the issuer without checking the signature: only to pick which issuer's
/// keys will check it.
pub fn unverified_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: Claims = serde_json::from_slice(&bytes).ok()?;
    claims.iss
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_read_from_the_payload() {
        let payload = URL_SAFE_NO_PAD.encode(r#"{"iss":"https://api.botframework.com"}"#);
        let token = format!("eyJhbGciOiJSUzI1NiJ9.{payload}.sig");
        assert_eq!(
            unverified_issuer(&token).as_deref(),
            Some("https://api.botframework.com")
        );
        assert_eq!(unverified_issuer("garbage"), None);
        assert_eq!(unverified_issuer("a.!!!.c"), None);
    }
}
