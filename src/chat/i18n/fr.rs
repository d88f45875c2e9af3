//! French.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::{
    Catalog, JobLogWords, MAX_WELCOMED_NAMES, Say, WatchProblem, ZoneSource, amount, clock,
    duration_parts, in_code, job_log, join_with, percent, plain, plain_list, shorten,
};
use crate::domain::ports::LimitReached;
use crate::domain::price::{FetchError, Rule};
use crate::domain::reminder::Refusal;
use crate::domain::reminder::pattern::{Pattern, Until};
use crate::domain::reminder::{Clock, Nth};
use crate::domain::trigger::TriggerState;

pub struct French;

const COMMANDS: &str = "- `rappelle-moi demain à 9h d'appeler Ana`, `rappelle-moi dans 10 minutes de m'étirer`, \
`rappelle-moi en semaine à 9h de la réunion`\n\
- `rappels` les liste ; `annuler <n>`, `pause <n>`, `reprendre <n>`, `reporter <n> 15m`, `modifier <n> à 10h`\n\
- `préviens-moi quand bitcoin passe sous 30000 usd`, `préviens-moi quand AAPL baisse de 20%`; `alertes` les liste, `annuler alerte <n>` en arrête une\n\
- `fuseau Europe/Paris`, `langue en`, `silence 22:00-07:00` (ou `silence off`)\n\
- `run` lance une tâche, `show` liste le journal des tâches, `done <n>` termine une tâche\n\
- `oublie-moi` efface ce que je garde sur toi";

fn hhmm(clock: Clock) -> String {
    format!("{:02}:{:02}", clock.hour % 24, clock.minute)
}

impl Catalog for French {
    fn weekday(&self, day: Weekday) -> String {
        match day {
            Weekday::Mon => "lundi",
            Weekday::Tue => "mardi",
            Weekday::Wed => "mercredi",
            Weekday::Thu => "jeudi",
            Weekday::Fri => "vendredi",
            Weekday::Sat => "samedi",
            Weekday::Sun => "dimanche",
        }
        .to_owned()
    }

