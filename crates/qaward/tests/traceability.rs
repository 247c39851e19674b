//! The traceability gate: every rule of the measures is in `docs/TRACEABILITY.md`, and
//! every rule marked enforced has a test whose name carries its ID. Fails, naming the
//! rule, when either stops being true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Rule IDs in the first column of a Markdown table: `| A14.1 | ...`.
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

/// Every `fn name` in the Rust sources under `dir`.
fn fn_names(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fn_names(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("fn ").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
}

/// `A14.1` → `a14_1`, matched as whole segments of a test name and not followed by a
/// number (so `a4_3_quota` carries A4.3 but not A4).
fn carries(name: &str, id: &str) -> bool {
    let token = id.to_lowercase().replace('.', "_");
    let want: Vec<&str> = token.split('_').collect();
    let parts: Vec<&str> = name.split('_').collect();
    (0..parts.len()).any(|i| {
        parts.get(i..i + want.len()) == Some(&want[..])
            && !parts
                .get(i + want.len())
                .is_some_and(|next| next.chars().all(|c| c.is_ascii_digit()))
    })
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
    let rows: BTreeMap<String, Vec<String>> = table_rows(&trace).into_iter().collect();

    let mut names = BTreeSet::new();
    fn_names(&root().join("crates"), &mut names);

    let mut problems = Vec::new();
    for id in &rules {
        let Some(cells) = rows.get(id) else {
            problems.push(format!("{id}: missing from docs/TRACEABILITY.md"));
            continue;
        };
        let status = cells.get(1).map(String::as_str).unwrap_or("");
        let where_ = cells.get(2).map(String::as_str).unwrap_or("");
        let tests = cells.get(3).map(String::as_str).unwrap_or("");
        match status {
            "enforced" => {
                if !names.iter().any(|n| carries(n, id)) {
                    problems.push(format!(
                        "{id}: enforced, but no test name carries `{}`",
                        id.to_lowercase().replace('.', "_")
                    ));
                }
                let listed: Vec<&str> = tests.split('`').skip(1).step_by(2).collect();
                if listed.is_empty() {
                    problems.push(format!("{id}: enforced, but the table names no test"));
                }
                for t in listed {
                    if !names.contains(t) {
                        problems.push(format!("{id}: the table names `{t}`, which does not exist"));
                    }
                }
            }
            "planned" | "none" => {
                if where_.is_empty() {
                    problems.push(format!("{id}: {status} without a reason"));
                }
            }
            other => problems.push(format!("{id}: unknown status `{other}`")),
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
        "traceability:\n{}",
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
