//! The words of the reminder grammar in English, Portuguese and French, as
//! `tokens::fold` writes them (lower case, no accents).

use chrono::Weekday;

use super::Spoken;
use super::when::Part;

/// Words joining the time and the text (`remind me at 9 to …`).
pub const JOINERS: &[&str] = &[
    "to", "that", "about", "of", "for", "de", "d'", "que", "qu'", "para", "pra", "pour", ":",
];

/// A weekday, by its full name (abbreviations such as `sun`, `dom` or `sex`
/// are ordinary words too often to be read as days).
pub fn weekday(word: &str) -> Option<Weekday> {
    let base = word
        .strip_suffix("-feira")
        .or_else(|| word.strip_suffix("-feiras"))
        .unwrap_or(word);
    let day = match base {
        "monday" | "mondays" | "segunda" | "segundas" | "lundi" | "lundis" => Weekday::Mon,
        "tuesday" | "tuesdays" | "terca" | "tercas" | "mardi" | "mardis" => Weekday::Tue,
        "wednesday" | "wednesdays" | "quarta" | "quartas" | "mercredi" | "mercredis" => {
            Weekday::Wed
        }
        "thursday" | "thursdays" | "quinta" | "quintas" | "jeudi" | "jeudis" => Weekday::Thu,
        "friday" | "fridays" | "sexta" | "sextas" | "vendredi" | "vendredis" => Weekday::Fri,
        "saturday" | "saturdays" | "sabado" | "sabados" | "samedi" | "samedis" => Weekday::Sat,
        "sunday" | "sundays" | "domingo" | "domingos" | "dimanche" | "dimanches" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

pub fn month(word: &str) -> Option<u32> {
    let month = match word.trim_end_matches('.') {
        "january" | "jan" | "janeiro" | "janvier" | "janv" => 1,
        "february" | "feb" | "fevereiro" | "fev" | "fevrier" | "fevr" => 2,
        "march" | "mar" | "marco" | "mars" => 3,
        "april" | "apr" | "abril" | "abr" | "avril" | "avr" => 4,
        "may" | "maio" | "mai" => 5,
        "june" | "jun" | "junho" | "juin" => 6,
        "july" | "jul" | "julho" | "juillet" | "juil" => 7,
        "august" | "aug" | "agosto" | "ago" | "aout" => 8,
        "september" | "sep" | "sept" | "setembro" | "set" | "septembre" => 9,
        "october" | "oct" | "outubro" | "out" | "octobre" => 10,
        "november" | "nov" | "novembro" | "novembre" => 11,
        "december" | "dec" | "dezembro" | "dez" | "decembre" => 12,
        _ => return None,
    };
    Some(month)
}

/// A small number written out: `a`, `one`, `um`, `une`, `two`, `duas` …
pub fn number_word(word: &str) -> Option<u32> {
    let n = match word {
        "a" | "an" | "one" | "um" | "uma" | "un" | "une" => 1,
        "two" | "dois" | "duas" | "deux" => 2,
        "three" | "tres" | "trois" => 3,
        "four" | "quatro" | "quatre" => 4,
        "five" | "cinco" | "cinq" => 5,
        "six" | "seis" => 6,
        "seven" | "sete" | "sept" => 7,
        "eight" | "oito" | "huit" => 8,
        "nine" | "nove" | "neuf" => 9,
        "ten" | "dez" | "dix" => 10,
        "fifteen" | "quinze" => 15,
        "twenty" | "vinte" | "vingt" => 20,
        "thirty" | "trinta" | "trente" => 30,
        _ => return None,
    };
    Some(n)
}

/// Chat shorthand and frequent slips of time words, read as the word meant
/// (`2moro`, `tmrw`, `tonite`, `amnh`, `hj`, `dem1`, `ajd`). Rarer slips are
/// pointed out instead (`misspelt_time_word`).
pub fn shorthand(word: &str) -> Option<&'static str> {
    let meant = match word {
        "2moro" | "2morrow" | "2morow" | "2mrw" | "tmrw" | "tmr" | "tmw" | "tomoz" | "tomorow"
        | "tommorow" | "tommorrow" | "tomorrw" | "tmrrw" => "tomorrow",
        "2nite" | "2night" | "tonite" | "tonigth" => "tonight",
        "amnh" | "amanh" | "amaha" | "amnha" => "amanha",
        "hj" => "hoje",
        "dps" => "depois",
        "dem1" | "2main" | "dmain" => "demain",
        "ajd" | "auj" | "aujourdhui" | "aujourd'hui" => "aujourd'hui",
        "ds" => "dans",
        "mn" => "min",
        _ => return None,
    };
    Some(meant)
}

/// A part of the day's word, singular or plural (`evening`, `noites`, `soirs`).
pub fn part_of_day(word: &str) -> Option<Part> {
    let part = match word {
        "morning" | "mornings" | "manha" | "manhas" | "matin" | "matins" | "matinee" => {
            Part::Morning
        }
        "afternoon" | "afternoons" | "tarde" | "tardes" | "apres-midi" => Part::Afternoon,
        "evening" | "evenings" | "soir" | "soirs" | "soiree" => Part::Evening,
        "night" | "nights" | "noite" | "noites" | "nuit" | "nuits" => Part::Night,
        _ => return None,
    };
    Some(part)
}

/// A unit of a duration, in seconds.
pub fn unit_seconds(word: &str) -> Option<i64> {
    let seconds = match word {
        "s" | "sec" | "secs" | "second" | "seconds" | "seg" | "segundo" | "segundos"
        | "seconde" | "secondes" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" | "minuto" | "minutos" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" | "hora" | "horas" | "heure" | "heures" => 3600,
        "d" | "day" | "days" | "dia" | "dias" | "jour" | "jours" => 86_400,
        "w" | "wk" | "week" | "weeks" | "semana" | "semanas" | "semaine" | "semaines" => 7 * 86_400,
        _ => return None,
    };
    Some(seconds)
}

/// Words before a relative duration: `in`, `em`, `dans`.
pub const IN: &[&str] = &["in", "em", "dans"];
/// Words before a clock time: `at`, `às`, `à`.
pub const AT: &[&str] = &["at", "as", "a", "ao", "@"];
/// Words before a day or date: `on`, `na`, `le` …
pub const ON: &[&str] = &[
    "on", "the", "this", "coming", "na", "no", "nesta", "neste", "nessa", "nesse", "esta", "este",
    "essa", "esse", "em", "a", "le", "ce",
];
/// `and` in a list or a duration.
pub const AND: &[&str] = &["and", "e", "et", "&"];
/// `every`, `each`, and their Portuguese and French forms.
pub const EVERY: &[&str] = &[
    "every", "each", "todo", "toda", "todos", "todas", "cada", "tous", "toutes", "chaque",
];
/// `until`.
pub const UNTIL: &[&str] = &["until", "till", "ate", "jusqu'"];
/// Times too vague to set (`later`, `mais tarde`, `plus tard`): what follows
/// them is the task.
pub const VAGUE: &[&[&str]] = &[
    &["later"],
    &["sometime"],
    &["soon"],
    &["later", "on"],
    &["mais", "tarde"],
    &["mais", "logo"],
    &["qualquer", "hora"],
    &["plus", "tard"],
    &["bientot"],
    &["un", "de", "ces", "jours"],
];
/// `times` after a count.
pub const TIMES: &[&str] = &["times", "vezes", "vez", "fois", "x"];

/// The time words of each language, for catching a misspelt one next to a
/// time (`tomorow`, `minuts`): a suggestion comes from the speaker's own
/// language only (no Portuguese weekday offered to an English speaker).
fn time_words(spoken: Spoken) -> &'static [&'static str] {
    match spoken {
        Spoken::English => TIME_WORDS_EN,
        Spoken::Portuguese => TIME_WORDS_PT,
        Spoken::French => TIME_WORDS_FR,
    }
}

