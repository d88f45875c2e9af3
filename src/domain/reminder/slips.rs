//! Slips of the time words: `firday` next to a time is pointed out ("did you
//! mean friday?") rather than read as text. A suggestion comes from the
//! speaker's own language only, and never for a word the grammar knows.

use super::languages::lexicon;
use super::terms::Spoken;

/// Whether `word` looks like a misspelling of one of the speaker's time
/// words: close to one (one edit for words up to six letters, two beyond)
/// without being a word the grammar knows in any language or one ordinary
/// text uses (`manha` is a part of the day, not a slip of `amanha`).
pub fn misspelt_time_word(word: &str, spoken: Spoken) -> Option<&'static str> {
    let length = word.chars().count();
    if length < 4 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let lexicon = lexicon();
    if lexicon.knows(word) || lexicon.common_words().iter().any(|common| common == word) {
        return None;
    }
    let allowed = if length <= 6 { 1 } else { 2 };
    lexicon
        .language(spoken)
        .time_words
        .iter()
        .filter(|known| known.chars().count().abs_diff(length) <= allowed)
        .map(|known| (distance(word, known), known.as_str()))
        // Two slips in a word only after a right beginning: people slip
        // inside a word, and `apanhar` is no `amanhã`.
        .filter(|(edits, known)| *edits <= 1 || (*edits <= allowed && same_start(word, known)))
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, known)| known)
}

/// Damerau–Levenshtein distance (adjacent swaps count one), on characters.
/// Whether two words begin with the same two letters.
fn same_start(a: &str, b: &str) -> bool {
    a.chars().take(2).eq(b.chars().take(2))
}

pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_time_words_are_caught_in_the_speakers_language() {
        for (typo, spoken, meant) in [
            ("evrey", Spoken::English, "every"),
            ("minuts", Spoken::English, "minutes"),
            ("thrusday", Spoken::English, "thursday"),
            ("amanah", Spoken::Portuguese, "amanha"),
            ("segnuda", Spoken::Portuguese, "segunda"),
            ("demian", Spoken::French, "demain"),
            ("heurs", Spoken::French, "heures"),
        ] {
            assert_eq!(misspelt_time_word(typo, spoken), Some(meant), "{typo}");
        }
    }

    #[test]
    fn no_suggestion_from_another_language_or_for_a_known_word() {
        // Close to Portuguese and French words, but said in English.
        for typo in ["domingu", "segnuda", "demian", "samdi"] {
            assert_eq!(misspelt_time_word(typo, Spoken::English), None, "{typo}");
        }
        // Words the grammar reads, in any language, are never slips.
        for (word, spoken) in [
            ("manha", Spoken::Portuguese),
            ("tarde", Spoken::Portuguese),
            ("noite", Spoken::Portuguese),
            ("soir", Spoken::French),
            ("matin", Spoken::French),
            ("mardi", Spoken::English),
            ("sabado", Spoken::French),
            ("tomorow", Spoken::English),
            ("todas", Spoken::Portuguese),
        ] {
            assert_eq!(misspelt_time_word(word, spoken), None, "{word}");
        }
        for word in [
            "call", "stretch", "ligar", "appeler", "reuniao", "water", "hour", "mondays", "ana",
            "house", "minute", "meeting", "dinner",
        ] {
            for spoken in [Spoken::English, Spoken::Portuguese, Spoken::French] {
                assert_eq!(
                    misspelt_time_word(word, spoken),
                    None,
                    "{word} was taken for a typo"
                );
            }
        }
    }
}
