//! Files a web chat message came with: the turn answers the message's text
//! as it would without them, and says, in the person's language, which
//! files it received. A message of files alone gets only that.

use super::i18n::Say;
use super::replies::{Replies, Reply};
use super::speaker::Speaker;
use crate::botframework::inbound::InboundActivity;

/// Whether the turn reads the message's text (or card value) as usual. Files
/// without a word are not a command Herald failed to understand.
pub fn text_to_answer(inbound: &InboundActivity, files: &[String]) -> bool {
    let activity = &inbound.activity;
    files.is_empty()
        || activity.value.is_some()
        || activity
            .text
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
}

/// Puts the receipt first: it answers what arrived before what was asked.
pub fn acknowledge(replies: &mut Replies, speaker: &Speaker, files: &[String]) {
    if files.is_empty() {
        return;
    }
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let receipt = Reply {
        text: speaker.say(Say::FilesReceived { names: &names }),
        attachments: Vec::new(),
    };
    replies.messages.insert(0, receipt);
}
