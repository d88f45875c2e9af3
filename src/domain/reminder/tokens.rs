//! Words of a chat message as the reminder grammar reads them: lower case,
//! accents folded (`amanhã`, `amanha` and `AMANHÃ` read alike), French
//! elisions split off (`d'appeler` is `d'` then `appeler`), each with its span
//! in the original text so the reminder's own words are kept as typed.

use super::languages::{Role, WordRoles, fold, lexicon};

/// One word, number, clock time or mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower case, accents folded, `’` read as `'`.
    pub norm: String,
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// The roles `norm` plays in the grammar, looked up once (none for a
    /// quoted token, which is never a word of the grammar).
    pub roles: WordRoles,
    /// A number said in words in parts (`forty five`, `vinte e cinco`,
    /// `vingt-et-un`), whose `norm` is its digits: read as a number, yet
    /// known to be words where that matters (`nine forty five`).
    pub spelled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, digits and the marks inside them (`17:30`, `rappelle-moi`, `24/12`).
    Word,
    /// `:` or `,` standing apart, or `@` before a word (`@ 9`, `@9am`).
    Mark,
    /// Text between double quotes or backticks (a cron expression), quotes excluded.
    Quoted,
}

impl Token {
    /// All ASCII digits.
    pub fn number(&self) -> Option<u32> {
        let digits = self.kind == Kind::Word
            && !self.norm.is_empty()
            && self.norm.len() <= 9
            && self.norm.bytes().all(|b| b.is_ascii_digit());
        if digits { self.norm.parse().ok() } else { None }
    }
}

/// Splits a message into tokens. Never fails: anything not a word or a mark
/// separates words.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c == '"' || c == '`' || c == '“' || c == '”' {
            let closing = chars[i + 1..]
                .iter()
                .position(|(_, d)| *d == c || (c == '“' && *d == '”'));
            if let Some(offset) = closing {
                let inner_start = start + c.len_utf8();
                let (close_at, close) = chars[i + 1 + offset];
                tokens.push(Token {
                    norm: text[inner_start..close_at].trim().to_owned(),
                    start,
                    end: close_at + close.len_utf8(),
                    kind: Kind::Quoted,
                    roles: WordRoles::default(),
                    spelled: false,
                });
                i += offset + 2;
                continue;
            }
            i += 1;
            continue;
        }
        // `@` stands for `at` in chat (`2morrow @ 9`), but not inside an
        // address (`bob@example.com`), where it joins nothing and is dropped.
        let at_sign = c == '@' && (i == 0 || !is_word_char(chars[i - 1].1));
        if c == ':' || c == ',' || at_sign {
            tokens.push(Token {
                norm: c.to_string(),
                start,
                end: start + 1,
                kind: Kind::Mark,
                roles: lexicon().roles(&c.to_string()),
                spelled: false,
            });
            i += 1;
            continue;
        }
        if !is_word_char(c) {
            i += 1;
            continue;
        }
        // A word: letters and digits, with `-`, `'`, `:`, `/`, `.` inside it
        // when a word character follows (a trailing `:` or `.` stands apart).
        let mut j = i;
        while j < chars.len() {
            let (_, d) = chars[j];
            if is_word_char(d) {
                j += 1;
            } else if is_joiner(d) && j + 1 < chars.len() && is_word_char(chars[j + 1].1) {
                // `17:30` and `24/12` join digits only; `-` and `'` join anything.
                let digits_around =
                    chars[j - 1].1.is_ascii_digit() && chars[j + 1].1.is_ascii_digit();
                if matches!(d, ':' | '/' | '.') && !digits_around {
                    break;
                }
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        push_word(&mut tokens, text, start, end);
        i = j;
    }
    join_spelled_numbers(tokens)
}

/// `forty five`, `vinte e cinco`, `vingt et un`: a number said in words in
/// two or three tokens becomes one, its `norm` the digits, its span the
/// words (the task keeps them as typed: `buy twenty five apples`).
fn join_spelled_numbers(tokens: Vec<Token>) -> Vec<Token> {
    let lexicon = lexicon();
    // The words of the `n` tokens from `at`, on the stack: this runs at
    // every position of every message.
    let words = |at: usize, n: usize| -> Option<[&str; 3]> {
        let run = tokens.get(at..at + n)?;
        let mut words = [""; 3];
        for (word, token) in words.iter_mut().zip(run) {
            if token.kind != Kind::Word || token.spelled {
                return None;
            }
            *word = token.norm.as_str();
        }
        Some(words)
    };
    // Where each number starts, how many tokens it takes, and its value.
    let mut numbers = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let found = [3, 2]
            .into_iter()
            .find_map(|n| Some((n, lexicon.spelled_number(&words(at, n)?[..n])?)));
        match found {
            Some((n, number)) => {
                numbers.push((at, n, number));
                at += n;
            }
            None => at += 1,
        }
    }
    if numbers.is_empty() {
        return tokens;
    }
    let mut joined = Vec::with_capacity(tokens.len());
    let mut numbers = numbers.into_iter().peekable();
    let mut tokens = tokens.into_iter().enumerate();
    while let Some((at, token)) = tokens.next() {
        match numbers.next_if(|(start, _, _)| *start == at) {
            Some((_, n, number)) => {
                let end = tokens.nth(n - 2).map_or(token.end, |(_, last)| last.end);
                joined.push(spelled(number, token.start, end));
            }
            None => joined.push(token),
        }
    }
    joined
}

