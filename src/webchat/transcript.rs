//! What a web chat transcript keeps of an activity. The log is replayed to
//! every client that reconnects, so it keeps what a client should see again
//! and never more than a bounded size: a text longer than chat allows (the
//! turn refuses it) is kept cut, and an activity still too big keeps only
//! what a transcript shows (type, who, text).

use crate::botframework::activity::{Activity, types};

/// An activity's stored JSON is at most about this big.
pub const MAX_STORED_BYTES: usize = 32 * 1024;

/// Whether clients should see this activity again when they reconnect:
/// messages, and the events and updates they act on; not typing indicators
/// or types Herald does not know.
pub fn worth_keeping(activity: &Activity) -> bool {
    matches!(
        activity.kind.as_deref(),
        Some(types::MESSAGE | types::EVENT | types::CONVERSATION_UPDATE)
    )
}

/// `activity` as the transcript keeps it: its text cut to `max_text_chars`
/// (with an ellipsis), and, if its JSON is still over `MAX_STORED_BYTES`,
/// only its type, sender, recipient, conversation, text and reply link.
pub fn kept(activity: &Activity, max_text_chars: usize) -> Activity {
    let mut kept = activity.clone();
    if let Some(text) = &kept.text {
        if text.chars().count() > max_text_chars {
            let mut cut: String = text.chars().take(max_text_chars).collect();
            cut.push('…');
            kept.text = Some(cut);
        }
    }
    let size = serde_json::to_vec(&kept).map_or(usize::MAX, |json| json.len());
    if size <= MAX_STORED_BYTES {
        return kept;
    }
    Activity {
        kind: kept.kind,
        timestamp: kept.timestamp,
        channel_id: kept.channel_id,
        from: kept.from.map(|mut from| {
            from.extra.clear();
            from
        }),
        conversation: kept.conversation.map(|mut conversation| {
            conversation.extra.clear();
            conversation
        }),
        recipient: kept.recipient,
        text_format: kept.text_format,
        text: kept.text,
        locale: kept.locale,
        reply_to_id: kept.reply_to_id,
        ..Activity::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(text: &str) -> Activity {
        Activity {
            kind: Some("message".to_owned()),
            text: Some(text.to_owned()),
            ..Activity::default()
        }
    }

    #[test]
    fn long_texts_are_kept_cut() {
        let kept = kept(&message(&"é".repeat(5000)), 100);
        assert_eq!(kept.text.as_deref().map(|t| t.chars().count()), Some(101));
        assert!(kept.text.unwrap().ends_with('…'));
        assert_eq!(
            super::kept(&message("short"), 100).text.as_deref(),
            Some("short")
        );
    }

    #[test]
    fn oversized_activities_keep_only_what_a_transcript_shows() {
        let mut big = message("hi");
        big.channel_data = Some(json!({"blob": "x".repeat(200_000)}));
        big.attachments = Some(vec![json!({"content": "y".repeat(10)})]);
        let kept = kept(&big, 100);
        assert_eq!(kept.text.as_deref(), Some("hi"));
        assert!(kept.channel_data.is_none() && kept.attachments.is_none());
        assert!(serde_json::to_vec(&kept).unwrap().len() < MAX_STORED_BYTES);
    }

    #[test]
    fn typing_and_unknown_types_are_not_replayed() {
        for (kind, keep) in [
            ("message", true),
            ("typing", false),
            ("madeUp", false),
            ("event", true),
        ] {
            let activity = Activity {
                kind: Some(kind.to_owned()),
                ..Activity::default()
            };
            assert_eq!(worth_keeping(&activity), keep, "{kind}");
        }
    }
}
