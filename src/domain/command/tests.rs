//! What the command grammar reads, in the three languages.

use super::*;
use crate::domain::reminder::languages::CommandWord;

fn id(n: i64) -> JobRef {
    JobRef::Id(TriggerId::new(n).unwrap())
}

#[test]
fn the_seed_commands_parse() {
    assert_eq!(Command::parse("run"), Command::Run);
    assert_eq!(Command::parse("  Run Job "), Command::Run);
    assert_eq!(Command::parse("show"), Command::Show { page: 1 });
    assert_eq!(Command::parse("SHOW JOBS"), Command::Show { page: 1 });
    assert_eq!(Command::parse("done 12"), Command::Done(id(12)));
    assert_eq!(Command::parse("Done  #4."), Command::Done(id(4)));
    assert_eq!(Command::parse("help"), Command::Help);
    assert_eq!(Command::parse("Ajuda"), Command::Help);
    assert_eq!(Command::parse("aide"), Command::Help);
}

#[test]
fn price_watch_commands_parse_in_three_languages() {
    assert_eq!(
        Command::parse("watch bitcoin below 30000 usd"),
        Command::Watch
    );
    assert_eq!(
        Command::parse("Alert me when AAPL drops 20%"),
        Command::Watch
    );
    assert_eq!(
        Command::parse("avise-me quando bitcoin cair 10%"),
        Command::Watch
    );
    assert_eq!(
        Command::parse("préviens-moi quand bitcoin passe sous 30000"),
        Command::Watch
    );
    for list in ["watches", "My watches", "alertas", "mes alertes"] {
        assert_eq!(Command::parse(list), Command::Watches, "{list}");
    }
    assert_eq!(Command::parse("unwatch 7"), Command::Unwatch(id(7)));
    assert_eq!(Command::parse("parar alerta #7"), Command::Unwatch(id(7)));
    assert_eq!(
        Command::parse("arrêter l'alerte 7"),
        Command::Unwatch(id(7))
    );
    assert_eq!(Command::parse("unwatch"), Command::Unwatch(JobRef::Missing));
    // A reminder that mentions watching stays a reminder.
    assert_eq!(
        Command::parse("remind me tomorrow to watch the game"),
        Command::Remind
    );
}

#[test]
fn show_takes_a_page() {
    assert_eq!(Command::parse("show 2"), Command::Show { page: 2 });
    assert_eq!(Command::parse("show jobs 3"), Command::Show { page: 3 });
    assert_eq!(
        Command::parse("show jobs page 4"),
        Command::Show { page: 4 }
    );
    assert_eq!(Command::parse("show page 5"), Command::Show { page: 5 });
    assert_eq!(Command::parse("show 0"), Command::Unrecognised);
    assert_eq!(Command::parse("show me everything"), Command::Unrecognised);
    assert_eq!(
        Command::parse("show 99999999999999999999"),
        Command::Unrecognised
    );
}

#[test]
fn done_without_a_usable_id_asks_for_one() {
    assert_eq!(Command::parse("done"), Command::Done(JobRef::Missing));
    assert_eq!(Command::parse("done abc"), Command::Done(JobRef::Missing));
    assert_eq!(Command::parse("done 1 2"), Command::Done(JobRef::Missing));
    assert_eq!(Command::parse("done -3"), Command::Done(JobRef::Missing));
}

#[test]
fn done_with_a_number_no_job_can_have_is_kept_for_the_reply() {
    let forty = "1234567890123456789012345678901234567890";
    assert_eq!(
        Command::parse(&format!("done {forty}")),
        Command::Done(JobRef::OutOfRange(forty.to_owned()))
    );
    assert_eq!(
        Command::parse("done 0"),
        Command::Done(JobRef::OutOfRange("0".to_owned()))
    );
}

#[test]
fn greetings_in_each_language_are_greetings() {
    for text in [
        "hello",
        "Hi!",
        "hey Herald",
        "Hello, Herald!",
        "good morning",
        "Olá",
        "oi herald",
        "Bom dia!",
        "boa noite",
        "Bonjour",
        "salut Herald",
        "bonsoir.",
    ] {
        assert_eq!(Command::parse(text), Command::Greeting, "{text:?}");
    }
}

#[test]
fn anything_else_is_unrecognised() {
    for text in [
        "",
        "   ",
        "hello world",
        "herald",
        "running",
        "run jobs now",
        "showjobs",
    ] {
        assert_eq!(Command::parse(text), Command::Unrecognised, "{text:?}");
    }
}

#[test]
fn forget_me_is_understood_in_three_languages() {
    assert_eq!(
        Command::parse("Forget me"),
        Command::ForgetMe(Language::English)
    );
    assert_eq!(
        Command::parse("esqueça-me"),
        Command::ForgetMe(Language::BrazilianPortuguese)
    );
    assert_eq!(
        Command::parse("Me esqueça!"),
        Command::ForgetMe(Language::BrazilianPortuguese)
    );
    assert_eq!(
        Command::parse("oublie-moi"),
        Command::ForgetMe(Language::French)
    );
    assert_eq!(Command::parse("forget me not"), Command::Unrecognised);
    assert_eq!(
        Language::from_tag("pt-BR"),
        Some(Language::BrazilianPortuguese)
    );
    assert_eq!(Language::from_tag("de-DE"), None);
}

