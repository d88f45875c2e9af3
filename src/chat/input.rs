//! Cleans up the text of an incoming message before it is parsed.

use crate::domain::text::clean;

/// Removes Teams' `<at>…</at>` mentions (of the bot, in group chats and
/// channels) and the space around them, so `<at>Herald</at> run` reads `run`;
/// control and bidi characters go too (`domain::text::clean`), so none
/// reaches a reminder's text.
pub fn strip_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_ci(rest, "<at>") {
        out.push_str(&rest[..start]);
        match find_ci(&rest[start..], "</at>") {
            Some(end) => rest = &rest[start + end + "</at>".len()..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    clean(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_removed() {
        assert_eq!(strip_mentions("<at>Herald</at> run"), "run");
        assert_eq!(
            strip_mentions("show <AT>Herald Bot</AT>  jobs"),
            "show jobs"
        );
        assert_eq!(strip_mentions("done 3"), "done 3");
    }

    #[test]
    fn an_unclosed_mention_is_left_alone() {
        assert_eq!(strip_mentions("<at>Herald run"), "<at>Herald run");
    }

    #[test]
    fn control_and_bidi_characters_are_dropped() {
        assert_eq!(
            strip_mentions("remind me\u{0} in 5 minutes\n to pay\u{202E}txt.exe\u{1b}"),
            "remind me in 5 minutes to paytxt.exe"
        );
    }

    #[test]
    fn non_ascii_text_is_safe() {
        assert_eq!(strip_mentions("é <at>ü</at> ñ"), "é ñ");
    }
}
