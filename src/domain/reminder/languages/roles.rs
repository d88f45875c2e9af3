//! The roles words play in the grammar (`Role`: `today`, `noon`, `every`
//! …) and the kinds of phrases (`Phrases`: asking, openers …): the names
//! the language files give their `[words]` and `[phrases]` entries, so the
//! parser asks for a role, never for a word.

use serde::Deserialize;

/// Small closed classes of words, named by what they do in the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Joining the time and the text (`to`, `de`, `pour`).
    Joiners,
    /// Before a relative duration (`in`, `em`, `dans`).
    In,
    /// Before a clock time (`at`, `às`, `à`).
    At,
    /// Before a day or date (`on`, `na`, `le`).
    On,
    /// `and` in a list or a duration.
    And,
    /// `every`, `todo`, `chaque`.
    Every,
    /// `until`, `até`, `jusqu'`.
    Until,
    /// After a count (`times`, `vezes`, `fois`).
    Times,
    /// Elisions split from the word they lean on (`d'appeler`).
    Elisions,
    /// Words with an apostrophe that are one word (`aujourd'hui`).
    Whole,
    /// Before a day, and enough alone to make a bare number a day of the month (`le 22`).
    OnNumber,
    /// Before a bare number that is a day of the month (`the 22nd`, `dia 22`).
    DayNumber,
    /// Today.
    Today,
    /// Tomorrow.
    Tomorrow,
    /// The day after tomorrow.
    AfterTomorrow,
    /// Next week, no day said: its first day (`next week`, `semana que vem`).
    NextWeek,
    /// This weekend, no day said: its Saturday (`this weekend`, `ce week-end`).
    ThisWeekend,
    /// The month's last day (`end of the month`, `fim do mês`, `fin du mois`).
    MonthEnd,
    /// Before a weekday: the one of next week (`next friday`).
    Next,
    /// After a weekday: the one of next week (`sexta que vem`).
    NextAfter,
    /// Between a day and its month (`24th of December`).
    MonthOf,
    /// Between a date and its year (`24 de dezembro de 2027`).
    YearOf,
    /// Endings of a day of the month in digits (`1st`, `1er`, `1o`).
    OrdinalSuffixes,
    /// Noon.
    Noon,
    /// Midnight.
    Midnight,
    /// After an hour, marking it as one (`9 o'clock`).
    OClock,
    /// After an hour, marking it as one on the 24-hour clock (`9 horas`).
    HourMarks,
    /// After an hour: the morning's.
    Am,
    /// After an hour: the afternoon's.
    Pm,
    /// Endings of the minutes in one token (`17h30min`).
    ClockMinuteSuffixes,
    /// After an hour: in the morning (`9 da manhã`).
    MorningAfterHour,
    /// After an hour: in the afternoon or evening (`3 da tarde`).
    EveningAfterHour,
    /// Between minutes and the hour they come before (`10 to 5`).
    ToHour,
    /// Between minutes and the hour they come after (`10 past 5`).
    PastHour,
    /// Before the hour after `to` (`para as nove`).
    HourArticles,
    /// Minutes after a number of them in a clock time.
    MinuteUnits,
    /// Opening minutes said as a fraction (`quarter past 4`).
    FractionLeads,
    /// Before a fraction of an hour (`a quarter`, `um quarto`).
    FractionArticles,
    /// A quarter of an hour.
    Quarter,
    /// Half an hour.
    Half,
    /// Minutes before an hour, after it (`11h moins le quart`).
    Minus,
    /// After `moins`.
    MinusArticles,
    /// `and` after an hour taking only a half or a quarter (`at 5 and 6` is two times).
    AndFractionsOnly,
    /// Articles that are number words but never a count of minutes or an hour.
    Indefinite,
    /// Tonight (`ce soir`, though `soir` alone is the evening).
    Tonight,
    /// Before a part of the day, making it today's.
    ThisPart,
    /// Leading to a part of the day (`in the evening`, `à tarde`).
    PartLeads,
    /// After `until` (`jusqu'à`, `até o`).
    UntilArticles,
    /// Every day, without `every`.
    Daily,
    /// Every hour, without `every`.
    Hourly,
    /// Every year, without `every`.
    Yearly,
    /// Opening a repetition without `every` (`le week-end`).
    RepeatArticle,
    /// The weekend.
    Weekend,
    /// Weekends, plural: every weekend without `every` (`on weekends`,
    /// `nos fins de semana`).
    Weekends,
    /// Opening `from n to n` units (`de 2 em 2 horas`).
    IntervalFrom,
    /// Between the two counts of `de 2 em 2 horas`.
    IntervalTo,
    /// After `every` (`todos os`, `tous les`).
    EveryArticles,
    /// A year, after `every`.
    Year,
    /// A day, after `every`.
    Day,
    /// Before a day of the month (`todo dia 1`, `todo ano no dia 2 de maio`).
    DayWord,
    /// An hour, after `every`.
    Hour,
    /// A minute, after `every`.
    Minute,
    /// A week, after `every`.
    Week,
    /// A month.
    Month,
    /// A working day, after `every`.
    Workday,
    /// After `every year`, before its date.
    YearlyOn,
    /// Opening a range of weekdays (`from monday`, `de segunda`).
    RangeFrom,
    /// Before a weekday of a range (`do o sábado`, `le lundi`).
    RangeArticles,
    /// Between the weekdays of a range.
    RangeTo,
    /// Between the weekdays of a range opened by `from`.
    RangeToAfterFrom,
    /// Before the working days (`on weekdays`, `nos dias úteis`).
    WorkdaysOn,
    /// The working days.
    Workdays,
    /// After `every day`, making it every working day.
    WorkdaysAfterDay,
    /// After `every month`, before its day.
    MonthlyOn,
    /// After `every month`, before the day's number.
    MonthlyDay,
    /// Before a nth weekday (`the last friday`).
    NthArticles,
    /// After a nth weekday, before `month` (`of the month`).
    OfMonth,
    /// Between `of` and `month`.
    OfMonthArticles,
    /// Before a weekday after `every week`.
    ListOn,
    /// Before a weekday after `and` in a list (`e na quinta`).
    ListArticles,
    /// After `every`: every second one (`every other monday`).
    Other,
    /// After `every other`.
    OtherWeek,
    /// After `every other`: every two days.
    OtherDay,
    /// Before the morning, making it the early morning (`early in the morning`).
    EarlyBefore,
    /// After the morning, making it the early morning (`de manhã cedo`).
    EarlyAfter,
    /// Every two weeks, in one word.
    Fortnightly,
    /// Opening `un lundi sur deux`.
    OneIn,
    /// Between the day and the count of `un lundi sur deux`.
    InEvery,
    /// Opening `uma segunda sim, outra não`.
    AlternateArticles,
    /// After the day of `segunda sim, segunda não`.
    AlternateYes,
    /// Standing for the day again in `uma segunda sim, outra não`.
    AlternateOther,
    /// Closing `segunda sim, segunda não`.
    AlternateNo,
    /// Before the weekdays after `every n weeks`.
    WeeklyOn,
    /// Between `and` and a unit (`two and a half hours`).
    AHalf,
    /// Half an hour, in words.
    HalfHour,
    /// A quarter of an hour, in words.
    QuarterHour,
    /// `three quarters of an hour`, `três quartos de hora`, `trois quarts d'heure`.
    ThreeQuartersHour,
    /// Time words the grammar recognises but does not read (`months`,
    /// `christmas`, `few`): a refusal leaves them, and the words around
    /// them, out of the task it quotes.
    Unread,
    /// Every week, before the days it falls on (`weekly on friday`).
    Weekly,
    /// Before a weekday abbreviation that is also a word, making it a
    /// weekday (`on sat`, `na sex`); not French `le`, also the article
    /// (`acheter le jeu à 15h`).
    ShortWeekdayOn,
    /// After a duration, part of it (`in 3 months time`).
    SpanAfter,
    /// Next month, no day said: its first day (`next month`, `mês que vem`).
    NextMonth,
    /// Next year, no day said: its first day (`next year`, `l'année prochaine`).
    NextYear,
    /// A few minutes, said with no count: `chat.times.few_minutes`
    /// (`in a few minutes`, `daqui a uns minutos`, `dans quelques minutes`).
    FewMinutes,
    /// Between the tens and the units of a number in words (`vinte e
    /// cinco`, `vingt et un`; none in English: `twenty five`).
    NumberAnd,
    /// Two, or about (`in a couple of hours`), before a unit.
    Couple,
    /// Before how long a repetition goes on (`for a week`, `durante 3
    /// dias`, `pendant un mois`).
    For,
    /// Minutes under ten after an hour in words (`ten oh five`).
    OhMinutes,
    /// Half past the hour said right after it (`half 9`, British).
    HalfBeforeHour,
    /// A holiday's phrase (`christmas eve`, `véspera de natal`, `noël`),
    /// from the file's `[holidays]`.
    Holiday,
    /// Before a holiday only (`a gift for christmas`).
    HolidayLeads,
    /// After a clock time in one word, making it about that time (`9ish`).
    ApproximateSuffixes,
    /// A day already past (`yesterday`, `ontem`, `hier`): refused as past.
    Yesterday,
    /// Before the days a daily repetition leaves out (`except`, `exceto`,
    /// `menos`, `sauf`).
    Except,
    /// Between `except` and its days (`on`, `aos`, `le`).
    ExceptArticles,
    /// The end of a working day (`end of day`, `eod`, `no fim do dia`, `en
    /// fin de journée`): `chat.times.end_of_day`.
    EndOfDay,
    /// After a duration said without `in`, making it one (`2 days from
    /// now`); none in Portuguese and French, whose `daqui a` and `dans`
    /// come first.
    FromNow,
    /// Joining words that make a time said first, with no asking words, a
    /// request (`tomorrow 9am to call the bank`): the language's own, so
    /// they also tell it.
    TaskAfterTime,
    // New roles go above: `TaskAfterTime` stays the last (see `WordRoles`).
}

