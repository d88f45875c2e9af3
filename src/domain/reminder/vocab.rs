//! The words of the reminder grammar in English, Portuguese and French, as
//! `tokens::fold` writes them (lower case, no accents).

use chrono::Weekday;

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
/// pointed out instead (`slips`).
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

#[cfg(test)]
mod tests {
    use super::*;

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
