//! The traceability gate: every rule of the measures is in `docs/TRACEABILITY.md` once,
//! with one of four statuses, and the tests its row names back the status up.
//!
//! - **enforced**: a test named in the row carries the rule's ID and lives in a suite that
//!   goes through the running system: the use cases (`crates/qaward-app/tests/`), HTTP
//!   (`crates/qaward-web/tests/`) or the binary (`crates/qaward/tests/`). A domain unit
//!   test proves the rule is coded, not that anything calls the code, so it may be named
//!   beside such a test but never instead of one.
//! - **domain only**: a test named in the row carries the ID, wherever it lives.
//! - **planned**, **not actionable**: the "Where" column gives the reason.
//!
//! Fails with one line per problem, naming the rule, the test and why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The suites whose tests go through the running system, as paths from the repository
/// root. Subdirectories count (`tests/web/applications.rs`); `src/` never does, so the
/// domain's and the binary's own unit tests stay out.
const SYSTEM_SUITES: [&str; 3] = [
    "crates/qaward-app/tests/",
    "crates/qaward-web/tests/",
    "crates/qaward/tests/",
];

/// Whether a test in the file at `path` (from the repository root, `/`-separated) can
/// show that the running system enforces a rule.
fn counts_for_enforced(path: &str) -> bool {
    SYSTEM_SUITES.iter().any(|suite| path.starts_with(suite))
}

/// The status column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Enforced,
    DomainOnly,
    Planned,
    NotActionable,
}

impl Status {
    const ALL: [(&'static str, Status); 4] = [
        ("enforced", Status::Enforced),
        ("domain only", Status::DomainOnly),
        ("planned", Status::Planned),
        ("not actionable", Status::NotActionable),
    ];

    fn parse(s: &str) -> Option<Status> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, st)| *st)
    }
}

/// Rule IDs in the first column of a Markdown table: `| A14.1 | ...`, with all the row's
/// cells.
fn table_rows(text: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .filter_map(|l| {
            let cells: Vec<String> = l
                .trim()
                .strip_prefix('|')?
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            let id = cells.first()?.clone();
            let is_rule =
                id.starts_with('A') && id[1..].chars().next().is_some_and(|c| c.is_ascii_digit());
            is_rule.then_some((id, cells))
        })
        .collect()
}

/// Every `fn name` in the Rust sources, with the files (from the repository root) that
/// define it: helpers such as `ok` are defined in several.
type FnIndex = BTreeMap<String, BTreeSet<String>>;

fn index_fns(root: &Path, dir: &Path, out: &mut FnIndex) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            index_fns(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel: Vec<String> = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("fn ") {
                // `fn ` inside a longer word (`defn `) is not a function.
                if text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let name: String = text[i + 3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.entry(name).or_default().insert(rel.clone());
                }
            }
        }
    }
}

/// `A14.1` → `a14_1`, matched as whole segments of a test name and not followed by a
/// number (so `a4_3_quota` carries A4.3 but not A4).
fn carries(name: &str, id: &str) -> bool {
    let token = token(id);
    let want: Vec<&str> = token.split('_').collect();
    let parts: Vec<&str> = name.split('_').collect();
    (0..parts.len()).any(|i| {
        parts.get(i..i + want.len()) == Some(&want[..])
            && !parts
                .get(i + want.len())
                .is_some_and(|next| next.chars().all(|c| c.is_ascii_digit()))
    })
}

fn token(id: &str) -> String {
    id.to_lowercase().replace('.', "_")
}

