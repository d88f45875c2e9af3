//! What people say to watch a price, in English, Portuguese and French:
//! `watch bitcoin below 30000 usd`, `watch shop sku-123 below 19.90 repeat`,
//! `alert me when AAPL drops 20%`, `avise-me quando bitcoin cair 10%`,
//! `préviens-moi quand bitcoin passe sous 30000`. The source is optional (the
//! configured default then); a currency and `repeat` may follow.

use rust_decimal::Decimal;

use super::{AmountError, Rule, parse_percent, parse_price, valid_name};
use crate::domain::reminder::fold;

/// A watch as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchRequest {
    pub source: Option<String>,
    pub symbol: String,
    pub rule: Rule,
    /// The base of a relative rule, when given (`drops 20% from 100`).
    pub base: Option<Decimal>,
    pub currency: Option<String>,
    pub repeat: bool,
}

/// Why a watch request was not understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchError {
    /// No symbol before the rule.
    NoSymbol,
    /// A source or symbol with characters Herald does not take.
    BadName,
    /// No rule Herald knows (`below`, `above`, `drops`, …).
    NoRule,
    /// The price or percentage of the rule.
    Amount(AmountError),
    /// Words left over that mean nothing here.
    Trailing,
}

/// Words that start a watch, as sequences of folded words.
const LEADS: &[&[&str]] = &[
    &["watch"],
    &["alert", "me", "when"],
    &["alert", "me", "if"],
    &["notify", "me", "when"],
    &["tell", "me", "when"],
    &["avise-me", "quando"],
    &["me", "avise", "quando"],
    &["avisa-me", "quando"],
    &["me", "avisa", "quando"],
    &["alerte-me", "quando"],
    &["observar"],
    &["vigiar"],
    &["previens-moi", "quand"],
    &["previens", "moi", "quand"],
    &["alerte-moi", "quand"],
    &["surveille"],
    &["surveiller"],
];

