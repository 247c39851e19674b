//! The catalogs against the code: every message the code can return exists in both
//! languages with exactly the arguments the code gives it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::*;

type Vars = BTreeSet<String>;

/// Each message of a catalog with the variables it uses.
fn messages_of(source: &str) -> BTreeMap<String, Vars> {
    let res = fluent_syntax::parser::parse(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("the catalog does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in res.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = Vars::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            assert!(
                out.insert(m.id.name.clone(), vars).is_none(),
                "{} twice",
                m.id.name
            );
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<String>, vars: &mut Vars) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<String>, vars: &mut Vars) {
    match e {
        ast::Expression::Inline(i) => inline_vars(i, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
    }
}

fn inline_vars(i: &ast::InlineExpression<String>, vars: &mut Vars) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.clone());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
        }
        _ => {}
    }
}

/// Every message the sources build: `msg!("key", a = …)` with its argument names, and
/// keys named alone (`Message::key("…")`, `Arg::Key("…")`, and the keys the domain keeps
/// in tables: declarations, reasons, what a character of an ID may be, a timeline's
/// dates).
fn messages_in_code() -> BTreeMap<String, Option<Vars>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = BTreeMap::new();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&root).unwrap() {
        collect_rs(&krate.unwrap().path().join("src"), &mut files);
    }
    assert!(files.len() > 50, "the sources were not found: {root:?}");
    for f in files {
        // Tests build messages of their own, with what they check.
        if f.components().any(|c| c.as_os_str() == "tests") || f.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code: Vec<&str> = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        scan(&code.join("\n"), &mut found);
    }
    found
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

const TABLE_KEYS: &[&str] = &["declaration-", "reason-", "id-expect-"];
const TIMELINE_KEYS: &[&str] = &[
    "\"application-opens\"",
    "\"application-closes\"",
    "\"channel-review-due\"",
    "\"formal-review-due\"",
];

fn scan(text: &str, found: &mut BTreeMap<String, Option<Vars>>) {
    let mut rest = text;
    while let Some(i) = rest.find("msg!(") {
        rest = &rest[i + 5..];
        let body = balanced(rest);
        let body = body.trim_start();
        let Some(stripped) = body.strip_prefix('"') else {
            continue; // the macro's own definition
        };
        let key_end = stripped.find('"').unwrap();
        let key = &stripped[..key_end];
        let mut vars = Vars::new();
        for part in top_level_commas(&stripped[key_end + 1..]) {
            if let Some((name, _)) = part.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    vars.insert(name.to_owned());
                }
            }
        }
        let prev = found.insert(key.to_owned(), Some(vars.clone()));
        if let Some(Some(p)) = prev {
            assert_eq!(
                p, vars,
                "`{key}` is built with different arguments in places"
            );
        }
    }
    for opener in ["Message::key(\"", "Arg::Key(\""] {
        for (i, _) in text.match_indices(opener) {
            let s = &text[i + opener.len()..];
            let key = &s[..s.find('"').unwrap()];
            found.entry(key.to_owned()).or_insert(Some(Vars::new()));
        }
    }
    for prefix in TABLE_KEYS {
        for (i, _) in text.match_indices(&format!("\"{prefix}")) {
            let s = &text[i + 1..];
            let key = &s[..s.find('"').unwrap()];
            if key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                found.entry(key.to_owned()).or_insert(Some(Vars::new()));
            }
        }
    }
    for k in TIMELINE_KEYS {
        if text.contains(k) {
            found.insert(k.trim_matches('"').to_owned(), Some(Vars::new()));
        }
    }
}

