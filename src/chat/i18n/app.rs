//! What an app store says of Herald, in each language: its description and
//! the command menu Teams shows (each title is what the menu types for you,
//! so every one is a command Herald understands — a test parses them all).
//! The lists are index for index the same commands in every language: Teams
//! pairs a translation with the manifest's command at the same position.

use crate::domain::language::Language;

/// A command in an app's command menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppCommand {
    pub title: &'static str,
    pub description: &'static str,
}

/// Herald as an app store presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppTexts {
    /// At most 80 characters.
    pub short: &'static str,
    /// At most 4,000 characters.
    pub full: &'static str,
    /// At most 12.
    pub commands: &'static [AppCommand],
}

const fn command(title: &'static str, description: &'static str) -> AppCommand {
    AppCommand { title, description }
}

const ENGLISH: AppTexts = AppTexts {
    short: "Reminders, job notifications and price alerts, right in the chat.",
    full: "Herald reminds you when you ask (\"remind me tomorrow at 9am to call Ana\", \
\"every weekday at 9:00\"), tells you when your queued jobs complete, and watches prices \
for you (\"watch bitcoin below 30000 usd\", \"alert me when AAPL drops 20%\"), sending \
each alert to the conversation where you asked. It speaks English, Portuguese and \
French, keeps your time zone and quiet hours, and forgets you when you say \"forget me\".",
    commands: &[
        command("help", "What I can do"),
        command(
            "remind me in 10 minutes to stretch",
            "Set a reminder: when, then what",
        ),
        command("reminders", "This conversation's reminders"),
        command(
            "watch bitcoin below 30000 usd",
            "Watch a price: below, above, drops 20%, rises 5%…",
        ),
        command("watches", "This conversation's price watches"),
        command("timezone Europe/Lisbon", "Set your time zone"),
        command("language en", "Set your language: en, pt, pt-PT or fr"),
        command(
            "quiet 22:00-07:00",
            "Quiet hours: alerts wait until they end",
        ),
        command("run", "Start a job; I tell you when it completes"),
        command("show", "The job log"),
        command("forget me", "Delete what I keep about you"),
    ],
};

const PORTUGUESE: AppTexts = AppTexts {
    short: "Lembretes, avisos de tarefas e alertas de preço, na própria conversa.",
    full: "O Herald lembra-o quando pedir (\"lembre-me amanhã às 9h de ligar para a Ana\", \
\"todo dia às 9:00\"), avisa quando as suas tarefas terminam e vigia preços por si \
(\"avise-me quando bitcoin cair abaixo de 30000 usd\", \"avise-me quando AAPL cair 20%\"), \
enviando cada alerta para a conversa onde o pediu. Fala português, inglês e francês, \
respeita o seu fuso horário e as suas horas de silêncio, e esquece-o quando disser \
\"esqueça-me\".",
    commands: &[
        command("ajuda", "O que sei fazer"),
        command(
            "lembre-me em 10 minutos de alongar",
            "Criar um lembrete: quando e o quê",
        ),
        command("lembretes", "Os lembretes desta conversa"),
        command(
            "avise-me quando bitcoin cair abaixo de 30000 usd",
            "Vigiar um preço: abaixo de, acima de, cair 20%, subir 5%…",
        ),
        command("alertas", "Os alertas de preço desta conversa"),
        command("fuso America/Sao_Paulo", "Definir o seu fuso horário"),
        command("idioma pt", "Definir o idioma: pt, pt-PT, en ou fr"),
        command(
            "silêncio 22:00-07:00",
            "Horas de silêncio: os alertas esperam até acabarem",
        ),
        command("run", "Iniciar uma tarefa; aviso quando terminar"),
        command("show", "O registo de tarefas"),
        command("esqueça-me", "Apagar o que guardo sobre si"),
    ],
};

const FRENCH: AppTexts = AppTexts {
    short: "Rappels, avis de tâches et alertes de prix, dans la conversation même.",
    full: "Herald vous rappelle ce que vous lui demandez (\"rappelle-moi demain à 9h \
d'appeler Ana\", \"tous les jours à 9h\"), vous prévient quand vos tâches sont terminées \
et surveille des prix pour vous (\"préviens-moi quand bitcoin passe sous 30000 usd\", \
\"préviens-moi quand AAPL baisse de 20%\"), en envoyant chaque alerte dans la conversation \
où vous l'avez demandée. Il parle français, anglais et portugais, respecte votre fuseau \
horaire et vos heures de silence, et vous oublie quand vous dites \"oublie-moi\".",
    commands: &[
        command("aide", "Ce que je sais faire"),
        command(
            "rappelle-moi dans 10 minutes de m'étirer",
            "Créer un rappel : quand, puis quoi",
        ),
        command("rappels", "Les rappels de cette conversation"),
        command(
            "préviens-moi quand bitcoin passe sous 30000 usd",
            "Surveiller un prix : sous, au-dessus de, baisse de 20 %…",
        ),
        command("alertes", "Les alertes de prix de cette conversation"),
        command("fuseau Europe/Paris", "Choisir votre fuseau horaire"),
        command("langue fr", "Choisir votre langue : fr, en, pt ou pt-PT"),
        command(
            "silence 22:00-07:00",
            "Heures de silence : les alertes attendent leur fin",
        ),
        command(
            "run",
            "Lancer une tâche ; je préviens quand elle est terminée",
        ),
        command("show", "Le journal des tâches"),
        command("oublie-moi", "Effacer ce que je garde sur vous"),
    ],
};

pub fn app_texts(language: Language) -> &'static AppTexts {
    match language {
        Language::English => &ENGLISH,
        Language::BrazilianPortuguese | Language::EuropeanPortuguese => &PORTUGUESE,
        Language::French => &FRENCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::Command;

    #[test]
    fn every_menu_command_is_one_herald_understands() {
        for language in Language::ALL {
            for command in app_texts(language).commands {
                assert_ne!(
                    Command::parse(command.title),
                    Command::Unrecognised,
                    "{language:?}: {}",
                    command.title
                );
            }
        }
    }

    #[test]
    fn the_lists_match_and_fit_the_stores_limits() {
        let english = app_texts(Language::English);
        for language in Language::ALL {
            let texts = app_texts(language);
            assert_eq!(texts.commands.len(), english.commands.len(), "{language:?}");
            assert!(texts.commands.len() <= 12);
            assert!(texts.short.chars().count() <= 80, "{language:?}");
            assert!(texts.full.chars().count() <= 4000, "{language:?}");
            for command in texts.commands {
                assert!(command.title.chars().count() <= 128);
                assert!(command.description.chars().count() <= 4000);
            }
        }
    }
}
