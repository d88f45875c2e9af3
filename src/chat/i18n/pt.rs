//! Portuguese, of Brazil and of Portugal (where they differ, `european`).

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

pub struct Portuguese {
    pub european: bool,
}

const COMMANDS: &str = "- `me lembre amanhã às 9h de ligar para a Ana`, `lembre-me em 10 minutos de alongar`, \
`lembre-me dias úteis às 9h da reunião`\n\
- `lembretes` lista-os; `cancelar <n>`, `pausar <n>`, `retomar <n>`, `adiar <n> 15m`, `editar <n> às 10h`\n\
- `avise-me quando bitcoin cair abaixo de 30000 usd`, `avise-me quando AAPL cair 20%`; `alertas` lista-os, `parar alerta <n>` para um\n\
- `fuso Europe/Lisbon`, `idioma en`, `silêncio 22:00-07:00` (ou `silêncio off`)\n\
- `run` inicia um job, `show` lista o registo de jobs, `done <n>` conclui um job\n\
- `esqueça-me` apaga o que guardo sobre você";

fn hhmm(clock: Clock) -> String {
    format!("{:02}:{:02}", clock.hour % 24, clock.minute)
}

/// `às 09:00`, but `à 01:00` (one o'clock is singular).
fn at_clock(text: &str) -> String {
    if text.starts_with("01:") || text.starts_with("00:") {
        let article = if text.starts_with("00:") { "às" } else { "à" };
        format!("{article} {text}")
    } else {
        format!("às {text}")
    }
}

impl Portuguese {
    fn plural_weekday(day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "segundas",
            Weekday::Tue => "terças",
            Weekday::Wed => "quartas",
            Weekday::Thu => "quintas",
            Weekday::Fri => "sextas",
            Weekday::Sat => "sábados",
            Weekday::Sun => "domingos",
        }
    }

    /// `na sexta-feira` / `no sábado`.
    fn on_weekday(&self, day: Weekday) -> String {
        let article = if matches!(day, Weekday::Sat | Weekday::Sun) {
            "no"
        } else {
            "na"
        };
        format!("{article} {}", self.weekday(day))
    }

    fn you(&self) -> &'static str {
        if self.european { "si" } else { "você" }
    }

    fn remind_you(&self) -> &'static str {
        if self.european {
            "Vou lembrá-lo"
        } else {
            "Vou te lembrar"
        }
    }
}

impl Catalog for Portuguese {
    fn weekday(&self, day: Weekday) -> String {
        match day {
            Weekday::Mon => "segunda-feira",
            Weekday::Tue => "terça-feira",
            Weekday::Wed => "quarta-feira",
            Weekday::Thu => "quinta-feira",
            Weekday::Fri => "sexta-feira",
            Weekday::Sat => "sábado",
            Weekday::Sun => "domingo",
        }
        .to_owned()
    }

    fn month(&self, month: u32) -> String {
        [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ][(month.clamp(1, 12) - 1) as usize]
            .to_owned()
    }

    fn date(&self, date: NaiveDate, today: NaiveDate) -> String {
        match (date - today).num_days() {
            0 => "hoje".to_owned(),
            1 => "amanhã".to_owned(),
            _ => {
                let mut text = format!(
                    "{}, {} de {}",
                    self.weekday(date.weekday()),
                    date.day(),
                    self.month(date.month())
                );
                if date.year() != today.year() {
                    text.push_str(&format!(" de {}", date.year()));
                }
                text
            }
        }
    }

    fn moment(&self, at: NaiveDateTime, today: NaiveDate) -> String {
        let date = at.date();
        let time = at_clock(&clock(at));
        match (date - today).num_days() {
            0 | 1 => format!("{} {time}", self.date(date, today)),
            _ => {
                let mut text = format!(
                    "{}, {} de {}",
                    self.on_weekday(date.weekday()),
                    date.day(),
                    self.month(date.month())
                );
                if date.year() != today.year() {
                    text.push_str(&format!(" de {}", date.year()));
                }
                format!("{text}, {time}")
            }
        }
    }