fn spelled(number: u32, start: usize, end: usize) -> Token {
    Token {
        spelled: true,
        ..word(number.to_string(), start, end)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | ':' | '/' | '.')
}

fn push_word(tokens: &mut Vec<Token>, text: &str, start: usize, end: usize) {
    let norm = fold(&text[start..end]);
    let lexicon = lexicon();
    let norm = lexicon.shorthand(&norm).map_or(norm, str::to_owned);
    // `9ish`, `5:30ish`: about that time, read as the time.
    let norm = match lexicon
        .words(Role::ApproximateSuffixes)
        .iter()
        .find_map(|suffix| norm.strip_suffix(suffix.as_str()))
    {
        Some(time) if time.starts_with(|c: char| c.is_ascii_digit()) => time.to_owned(),
        _ => norm,
    };
    // `forty-five`, `quarante-cinq`, `vingt-et-un`.
    if norm.contains('-') && lexicon.number(&norm).is_none() {
        let parts: Vec<&str> = norm.split('-').collect();
        if let Some(number) = lexicon.spelled_number(&parts) {
            tokens.push(spelled(number, start, end));
            return;
        }
    }
    // Elisions split from the word they lean on; words such as
    // `aujourd'hui` stay whole.
    if !lexicon.is(Role::Whole, &norm) {
        for elision in lexicon.words(Role::Elisions) {
            if norm.len() > elision.len() && norm.starts_with(elision) {
                // The elision is ASCII after folding, and so is its span in the
                // original text but for a `’` (three bytes).
                let original = &text[start..end];
                let cut = original
                    .char_indices()
                    .find(|(_, c)| *c == '\'' || *c == '’')
                    .map(|(at, c)| at + c.len_utf8())
                    .unwrap_or(elision.len());
                tokens.push(word(elision.clone(), start, start + cut));
                tokens.push(word(norm[elision.len()..].to_owned(), start + cut, end));
                return;
            }
        }
    }
    tokens.push(word(norm, start, end));
}

fn word(norm: String, start: usize, end: usize) -> Token {
    Token {
        roles: lexicon().roles(&norm),
        norm,
        start,
        end,
        kind: Kind::Word,
        spelled: false,
    }
}

/// The position of the first token from `at` on that is not a mark.
pub fn skip_marks(tokens: &[Token], mut at: usize) -> usize {
    while tokens.get(at).is_some_and(|t| t.kind == Kind::Mark) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_are_folded_and_spans_kept() {
        let text = "Me lembre AMANHÃ às 9h: ligar";
        let tokens = tokenize(text);
        assert_eq!(
            norms(text),
            ["me", "lembre", "amanha", "as", "9h", ":", "ligar"]
        );
        assert_eq!(&text[tokens[2].start..tokens[2].end], "AMANHÃ");
    }

    #[test]
    fn clock_times_dates_and_hyphens_stay_whole() {
        assert_eq!(
            norms("at 17:30 on 24/12/2027, 2026-12-24 rappelle-moi après-demain."),
            [
                "at",
                "17:30",
                "on",
                "24/12/2027",
                ",",
                "2026-12-24",
                "rappelle-moi",
                "apres-demain"
            ]
        );
    }

    #[test]
    fn elisions_split_but_today_stays_whole() {
        let text = "demain d’appeler Ana jusqu'à aujourd'hui";
        assert_eq!(
            norms(text),
            [
                "demain",
                "d'",
                "appeler",
                "ana",
                "jusqu'",
                "a",
                "aujourd'hui"
            ]
        );
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[2].start..tokens[2].end], "appeler");
    }

    #[test]
    fn an_at_sign_stands_apart_but_not_inside_an_address() {
        assert_eq!(
            norms("2morrow @ 9 @5pm"),
            ["tomorrow", "@", "9", "@", "5pm"]
        );
        assert_eq!(
            norms("email bob@example.com"),
            ["email", "bob", "example", "com"]
        );
    }

    #[test]
    fn numbers_in_words_in_parts_are_one_token_spanning_the_words() {
        let text = "in forty five minutes, vinte e cinco, vingt-et-un, twenty a";
        let tokens = tokenize(text);
        assert_eq!(
            norms(text),
            [
                "in", "45", "minutes", ",", "25", ",", "21", ",", "twenty", "a"
            ]
        );
        assert!(tokens[1].spelled && !tokens[8].spelled);
        assert_eq!(&text[tokens[1].start..tokens[1].end], "forty five");
        assert_eq!(&text[tokens[4].start..tokens[4].end], "vinte e cinco");
        assert_eq!(tokens[1].number(), Some(45));
    }

    #[test]
    fn quotes_hold_a_cron_expression() {
        let tokens = tokenize(r#"remind me "0 9 * * MON-FRI" to stand up"#);
        assert_eq!(tokens[2].kind, Kind::Quoted);
        assert_eq!(tokens[2].norm, "0 9 * * MON-FRI");
        assert_eq!(tokens[3].norm, "to");
    }

    #[test]
    fn anything_tokenizes_without_panicking() {
        for text in [
            "", "\"", "'", "’’", "::", "a-", "-a", "d'", "“x", "9:", "é’",
        ] {
            let _ = tokenize(text);
        }
    }
}