/// The roles one word plays, as bits of a `u128`: the roles it is an entry
/// of alone, and those with an entry it starts (`depois` starts `depois de
/// amanha`), with where the lexicon keeps the entries it starts. The
/// tokenizer looks a word up once and keeps these, so the grammar, which
/// asks about the same words at every position it tries, tests a bit and
/// reads the few entries that start with the word instead of searching the
/// lexicon again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordRoles {
    alone: u128,
    starts: u128,
    /// The index of the entries the word starts, in `Lexicon::entries_of`.
    pub(super) entries: Option<usize>,
}

// Every role has its bit.
const _: () = assert!((Role::TaskAfterTime as u32) < u128::BITS);

const fn bit(role: Role) -> u128 {
    1 << role as u32
}

impl WordRoles {
    /// Whether the word alone is an entry of `role`.
    pub const fn is(self, role: Role) -> bool {
        self.alone & bit(role) != 0
    }

    /// Whether an entry of `role` (of one word or more) starts with the word.
    pub const fn starts(self, role: Role) -> bool {
        self.starts & bit(role) != 0
    }

    /// Counts the word as the first of an entry of `role` that has `length` words.
    pub(super) fn add(&mut self, role: Role, length: usize) {
        self.starts |= bit(role);
        if length == 1 {
            self.alone |= bit(role);
        }
    }
}

/// The roles every language has, whose words are never taken for a slip
/// of a time word; the others hold a language's own constructions (`de 2
/// em 2 horas`, `un lundi sur deux`).
pub(super) const KNOWN_ROLES: [Role; 8] = [
    Role::Joiners,
    Role::In,
    Role::At,
    Role::On,
    Role::And,
    Role::Every,
    Role::Until,
    Role::Times,
];

/// Phrases of one or more words, each written with spaces between tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phrases {
    /// Words that ask for a reminder; they also tell the language.
    Asking,
    /// Said before asking (`could you`, `por favor`, `stp`).
    Openers,
    /// Politeness that may close a message.
    Closers,
    /// Thanks, closing a message after a comma.
    Thanks,
    /// Times too vague to set (`later`, `mais tarde`).
    Vague,
}