    fn repetition(&self, pattern: &Pattern) -> String {
        match pattern {
            Pattern::Once(_) => String::new(),
            Pattern::Interval(seconds) => match seconds {
                60 => "a cada minuto".to_owned(),
                3600 => "a cada hora".to_owned(),
                86_400 => "todos os dias".to_owned(),
                604_800 => "toda semana".to_owned(),
                s => format!("a cada {}", self.duration(Duration::seconds(*s))),
            },
            Pattern::Daily(at) => format!("todos os dias {}", at_clock(&hhmm(*at))),
            Pattern::Weekly(days, at) => {
                let time = at_clock(&hhmm(*at));
                let workweek = [
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ];
                if days.as_slice() == workweek {
                    return format!("de segunda a sexta {time}");
                }
                let names: Vec<String> = days
                    .iter()
                    .map(|d| Self::plural_weekday(*d).to_owned())
                    .collect();
                let article = if days
                    .iter()
                    .all(|d| matches!(d, Weekday::Sat | Weekday::Sun))
                {
                    "aos"
                } else {
                    "às"
                };
                format!("{article} {} {time}", join_with(&names, "e"))
            }
            Pattern::WeeksApart(weeks, days, at) => {
                let every = if *weeks == 2 {
                    "a cada duas semanas".to_owned()
                } else {
                    format!("a cada {weeks} semanas")
                };
                format!(
                    "{every}, {}",
                    self.repetition(&Pattern::Weekly(days.clone(), *at))
                )
            }
            Pattern::Monthly(day, at) => {
                format!("todo mês no dia {day} {}", at_clock(&hhmm(*at)))
            }
            Pattern::MonthlyWeekday(nth, day, at) => {
                let feminine = !matches!(day, Weekday::Sat | Weekday::Sun);
                let which = match (nth, feminine) {
                    (Nth::Last, true) => "na última",
                    (Nth::Last, false) => "no último",
                    (Nth::Ordinal(1), true) => "na primeira",
                    (Nth::Ordinal(1), false) => "no primeiro",
                    (Nth::Ordinal(2), true) => "na segunda",
                    (Nth::Ordinal(2), false) => "no segundo",
                    (Nth::Ordinal(3), true) => "na terceira",
                    (Nth::Ordinal(3), false) => "no terceiro",
                    (Nth::Ordinal(_), true) => "na quarta",
                    (Nth::Ordinal(_), false) => "no quarto",
                };
                format!(
                    "{which} {} de cada mês {}",
                    self.weekday(*day),
                    at_clock(&hhmm(*at))
                )
            }
            Pattern::Cron(expression) => format!("conforme o agendamento `{expression}`"),
        }
    }

