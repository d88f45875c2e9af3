//! `multipart/form-data` bodies written by hand, as browsers send them, so
//! the suite needs no multipart feature of its HTTP client and can send
//! forms a real client would not.

/// One part of a form.
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Part {
    /// The activity part, as directlinejs sends it (a Blob, so named `blob`).
    pub fn activity(activity: &serde_json::Value) -> Self {
        Self {
            name: "activity".to_owned(),
            file_name: Some("blob".to_owned()),
            content_type: Some("application/vnd.microsoft.activity".to_owned()),
            body: activity.to_string().into_bytes(),
        }
    }

    /// A file part, named `file` as directlinejs names them.
    pub fn file(file_name: &str, content_type: &str, body: &[u8]) -> Self {
        Self {
            name: "file".to_owned(),
            file_name: Some(file_name.to_owned()),
            content_type: Some(content_type.to_owned()),
            body: body.to_vec(),
        }
    }
}

const BOUNDARY: &str = "----HeraldSuiteBoundary7MA4YWxkTrZu0gW";

/// The form's `Content-Type` and its body.
pub fn form(parts: &[Part]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(file_name) = &part.file_name {
            disposition.push_str(&format!("; filename=\"{file_name}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.body);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}
