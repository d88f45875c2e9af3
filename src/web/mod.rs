//! What every HTTP surface shares (the API, the channels' endpoint, Herald's
//! web chat): the error answers and their two styles, reading a JSON body
//! within its limits, bearer tokens, a turn's refusal as an answer. Below
//! `http/` and `webchat/`, which both import it and not each other.

pub mod body;
pub mod error;

use axum::http::{HeaderMap, header};

pub use body::{BodyLimits, read_json};
pub use error::{ApiError, DirectLineError};

/// A turn's refusal as the HTTP answer.
pub fn turn_error(error: crate::chat::TurnError) -> ApiError {
    use crate::chat::TurnError;
    match error {
        TurnError::Refused { field, problem } => {
            ApiError::bad_request("refused_activity", format!("{field}: {problem}"))
        }
        TurnError::Throttled { retry_after } => ApiError::RateLimited { retry_after },
        TurnError::Forbidden { field, problem } => ApiError::ForbiddenField {
            message: format!("{field}: {problem}"),
        },
        TurnError::Store(cause) => ApiError::internal(cause),
    }
}

/// The token of an `Authorization: Bearer …` header, if the request carries one;
/// channels and API clients present their credentials the same way.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(value: Option<&str>) -> Option<String> {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        }
        bearer_token(&headers).map(str::to_owned)
    }

    #[test]
    fn bearer_tokens_are_extracted() {
        assert_eq!(
            bearer(Some("Bearer abc.def.ghi")).as_deref(),
            Some("abc.def.ghi")
        );
        assert_eq!(bearer(Some("bearer  x ")).as_deref(), Some("x"));
        assert_eq!(bearer(None), None);
        assert_eq!(bearer(Some("Basic dXNlcg==")), None);
        assert_eq!(bearer(Some("Bearer")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(Some("hk_a_key_without_its_scheme")), None);
    }
}