/// The problems of one row of the table, each a line naming the rule.
fn check_row(id: &str, cells: &[String], fns: &FnIndex) -> Vec<String> {
    let mut problems = Vec::new();
    let status_text = cells.get(1).map(String::as_str).unwrap_or("");
    let where_ = cells.get(2).map(String::as_str).unwrap_or("");
    let tests = cells.get(3).map(String::as_str).unwrap_or("");
    let listed: Vec<&str> = tests.split('`').skip(1).step_by(2).collect();
    let tok = token(id);

    // A name in the table that matches no function is stale whatever the status: in the
    // Tests column every name, in the Where column the ones spelled like a function
    // (`materials_editable`, a web test that exercises the rule), not files or fields.
    let mentioned = where_.split('`').skip(1).step_by(2).filter(|w| {
        w.contains('_')
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    });
    for (column, t) in listed
        .iter()
        .map(|t| ("Tests", *t))
        .chain(mentioned.map(|t| ("Where", t)))
    {
        if !fns.contains_key(t) {
            problems.push(format!(
                "{id}: the {column} column names `{t}`, but no `fn {t}` exists under crates/ \
                 (renamed or removed? name the one that replaced it)"
            ));
        }
    }

    let Some(status) = Status::parse(status_text) else {
        let known: Vec<&str> = Status::ALL.iter().map(|(n, _)| *n).collect();
        problems.push(format!(
            "{id}: unknown status `{status_text}`; use one of: {}",
            known.join(", ")
        ));
        return problems;
    };
    match status {
        Status::Enforced => {
            if listed.is_empty() {
                problems.push(format!(
                    "{id}: enforced, but its row names no test; name a test under {} whose \
                     name carries `{tok}`",
                    SYSTEM_SUITES.join(", ")
                ));
                return problems;
            }
            let counts = listed.iter().any(|t| {
                carries(t, id)
                    && fns
                        .get(*t)
                        .is_some_and(|files| files.iter().any(|f| counts_for_enforced(f)))
            });
            if !counts {
                // Say, test by test, why none of them shows the running system at work.
                let why: Vec<String> = listed
                    .iter()
                    .filter_map(|t| {
                        let files = fns.get(*t)?;
                        let files_s = files.iter().cloned().collect::<Vec<_>>().join(", ");
                        Some(if !carries(t, id) {
                            format!("`{t}` ({files_s}) does not carry `{tok}` in its name")
                        } else {
                            format!(
                                "`{t}` is only in {files_s}, not in an app, web or binary suite"
                            )
                        })
                    })
                    .collect();
                problems.push(format!(
                    "{id}: enforced, but no test named in its row is a test of the running \
                     system carrying `{tok}`: {}. Name a `fn` under {} whose name carries \
                     `{tok}`, or mark the rule `domain only` with the feature that will \
                     reach it",
                    if why.is_empty() {
                        "none of the named tests exists".to_owned()
                    } else {
                        why.join("; ")
                    },
                    SYSTEM_SUITES.join(", ")
                ));
            }
        }
        Status::DomainOnly => {
            if !listed
                .iter()
                .any(|t| fns.contains_key(*t) && carries(t, id))
            {
                problems.push(format!(
                    "{id}: domain only, but no existing test named in its row carries \
                     `{tok}` in its name"
                ));
            }
            if where_.is_empty() {
                problems.push(format!(
                    "{id}: domain only, but the Where column is empty: say where it is coded \
                     and which later feature will reach it"
                ));
            }
        }
        Status::Planned | Status::NotActionable => {
            if where_.is_empty() {
                problems.push(format!(
                    "{id}: {status_text} without a reason in the Where column"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_rule_of_the_measures_is_traced_and_every_enforced_rule_is_tested() {
    // The repository carries a copy of the measures digest so that a clone anywhere can
    // run this; where ../shared is beside it (as for every developer and CI), the copy
    // must match the original.
    let measures =
        std::fs::read_to_string(root().join("docs/MEASURES.md")).expect("docs/MEASURES.md");
    let shared = root().join("../shared/spec/MEASURES.md");
    if let Ok(original) = std::fs::read_to_string(&shared) {
        assert!(
            original == measures,
            "docs/MEASURES.md differs from {}: copy it again",
            shared.display()
        );
    }
    let rules: Vec<String> = table_rows(&measures)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(
        rules.len() > 60,
        "read only {} rules from MEASURES.md",
        rules.len()
    );

    let trace = std::fs::read_to_string(root().join("docs/TRACEABILITY.md")).unwrap();
    let mut problems = Vec::new();
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, cells) in table_rows(&trace) {
        // One row per rule: two rows would give it two statuses.
        if rows.insert(id.clone(), cells).is_some() {
            problems.push(format!("{id}: more than one row in docs/TRACEABILITY.md"));
        }
    }

    let mut fns = FnIndex::new();
    index_fns(&root(), &root().join("crates"), &mut fns);

    for id in &rules {
        match rows.get(id) {
            Some(cells) => problems.extend(check_row(id, cells, &fns)),
            None => problems.push(format!("{id}: missing from docs/TRACEABILITY.md")),
        }
    }
    for id in rows.keys() {
        if !rules.contains(id) {
            problems.push(format!(
                "{id}: in docs/TRACEABILITY.md but not a rule of MEASURES.md"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/TRACEABILITY.md disagrees with the code ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn token_matching_is_exact() {
    assert!(carries("a14_1_notice_needs_five_working_days", "A14.1"));
    assert!(carries("a10_2_a10_3_declarations_are_required", "A10.3"));
    assert!(!carries("a14_10_x", "A14.1"));
    assert!(!carries("a4_3_quota", "A4"));
    assert!(carries("a33_a34_x", "A34"));
}

#[test]
fn only_app_web_and_binary_suites_count_for_enforced() {
    for path in [
        "crates/qaward-app/tests/app/workflow.rs",
        "crates/qaward-web/tests/http.rs",
        "crates/qaward-web/tests/web/applications.rs",
        "crates/qaward/tests/cli.rs",
    ] {
        assert!(counts_for_enforced(path), "{path}");
    }
    for path in [
        "crates/qaward-domain/src/eligibility.rs",
        "crates/qaward-domain/src/application/tests.rs",
        "crates/qaward-domain/tests/policy_versions.rs",
        "crates/qaward-app/src/testing.rs",
        "crates/qaward/src/config/tests.rs",
        "crates/qaward-store/tests/store/applications.rs",
    ] {
        assert!(!counts_for_enforced(path), "{path}");
    }

    let row = |status: &str, tests: &str| -> Vec<String> {
        ["A7", status, "`permission.rs`", tests]
            .map(str::to_owned)
            .to_vec()
    };
    let fns: FnIndex = [
        ("a7_unit", "crates/qaward-domain/src/permission/tests.rs"),
        ("a7_http", "crates/qaward-web/tests/web/office.rs"),
        ("office_http", "crates/qaward-web/tests/web/office.rs"),
    ]
    .into_iter()
    .map(|(n, f)| (n.to_owned(), BTreeSet::from([f.to_owned()])))
    .collect();
    // A domain unit test carries the ID but does not make the rule enforced; an HTTP test
    // without the ID does not either; together with one that has both, it is.
    assert_eq!(
        check_row("A7", &row("enforced", "`a7_unit`"), &fns).len(),
        1
    );
    assert_eq!(
        check_row("A7", &row("enforced", "`a7_unit`, `office_http`"), &fns).len(),
        1
    );
    assert!(check_row("A7", &row("enforced", "`a7_unit`, `a7_http`"), &fns).is_empty());
    // The same unit test is enough for domain only; a missing test is named either way.
    assert!(check_row("A7", &row("domain only", "`a7_unit`"), &fns).is_empty());
    let missing = check_row("A7", &row("domain only", "`a7_unit`, `a7_gone`"), &fns);
    assert!(
        missing.len() == 1 && missing[0].contains("`a7_gone`"),
        "{missing:?}"
    );
    // So is a function the Where column names, but not a file or a policy field.
    let mut stale = row("domain only", "`a7_unit`");
    stale[2] = "`permission.rs`, `fees.application_fee_yuan`, `office_http`, `old_http`".into();
    let stale = check_row("A7", &stale, &fns);
    assert!(
        stale.len() == 1 && stale[0].contains("Where column names `old_http`"),
        "{stale:?}"
    );
    assert!(!check_row("A7", &row("none", ""), &fns).is_empty());
}
