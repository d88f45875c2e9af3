//! The Microsoft Teams app package (`herald teams-package`): the zip Teams
//! accepts for sideloading or an organisation's catalogue — `manifest.json`
//! (schema 1.30: a bot in personal, team and group chat scopes, its command
//! menu), the two icons shipped in `assets/teams/`, and the Portuguese and
//! French translations of the descriptions and commands.

use std::io::{Cursor, Write};

use serde_json::{Value, json};

use crate::chat::i18n::app::{AppTexts, app_texts};
use crate::domain::language::Language;

/// The manifest schema this package follows.
pub const MANIFEST_VERSION: &str = "1.30";
const SCHEMA_URL: &str =
    "https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json";
const LOCALIZATION_SCHEMA_URL: &str = "https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.Localization.schema.json";
/// 192×192, full colour (made by `tools/teams_icons.py`).
const COLOR_ICON: &[u8] = include_bytes!("../../assets/teams/color.png");
/// 32×32, white on transparent.
const OUTLINE_ICON: &[u8] = include_bytes!("../../assets/teams/outline.png");
const ACCENT: &str = "#4F46E5";
/// The translations shipped beside the English manifest.
const TRANSLATIONS: [(&str, Language); 3] = [
    ("pt-br", Language::BrazilianPortuguese),
    ("pt-pt", Language::EuropeanPortuguese),
    ("fr", Language::French),
];

/// What the package says of the app; everything else comes from Herald.
/// (Also the flags of `herald teams-package`.)
#[derive(Debug, Clone, clap::Args)]
pub struct PackageRequest {
    /// The bot's Microsoft App ID (a GUID, from its Azure Bot resource), also the Teams app's id.
    #[arg(long)]
    pub app_id: String,
    /// The name people see in Teams, at most 30 characters.
    #[arg(long, default_value = "Herald")]
    pub name: String,
    /// The domain Herald is served on, e.g. herald.example.com.
    #[arg(long)]
    pub domain: String,
    /// The package version, MAJOR.MINOR.PATCH: raise it for Teams to offer the update.
    #[arg(long = "package-version", default_value = "1.0.0")]
    pub version: String,
    /// Who publishes the app (at most 32 characters).
    #[arg(long, default_value = "Herald")]
    pub developer: String,
    /// The publisher's website (default https://<domain>/).
    #[arg(long)]
    pub website_url: Option<String>,
    /// The privacy statement (default https://<domain>/privacy).
    #[arg(long)]
    pub privacy_url: Option<String>,
    /// The terms of use (default https://<domain>/terms).
    #[arg(long)]
    pub terms_url: Option<String>,
}

/// Why a package was not made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PackageError {
    #[error(
        "--app-id must be the bot's Microsoft App ID, a GUID like 3f2b8c1e-7d4a-4b6e-9a1f-2c5d8e0b7a64"
    )]
    AppId,
    #[error("--name must be 1 to 30 characters")]
    Name,
    #[error("--developer must be 1 to 32 characters")]
    Developer,
    #[error(
        "--domain must be a host name such as herald.example.com (no scheme, port or path; not an address)"
    )]
    Domain,
    #[error("--version must be MAJOR.MINOR.PATCH, e.g. 1.0.0")]
    Version,
    #[error("{0} must be an https:// URL")]
    Url(&'static str),
    #[error("cannot write the package: {0}")]
    Zip(String),
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_domain(text: &str) -> bool {
    matches!(url::Host::parse(text), Ok(url::Host::Domain(_)))
        && text.len() <= 253
        && text.contains('.')
        && !text.contains(['/', ':', '@', '*'])
}

fn is_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty() && part.len() <= 5 && part.bytes().all(|b| b.is_ascii_digit())
        })
}

fn https(url: Option<&str>, default: String, what: &'static str) -> Result<String, PackageError> {
    let Some(url) = url else {
        return Ok(default);
    };
    match url::Url::parse(url) {
        Ok(parsed) if parsed.scheme() == "https" && parsed.host_str().is_some() => {
            Ok(url.to_owned())
        }
        _ => Err(PackageError::Url(what)),
    }
}

fn commands(texts: &AppTexts) -> Vec<Value> {
    texts
        .commands
        .iter()
        .map(|c| json!({"title": c.title, "description": c.description}))
        .collect()
}

