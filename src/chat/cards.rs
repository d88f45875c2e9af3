//! Adaptive Cards as Herald sends them: an optional line of text and
//! `Action.Submit` buttons, which Teams, the Emulator and Web Chat all send
//! back as a message whose `value` is the button's data.

use serde_json::{Value, json};

/// The card's version: 1.4 is what Teams, the Emulator and Web Chat all render.
const VERSION: &str = "1.4";

/// A card attachment with `text` (when given) above its buttons.
pub fn card(text: Option<&str>, actions: Vec<Value>) -> Value {
    let body: Vec<Value> = text
        .map(|text| json!({"type": "TextBlock", "text": text, "wrap": true}))
        .into_iter()
        .collect();
    json!({
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": VERSION,
            "body": body,
            "actions": actions,
        },
    })
}

/// A button that sends `data` back.
pub fn submit(title: &str, data: Value) -> Value {
    json!({"type": "Action.Submit", "title": title, "data": data})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_carries_its_text_and_buttons() {
        let card = card(Some("Sure?"), vec![submit("Yes", json!({"herald": "x"}))]);
        assert_eq!(
            card["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        assert_eq!(card["content"]["body"][0]["text"], "Sure?");
        assert_eq!(card["content"]["actions"][0]["type"], "Action.Submit");
        assert_eq!(card["content"]["actions"][0]["data"]["herald"], "x");
        let bare = super::card(None, Vec::new());
        assert_eq!(bare["content"]["body"], json!([]));
    }
}
