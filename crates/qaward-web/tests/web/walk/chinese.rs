//! Every page, as every role, in Chinese: no English sentence, no machine key (a state
//! code, a `county:xinfu` scope, an `a → b` transition), no UTC timestamp. The pages are
//! the walk's GET routes, read after the walk's world is built, so that lists and
//! histories have something in them.

use axum::http::StatusCode;
use qaward_app::testing::Backend;

use super::{Send, probes};
use crate::common::{DEMO_USERS, TestApp};
use crate::walk::world::{two_tokens, world};

qaward_app::testing::on_both!(every_page_as_every_role_speaks_chinese);

/// The text a person reads: tags, scripts and styles removed, entities left as they are
/// (they are punctuation). What a page sets as code (`<code>`: a command to type, a hash)
/// is shown as it is in every language, and is left out too.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let tag = &rest[i..];
        let skip_to = if tag.starts_with("<style") {
            tag.find("</style>").map(|j| j + 8)
        } else if tag.starts_with("<script") {
            tag.find("</script>").map(|j| j + 9)
        } else if tag.starts_with("<code>") {
            tag.find("</code>").map(|j| j + 7)
        } else {
            tag.find('>').map(|j| j + 1)
        };
        rest = &tag[skip_to.unwrap_or(tag.len())..];
    }
    out.push_str(rest);
    out
}

/// Words the Chinese interface writes in Latin letters: the language switch, file
/// formats, and names that are the same in both languages.
const LATIN_OK: &[&str] = &[
    "English",
    "PDF",
    "PNG",
    "JPEG",
    "Word",
    "Excel",
    "PowerPoint",
    "API",
    "JSON",
];

/// Runs of three or more Latin words: a sentence, or a label, left in English.
fn english_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let flush = |words: &mut Vec<&str>, runs: &mut Vec<String>| {
        if words.len() >= 3 {
            runs.push(words.join(" "));
        }
        words.clear();
    };
    for token in text.split(|c: char| c.is_whitespace()) {
        let word = token.trim_matches(|c: char| ",.;:!?()'\"“”".contains(c));
        let latin = word.len() >= 2
            && word
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-')
            && !LATIN_OK.contains(&word);
        if latin {
            words.push(word);
        } else {
            flush(&mut words, &mut runs);
        }
    }
    flush(&mut words, &mut runs);
    runs
}

/// Machine forms a person should not meet: `county:xinfu`, `in-unit-notice`, a `Z` time.
fn machine_forms(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in text.split_whitespace() {
        let t = token.trim_matches(|c: char| ",.;:()（）：，。".contains(c));
        let scoped = [
            "county:",
            "industry:",
            "opinion-dept:",
            "subject:",
            "cycles:",
        ]
        .iter()
        .any(|p| t.starts_with(p));
        let kebab = t.contains('-')
            && t.split('-').count() >= 2
            && t.split('-')
                .all(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_lowercase()));
        let zulu = t.ends_with('Z')
            && t.contains(':')
            && t.chars().next().is_some_and(|c| c.is_ascii_digit());
        let iso_time = t.len() >= 16 && t.as_bytes().get(10) == Some(&b'T') && t.starts_with("20");
        if scoped || kebab || zulu || iso_time {
            found.push(t.to_owned());
        }
    }
    found
}

async fn every_page_as_every_role_speaks_chinese(backend: Backend) {
    let t = TestApp::new(backend).await;
    let w = world(&t).await;
    let mut problems = Vec::new();
    let mut pages = 0;
    let people = std::iter::once(None).chain(DEMO_USERS.iter().map(|u| Some(*u)));
    for (n, who) in people.enumerate() {
        let (form_token, api_token) = two_tokens(&t, w.service, n + 100).await;
        let session = match who {
            Some(u) => Some(t.login(u).await),
            None => None,
        };
        for probe in probes(&w, who, form_token, api_token) {
            let Send::Get(path) = &probe.send else {
                continue;
            };
            if path.starts_with("/api/")
                || path.starts_with("/static/")
                || path.contains("/download")
            {
                continue;
            }
            let a = t.get(path, session.as_ref()).await;
            let html = a
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if a.status != StatusCode::OK || !html {
                continue;
            }
            pages += 1;
            let text = visible_text(&a.body);
            let tag = who.unwrap_or("public");
            for run in english_runs(&text) {
                problems.push(format!("{tag} {path}: English «{run}»"));
            }
            // Account names are what people type to log in, not machine keys.
            let account = |m: &str| {
                DEMO_USERS.contains(&m) || m.starts_with("walk-") || m.starts_with("opinion-")
            };
            for m in machine_forms(&text).into_iter().filter(|m| !account(m)) {
                problems.push(format!("{tag} {path}: machine form «{m}»"));
            }
        }
    }
    assert!(pages > 40, "only {pages} pages were read");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_detectors_find_what_they_look_for() {
    assert_eq!(
        english_runs("申报 the notice runs until 申报"),
        vec!["the notice runs until"]
    );
    assert!(english_runs("English PDF 文件 a.pdf").is_empty());
    assert_eq!(
        machine_forms("状态 in-unit-notice → submitted"),
        vec!["in-unit-notice"]
    );
    assert_eq!(machine_forms("范围 county:xinfu"), vec!["county:xinfu"]);
    assert_eq!(
        machine_forms("2026-11-30T06:07:03Z"),
        vec!["2026-11-30T06:07:03Z"]
    );
    assert!(machine_forms("2026-11-30 14:07").is_empty());
    assert_eq!(
        visible_text("<p title=\"x y z\">中文</p><style>a b c</style>").trim(),
        "中文"
    );
}
