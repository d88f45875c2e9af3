//! `POST /v3/directline/conversations/{id}/upload?userId=…`: a message with
//! files, as directlinejs's `postMessageWithAttachments` sends it (Web
//! Chat's paperclip button): `multipart/form-data` with one part named
//! `activity` (the activity's JSON, `application/vnd.microsoft.activity`)
//! and one part per file, with its file name and content type.
//!
//! The message goes the way a posted activity goes (`routes::post_activity`):
//! the same checks, the token's person as `from` (the `userId` in the query
//! is the client's guess and is ignored), kept in the transcript, then a
//! turn that answers its text; the turn also says which files it received.
//! The files are kept with the activity, each named in its `attachments`
//! with a link to Herald (see `links`).
//!
//! Everything is read and checked before anything is kept: a file too big,
//! too many files, a type not in `webchat.upload_content_types`, or a bad
//! activity refuses the whole upload, so the client reports it as failed and
//! the user's text is not lost without a word.

use axum::Json;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use serde_json::{Value, json};

use super::files::{essence, kept_name};
use super::links;
use super::random;
use super::requests::WebchatState;
use super::requests::{activity_for, origin, poster};
use crate::botframework::activity::{Activity, types};
use crate::botframework::inbound::InboundActivity;
use crate::domain::ports::NewWebchatAttachment;
use crate::web::{ApiError, DirectLineError};

/// The content types of the activity part Herald reads.
const ACTIVITY_TYPES: [&str; 2] = ["application/vnd.microsoft.activity", "application/json"];

/// An upload's limits, from `[webchat]`.
#[derive(Debug, Clone)]
pub struct UploadLimits {
    pub max_file_bytes: usize,
    pub max_files: usize,
    /// The whole request, activity, files and framing.
    pub max_request_bytes: usize,
    /// Essences (`image/png`), in lower case.
    pub content_types: Vec<String>,
    /// How long the request may take to arrive.
    pub read_timeout: std::time::Duration,
}

/// A file as it arrived, named and typed as Herald keeps it.
struct ReceivedFile {
    id: String,
    name: String,
    content_type: String,
    content: Vec<u8>,
}

/// The parts of an upload, read whole.
#[derive(Default)]
struct Form {
    activity: Option<Vec<u8>>,
    files: Vec<ReceivedFile>,
}

