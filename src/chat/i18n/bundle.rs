//! The Fluent bundles: one per `Language`, built once from the `.ftl` file
//! of its tag, and the one place a message is looked up and formatted.
//!
//! The files live in `locales/` next to this module (not at the repository
//! root) because they are the other half of `Say`: the catalog that maps
//! each `Say` to a message id sits beside them, and so do the tests that
//! check every file against it. They are embedded: the chat layer does no I/O.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::domain::language::Language;

/// A locale's messages, in the file named by the tag `Language::code` gives.
pub(super) fn source(language: Language) -> &'static str {
    match language {
        Language::English => include_str!("locales/en.ftl"),
        Language::BrazilianPortuguese => include_str!("locales/pt-BR.ftl"),
        Language::EuropeanPortuguese => include_str!("locales/pt-PT.ftl"),
        Language::French => include_str!("locales/fr.ftl"),
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<Bundle>> =
    LazyLock::new(|| Language::ALL.iter().map(|l| bundle(*l)).collect());

fn bundle(language: Language) -> Bundle {
    let source = source(language);
    let tag = language
        .code()
        .parse()
        .unwrap_or_else(|e| panic!("{}: not a language tag: {e}", language.code()));
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{}.ftl: {errors:?}", language.code()));
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Channels show text as it is: no U+2068/U+2069 around arguments.
    bundle.set_use_isolating(false);
    // `NUMBER($n, type: "ordinal")` selects English's 1st/2nd/3rd/22nd.
    bundle
        .add_builtins()
        .unwrap_or_else(|e| panic!("{}: builtins: {e}", language.code()));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{}.ftl: {errors:?}", language.code()));
    bundle
}

fn of(language: Language) -> &'static Bundle {
    &BUNDLES[language.index()]
}

/// A message formatted, and what went wrong doing it (a missing message or
/// argument); the text then holds the id or the argument's name instead.
pub(super) fn format_checked(
    language: Language,
    id: &str,
    args: &FluentArgs<'_>,
) -> (String, Vec<String>) {
    let bundle = of(language);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return (id.to_owned(), vec![format!("no message {id}")]);
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(args), &mut errors);
    let errors = errors.iter().map(|e| format!("{id}: {e}")).collect();
    (text.into_owned(), errors)
}

/// A message formatted; a mistake in a locale file is logged, not shown.
pub(super) fn format(language: Language, id: &str, args: &FluentArgs<'_>) -> String {
    let (text, errors) = format_checked(language, id, args);
    // The unit tests say every message of every file: none may fail there.
    if cfg!(test) {
        assert!(errors.is_empty(), "{}: {errors:?}", language.code());
    }
    if !errors.is_empty() {
        tracing::warn!(
            language = language.code(),
            id,
            ?errors,
            "message not formatted"
        );
    }
    text
}
