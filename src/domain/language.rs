//! The languages Herald speaks: English, Portuguese (Brazil and Portugal) and
//! French. A user's language is their `language` setting, else their
//! activities' `locale`, else English.

/// A language Herald replies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    BrazilianPortuguese,
    EuropeanPortuguese,
    French,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::English,
        Language::BrazilianPortuguese,
        Language::EuropeanPortuguese,
        Language::French,
    ];

    /// Where this language is in `ALL` (tables kept per language use it).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The tag Herald stores and shows: `en`, `pt-BR`, `pt-PT`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::BrazilianPortuguese => "pt-BR",
            Self::EuropeanPortuguese => "pt-PT",
            Self::French => "fr",
        }
    }

    pub fn is_portuguese(self) -> bool {
        matches!(self, Self::BrazilianPortuguese | Self::EuropeanPortuguese)
    }

    /// From a language code or a locale (`pt-BR`, `pt_PT`, `fr-CA`, `en-US`,
    /// `pt` for Brazil's); `None` if Herald does not speak it.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let primary = parts.next()?;
        let region = parts.next();
        match (primary, region) {
            ("en", _) => Some(Self::English),
            ("pt", Some("pt" | "ao" | "mz" | "cv" | "gw" | "st" | "tl")) => {
                Some(Self::EuropeanPortuguese)
            }
            ("pt", _) => Some(Self::BrazilianPortuguese),
            ("fr", _) => Some(Self::French),
            _ => None,
        }
    }

    /// From what a user types after `language`: a code or the language's name.
    pub fn from_setting(text: &str) -> Option<Self> {
        let folded = crate::domain::reminder::fold(text.trim());
        match folded.as_str() {
            "english" | "ingles" | "anglais" => Some(Self::English),
            "portugues" | "portuguese" | "portugais" | "brasileiro" | "portugues do brasil" => {
                Some(Self::BrazilianPortuguese)
            }
            "portugues europeu" | "portugues de portugal" | "europeu" => {
                Some(Self::EuropeanPortuguese)
            }
            "francais" | "french" | "frances" => Some(Self::French),
            _ => Self::from_tag(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_names_are_read() {
        assert_eq!(
            Language::from_tag("pt-BR"),
            Some(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Language::from_tag("pt_PT"),
            Some(Language::EuropeanPortuguese)
        );
        assert_eq!(
            Language::from_tag("pt"),
            Some(Language::BrazilianPortuguese)
        );
        assert_eq!(Language::from_tag("fr-CA"), Some(Language::French));
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_setting("Français"), Some(Language::French));
        assert_eq!(
            Language::from_setting("português"),
            Some(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Language::from_setting("pt-PT"),
            Some(Language::EuropeanPortuguese)
        );
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.code()), Some(language));
        }
    }
}