/// Rule words, as sequences of folded words, and what they mean.
const RULES: &[(&[&str], RuleWord)] = &[
    (&["drops", "below"], RuleWord::Below),
    (&["goes", "below"], RuleWord::Below),
    (&["falls", "below"], RuleWord::Below),
    (&["is", "below"], RuleWord::Below),
    (&["below"], RuleWord::Below),
    (&["under"], RuleWord::Below),
    (&["<"], RuleWord::Below),
    (&["cair", "abaixo", "de"], RuleWord::Below),
    (&["ficar", "abaixo", "de"], RuleWord::Below),
    (&["abaixo", "de"], RuleWord::Below),
    (&["passe", "sous"], RuleWord::Below),
    (&["descend", "sous"], RuleWord::Below),
    (&["en", "dessous", "de"], RuleWord::Below),
    (&["sous"], RuleWord::Below),
    (&["goes", "above"], RuleWord::Above),
    (&["rises", "above"], RuleWord::Above),
    (&["is", "above"], RuleWord::Above),
    (&["above"], RuleWord::Above),
    (&["over"], RuleWord::Above),
    (&[">"], RuleWord::Above),
    (&["subir", "acima", "de"], RuleWord::Above),
    (&["ficar", "acima", "de"], RuleWord::Above),
    (&["passar", "de"], RuleWord::Above),
    (&["acima", "de"], RuleWord::Above),
    (&["passe", "au-dessus", "de"], RuleWord::Above),
    (&["au-dessus", "de"], RuleWord::Above),
    (&["depasse"], RuleWord::Above),
    (&["drops"], RuleWord::Drops),
    (&["drops", "by"], RuleWord::Drops),
    (&["falls"], RuleWord::Drops),
    (&["falls", "by"], RuleWord::Drops),
    (&["cair"], RuleWord::Drops),
    (&["cai"], RuleWord::Drops),
    (&["baixar"], RuleWord::Drops),
    (&["baisse", "de"], RuleWord::Drops),
    (&["chute", "de"], RuleWord::Drops),
    (&["rises"], RuleWord::Rises),
    (&["rises", "by"], RuleWord::Rises),
    (&["subir"], RuleWord::Rises),
    (&["sobe"], RuleWord::Rises),
    (&["monte", "de"], RuleWord::Rises),
    (&["augmente", "de"], RuleWord::Rises),
    (&["changes", "by"], RuleWord::Changes),
    (&["changes"], RuleWord::Changes),
    (&["moves", "by"], RuleWord::Changes),
    (&["moves"], RuleWord::Changes),
    (&["variar"], RuleWord::Changes),
    (&["oscilar"], RuleWord::Changes),
    (&["varie", "de"], RuleWord::Changes),
    (&["bouge", "de"], RuleWord::Changes),
    (&["hits", "a", "new", "low"], RuleWord::NewLow),
    (&["new", "low"], RuleWord::NewLow),
    (&["nova", "minima"], RuleWord::NewLow),
    (&["atingir", "nova", "minima"], RuleWord::NewLow),
    (&["nouveau", "plus", "bas"], RuleWord::NewLow),
    (
        &["atteint", "un", "nouveau", "plus", "bas"],
        RuleWord::NewLow,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleWord {
    Below,
    Above,
    Drops,
    Rises,
    Changes,
    NewLow,
}

const REPEAT: &[&str] = &[
    "repeat",
    "repeating",
    "always",
    "repetir",
    "sempre",
    "toujours",
    "repeter",
];
const FROM: &[&str] = &["from", "de", "desde", "depuis"];
/// Currency codes taken after a price (ISO 4217, and the common crypto ones).
const CURRENCIES: &[&str] = &[
    "usd", "eur", "gbp", "brl", "jpy", "chf", "cad", "aud", "nzd", "cny", "inr", "mxn", "ars",
    "clp", "cop", "pen", "aoa", "mzn", "cve", "xof", "xaf", "mad", "zar", "sek", "nok", "dkk",
    "pln", "czk", "huf", "try", "krw", "sgd", "hkd", "btc", "eth", "usdt",
];

/// Reads a watch request; `None` if the message does not start like one.
pub fn parse(text: &str) -> Option<Result<WatchRequest, WatchError>> {
    let typed: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = typed
        .iter()
        .map(|w| fold(w.trim_end_matches(['.', '!', '?', ';'])))
        .collect();
    let words: Vec<&str> = folded.iter().map(String::as_str).collect();
    let lead = LEADS
        .iter()
        .filter(|lead| words.len() >= lead.len() && words[..lead.len()] == lead[..])
        .map(|lead| lead.len())
        .max()?;
    Some(request(&typed[lead..], &words[lead..]))
}

fn request(typed: &[&str], words: &[&str]) -> Result<WatchRequest, WatchError> {
    // The rule is the first rule word; the names come before it.
    let (at, taken, rule_word) = (0..words.len())
        .find_map(|at| {
            RULES
                .iter()
                .filter(|(phrase, _)| words[at..].starts_with(phrase))
                .max_by_key(|(phrase, _)| phrase.len())
                .map(|(phrase, word)| (at, phrase.len(), *word))
        })
        .ok_or(WatchError::NoRule)?;
    let (source, symbol) = match &typed[..at] {
        [] => return Err(WatchError::NoSymbol),
        [symbol] => (None, *symbol),
        [source, symbol] => (Some(*source), *symbol),
        _ => return Err(WatchError::Trailing),
    };
    let clean = |name: &str| name.trim_matches(|c: char| c == ',' || c == '"').to_owned();
    let (source, symbol) = (source.map(clean), clean(symbol));
    if !valid_name(&symbol) || source.as_deref().is_some_and(|s| !valid_name(s)) {
        return Err(WatchError::BadName);
    }
    let mut rest = at + taken;
    let amount = |index: usize| -> Option<&str> { typed.get(index).copied() };
    let rule = match rule_word {
        RuleWord::Below | RuleWord::Above => {
            let price =
                parse_price(amount(rest).ok_or(WatchError::Amount(AmountError::NotANumber))?)
                    .map_err(WatchError::Amount)?;
            rest += 1;
            if rule_word == RuleWord::Below {
                Rule::Below { price }
            } else {
                Rule::Above { price }
            }
        }
        RuleWord::NewLow => Rule::NewLow,
        RuleWord::Drops | RuleWord::Rises | RuleWord::Changes => {
            let mut number = amount(rest)
                .ok_or(WatchError::Amount(AmountError::NotANumber))?
                .to_owned();
            // `20 %` as well as `20%`.
            if words.get(rest + 1) == Some(&"%") {
                rest += 1;
            }
            number = number.trim_end_matches('%').to_owned();
            let percent = parse_percent(&number).map_err(WatchError::Amount)?;
            rest += 1;
            match rule_word {
                RuleWord::Drops => Rule::Drops { percent },
                RuleWord::Rises => Rule::Rises { percent },
                _ => Rule::Changes { percent },
            }
        }
    };
    let mut request = WatchRequest {
        source,
        symbol,
        rule,
        base: None,
        currency: None,
        repeat: false,
    };
    while rest < words.len() {
        let word = words[rest];
        if REPEAT.contains(&word) {
            request.repeat = true;
            rest += 1;
        } else if matches!(word, "every" | "a" | "à")
            && words
                .get(rest + 1)
                .is_some_and(|w| matches!(*w, "time" | "chaque" | "cada"))
        {
            request.repeat = true;
            rest += 2 + usize::from(
                words.get(rest + 2) == Some(&"fois") || words.get(rest + 2) == Some(&"vez"),
            );
        } else if FROM.contains(&word) && rule.is_relative() && request.base.is_none() {
            let base =
                parse_price(amount(rest + 1).ok_or(WatchError::Amount(AmountError::NotANumber))?)
                    .map_err(WatchError::Amount)?;
            request.base = Some(base);
            rest += 2;
        } else if request.currency.is_none() && CURRENCIES.contains(&word) {
            request.currency = Some(word.to_ascii_lowercase());
            rest += 1;
        } else {
            return Err(WatchError::Trailing);
        }
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn ok(text: &str) -> WatchRequest {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn english_watches() {
        let watch = ok("watch bitcoin below 30000 usd");
        assert_eq!(watch.source, None);
        assert_eq!(watch.symbol, "bitcoin");
        assert_eq!(watch.rule, Rule::Below { price: d("30000") });
        assert_eq!(watch.currency.as_deref(), Some("usd"));
        assert!(!watch.repeat);
        let repeated = ok("watch shop sku-123 above 200 repeat");
        assert_eq!(repeated.source.as_deref(), Some("shop"));
        assert_eq!(repeated.symbol, "sku-123");
        assert!(repeated.repeat);
        assert_eq!(
            ok("alert me when AAPL drops 20%").rule,
            Rule::Drops { percent: d("20") }
        );
        assert_eq!(ok("alert me when AAPL drops 20%").symbol, "AAPL");
        let based = ok("tell me when bitcoin rises 10 % from 30000");
        assert_eq!(
            (based.rule, based.base),
            (Rule::Rises { percent: d("10") }, Some(d("30000")))
        );
        assert!(ok("watch bitcoin changes by 5% every time").repeat);
        assert_eq!(ok("watch bitcoin new low").rule, Rule::NewLow);
        assert_eq!(
            ok("watch shop sku-123 below 19,90").rule,
            Rule::Below { price: d("19.9") }
        );
    }

    #[test]
    fn portuguese_and_french_watches() {
        let pt = ok("avise-me quando bitcoin cair 10%");
        assert_eq!(
            (pt.symbol.as_str(), pt.rule),
            ("bitcoin", Rule::Drops { percent: d("10") })
        );
        assert_eq!(
            ok("me avise quando bitcoin ficar abaixo de 30000 brl").rule,
            Rule::Below { price: d("30000") }
        );
        assert!(ok("observar loja sku-9 acima de 50 sempre").repeat);
        let fr = ok("préviens-moi quand bitcoin passe sous 30000 eur");
        assert_eq!(
            (fr.rule, fr.currency.as_deref()),
            (Rule::Below { price: d("30000") }, Some("eur"))
        );
        assert_eq!(
            ok("surveille bitcoin au-dessus de 50000").rule,
            Rule::Above { price: d("50000") }
        );
        assert_eq!(
            ok("préviens-moi quand AAPL baisse de 20 %").rule,
            Rule::Drops { percent: d("20") }
        );
        assert!(ok("surveille bitcoin nouveau plus bas à chaque fois").repeat);
    }

    #[test]
    fn refusals_name_the_trouble() {
        assert_eq!(parse("watch below 30000"), Some(Err(WatchError::NoSymbol)));
        assert_eq!(parse("watch bitcoin soon"), Some(Err(WatchError::NoRule)));
        assert_eq!(
            parse("watch bitcoin below cheap"),
            Some(Err(WatchError::Amount(AmountError::NotANumber)))
        );
        assert_eq!(
            parse("watch bitcoin below 0"),
            Some(Err(WatchError::Amount(AmountError::NotPositive)))
        );
        assert_eq!(
            parse("watch bitcoin below"),
            Some(Err(WatchError::Amount(AmountError::NotANumber)))
        );
        assert_eq!(
            parse("watch ../x y below 3"),
            Some(Err(WatchError::BadName))
        );
        assert_eq!(
            parse("watch a b c below 3"),
            Some(Err(WatchError::Trailing))
        );
        assert_eq!(
            parse("watch bitcoin below 3 usd please now"),
            Some(Err(WatchError::Trailing))
        );
        assert_eq!(parse("remind me tomorrow"), None);
        assert_eq!(parse("watches"), None);
    }
}