/// The manifest, checked: every field within what Teams accepts.
pub fn manifest(request: &PackageRequest) -> Result<Value, PackageError> {
    let app_id = request.app_id.trim().to_ascii_lowercase();
    if !is_guid(&app_id) {
        return Err(PackageError::AppId);
    }
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        return Err(PackageError::Name);
    }
    let developer = request.developer.trim();
    if developer.is_empty() || developer.chars().count() > 32 {
        return Err(PackageError::Developer);
    }
    let domain = request.domain.trim().to_ascii_lowercase();
    if !is_domain(&domain) {
        return Err(PackageError::Domain);
    }
    if !is_version(&request.version) {
        return Err(PackageError::Version);
    }
    let site = format!("https://{domain}/");
    let website = https(
        request.website_url.as_deref(),
        site.clone(),
        "--website-url",
    )?;
    let privacy = https(
        request.privacy_url.as_deref(),
        format!("{site}privacy"),
        "--privacy-url",
    )?;
    let terms = https(
        request.terms_url.as_deref(),
        format!("{site}terms"),
        "--terms-url",
    )?;
    let english = app_texts(Language::English);
    let scopes = ["personal", "team", "groupChat"];
    Ok(json!({
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": request.version,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website,
            "privacyUrl": privacy,
            "termsOfUseUrl": terms,
        },
        "name": {"short": name, "full": name},
        "description": {"short": english.short, "full": english.full},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "localizationInfo": {
            "defaultLanguageTag": "en-us",
            "additionalLanguages": TRANSLATIONS
                .iter()
                .map(|(tag, _)| json!({"languageTag": tag, "file": format!("{tag}.json")}))
                .collect::<Vec<_>>(),
        },
        "bots": [{
            "botId": app_id,
            "scopes": scopes,
            "supportsFiles": false,
            "isNotificationOnly": false,
            "commandLists": [{"scopes": scopes, "commands": commands(english)}],
        }],
        "validDomains": [domain],
    }))
}

/// A translation file: the descriptions and the command menu in `language`.
pub fn localization(name: &str, language: Language) -> Value {
    let texts = app_texts(language);
    let mut file = serde_json::Map::new();
    file.insert("$schema".into(), json!(LOCALIZATION_SCHEMA_URL));
    file.insert("name.short".into(), json!(name));
    file.insert("name.full".into(), json!(name));
    file.insert("description.short".into(), json!(texts.short));
    file.insert("description.full".into(), json!(texts.full));
    for (index, command) in texts.commands.iter().enumerate() {
        let key = format!("bots[0].commandLists[0].commands[{index}]");
        file.insert(format!("{key}.title"), json!(command.title));
        file.insert(format!("{key}.description"), json!(command.description));
    }
    Value::Object(file)
}

/// The package's files, by name.
pub fn files(request: &PackageRequest) -> Result<Vec<(String, Vec<u8>)>, PackageError> {
    let manifest = manifest(request)?;
    let pretty = |value: &Value| serde_json::to_vec_pretty(value).unwrap_or_default();
    let name = request.name.trim();
    let mut files = vec![
        ("manifest.json".to_owned(), pretty(&manifest)),
        ("color.png".to_owned(), COLOR_ICON.to_vec()),
        ("outline.png".to_owned(), OUTLINE_ICON.to_vec()),
    ];
    for (tag, language) in TRANSLATIONS {
        files.push((format!("{tag}.json"), pretty(&localization(name, language))));
    }
    Ok(files)
}

/// The zip, files at its root as Teams wants them; the same request gives
/// the same bytes (entries dated 1980-01-01).
pub fn package(request: &PackageRequest) -> Result<Vec<u8>, PackageError> {
    let zip_error = |error: &dyn std::fmt::Display| PackageError::Zip(error.to_string());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files(request)? {
        writer
            .start_file(name, options)
            .map_err(|e| zip_error(&e))?;
        writer.write_all(&bytes).map_err(|e| zip_error(&e))?;
    }
    Ok(writer.finish().map_err(|e| zip_error(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> PackageRequest {
        PackageRequest {
            app_id: "3F2B8C1E-7D4A-4B6E-9A1F-2C5D8E0B7A64".into(),
            name: "Herald".into(),
            domain: "herald.example.com".into(),
            version: "1.0.0".into(),
            developer: "Herald".into(),
            website_url: None,
            privacy_url: None,
            terms_url: None,
        }
    }

    #[test]
    fn bad_fields_are_refused_with_what_is_wrong() {
        type Change = fn(&mut PackageRequest);
        let cases: [(Change, PackageError); 8] = [
            (|r| r.app_id = "not-a-guid".into(), PackageError::AppId),
            (|r| r.name = "x".repeat(31), PackageError::Name),
            (|r| r.name = "  ".into(), PackageError::Name),
            (
                |r| r.domain = "https://herald.example.com".into(),
                PackageError::Domain,
            ),
            (|r| r.domain = "10.0.0.1".into(), PackageError::Domain),
            (
                |r| r.domain = "herald.example.com:443".into(),
                PackageError::Domain,
            ),
            (|r| r.version = "banana".into(), PackageError::Version),
            (
                |r| r.privacy_url = Some("http://x.example/p".into()),
                PackageError::Url("--privacy-url"),
            ),
        ];
        for (change, expected) in cases {
            let mut request = request();
            change(&mut request);
            assert_eq!(manifest(&request).unwrap_err(), expected, "{request:?}");
        }
    }

    #[test]
    fn ids_are_lowercased_and_links_default_to_the_domain() {
        let manifest = manifest(&request()).unwrap();
        assert_eq!(manifest["id"], "3f2b8c1e-7d4a-4b6e-9a1f-2c5d8e0b7a64");
        assert_eq!(manifest["bots"][0]["botId"], manifest["id"]);
        assert_eq!(
            manifest["developer"]["privacyUrl"],
            "https://herald.example.com/privacy"
        );
        assert_eq!(manifest["validDomains"][0], "herald.example.com");
    }

    #[test]
    fn the_same_request_gives_the_same_zip() {
        assert_eq!(package(&request()).unwrap(), package(&request()).unwrap());
    }
}