/// `POST …/conversations/{id}/upload`: answered `{"id": …}` like a posted
/// activity, once the turn has answered it.
pub(super) async fn post_upload(
    State(state): State<WebchatState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Value>, DirectLineError> {
    let headers = request.headers().clone();
    // Credentials first: an unknown caller's body is never read.
    let session = poster(&state, &headers, &id).await?;
    let chat = &*state.chat;
    let form = tokio::time::timeout(
        chat.uploads.read_timeout,
        read_form(&chat.uploads, state.body.max_bytes, request),
    )
    .await
    .map_err(|_| ApiError::RequestTimeout)??;
    let json = form.activity.ok_or_else(|| {
        ApiError::bad_request("BadArgument", "an upload needs a part named activity")
    })?;
    let mut activity: Activity = serde_json::from_slice(&json).map_err(|error| {
        ApiError::bad_request(
            "BadArgument",
            format!("the activity part is not a valid activity: {error}"),
        )
    })?;
    if activity.kind.as_deref() != Some(types::MESSAGE) {
        return Err(
            ApiError::bad_request("BadArgument", "type: an upload must be a message").into(),
        );
    }
    // The client's own list named its local copies (and carried thumbnails
    // it drew): Herald's names its files. An image is its own thumbnail, as
    // Web Chat shows a user's image by its thumbnail.
    activity.attachments = (!form.files.is_empty()).then(|| {
        form.files
            .iter()
            .map(|file| {
                let path = links::path(&session.conversation_id, &file.id);
                let mut attachment = json!({
                    "contentType": file.content_type,
                    "contentUrl": path,
                    "name": file.name,
                });
                if file.content_type.starts_with("image/") {
                    attachment["thumbnailUrl"] = json!(path);
                }
                attachment
            })
            .collect()
    });
    // Checked as a posted activity is, before anything is kept.
    let mut inbound = InboundActivity::validate(activity_for(&session, activity))
        .map_err(|invalid| ApiError::bad_request("BadArgument", invalid.to_string()))?;
    state
        .bot
        .admit_webchat(&inbound)
        .map_err(crate::web::turn_error)?;
    let stored: Vec<NewWebchatAttachment<'_>> = form
        .files
        .iter()
        .map(|file| NewWebchatAttachment {
            id: &file.id,
            name: &file.name,
            content_type: &file.content_type,
            content: &file.content,
        })
        .collect();
    let activity_id = chat
        .append(&id, &inbound.activity, &stored)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    inbound.activity.id = Some(activity_id.clone());
    // The turn sees links it could fetch the files with.
    if let Some(attachments) = inbound.activity.attachments.as_mut() {
        chat.links
            .sign_in(attachments, &id, &origin(&headers), chat.clock.now());
    }
    let names: Vec<String> = form.files.into_iter().map(|file| file.name).collect();
    state
        .bot
        .handle_webchat_upload(inbound, &names)
        .await
        .map_err(crate::web::turn_error)?;
    Ok(Json(json!({ "id": activity_id })))
}

/// Reads the form whole within the limits: the activity part within
/// `max_activity_bytes` (a posted activity's limit), each file within its
/// own, the request within its own.
async fn read_form(
    limits: &UploadLimits,
    max_activity_bytes: usize,
    request: Request,
) -> Result<Form, ApiError> {
    let too_large = ApiError::PayloadTooLarge {
        limit: limits.max_request_bytes,
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limits.max_request_bytes as u64) {
        return Err(too_large);
    }
    let (parts, body) = request.into_parts();
    let limited = http_body_util::Limited::new(body, limits.max_request_bytes);
    let request = Request::from_parts(parts, axum::body::Body::new(limited));
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| {
            ApiError::bad_request(
                "BadArgument",
                format!("the body must be multipart/form-data: {rejection}"),
            )
        })?;
    let mut form = Form::default();
    let unreadable = |error: MultipartError| multipart_error(error, limits.max_request_bytes);
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() == Some("activity") {
            form.activity =
                Some(read_activity(&mut field, &form, max_activity_bytes, limits).await?);
            continue;
        }
        if form.files.len() == limits.max_files {
            return Err(ApiError::bad_request(
                "BadArgument",
                format!("an upload holds at most {} files", limits.max_files),
            ));
        }
        let name = kept_name(field.file_name());
        let content_type = essence(field.content_type().unwrap_or("application/octet-stream"));
        if !limits.content_types.contains(&content_type) {
            let shown: String = content_type.chars().take(100).collect();
            return Err(ApiError::bad_request(
                "BadArgument",
                format!(
                    "{name}: files of type {shown} are not accepted (only {})",
                    limits.content_types.join(", ")
                ),
            ));
        }
        let content = read_field(&mut field, limits.max_file_bytes, limits)
            .await?
            .ok_or_else(|| ApiError::FileTooLarge {
                name: name.clone(),
                limit: limits.max_file_bytes,
            })?;
        form.files.push(ReceivedFile {
            id: random(18).map_err(ApiError::internal)?,
            name,
            content_type,
            content,
        });
    }
    Ok(form)
}

async fn read_activity(
    field: &mut Field<'_>,
    form: &Form,
    max_activity_bytes: usize,
    limits: &UploadLimits,
) -> Result<Vec<u8>, ApiError> {
    if form.activity.is_some() {
        return Err(ApiError::bad_request(
            "BadArgument",
            "an upload holds one part named activity",
        ));
    }
    if field
        .content_type()
        .is_some_and(|given| !ACTIVITY_TYPES.contains(&essence(given).as_str()))
    {
        return Err(ApiError::bad_request(
            "BadArgument",
            "the activity part must be application/vnd.microsoft.activity",
        ));
    }
    read_field(field, max_activity_bytes, limits)
        .await?
        .ok_or(ApiError::PayloadTooLarge {
            limit: max_activity_bytes,
        })
}

/// A part's bytes; `None` past `limit`.
async fn read_field(
    field: &mut Field<'_>,
    limit: usize,
    limits: &UploadLimits,
) -> Result<Option<Vec<u8>>, ApiError> {
    let mut content = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|error| multipart_error(error, limits.max_request_bytes))?
    {
        if content.len() + chunk.len() > limit {
            return Ok(None);
        }
        content.extend_from_slice(&chunk);
    }
    Ok(Some(content))
}

/// A body that is not a readable form, or that ran past the request's limit.
fn multipart_error(error: MultipartError, limit: usize) -> ApiError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge { limit }
    } else {
        ApiError::bad_request(
            "BadArgument",
            format!("the body is not a readable form: {}", error.body_text()),
        )
    }
}