    fn month(&self, month: u32) -> String {
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ][(month.clamp(1, 12) - 1) as usize]
            .to_owned()
    }

    fn date(&self, date: NaiveDate, today: NaiveDate) -> String {
        match (date - today).num_days() {
            0 => "aujourd'hui".to_owned(),
            1 => "demain".to_owned(),
            _ => {
                let day = if date.day() == 1 {
                    "1er".to_owned()
                } else {
                    date.day().to_string()
                };
                let mut text = format!(
                    "{} {day} {}",
                    self.weekday(date.weekday()),
                    self.month(date.month())
                );
                if date.year() != today.year() {
                    text.push_str(&format!(" {}", date.year()));
                }
                text
            }
        }
    }

    fn moment(&self, at: NaiveDateTime, today: NaiveDate) -> String {
        let date = at.date();
        let the = if (date - today).num_days() > 1 {
            "le "
        } else {
            ""
        };
        format!("{the}{} à {}", self.date(date, today), clock(at))
    }

    fn repetition(&self, pattern: &Pattern) -> String {
        match pattern {
            Pattern::Once(_) => String::new(),
            Pattern::Interval(seconds) => match seconds {
                60 => "toutes les minutes".to_owned(),
                3600 => "toutes les heures".to_owned(),
                86_400 => "tous les jours".to_owned(),
                604_800 => "chaque semaine".to_owned(),
                s => format!("toutes les {}", self.duration(Duration::seconds(*s))),
            },
            Pattern::Daily(at) => format!("tous les jours à {}", hhmm(*at)),
            Pattern::Weekly(days, at) => {
                let workweek = [
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ];
                if days.as_slice() == workweek {
                    return format!("en semaine à {}", hhmm(*at));
                }
                if days.as_slice() == [Weekday::Sat, Weekday::Sun] {
                    return format!("le week-end à {}", hhmm(*at));
                }
                let names: Vec<String> = days.iter().map(|d| self.weekday(*d).to_owned()).collect();
                format!("chaque {} à {}", join_with(&names, "et"), hhmm(*at))
            }
            Pattern::WeeksApart(weeks, days, at) => {
                let names: Vec<String> = days.iter().map(|d| self.weekday(*d).to_owned()).collect();
                match (weeks, names.as_slice()) {
                    (2, [day]) => format!("un {day} sur deux à {}", hhmm(*at)),
                    (2, _) => format!(
                        "toutes les deux semaines, le {} à {}",
                        join_with(&names, "et le"),
                        hhmm(*at)
                    ),
                    _ => format!(
                        "toutes les {weeks} semaines, le {} à {}",
                        join_with(&names, "et le"),
                        hhmm(*at)
                    ),
                }
            }
            Pattern::Monthly(day, at) => {
                let day = if *day == 1 {
                    "1er".to_owned()
                } else {
                    day.to_string()
                };
                format!("tous les mois le {day} à {}", hhmm(*at))
            }
            Pattern::MonthlyWeekday(nth, day, at) => {
                let which = match nth {
                    Nth::Last => "dernier",
                    Nth::Ordinal(1) => "premier",
                    Nth::Ordinal(2) => "deuxième",
                    Nth::Ordinal(3) => "troisième",
                    Nth::Ordinal(_) => "quatrième",
                };
                format!(
                    "le {which} {} de chaque mois à {}",
                    self.weekday(*day),
                    hhmm(*at)
                )
            }
            Pattern::Cron(expression) => format!("selon le calendrier `{expression}`"),
        }
    }

    fn ending(&self, until: Until, today: NaiveDate, local_until: Option<NaiveDateTime>) -> String {
        match (until, local_until) {
            (Until::Count(1), _) => ", une fois".to_owned(),
            (Until::Count(n), _) => format!(", {n} fois"),
            (Until::Instant(_), Some(at)) => {
                format!(", jusqu'à {}", self.date(at.date(), today))
            }
            _ => String::new(),
        }
    }

    fn duration(&self, duration: Duration) -> String {
        let parts = duration_parts(duration);
        if parts.is_empty() {
            return "0 s".to_owned();
        }
        parts
            .iter()
            .map(|(n, unit)| match unit {
                0 if *n == 1 => "1 jour".to_owned(),
                0 => format!("{n} jours"),
                1 => format!("{n} h"),
                2 => format!("{n} min"),
                _ => format!("{n} s"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn starting(&self, moment: &str) -> String {
        format!(", prochain : {moment}")
    }

    fn state(&self, state: TriggerState) -> String {
        match state {
            TriggerState::Active => "actif",
            TriggerState::Paused => "en pause",
            TriggerState::Completed => "terminé",
            TriggerState::Cancelled => "annulé",
            TriggerState::Failed => "en échec",
        }
        .to_owned()
    }

    fn rule(&self, rule: &Rule, currency: Option<&str>) -> String {
        match rule {
            Rule::Below { price } => format!("passe sous {}", amount(price, currency)),
            Rule::Above { price } => format!("passe au-dessus de {}", amount(price, currency)),
            Rule::Drops { percent: p } => format!("baisse de {} %", percent(p)),
            Rule::Rises { percent: p } => format!("monte de {} %", percent(p)),
            Rule::Changes { percent: p } => format!("varie de {} %", percent(p)),
            Rule::NewLow => "atteint un nouveau plus bas".to_owned(),
        }
    }

    fn problem(&self, problem: &FetchError) -> String {
        match problem {
            FetchError::Status(status) => format!("la source a répondu {status}"),
            FetchError::Throttled => "la source limite les requêtes".to_owned(),
            FetchError::Timeout => "la source n'a pas répondu à temps".to_owned(),
            FetchError::Unreachable(detail) => {
                format!("impossible de joindre la source : {detail}")
            }
            FetchError::TooLarge(bytes) => format!("la réponse dépasse {bytes} octets"),
            FetchError::NotJson => "la réponse n'est pas du JSON".to_owned(),
            FetchError::NoPrice(pointer) => format!("aucun prix à {pointer} dans la réponse"),
            FetchError::BadPrice(detail) => {
                format!("le prix de la réponse est inutilisable : {detail}")
            }
            FetchError::Forbidden(detail) => format!("refusé : {detail}"),
            FetchError::Waiting => {
                "la source a atteint son quota de requêtes, ou attend après des échecs".to_owned()
            }
            FetchError::PushOnly => "cette source ne prend que des prix envoyés".to_owned(),
        }
    }

    fn say(&self, what: Say<'_>) -> String {
        match what {
            Say::Welcome { names } => {
                let who = match names.len() {
                    0 => String::new(),
                    n if n <= MAX_WELCOMED_NAMES => format!(", {}", plain_list(names)),
                    n => format!(
                        ", {} et {} autres",
                        plain_list(&names[..MAX_WELCOMED_NAMES]),
                        n - MAX_WELCOMED_NAMES
                    ),
                };
                format!(
                    "Bienvenue{who} ! Je suis Herald. Je te rappelle ce que tu veux, je tiens un journal des tâches et je te préviens quand elles sont terminées.\n\n{COMMANDS}"
                )
            }
            Say::Help => format!("Voici ce que je sais faire :\n\n{COMMANDS}"),
            Say::Greeting => "Bonjour ! Que puis-je faire pour toi ? `aide` montre ce que je sais faire.".to_owned(),
            Say::Hint => format!("Je n'ai pas compris. Voici ce que je sais faire :\n\n{COMMANDS}"),
            Say::TextTooLong { limit } => {
                format!("Ce message est trop long pour moi (la limite est de {limit} caractères).")
            }
            Say::FilesReceived { names: [one] } => {
                format!("J'ai bien reçu ton fichier {}.", plain(one))
            }
            Say::FilesReceived { names } => format!(
                "J'ai bien reçu tes {} fichiers : {}.",
                names.len(),
                plain_list(names)
            ),
            Say::JobStarted(id) => {
                format!("Nous lançons la tâche {id}. Nous te préviendrons quand elle sera terminée.")
            }
            Say::JobLimit(LimitReached::Conversation(n)) => format!(
                "Cette conversation a déjà {n} tâches ouvertes, le maximum que je garde. Termine-en d'abord avec `done <n>`."
            ),
            Say::JobLimit(LimitReached::User(n)) => format!(
                "Tu as déjà {n} tâches ouvertes, le maximum que je garde par personne. Termine-en d'abord avec `done <n>`."
            ),
            Say::JobCompletedHere(id) => {
                format!("Tâche {id} terminée. Sa conversation a été prévenue.")
            }
            Say::JobAlreadyCompleted(id) => format!("La tâche {id} est déjà terminée."),
            Say::NoSuchJob(id) => format!("Il n'y a pas de tâche {}.", plain(&shorten(id, 24))),
            Say::JobIdNeeded => {
                "Indique le numéro de la tâche après `done`, par exemple `done 3`.".to_owned()
            }
            Say::JobEventNeedsId => {
                "Un événement de fin de tâche a besoin du numéro de la tâche comme valeur.".to_owned()
            }
            Say::JobCompletedNotice(id) => format!("Ta tâche {id} vient de se terminer."),
            Say::JobLog { page, number, size } => job_log(
                page,
                number,
                size,
                &JobLogWords {
                    empty: "Le journal des tâches est vide.",
                    title: "Journal des tâches",
                    job: "tâche",
                    jobs: "tâches",
                    page_of: |n, of| format!("page {n} sur {of}"),
                    no_page: |n, of| format!("Il n'y a pas de page {n} : le journal a {of} page(s)."),
                    next_page: |n| format!("Dis `show {n}` pour la page suivante."),
                    line: |id, label, done| {
                        let status = if done { "terminée" } else { "en attente" };
                        format!("- Tâche **{id}** · conversation `{label}` · {status}")
                    },
                },
            ),
            Say::Fired { text, late, missed } => {
                let text = if text.trim().is_empty() {
                    "Rappel".to_owned()
                } else {
                    plain(text)
                };
                match late {
                    Some((due, late)) if missed => format!(
                        "Rappel manqué — prévu {due}, il y a {} : {text}",
                        self.duration(late)
                    ),
                    Some((due, late)) => format!(
                        "⏰ {text}\n\n_Prévu {due} : il arrive avec {} de retard, car Herald ne tournait pas._",
                        self.duration(late)
                    ),
                    None => format!("⏰ {text}"),
                }
            }
            Say::SnoozeButton { minutes: 60 } => "Reporter d'1 heure".to_owned(),
            Say::SnoozeButton { minutes } => format!("Reporter de {minutes} min"),
            Say::DoneButton => "Fait".to_owned(),
            Say::ReminderSet { when, zone, text } => {
                format!("Je te le rappellerai {when} ({zone}) : {}", plain(text))
            }
            Say::ReminderRefused { refusal, misspelt } => {
                let example = "Essaie par exemple `rappelle-moi demain à 9h d'appeler Ana`, `rappelle-moi dans 10 minutes de m'étirer` ou `rappelle-moi chaque lundi à 10h de planifier la semaine`.";
                match (refusal, misspelt) {
                    (_, Some((typed, meant))) => format!(
                        "Je n'ai pas compris « {} » — tu voulais dire « {meant} » ? Je n'ai rien programmé. {example}",
                        plain(&shorten(typed, 30))
                    ),
                    (Refusal::Past, _) => format!(
                        "Cette heure est déjà passée, je n'ai donc rien programmé. Donne-moi une heure à venir, comme `demain à 9h`. {example}"
                    ),
                    (Refusal::Date, _) => format!(
                        "Cette date ou cette heure n'existe pas (vérifie le jour, le mois et l'heure), je n'ai donc rien programmé. {example}"
                    ),
                    (Refusal::Text, _) => "De quoi dois-je te rappeler ? Écris-le après l'heure, par exemple `rappelle-moi demain à 9h d'appeler Ana`.".to_owned(),
                    (Refusal::Far, _) => format!(
                        "C'est dans plus de dix ans, plus loin que je ne garde les rappels. {example}"
                    ),
                    (Refusal::When, _) => format!("Je n'ai pas compris quand. {example}"),
                }
            }
            Say::OtherReading { when } => format!("Si tu voulais dire {when}, appuie sur le bouton et je le déplace."),
            Say::OtherReadingButton { when } => format!("Plutôt {when}"),
            Say::ReminderNoTime { asked, task } => format!(
                "J'ai compris la tâche « {} », mais pas quand, je n'ai donc rien programmé. Ajoute une heure, par exemple `{} {} demain à 9h`.",
                plain(&shorten(task, 60)),
                in_code(asked),
                in_code(&shorten(task, 60)),
            ),
            Say::RepeatTooOften { min } => format!(
                "Il faut au moins {} entre deux rappels, je n'ai donc rien programmé. Par exemple `rappelle-moi en semaine à 9h de la réunion`.",
                self.duration(min)
            ),
            Say::ReminderTextTooLong { limit } => format!(
                "Un rappel peut faire au plus {limit} caractères ; raccourcis-le, par exemple `rappelle-moi demain à 9h d'appeler Ana`."
            ),
            Say::ReminderLimit {
                per_user: true,
                limit,
            } => format!(
                "Tu as déjà {limit} rappels, le maximum que je garde par personne. Annules-en d'abord avec `annuler <n>`."
            ),
            Say::ReminderLimit {
                per_user: false,
                limit,
            } => format!(
                "Cette conversation a déjà {limit} rappels, le maximum que je garde. Annules-en d'abord avec `annuler <n>`."
            ),
            Say::NoReminders => "Il n'y a pas de rappel ici. Programmes-en un avec `rappelle-moi demain à 9h d'appeler Ana`.".to_owned(),
            Say::Reminders { count, shown } if shown < count => {
                format!("**Rappels** ({count}, les {shown} prochains)")
            }
            Say::Reminders { count, .. } => format!("**Rappels** ({count})"),
            Say::ReminderLine {
                id,
                when,
                text,
                owner,
                paused,
            } => {
                let state = if paused { " · _en pause_" } else { "" };
                let owner = owner.map_or(String::new(), |name| format!(" · de {}", plain(name)));
                format!("- **{id}** · {when}{state}{owner} · {}", plain(&shorten(text, 80)))
            }
            Say::NoSuchReminder { id } => format!(
                "Il n'y a pas de rappel {} ici. Dis `rappels` pour les voir.",
                plain(&shorten(id, 24))
            ),
            Say::ReminderIdNeeded { example } => format!(
                "Quel rappel ? Donne son numéro, par exemple `{example}`. Dis `rappels` pour les voir."
            ),
            Say::NotYours { id, owner } => format!(
                "Le rappel {id} appartient à {} ; seule cette personne peut le modifier.",
                plain(owner)
            ),
            Say::Cancelled { id } => format!("Rappel {id} annulé."),
            Say::Paused { id } => {
                format!("Rappel {id} en pause. Dis `reprendre {id}` pour continuer.")
            }
            Say::Resumed { id, next } => format!("Rappel {id} réactivé ; le prochain : {next}."),
            Say::Unchanged { id, state } => format!("Le rappel {id} est déjà {state}."),
            Say::CannotChange { id } => format!(
                "Le rappel {id} est terminé ; il n'y a rien à modifier. Programmes-en un nouveau."
            ),
            Say::Snoozed { id, when } => format!("Je te le rappellerai à nouveau {when} (rappel {id})."),
            Say::SnoozeNeedsDuration => {
                "Pour combien de temps ? Par exemple `reporter 3 15m` ou `reporter 3 1h`.".to_owned()
            }
            Say::Edited { id, when } => format!("Le rappel {id} arrivera désormais {when}."),
            Say::EditNeedsTime => "Pour quand ? Par exemple `modifier 3 à 10h` ou `modifier 3 demain à 9h`.".to_owned(),
            Say::Acknowledged { next: Some(next) } => format!("👍 Prochaine fois : {next}."),
            Say::Acknowledged { next: None } => "👍".to_owned(),
            Say::PriceAlert { symbol, source, price, rule, change, base, sparkline } => {
                let mut text = format!("🔔 **{}** ({}) est à {price} : il {rule}. Depuis le début de l'alerte : {change} (depuis {base}).", plain(symbol), plain(source));
                if !sparkline.is_empty() {
                    text.push_str(&format!("\n\n{sparkline}"));
                }
                text
            }
            Say::SourceStalled { source, symbol, watch, reason } => format!(
                "⚠️ Je n'arrive plus à obtenir les prix de {} ({}), ton alerte {watch} sur {} est donc en panne. Je te préviendrai quand ça remarchera.",
                plain(source), plain(&shorten(reason, 120)), plain(symbol)
            ),
            Say::SourceRecovered { source, symbol, watch } => format!(
                "✅ {} répond de nouveau : ton alerte {watch} sur {} continue.", plain(source), plain(symbol)
            ),
            Say::SymbolUnpriced { source, symbol, watch, reason } => format!(
                "⚠️ {} ne donne plus de prix pour {} ({}), ton alerte {watch} est donc en panne. Je te préviendrai si un prix revient ; `supprimer alerte {watch}` l'enlève.",
                plain(source), plain(symbol), plain(&shorten(reason, 120))
            ),
            Say::SymbolPricedAgain { source, symbol, watch } => format!(
                "✅ {} donne de nouveau un prix pour {} : ton alerte {watch} continue.", plain(source), plain(symbol)
            ),
            Say::WatchSet { id, symbol, source, rule, now } => {
                let now = now.map_or(String::new(), |now| format!(" (actuellement {now})"));
                format!("Je surveille {} ({}) pour toi : je te préviendrai quand il {rule}{now}. Dis `annuler alerte {id}` pour arrêter. (#{id})", plain(symbol), plain(source))
            }
            Say::WatchRefused { problem } => {
                let example = "Essaie par exemple `préviens-moi quand bitcoin passe sous 30000 eur`, `préviens-moi quand AAPL baisse de 20 %` ou `surveille boutique sku-123 au-dessus de 200 toujours`.";
                match problem {
                    WatchProblem::Unclear => format!("Je n'ai pas compris cette alerte. {example}"),
                    WatchProblem::UnknownSource { source, known: "" } => format!("Je ne connais pas la source de prix « {} » : aucune n'est configurée, et aucun système ne m'en a envoyé les prix.", plain(&shorten(source, 40))),
                    WatchProblem::UnknownSource { source, known } => format!("Je ne connais pas la source de prix « {} ». Je connais : {}.", plain(&shorten(source, 40)), plain(known)),
                    WatchProblem::NoPrice { source, symbol, reason } => format!("{} ne m'a donné aucun prix pour « {} » ({}), je n'ai donc pas créé l'alerte.", plain(source), plain(&shorten(symbol, 40)), plain(&shorten(reason, 120))),
                    WatchProblem::NeedsBase { source, symbol } => format!("Aucun prix de {} n'est encore venu de {}, une variation en pourcentage n'a donc pas de point de départ. Donnes-en un, par exemple `surveille {} {} baisse de 20 % depuis 100`.", plain(symbol), plain(source), plain(source), plain(symbol)),
                }
            }
            Say::NoWatches => "Il n'y a pas d'alerte de prix ici. Crées-en une avec `préviens-moi quand bitcoin passe sous 30000 eur`.".to_owned(),
            Say::Watches { count } => format!("**Alertes de prix** ({count})"),
            Say::WatchLine { id, symbol, source, rule, last, stalled, owner } => {
                let last = last.map_or(String::new(), |p| format!(" · dernier {p}"));
                let stalled = if stalled { " · _en panne_" } else { "" };
                let owner = owner.map_or(String::new(), |name| format!(" · de {}", plain(name)));
                format!("- **{id}** · {} ({}) {rule}{last}{stalled}{owner}", plain(symbol), plain(source))
            }
            Say::NoSuchWatch { id } => format!("Il n'y a pas d'alerte de prix {} ici. Dis `alertes` pour les voir.", plain(&shorten(id, 24))),
            Say::NotYourWatch { id, owner } => format!("L'alerte {id} appartient à {} ; seule cette personne peut l'arrêter.", plain(owner)),
            Say::Unwatched { id } => format!("Alerte {id} arrêtée."),
            Say::WatchLimit { per_user: true, limit } => format!("Tu as déjà {limit} alertes de prix, le maximum que je garde par personne. Arrêtes-en d'abord avec `annuler alerte <n>`."),
            Say::WatchLimit { per_user: false, limit } => format!("Cette conversation a déjà {limit} alertes de prix, le maximum que je garde. Arrêtes-en d'abord avec `annuler alerte <n>`."),
            Say::TimezoneSet { zone } => {
                format!("Ton fuseau horaire est maintenant {zone}. J'y lirai et afficherai les heures.")
            }
            Say::TimezoneIs { zone, source } => {
                let from = match source {
                    ZoneSource::Setting => "choisi par toi",
                    ZoneSource::Channel => "venu de ton application ; choisis le tien avec `fuseau Zone/Ville`",
                    ZoneSource::Default => "mon réglage par défaut ; choisis le tien avec `fuseau Zone/Ville`",
                };
                format!("Ton fuseau horaire est {zone} ({from}).")
            }
            Say::TimezoneUnknown { typed, suggestions } => {
                let mut text = format!(
                    "Je ne connais pas le fuseau horaire « {} ». Utilise un nom comme `Europe/Paris` ou `America/Montreal`.",
                    plain(&shorten(typed, 40))
                );
                if !suggestions.is_empty() {
                    text.push_str(&format!(
                        " Tu voulais dire {} ?",
                        suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
                text
            }
            Say::LanguageSet => "Désormais je te parle en français.".to_owned(),
            Say::LanguageUnknown { typed } => format!(
                "Je ne parle pas « {} ». Je parle anglais (`langue en`), portugais (`langue pt`, `langue pt-PT`) et français (`langue fr`).",
                plain(&shorten(typed, 20))
            ),
            Say::QuietSet { from, to } => format!(
                "Heures calmes : {from}–{to}. Les notifications de tâches et les alertes de prix qui arrivent pendant ce temps attendent {to} ; les rappels arrivent à l'heure que tu as choisie."
            ),
            Say::QuietOff => "Heures calmes désactivées.".to_owned(),
            Say::QuietInvalid => {
                "Donne les heures calmes ainsi : `silence 22:00-07:00`, ou `silence off`.".to_owned()
            }
            Say::OffsetMismatch {
                offset,
                zone,
                suggestions,
            } => {
                let mut text = format!(
                    "Remarque : ton appareil indique UTC{offset}, mais je lis tes heures dans le fuseau {zone}."
                );
                if !suggestions.is_empty() {
                    text.push_str(&format!(
                        " Si tu n'y es pas, dis par exemple {}.",
                        suggestions.iter().map(|s| format!("`fuseau {s}`")).collect::<Vec<_>>().join(" ou ")
                    ));
                }
                text
            }
        }
    }
}