#[test]
fn reminder_commands_in_three_languages() {
    assert_eq!(
        Command::parse("remind me in 10 minutes to stretch"),
        Command::Remind
    );
    assert_eq!(Command::parse("Lembre-me amanhã de ligar"), Command::Remind);
    assert_eq!(Command::parse("rappel vendredi : réunion"), Command::Remind);
    for list in ["reminders", "Lembretes", "mes rappels", "list"] {
        assert_eq!(Command::parse(list), Command::Reminders, "{list}");
    }
    let id = |n| JobRef::Id(TriggerId::new(n).unwrap());
    assert_eq!(
        Command::parse("cancelar 3"),
        Command::Manage {
            action: ManageAction::Cancel,
            id: id(3)
        }
    );
    assert_eq!(
        Command::parse("reprendre 4"),
        Command::Manage {
            action: ManageAction::Resume,
            id: id(4)
        }
    );
    assert_eq!(
        Command::parse("pause"),
        Command::Manage {
            action: ManageAction::Pause,
            id: JobRef::Missing
        }
    );
    assert_eq!(
        Command::parse("snooze 3 15m"),
        Command::Snooze {
            id: id(3),
            by: Some(chrono::Duration::minutes(15))
        }
    );
    assert_eq!(
        Command::parse("adiar 3 1 hora"),
        Command::Snooze {
            id: id(3),
            by: Some(chrono::Duration::hours(1))
        }
    );
    assert_eq!(
        Command::parse("snooze 3"),
        Command::Snooze {
            id: id(3),
            by: None
        }
    );
    assert_eq!(
        Command::parse("editar 5 às 10h"),
        Command::Edit {
            id: id(5),
            when: "às 10h".to_owned()
        }
    );
    assert_eq!(
        Command::parse("timezone Europe/Lisbon"),
        Command::Timezone(Some("Europe/Lisbon".to_owned()))
    );
    assert_eq!(
        Command::parse("fuso horário America/Sao_Paulo"),
        Command::Timezone(Some("America/Sao_Paulo".to_owned()))
    );
    assert_eq!(Command::parse("my timezone"), Command::Timezone(None));
    for asked in [
        "What is my timezone?",
        "what's my time zone",
        "Qual é o meu fuso horário?",
        "Quel est mon fuseau horaire ?",
    ] {
        assert_eq!(Command::parse(asked), Command::Timezone(None), "{asked:?}");
    }
    assert_eq!(
        Command::parse("langue fr"),
        Command::Language("fr".to_owned())
    );
    assert_eq!(
        Command::parse("quiet off"),
        Command::Quiet(QuietSetting::Off)
    );
    assert_eq!(
        Command::parse("silêncio 22:00-07:00"),
        Command::Quiet(QuietSetting::Set(QuietHours {
            start: 1320,
            end: 420
        }))
    );
    assert_eq!(
        Command::parse("quiet soon"),
        Command::Quiet(QuietSetting::Invalid)
    );
}

#[test]
fn event_values_parse_as_job_refs() {
    assert_eq!(JobRef::parse(" 17 "), id(17));
    assert_eq!(JobRef::parse("x17"), JobRef::Missing);
    assert_eq!(JobRef::parse(""), JobRef::Missing);
}

#[test]
fn every_phrase_of_the_language_files_reads_as_its_command() {
    use crate::domain::reminder::languages::lexicon;
    let phrases = |command| lexicon().command(command).iter().map(|(_, p)| p.join(" "));
    for phrase in phrases(CommandWord::Cancel) {
        let read = Command::parse(&format!("{phrase} 3"));
        let cancel = Command::Manage {
            action: ManageAction::Cancel,
            id: id(3),
        };
        assert_eq!(read, cancel, "{phrase}");
    }
    for phrase in phrases(CommandWord::Reminders) {
        assert_eq!(Command::parse(&phrase), Command::Reminders, "{phrase}");
        assert_eq!(Command::parse(&format!("{phrase}?")), Command::Reminders);
    }
    for phrase in phrases(CommandWord::Watches) {
        assert_eq!(Command::parse(&phrase), Command::Watches, "{phrase}");
    }
    for phrase in phrases(CommandWord::Greeting) {
        let to_herald = format!("{phrase}, Herald!");
        assert_eq!(Command::parse(&to_herald), Command::Greeting, "{phrase}");
    }
    for phrase in phrases(CommandWord::MyTimezone) {
        let asked = format!("{phrase}?");
        assert_eq!(Command::parse(&asked), Command::Timezone(None), "{phrase}");
    }
}

#[test]
fn a_question_mark_alone_asks_for_help_and_after_words_is_dropped() {
    assert_eq!(Command::parse("?"), Command::Help);
    assert_eq!(Command::parse(" help? "), Command::Help);
    assert_eq!(Command::parse("show jobs?"), Command::Show { page: 1 });
    assert_eq!(Command::parse("show page 0"), Command::Unrecognised);
    assert_eq!(Command::parse("show page"), Command::Unrecognised);
    assert_eq!(Command::parse("run jobs"), Command::Unrecognised);
}

#[test]
fn a_time_then_a_joined_task_is_a_reminder_but_no_command_is_taken_for_one() {
    for said in [
        "tomorrow, 9am, to call the bank",
        "amanhã às 9h de ligar pro banco",
        "demain 9h d'appeler la banque",
    ] {
        assert_eq!(Command::parse(said), Command::Remind, "{said}");
    }
    // No joining word: chat about a time, not a request.
    for said in [
        "tomorrow is fine",
        "amanhã 9h ligar pro banco",
        "demain 9h appeler la banque",
    ] {
        assert_eq!(Command::parse(said), Command::Unrecognised, "{said}");
    }
    // Commands are read first, whatever follows them.
    assert_eq!(Command::parse("done 3"), Command::Done(id(3)));
    assert_eq!(Command::parse("show 2"), Command::Show { page: 2 });
    assert_eq!(
        Command::parse("snooze 3 15m"),
        Command::Snooze {
            id: id(3),
            by: Some(chrono::Duration::minutes(15))
        }
    );
}
