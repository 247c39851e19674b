//! The message catalogs: one Fluent file per language (`messages/zh-CN.ftl`,
//! `messages/en.ftl`), embedded in the binary, rendering the [`Message`]s that the domain
//! and the use cases return.
//!
//! Why Fluent (`fluent-bundle`, Project Fluent's Rust runtime): messages are data with
//! named parameters, so the wording can be revised (or a language added) without touching
//! the code that refuses; English needs plural forms ("1 working day", "4 working days")
//! that a table of format strings cannot choose; and a catalog is a plain text file an
//! Office can review. Completeness is not checked by the compiler, so the unit test
//! `every_message_in_the_code_is_in_both_catalogs` reads the sources for every `msg!`
//! key and its argument names and fails on a missing message or argument.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use qaward_domain::message::{Arg, Message};
use qaward_domain::rule::Refusal;
use qaward_domain::text::Lang;

/// The catalogs' sources, for the test that compares them with the code.
pub const ZH_SOURCE: &str = include_str!("../messages/zh-CN.ftl");
pub const EN_SOURCE: &str = include_str!("../messages/en.ftl");

static ZH: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| bundle(unic_langid::langid!("zh-CN"), ZH_SOURCE));
static EN: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| bundle(unic_langid::langid!("en"), EN_SOURCE));

fn bundle(lang: unic_langid::LanguageIdentifier, source: &str) -> FluentBundle<FluentResource> {
    // A catalog that does not parse is a build defect the catalog test catches; the
    // messages that do parse are still served.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, errors)| {
        tracing::error!(?errors, "message catalog has syntax errors");
        r
    });
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks would show as stray characters in plain-text mails and logs.
    b.set_use_isolating(false);
    if let Err(errors) = b.add_resource(resource) {
        tracing::error!(?errors, "message catalog has duplicate messages");
    }
    b
}

fn catalog(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// `m` in `lang`. A message missing from the catalog shows its key, so that a defect is
/// visible rather than silent (the catalog test keeps it from happening).
pub fn render(lang: Lang, m: &Message) -> String {
    let b = catalog(lang);
    let Some(pattern) = b.get_message(m.key).and_then(|msg| msg.value()) else {
        tracing::error!(key = m.key, "message missing from the catalog");
        return m.key.to_owned();
    };
    let mut args = FluentArgs::new();
    for (name, value) in &m.args {
        args.set(*name, value_of(lang, value));
    }
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, Some(&args), &mut errors);
    if !errors.is_empty() {
        tracing::error!(key = m.key, ?errors, "message rendered with errors");
    }
    text.into_owned()
}

/// A refusal in `lang`, citing the article the way the reader's language does
/// (依据《管理办法》第十四条) and the rule ID once.
pub fn refusal(lang: Lang, r: &Refusal) -> String {
    let cite = qaward_domain::msg!(
        "refusal",
        article = article_number(lang, r.cited_article()),
        rule = r.cited_rule(),
        message = r.message.clone()
    );
    render(lang, &cite)
}

/// The article number as the reader writes it: 十四 in Chinese, 14 in English.
fn article_number(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Zh => chinese_number(n),
        Lang::En => n.to_string(),
    }
}

pub use qaward_domain::text::chinese_number;

/// A date as people write it in a sentence: 2026年12月1日, 1 December 2026.
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => format!("{} {} {}", d.day(), d.format("%B"), d.year()),
    }
}

fn value_of(lang: Lang, a: &Arg) -> FluentValue<'static> {
    match a {
        Arg::Int(n) => FluentValue::from(*n),
        other => FluentValue::from(text_of(lang, other)),
    }
}

fn text_of(lang: Lang, a: &Arg) -> String {
    match a {
        Arg::Int(n) => n.to_string(),
        Arg::Text(s) => s.clone(),
        Arg::Date(d) => date(lang, *d),
        Arg::Term(t) => t.label(lang).to_owned(),
        Arg::Key(k) => render(lang, &Message::key(k)),
        Arg::Nested(m) => render(lang, m),
        Arg::List(items) => {
            let sep = match lang {
                Lang::Zh => "、",
                Lang::En => ", ",
            };
            items
                .iter()
                .map(|i| text_of(lang, i))
                .collect::<Vec<_>>()
                .join(sep)
        }
    }
}

#[cfg(test)]
mod tests;
