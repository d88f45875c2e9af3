//! Arbitrary chat text: mention stripping, the command grammar and the replies
//! built from what was typed must never panic.
#![no_main]

use herald::chat::i18n::{Say, catalog};
use herald::chat::strip_mentions;
use herald::domain::command::{Command, JobRef};
use herald::domain::language::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cleaned = strip_mentions(&text);
    match Command::parse(&cleaned) {
        Command::Done(JobRef::OutOfRange(digits)) => {
            for language in Language::ALL {
                let _ = catalog(language).say(Say::NoSuchJob(&digits));
            }
        }
        Command::Show { page } => assert!(page >= 1),
        _ => {}
    }
    let _ = JobRef::parse(&text);
});
