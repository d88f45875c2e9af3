//! Characters people's text must not carry into what Herald keeps and shows
//! again. NUL and other control characters corrupt storage (PostgreSQL
//! refuses NUL in text), terminals and logs; bidi overrides and isolates make
//! text read differently from what it is (`U+202E` turns `exe.txt` into
//! `txt.exe`). Ids have no business holding any of them; texts keep only
//! newlines and tabs.

use std::borrow::Cow;

/// Bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character no id may hold: any control character or bidi control.
pub fn unfit_for_id(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// A character no text may hold: a control character other than newline
/// and tab, or a bidi control.
pub fn unfit_for_text(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// A text to keep (a reminder's words) without the characters above.
/// Borrowed when nothing goes.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(unfit_for_text) {
        Cow::Owned(text.chars().filter(|c| !unfit_for_text(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_lose_controls_and_bidi_marks_but_keep_lines_and_tabs() {
        assert_eq!(
            clean("pay\u{0}\u{1b}[31m the\u{202E}gnp.exe\u{2066} bill\r\n\tnow\u{7f}\u{85}"),
            "pay[31m thegnp.exe bill\n\tnow"
        );
        assert!(matches!(clean("call Ana at 9\n"), Cow::Borrowed(_)));
        assert_eq!(clean("ação — été ✓"), "ação — été ✓");
    }

    #[test]
    fn ids_take_no_control_or_bidi_character() {
        for c in [
            '\u{0}', '\n', '\t', '\u{1b}', '\u{7f}', '\u{9b}', '\u{202A}', '\u{202E}', '\u{2066}',
            '\u{2069}',
        ] {
            assert!(unfit_for_id(c), "{c:?}");
        }
        for c in ['a', ':', '|', '-', ' ', 'é', '\u{200B}'] {
            assert!(!unfit_for_id(c), "{c:?}");
        }
    }
}