    fn ending(&self, until: Until, today: NaiveDate, local_until: Option<NaiveDateTime>) -> String {
        match (until, local_until) {
            (Until::Count(1), _) => ", uma vez".to_owned(),
            (Until::Count(n), _) => format!(", {n} vezes"),
            (Until::Instant(_), Some(at)) => format!(", até {}", self.date(at.date(), today)),
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
                0 if *n == 1 => "1 dia".to_owned(),
                0 => format!("{n} dias"),
                1 => format!("{n} h"),
                2 => format!("{n} min"),
                _ => format!("{n} s"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn starting(&self, moment: &str) -> String {
        format!(", próximo: {moment}")
    }

    fn state(&self, state: TriggerState) -> String {
        match state {
            TriggerState::Active => "ativo",
            TriggerState::Paused => "pausado",
            TriggerState::Completed => "concluído",
            TriggerState::Cancelled => "cancelado",
            TriggerState::Failed => "com erro",
        }
        .to_owned()
    }

    fn rule(&self, rule: &Rule, currency: Option<&str>) -> String {
        match rule {
            Rule::Below { price } => format!("ficar abaixo de {}", amount(price, currency)),
            Rule::Above { price } => format!("ficar acima de {}", amount(price, currency)),
            Rule::Drops { percent: p } => format!("cair {}%", percent(p)),
            Rule::Rises { percent: p } => format!("subir {}%", percent(p)),
            Rule::Changes { percent: p } => format!("variar {}%", percent(p)),
            Rule::NewLow => "atingir uma nova mínima".to_owned(),
        }
    }

    fn problem(&self, problem: &FetchError) -> String {
        let european = self.european;
        match problem {
            FetchError::Status(status) => format!("a fonte respondeu {status}"),
            FetchError::Throttled if european => "a fonte está a limitar os pedidos".to_owned(),
            FetchError::Throttled => "a fonte está limitando os pedidos".to_owned(),
            FetchError::Timeout => "a fonte não respondeu a tempo".to_owned(),
            FetchError::Unreachable(detail) => format!(
                "não consigo {} a fonte: {detail}",
                if european { "contactar" } else { "contatar" }
            ),
            FetchError::TooLarge(bytes) => format!("a resposta tem mais de {bytes} bytes"),
            FetchError::NotJson => "a resposta não é JSON".to_owned(),
            FetchError::NoPrice(pointer) => format!("não há preço em {pointer} na resposta"),
            FetchError::BadPrice(detail) => {
                format!("o preço na resposta não é utilizável: {detail}")
            }
            FetchError::Forbidden(detail) => format!("recusado: {detail}"),
            FetchError::Waiting if european => {
                "a fonte chegou ao limite de pedidos, ou está a aguardar depois de falhas"
                    .to_owned()
            }
            FetchError::Waiting => {
                "a fonte chegou ao limite de pedidos, ou está aguardando depois de falhas"
                    .to_owned()
            }
            FetchError::PushOnly => "esta fonte só recebe preços enviados".to_owned(),
        }
    }

    fn say(&self, what: Say<'_>) -> String {
        let registo = if self.european { "registo" } else { "registro" };
        match what {
            Say::Welcome { names } => {
                let who = match names.len() {
                    0 => String::new(),
                    n if n <= MAX_WELCOMED_NAMES => format!(", {}", plain_list(names)),
                    n => format!(
                        ", {} e mais {}",
                        plain_list(&names[..MAX_WELCOMED_NAMES]),
                        n - MAX_WELCOMED_NAMES
                    ),
                };
                format!(
                    "Olá{who}! Sou o Herald. {} de coisas, mantenho um {registo} de jobs e aviso quando os seus jobs terminam.\n\n{}",
                    // Enclisis in Portugal, proclisis in Brazil.
                    if self.european { "Lembro-o" } else { "Eu te lembro" },
                    COMMANDS.replace("registo", registo)
                )
            }
            Say::Help => format!("Eis o que posso fazer:\n\n{}", COMMANDS.replace("registo", registo)),
            Say::Greeting => "Olá! Em que posso ajudar? `ajuda` mostra o que posso fazer.".to_owned(),
            Say::Hint => format!(
                "Não entendi. Eis o que posso fazer:\n\n{}",
                COMMANDS.replace("registo", registo)
            ),
            Say::TextTooLong { limit } => {
                format!("Essa mensagem é longa demais para mim (o limite é de {limit} caracteres).")
            }
            Say::FilesReceived { names } => {
                let file = if self.european { "ficheiro" } else { "arquivo" };
                match names {
                    [name] => format!("Recebi o seu {file} {}.", plain(name)),
                    _ => format!(
                        "Recebi os seus {} {file}s: {}.",
                        names.len(),
                        plain_list(names)
                    ),
                }
            }
            Say::JobStarted(id) => {
                format!("Estamos iniciando o job {id}. Avisaremos quando terminar.")
            }
            Say::JobLimit(LimitReached::Conversation(n)) => format!(
                "Esta conversa já tem {n} jobs abertos, o máximo que guardo. Conclua alguns com `done <n>` primeiro."
            ),
            Say::JobLimit(LimitReached::User(n)) => format!(
                "Você já tem {n} jobs abertos, o máximo que guardo por pessoa. Conclua alguns com `done <n>` primeiro."
            ),
            Say::JobCompletedHere(id) => {
                format!("Job {id} concluído. Aviso enviado à conversa dele.")
            }
            Say::JobAlreadyCompleted(id) => format!("O job {id} já está concluído."),
            Say::NoSuchJob(id) => format!("Não existe o job {}.", plain(&shorten(id, 24))),
            Say::JobIdNeeded => {
                "Indique o número do job depois de `done`, por exemplo `done 3`.".to_owned()
            }
            Say::JobEventNeedsId => {
                "Um evento de conclusão de job precisa do número do job como valor.".to_owned()
            }
            Say::JobCompletedNotice(id) => format!("O seu job {id} acabou de terminar."),
            Say::JobLog { page, number, size } => job_log(
                page,
                number,
                size,
                &JobLogWords {
                    empty: if self.european {
                        "O registo de jobs está vazio."
                    } else {
                        "O registro de jobs está vazio."
                    },
                    title: if self.european {
                        "Registo de jobs"
                    } else {
                        "Registro de jobs"
                    },
                    job: "job",
                    jobs: "jobs",
                    page_of: |n, of| format!("página {n} de {of}"),
                    no_page: |n, of| format!("Não há página {n}: são {of} página(s)."),
                    next_page: |n| format!("Diga `show {n}` para a página seguinte."),
                    line: |id, label, done| {
                        let status = if done { "concluído" } else { "pendente" };
                        format!("- Job **{id}** · conversa `{label}` · {status}")
                    },
                },
            ),
            Say::Fired { text, late, missed } => {
                let text = if text.trim().is_empty() {
                    "Lembrete".to_owned()
                } else {
                    plain(text)
                };
                match late {
                    Some((due, late)) if missed => format!(
                        "Lembrete perdido — era para {due}, há {}: {text}",
                        self.duration(late)
                    ),
                    Some((due, late)) => format!(
                        "⏰ {text}\n\n_Era para {due}: chega com {} de atraso, porque o Herald não estava a funcionar._",
                        self.duration(late)
                    ),
                    None => format!("⏰ {text}"),
                }
            }
            Say::SnoozeButton { minutes: 60 } => "Adiar 1 hora".to_owned(),
            Say::SnoozeButton { minutes } => format!("Adiar {minutes} min"),
            Say::DoneButton => "Feito".to_owned(),
            Say::ReminderSet { when, zone, text } => {
                format!("{} {when} ({zone}): {}", self.remind_you(), plain(text))
            }
            Say::ReminderRefused { refusal, misspelt } => {
                let example = "Experimente por exemplo `me lembre amanhã às 9h de ligar para a Ana`, `lembre-me em 10 minutos de alongar` ou `lembre-me toda segunda às 10h de planejar a semana`.";
                match (refusal, misspelt) {
                    (_, Some((typed, meant))) => format!(
                        "Não entendi \"{}\" — quis dizer \"{meant}\"? Não marquei nada. {example}",
                        plain(&shorten(typed, 30))
                    ),
                    (Refusal::Past, _) => format!(
                        "Essa hora já passou, por isso não marquei nada. Indique uma hora futura, como `amanhã às 9h`. {example}"
                    ),
                    (Refusal::Date, _) => format!(
                        "Essa data ou hora não existe (confira o dia, o mês e a hora), por isso não marquei nada. {example}"
                    ),
                    (Refusal::Text, _) => "Do que devo lembrar? Escreva depois da hora, por exemplo `me lembre amanhã às 9h de ligar para a Ana`.".to_owned(),
                    (Refusal::Far, _) => format!(
                        "Isso é daqui a mais de dez anos, mais longe do que guardo lembretes. {example}"
                    ),
                    (Refusal::When, _) => format!("Não entendi quando. {example}"),
                }
            }
            Say::OtherReading { when } => {
                if self.european {
                    format!("Se queria dizer {when}, carregue no botão e eu mudo-o.")
                } else {
                    format!("Se você quis dizer {when}, toque no botão que eu mudo.")
                }
            }
            Say::OtherReadingButton { when } => format!("Mudar para {when}"),
            Say::ReminderNoTime { asked, task } => format!(
                "Entendi a tarefa \"{}\", mas não quando, por isso não marquei nada. Diga também a hora, por exemplo `{} {} amanhã às 9h`.",
                plain(&shorten(task, 60)),
                in_code(asked),
                in_code(&shorten(task, 60)),
            ),
            Say::RepeatTooOften { min } => format!(
                "Entre dois lembretes é preciso pelo menos {}, por isso não criei nada. Por exemplo `lembre-me dias úteis às 9h da reunião`.",
                self.duration(min)
            ),
            Say::ReminderTextTooLong { limit } => format!(
                "Um lembrete pode ter no máximo {limit} caracteres; encurte-o, por exemplo `me lembre amanhã às 9h de ligar para a Ana`."
            ),
            Say::ReminderLimit {
                per_user: true,
                limit,
            } => format!(
                "{} já tem {limit} lembretes, o máximo que guardo por pessoa. Cancele alguns com `cancelar <n>` primeiro.",
                if self.european { "Já" } else { "Você" }
            )
            .replacen("Já já", "Já", 1),
            Say::ReminderLimit {
                per_user: false,
                limit,
            } => format!(
                "Esta conversa já tem {limit} lembretes, o máximo que guardo. Cancele alguns com `cancelar <n>` primeiro."
            ),
            Say::NoReminders => "Não há lembretes aqui. Marque um com `me lembre amanhã às 9h de ligar para a Ana`.".to_owned(),
            Say::Reminders { count, shown } if shown < count => {
                format!("**Lembretes** ({count}, os próximos {shown})")
            }
            Say::Reminders { count, .. } => format!("**Lembretes** ({count})"),
            Say::ReminderLine {
                id,
                when,
                text,
                owner,
                paused,
            } => {
                let state = if paused { " · _pausado_" } else { "" };
                let owner = owner.map_or(String::new(), |name| format!(" · de {}", plain(name)));
                format!("- **{id}** · {when}{state}{owner} · {}", plain(&shorten(text, 80)))
            }
            Say::NoSuchReminder { id } => format!(
                "Não há o lembrete {} aqui. Diga `lembretes` para vê-los.",
                plain(&shorten(id, 24))
            ),
            Say::ReminderIdNeeded { example } => format!(
                "Qual lembrete? Indique o número, por exemplo `{example}`. Diga `lembretes` para vê-los."
            ),
            Say::NotYours { id, owner } => format!(
                "O lembrete {id} é de {}; só essa pessoa pode alterá-lo.",
                plain(owner)
            ),
            Say::Cancelled { id } => format!("Lembrete {id} cancelado."),
            Say::Paused { id } => {
                format!("Lembrete {id} pausado. Diga `retomar {id}` para continuar.")
            }
            Say::Resumed { id, next } => format!("Lembrete {id} reativado; o próximo é {next}."),
            Say::Unchanged { id, state } => format!("O lembrete {id} já está {state}."),
            Say::CannotChange { id } => format!(
                "O lembrete {id} já terminou; não há o que alterar. Marque um novo."
            ),
            Say::Snoozed { id, when } => format!("{} de novo {when} (lembrete {id}).", self.remind_you()),
            Say::SnoozeNeedsDuration => {
                "Por quanto tempo? Por exemplo `adiar 3 15m` ou `adiar 3 1h`.".to_owned()
            }
            Say::Edited { id, when } => format!("O lembrete {id} passa a ser {when}."),
            Say::EditNeedsTime => "Para quando? Por exemplo `editar 3 às 10h` ou `editar 3 amanhã às 9h`.".to_owned(),
            Say::Acknowledged { next: Some(next) } => format!("👍 Próxima vez: {next}."),
            Say::Acknowledged { next: None } => "👍".to_owned(),
            Say::PriceAlert { symbol, source, price, rule, change, base, sparkline } => {
                let mut text = format!("🔔 **{}** ({}) está em {price}: a condição «{rule}» foi atingida. Desde o início do alerta: {change} (de {base}).", plain(symbol), plain(source));
                if !sparkline.is_empty() {
                    text.push_str(&format!("\n\n{sparkline}"));
                }
                text
            }
            Say::SourceStalled { source, symbol, watch, reason } => format!(
                "⚠️ Não consigo mais obter preços de {} ({}), por isso o seu alerta {watch} de {} está parado. Aviso quando voltar a funcionar.",
                plain(source), plain(&shorten(reason, 120)), plain(symbol)
            ),
            Say::SourceRecovered { source, symbol, watch } => format!(
                "✅ {} voltou a responder: o seu alerta {watch} de {} continua.", plain(source), plain(symbol)
            ),
            Say::SymbolUnpriced { source, symbol, watch, reason } => format!(
                "⚠️ {} já não dá preço para {} ({}), por isso o seu alerta {watch} está parado. Aviso se o preço voltar; `parar alerta {watch}` remove-o.",
                plain(source), plain(symbol), plain(&shorten(reason, 120))
            ),
            Say::SymbolPricedAgain { source, symbol, watch } => format!(
                "✅ {} voltou a dar preço para {}: o seu alerta {watch} continua.", plain(source), plain(symbol)
            ),
            Say::WatchSet { id, symbol, source, rule, now } => {
                let now = now.map_or(String::new(), |now| format!(" (agora {now})"));
                format!("Estou de olho em {} ({}): aviso quando {rule}{now}. Diga `parar alerta {id}` para parar. (#{id})", plain(symbol), plain(source))
            }
            Say::WatchRefused { problem } => {
                let example = "Experimente por exemplo `avise-me quando bitcoin ficar abaixo de 30000 usd`, `avise-me quando AAPL cair 20%` ou `observar loja sku-123 acima de 200 sempre`.";
                match problem {
                    WatchProblem::Unclear => format!("Não entendi esse alerta. {example}"),
                    WatchProblem::UnknownSource { source, known: "" } => format!("Não conheço a fonte de preços \"{}\": nenhuma está configurada, e nenhum sistema me enviou preços dela.", plain(&shorten(source, 40))),
                    WatchProblem::UnknownSource { source, known } => format!("Não conheço a fonte de preços \"{}\". Conheço: {}.", plain(&shorten(source, 40)), plain(known)),
                    WatchProblem::NoPrice { source, symbol, reason } => format!("{} não deu preço para \"{}\" ({}), por isso não criei o alerta.", plain(source), plain(&shorten(symbol, 40)), plain(&shorten(reason, 120))),
                    WatchProblem::NeedsBase { source, symbol } => format!("Ainda não chegou nenhum preço de {} de {}, então uma variação em porcentagem não tem ponto de partida. Indique um, por exemplo `observar {} {} cair 20% de 100`.", plain(symbol), plain(source), plain(source), plain(symbol)),
                }
            }
            Say::NoWatches => "Não há alertas de preço aqui. Crie um com `avise-me quando bitcoin ficar abaixo de 30000 usd`.".to_owned(),
            Say::Watches { count } => format!("**Alertas de preço** ({count})"),
            Say::WatchLine { id, symbol, source, rule, last, stalled, owner } => {
                let last = last.map_or(String::new(), |p| format!(" · último {p}"));
                let stalled = if stalled { " · _parado_" } else { "" };
                let owner = owner.map_or(String::new(), |name| format!(" · de {}", plain(name)));
                format!("- **{id}** · {} ({}) {rule}{last}{stalled}{owner}", plain(symbol), plain(source))
            }
            Say::NoSuchWatch { id } => format!("Não há o alerta de preço {} aqui. Diga `alertas` para vê-los.", plain(&shorten(id, 24))),
            Say::NotYourWatch { id, owner } => format!("O alerta {id} é de {}; só essa pessoa pode pará-lo.", plain(owner)),
            Say::Unwatched { id } => format!("Alerta {id} parado."),
            Say::WatchLimit { per_user: true, limit } => format!("Já tem {limit} alertas de preço, o máximo que guardo por pessoa. Pare alguns com `parar alerta <n>` primeiro."),
            Say::WatchLimit { per_user: false, limit } => format!("Esta conversa já tem {limit} alertas de preço, o máximo que guardo. Pare alguns com `parar alerta <n>` primeiro."),
            Say::TimezoneSet { zone } => {
                format!("O seu fuso horário agora é {zone}. Vou ler e mostrar as horas nele.")
            }
            Say::TimezoneIs { zone, source } => {
                let from = match source {
                    ZoneSource::Setting => format!("definido por {}", self.you()),
                    ZoneSource::Channel => "vindo do seu aplicativo; defina o seu com `fuso Área/Cidade`".to_owned(),
                    ZoneSource::Default => "o meu padrão; defina o seu com `fuso Área/Cidade`".to_owned(),
                };
                format!("O seu fuso horário é {zone} ({from}).")
            }
            Say::TimezoneUnknown { typed, suggestions } => {
                let mut text = format!(
                    "Não conheço o fuso horário \"{}\". Use um nome como `America/Sao_Paulo` ou `Europe/Lisbon`.",
                    plain(&shorten(typed, 40))
                );
                if !suggestions.is_empty() {
                    text.push_str(&format!(
                        " Quis dizer {}?",
                        suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
                text
            }
            Say::LanguageSet => {
                if self.european {
                    "A partir de agora falo português de Portugal consigo.".to_owned()
                } else {
                    "A partir de agora falo português com você.".to_owned()
                }
            }
            Say::LanguageUnknown { typed } => format!(
                "Não falo \"{}\". Falo inglês (`idioma en`), português (`idioma pt`, `idioma pt-PT`) e francês (`idioma fr`).",
                plain(&shorten(typed, 20))
            ),
            Say::QuietSet { from, to } => format!(
                "Horário de silêncio: {from}–{to}. Avisos de jobs e alertas de preço que chegarem nesse horário esperam até {to}; os lembretes chegam na hora que escolheu."
            ),
            Say::QuietOff => "Horário de silêncio desligado.".to_owned(),
            Say::QuietInvalid => {
                "Indique o horário de silêncio como `silêncio 22:00-07:00`, ou `silêncio off`."
                    .to_owned()
            }
            Say::OffsetMismatch {
                offset,
                zone,
                suggestions,
            } => {
                let mut text = format!(
                    "Nota: o seu dispositivo indica UTC{offset}, mas estou a ler as suas horas em {zone}."
                );
                if !self.european {
                    text = text.replace("estou a ler", "estou lendo");
                }
                if !suggestions.is_empty() {
                    text.push_str(&format!(
                        " Se não estiver aí, diga por exemplo {}.",
                        suggestions.iter().map(|s| format!("`fuso {s}`")).collect::<Vec<_>>().join(" ou ")
                    ));
                }
                text
            }
        }
    }
}