/// The text up to the parenthesis that closes the one just opened.
fn balanced(s: &str) -> &str {
    let (mut depth, mut in_str, mut esc) = (1, false, false);
    for (i, c) in s.char_indices() {
        match (in_str, c) {
            (true, '\\') if !esc => esc = true,
            (true, '"') if !esc => in_str = false,
            (true, _) => esc = false,
            (false, '"') => in_str = true,
            (false, '(') => depth += 1,
            (false, ')') => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
    }
    s
}

fn top_level_commas(s: &str) -> Vec<&str> {
    let (mut depth, mut in_str, mut start, mut out) = (0, false, 0, Vec::new());
    for (i, c) in s.char_indices() {
        match (in_str, c) {
            (true, '"') => in_str = false,
            (false, '"') => in_str = true,
            (false, '(' | '[' | '{') => depth += 1,
            (false, ')' | ']' | '}') => depth -= 1,
            (false, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[test]
fn every_message_in_the_code_is_in_both_catalogs() {
    let zh = messages_of(ZH_SOURCE);
    let en = messages_of(EN_SOURCE);
    let code = messages_in_code();
    let mut problems = Vec::new();
    for (key, vars) in &code {
        for (lang, cat) in [("zh-CN", &zh), ("en", &en)] {
            match cat.get(key) {
                None => problems.push(format!("{lang}: `{key}` is missing")),
                Some(used) => {
                    if let Some(given) = vars
                        && !used.is_subset(given)
                    {
                        problems.push(format!(
                            "{lang}: `{key}` uses {used:?}; the code gives {given:?}"
                        ));
                    }
                }
            }
        }
    }
    for (key, _) in zh.iter().filter(|(k, _)| !en.contains_key(*k)) {
        problems.push(format!("`{key}` is in zh-CN only"));
    }
    for (key, _) in en.iter().filter(|(k, _)| !zh.contains_key(*k)) {
        problems.push(format!("`{key}` is in en only"));
    }
    for key in zh.keys().filter(|k| !code.contains_key(*k)) {
        problems.push(format!("`{key}` is in the catalogs but not in the code"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_chinese_catalog_says_nothing_in_english() {
    // The words of each message, without its id, comments and placeables.
    for line in ZH_SOURCE.lines().filter(|l| !l.starts_with('#')) {
        let text = line.split_once(" = ").map_or(line, |(_, t)| t);
        let mut words = String::new();
        let mut depth = 0;
        for c in text.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                c if depth == 0 => words.push(c),
                _ => {}
            }
        }
        let english = words
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 3)
            // Names of file formats and products, which Chinese text writes as they are.
            .filter(|w| {
                !matches!(
                    *w,
                    "JPEG"
                        | "docx"
                        | "xlsx"
                        | "pptx"
                        | "Word"
                        | "Excel"
                        | "PowerPoint"
                        | "Office"
                        | "ActiveX"
                        | "JSON"
                )
            })
            .count();
        assert!(english == 0, "{line}");
    }
}

#[test]
fn a_refusal_cites_the_article_the_chinese_way_and_the_rule_once() {
    let r = Refusal::new(
        qaward_domain::rule::A14_1,
        qaward_domain::msg!("in-unit-scan-missing"),
    );
    let zh = refusal(Lang::Zh, &r);
    assert!(zh.starts_with("依据《管理办法》第十四条"), "{zh}");
    assert_eq!(zh.matches("A14.1").count(), 1, "{zh}");
    let en = refusal(Lang::En, &r);
    assert!(en.contains("Article 14"), "{en}");
    assert_eq!(chinese_number(34), "三十四");
    assert_eq!(chinese_number(10), "十");
    assert_eq!(chinese_number(9), "九");
}

#[test]
fn english_counts_choose_their_plural_and_dates_read_as_people_write_them() {
    let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let m = |ran: u32| {
        qaward_domain::msg!(
            "notice-too-short",
            kind = qaward_domain::message::Term::of(qaward_domain::policy::NoticeKind::InUnit),
            start = d,
            end = d,
            ran = ran,
            required = 5u32,
            earliest_end = d
        )
    };
    let one = render(Lang::En, &m(1));
    assert!(one.contains("1 working day;"), "{one}");
    assert!(render(Lang::En, &m(4)).contains("4 working days"));
    let zh = render(Lang::Zh, &m(4));
    assert!(
        zh.contains("2026年12月1日") && zh.contains("单位内部公示"),
        "{zh}"
    );
}
