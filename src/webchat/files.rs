//! Files sent with web chat messages, as Herald names and serves them: the
//! content types it accepts, the names it keeps, and
//! `GET /v3/directline/conversations/{id}/attachments/{attachment}`, where a
//! signed link (see `links`) fetches one back. A file is always served as a
//! download, under its stored type, never sniffed, so nothing uploaded runs
//! in Herald's origin.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::links::LinkRefused;
use super::requests::WebchatState;
use crate::web::{ApiError, DirectLineError};

/// A kept name is at most this many characters (the extension kept).
const MAX_NAME_CHARS: usize = 100;
/// What a file without a usable name is called.
const UNNAMED: &str = "attachment";

/// A content type as compared and kept: its essence (no parameters), in
/// lower case.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Why a content type cannot be in `webchat.upload_content_types`: not
/// written `type/subtype`, or one a browser would run (served from Herald's
/// origin, it could act as Herald's page).
pub fn unfit_to_allow(content_type: &str) -> Option<&'static str> {
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".+-_".contains(&b))
    };
    match content_type.split_once('/') {
        Some((kind, subtype)) if token(kind) && token(subtype) => {}
        _ => return Some("must be a lower-case type/subtype such as image/png"),
    }
    let runs = matches!(
        content_type,
        "text/html"
            | "application/xhtml+xml"
            | "text/javascript"
            | "application/javascript"
            | "application/ecmascript"
            | "text/ecmascript"
            | "text/xsl"
    ) || content_type.ends_with("/xml")
        || content_type.ends_with("+xml");
    runs.then_some("is a type a browser runs (HTML, SVG, XML, JavaScript): it cannot be allowed")
}

/// A file name as Herald keeps and shows it: the last part of any path,
/// without control or bidi characters and quotes, at most
/// `MAX_NAME_CHARS` (cut before the extension); `attachment` if nothing is
/// left.
pub fn kept_name(offered: Option<&str>) -> String {
    let last = offered
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !crate::domain::text::unfit_for_id(*c) && *c != '"')
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    if cleaned.is_empty() {
        return UNNAMED.to_owned();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned.to_owned();
    }
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, extension)) if extension.chars().count() <= 10 => (stem, extension),
        _ => (cleaned, ""),
    };
    let room = MAX_NAME_CHARS - extension.chars().count() - usize::from(!extension.is_empty());
    let stem: String = stem.chars().take(room).collect();
    if extension.is_empty() {
        stem
    } else {
        format!("{stem}.{extension}")
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: the plain name in ASCII
/// (anything else as `_`) for old clients, the real one percent-encoded.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[derive(Debug, Deserialize)]
pub(super) struct LinkQuery {
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    signature: Option<String>,
}

/// `GET …/conversations/{id}/attachments/{attachment}?expires=…&signature=…`:
/// a file, to whoever holds a link Herald signed for this conversation and
/// file that has not expired (403 otherwise; 404 once the file is gone).
pub(super) async fn get_attachment(
    State(state): State<WebchatState>,
    Path((id, attachment)): Path<(String, String)>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, DirectLineError> {
    let chat = &*state.chat;
    let now = state.clock.now();
    let expires = query.expires.as_deref().and_then(|e| e.parse::<i64>().ok());
    match (expires, query.signature.as_deref()) {
        (Some(expires), Some(signature)) => chat
            .links
            .check(&id, &attachment, expires, signature, now)
            .map_err(|refused| match refused {
                LinkRefused::Expired | LinkRefused::Forged => ApiError::Forbidden,
            })?,
        _ => return Err(ApiError::Forbidden.into()),
    }
    let file = state
        .files
        .webchat_attachment(&id, &attachment)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&file.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        // Only the browser that read the transcript keeps it; a proxy never.
        (header::CACHE_CONTROL, HeaderValue::from_static("private")),
        // Opened by itself, the file can run nothing and load nothing.
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ),
    ];
    Ok((headers, file.content).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_controls_and_quotes_and_stay_short() {
        assert_eq!(kept_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(kept_name(Some("C:\\Users\\ana\\photo.png")), "photo.png");
        assert_eq!(kept_name(Some("a\"b\u{202E}gnp.exe\n")), "abgnp.exe");
        assert_eq!(kept_name(Some("...")), "attachment");
        assert_eq!(kept_name(None), "attachment");
        let long = format!("{}.jpeg", "é".repeat(300));
        let kept = kept_name(Some(&long));
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with("é.jpeg"), "{kept}");
    }

    #[test]
    fn dispositions_are_downloads_with_an_ascii_name_and_the_real_one() {
        assert_eq!(
            content_disposition("relatório 1.pdf"),
            "attachment; filename=\"relat_rio 1.pdf\"; filename*=UTF-8''relat%C3%B3rio%201%2Epdf"
        );
        assert!(HeaderValue::from_str(&content_disposition("a\\b;c=d.txt")).is_ok());
    }

    #[test]
    fn only_plain_types_can_be_allowed() {
        for fine in [
            "image/png",
            "application/pdf",
            "text/plain",
            "application/vnd.ms-excel",
        ] {
            assert_eq!(unfit_to_allow(fine), None, "{fine}");
        }
        for active in [
            "text/html",
            "image/svg+xml",
            "application/xml",
            "text/xml",
            "text/javascript",
        ] {
            assert!(unfit_to_allow(active).is_some(), "{active}");
        }
        for malformed in ["image", "Image/PNG", "image/png; charset=x", "/png", ""] {
            assert!(unfit_to_allow(malformed).is_some(), "{malformed}");
        }
        assert_eq!(essence(" Image/PNG ; q=1"), "image/png");
    }
}