const TIME_WORDS_EN: &[&str] = &[
    "tomorrow",
    "today",
    "tonight",
    "yesterday",
    "minutes",
    "minute",
    "hours",
    "seconds",
    "weeks",
    "every",
    "daily",
    "weekday",
    "weekdays",
    "weekend",
    "midnight",
    "noon",
    "midday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "until",
];

const TIME_WORDS_PT: &[&str] = &[
    "amanha",
    "hoje",
    "minutos",
    "minuto",
    "horas",
    "segundos",
    "semanas",
    "todos",
    "todas",
    "segunda",
    "terca",
    "quarta",
    "quinta",
    "sexta",
    "sabado",
    "domingo",
    "janeiro",
    "fevereiro",
    "marco",
    "abril",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "meio-dia",
    "meia-noite",
    "diariamente",
];

const TIME_WORDS_FR: &[&str] = &[
    "minute",
    "minutes",
    "seconde",
    "secondes",
    "demain",
    "aujourd'hui",
    "heures",
    "heure",
    "jours",
    "semaines",
    "semaine",
    "chaque",
    "toutes",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "janvier",
    "fevrier",
    "avril",
    "juillet",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "minuit",
    "apres-demain",
    "jusqu'a",
];

/// Whether `word` looks like a misspelling of one of the speaker's time
/// words: close to one (one edit for words up to six letters, two beyond)
/// without being a word the grammar knows in any language or one ordinary
/// text uses (`manha` is a part of the day, not a slip of `amanha`).
pub fn misspelt_time_word(word: &str, spoken: Spoken) -> Option<&'static str> {
    let length = word.chars().count();
    if length < 4 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    if known(word) || COMMON_WORDS.contains(&word) {
        return None;
    }
    let allowed = if length <= 6 { 1 } else { 2 };
    time_words(spoken)
        .iter()
        .filter(|known| known.chars().count().abs_diff(length) <= allowed)
        .map(|known| (distance(word, known), *known))
        .filter(|(edits, _)| *edits <= allowed)
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, known)| known)
}

/// Whether the grammar reads `word` as something, in any language.
fn known(word: &str) -> bool {
    [Spoken::English, Spoken::Portuguese, Spoken::French]
        .into_iter()
        .any(|spoken| time_words(spoken).contains(&word))
        || weekday(word).is_some()
        || month(word).is_some()
        || number_word(word).is_some()
        || part_of_day(word).is_some()
        || unit_seconds(word).is_some()
        || shorthand(word).is_some()
        || [JOINERS, IN, AT, ON, AND, EVERY, UNTIL, TIMES]
            .iter()
            .any(|words| words.contains(&word))
}

/// Ordinary words one edit away from a time word, which must stay text.
const COMMON_WORDS: &[&str] = &[
    "hour", "days", "mondays", "date", "dates", "quinto", "horse", "house", "sexto", "moon",
    "soon", "none", "nine", "todo", "toda", "juin", "mine", "week", "pessoa", "tuesdays",
];

/// Damerau–Levenshtein distance (adjacent swaps count one), on characters.
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

    #[test]
    fn days_and_months_in_three_languages() {
        assert_eq!(weekday("sexta-feira"), Some(Weekday::Fri));
        assert_eq!(weekday("terca"), Some(Weekday::Tue));
        assert_eq!(weekday("dimanche"), Some(Weekday::Sun));
        assert_eq!(month("decembre"), Some(12));
        assert_eq!(month("fevereiro"), Some(2));
        assert_eq!(month("sept."), Some(9));
    }
}
