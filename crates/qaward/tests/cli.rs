//! The command line as a script sees it: exact output forms and exit codes (0 yes,
//! 1 no, 2 unreadable input), and no panic on bad input; and the rules of the measures
//! that the commands act on (eligibility, the policy in force), each test named after its
//! rule so that `docs/TRACEABILITY.md` can count it as enforced by the binary.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

fn qaward(args: &[&str]) -> Output {
    qaward_env(args, &[])
}

/// Runs qaward with `env` as its only `QAWARD_*` variables, so that the developer's own
/// settings cannot change what a test sees.
fn qaward_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qaward"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("QAWARD_") {
            c.env_remove(k);
        }
    }
    c.args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .output()
        .expect("run qaward")
}

fn qaward_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qaward"))
        .env_remove("QAWARD_POLICY")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run qaward");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

#[test]
fn calendar_list_prints_one_line_per_date() {
    let o = qaward(&["calendar", "list", "2026-09-30", "2026-10-11"]);
    assert_exit(&o, 0);
    let expected = "2026-09-30 working\n2026-10-01 rest\n2026-10-02 rest\n2026-10-03 rest\n\
                    2026-10-04 rest\n2026-10-05 rest\n2026-10-06 rest\n2026-10-07 rest\n\
                    2026-10-08 working\n2026-10-09 working\n2026-10-10 working\n2026-10-11 rest\n";
    assert_eq!(stdout(&o), expected);
}

#[test]
fn a14_1_calendar_notice_end_across_national_day() {
    let o = qaward(&["calendar", "notice-end", "2026-09-29", "5"]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "2026-10-10\n");
}

#[test]
fn calendar_refuses_dates_it_does_not_cover_and_malformed_input() {
    let o = qaward(&["calendar", "list", "2026-12-30", "2027-01-02"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("outside the working-day calendar"),
        "{}",
        stderr(&o)
    );
    for args in [
        ["calendar", "notice-end", "2026-13-01", "5"],
        ["calendar", "notice-end", "2026-9-1", "5"],
        ["calendar", "notice-end", "2026-09-01", "0"],
        ["calendar", "notice-end", "2026-09-01", "-3"],
        ["calendar", "list", "2026-09-02", "2026-09-01"],
    ] {
        let o = qaward(&args);
        assert_exit(&o, 2);
        assert!(!stderr(&o).is_empty());
    }
}

#[test]
fn id_check_tells_the_kind_or_the_reason() {
    let o = qaward(&["id", "check", "91140900AY4CL12THD"]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "credit-code\n");
    let o = qaward(&["id", "check", "14090219850615009x"]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "resident-id\n");
    let o = qaward(&["id", "check", "91140900AY4CL12THE"]);
    assert_exit(&o, 1);
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(
        stdout(&o).contains("check character is `E`"),
        "{}",
        stdout(&o)
    );
    let o = qaward(&["id", "check", ""]);
    assert_exit(&o, 1);
}

#[test]
fn policy_check_summarizes_or_names_the_field() {
    let o = qaward(&["policy", "check", "policy/xinzhou-2021.toml"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("quotas: 忻州市市长质量奖 3, 忻州市市长质量奖提名奖 10 (A4.3)"),
        "{}",
        stdout(&o)
    );

    let bad = std::env::temp_dir().join(format!("qaward-bad-policy-{}.toml", std::process::id()));
    let text = std::fs::read_to_string(root().join("policy/xinzhou-2021.toml"))
        .unwrap()
        .replace(
            "[cycle]\nyears = { value = 3, article = \"A4.2\" }\n",
            "[cycle]\n",
        );
    std::fs::write(&bad, text).unwrap();
    let o = qaward(&["policy", "check", bad.to_str().unwrap()]);
    std::fs::remove_file(&bad).ok();
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("field `cycle`") && stdout(&o).contains("years"),
        "{}",
        stdout(&o)
    );

    let o = qaward(&["policy", "check", "no/such/file.toml"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("cannot read no/such/file.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a12_1_eligibility_lists_every_unmet_rule() {
    let o = qaward(&["eligibility", "examples/eligibility-org.json"]);
    assert_exit(&o, 1);
    let out = stdout(&o);
    let rules: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(rules, ["A10.4", "A10.1", "A10.4", "A12.1"]);
    let o = qaward(&["eligibility", "examples/eligibility-person.json"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).starts_with("eligible: 李质量"), "{}", stdout(&o));
}

#[test]
fn eligibility_refuses_malformed_json_with_the_field() {
    let o = qaward_stdin(&["eligibility", "-"], r#"{"date": "2026-02-30"}"#);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("field `date`"), "{}", stderr(&o));
    let o = qaward_stdin(&["eligibility", "-"], "not json");
    assert_exit(&o, 2);
}

/// A copy of a data file with one change, in the temporary directory.
fn changed_copy(original: &str, from: &str, to: &str) -> PathBuf {
    // Tests run in parallel threads of one process: each copy needs a name of its own.
    static COPIES: AtomicU32 = AtomicU32::new(0);
    let text = std::fs::read_to_string(root().join(original)).unwrap();
    assert!(
        text.contains(from),
        "{original} no longer contains {from:?}"
    );
    let path = std::env::temp_dir().join(format!(
        "qaward-cli-{}-{}-{}",
        std::process::id(),
        COPIES.fetch_add(1, Ordering::Relaxed),
        original.replace('/', "-")
    ));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn qaward_calendar_replaces_the_embedded_calendar_and_the_flag_wins() {
    // In this calendar the National Day holiday of 2026 ends a day early.
    let short = changed_copy(
        "calendar/cn-working-days.toml",
        "from = 2026-10-01\nto = 2026-10-07",
        "from = 2026-10-01\nto = 2026-10-06",
    );
    let short_s = short.to_str().unwrap();
    let list = ["calendar", "list", "2026-10-07", "2026-10-07"];
    assert_eq!(stdout(&qaward(&list)), "2026-10-07 rest\n");
    let o = qaward_env(&list, &[("QAWARD_CALENDAR", short_s)]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "2026-10-07 working\n");
    let o = qaward_env(
        &[&list[..], &["--calendar", "calendar/cn-working-days.toml"]].concat(),
        &[("QAWARD_CALENDAR", short_s)],
    );
    assert_eq!(stdout(&o), "2026-10-07 rest\n");
    let o = qaward_env(
        &["calendar", "notice-end", "2026-10-07", "1"],
        &[("QAWARD_CALENDAR", short_s)],
    );
    assert_eq!(stdout(&o), "2026-10-07\n");
    std::fs::remove_file(short).ok();
}

#[test]
fn qaward_policy_replaces_the_embedded_policy_and_the_flag_wins() {
    let renamed = changed_copy(
        "policy/xinzhou-2021.toml",
        "id = \"xinzhou-2021\"",
        "id = \"xinzhou-test\"",
    );
    let renamed_s = renamed.to_str().unwrap();
    let case = ["eligibility", "examples/eligibility-person.json"];
    let o = qaward_env(&case, &[("QAWARD_POLICY", renamed_s)]);
    assert_exit(&o, 0);
    assert!(stdout(&o).ends_with("(xinzhou-test)\n"), "{}", stdout(&o));
    let o = qaward_env(
        &[&case[..], &["--policy", "policy/xinzhou-2021.toml"]].concat(),
        &[("QAWARD_POLICY", renamed_s)],
    );
    assert!(stdout(&o).ends_with("(xinzhou-2021)\n"), "{}", stdout(&o));
    std::fs::remove_file(renamed).ok();
}

// The rules the command line acts on itself: `eligibility` judges a case with the code
// that judges a submission (A10–A12), and a policy file is the measures every command and
// the server run under (A4.1, A8, A9.1, A33, A34). Each test fails when its rule is broken
// in what the binary does, not only in the domain crate.

/// The rule IDs `qaward eligibility` prints for `case` (given on standard input), in
/// order; empty when it finds the subject eligible.
fn unmet(case: &serde_json::Value, policy: Option<&str>) -> Vec<String> {
    let mut args = vec!["eligibility", "-"];
    let policy = policy.map(|p| root().join(p));
    if let Some(p) = &policy {
        args.extend(["--policy", p.to_str().unwrap()]);
    }
    let o = qaward_stdin(&args, &case.to_string());
    let out = stdout(&o);
    match o.status.code() {
        Some(0) => {
            assert!(out.starts_with("eligible: "), "{out}");
            Vec::new()
        }
        Some(1) => out
            .lines()
            .map(|l| l.split(':').next().unwrap().to_owned())
            .collect(),
        _ => panic!("stdout: {out}\nstderr: {}", stderr(&o)),
    }
}

/// An organization of 忻府区 founded on `founded`, with every declaration, applying in
/// cycle 3 on 2026-06-01.
fn organization(founded: &str) -> serde_json::Value {
    serde_json::json!({
        "date": "2026-06-01",
        "cycle": { "ordinal": 3, "year": 2026 },
        "subject": {
            "type": "organization", "name": "忻州市测试机械有限公司",
            "credit_code": "91140900AY4CL12THD", "kind": "enterprise", "county": "xinfu",
            "founded": founded
        },
        "declarations": ["A10.1", "A10.2", "A10.3", "A10.4"]
    })
}

/// A person in quality work since `since`, with both declarations, applying in cycle 3
/// on 2026-06-01.
fn person(since: &str) -> serde_json::Value {
    serde_json::json!({
        "date": "2026-06-01",
        "cycle": { "ordinal": 3, "year": 2026 },
        "subject": {
            "type": "person", "name": "李质量", "resident_id": "14090219850615009X",
            "employer": "忻州市示例精密机械有限公司", "employer_kind": "enterprise",
            "county": "yuanping", "quality_work_since": since
        },
        "declarations": ["A11.1", "A11.2"]
    })
}

#[test]
fn a10_2_a10_3_an_organization_declares_its_results_and_its_compliance() {
    let mut case = organization("2010-01-01");
    assert_eq!(unmet(&case, None), Vec::<String>::new());
    case["declarations"] = serde_json::json!(["A10.1", "A10.4"]);
    assert_eq!(unmet(&case, None), ["A10.2", "A10.3"]);
}

#[test]
fn a10_4_a_major_accident_in_the_last_three_years_bars() {
    let mut case = organization("2010-01-01");
    let accident = |date: &str, major: bool| serde_json::json!({ "accidents": [{ "date": date, "description": "车间火灾", "major": major }] });
    case["history"] = accident("2024-08-20", true);
    assert_eq!(unmet(&case, None), ["A10.4"]);
    // A minor accident does not bar, nor a major one before the three years.
    case["history"] = accident("2024-08-20", false);
    assert_eq!(unmet(&case, None), Vec::<String>::new());
    case["history"] = accident("2023-03-01", true);
    assert_eq!(unmet(&case, None), Vec::<String>::new());
}

#[test]
fn a28_3_the_ban_counts_from_the_application_date_not_the_cycle_year() {
    // Revoked on 2024-01-10; an application of 2024-01-20 in a cycle opened in 2023.
    let mut case = organization("2010-01-01");
    case["date"] = serde_json::json!("2024-01-20");
    case["cycle"] = serde_json::json!({ "ordinal": 2, "year": 2023 });
    case["history"] = serde_json::json!({ "awards": [{
        "cycle": { "ordinal": 1, "year": 2020 }, "level": "award", "revoked_on": "2024-01-10"
    }] });
    assert_eq!(unmet(&case, None), ["A28.3"]);
    // An application made before the revocation is not barred by it.
    case["date"] = serde_json::json!("2024-01-09");
    assert_eq!(unmet(&case, None), Vec::<String>::new());
}

#[test]
fn a14_2_a_person_outside_the_city_has_no_county_to_apply_through() {
    let mut case = person("2012-07-01");
    case["subject"]["county"] = serde_json::json!("taiyuan");
    assert_eq!(unmet(&case, None), ["A14.2"]);
    let mut org = organization("2010-01-01");
    org["subject"]["county"] = serde_json::json!("taiyuan");
    assert_eq!(unmet(&org, None), ["A10.1"]);
}

#[test]
fn a11_1_a_person_declares_conduct() {
    let mut case = person("2012-07-01");
    assert_eq!(unmet(&case, None), Vec::<String>::new());
    case["declarations"] = serde_json::json!(["A11.2"]);
    assert_eq!(unmet(&case, None), ["A11.1"]);
}

#[test]
fn a11_2_a_person_needs_three_years_of_quality_work() {
    assert_eq!(unmet(&person("2024-01-01"), None), ["A11.2"]);
    assert_eq!(unmet(&person("2023-01-01"), None), Vec::<String>::new());
}

#[test]
fn a12_2_a_nomination_winner_may_apply_again_an_award_winner_may_not() {
    let mut case = person("2012-07-01");
    case["history"] = serde_json::json!({
        "awards": [{ "cycle": { "ordinal": 2, "year": 2023 }, "level": "nomination" }]
    });
    assert_eq!(unmet(&case, None), Vec::<String>::new());
    case["history"]["awards"][0]["level"] = serde_json::json!("award");
    assert_eq!(unmet(&case, None), ["A12.1"]);
}

#[test]
fn a4_1_the_measures_have_the_award_and_the_nomination_award() {
    let o = qaward(&["policy", "check", "policy/xinzhou-2021.toml"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("忻州市市长质量奖 3, 忻州市市长质量奖提名奖 10"),
        "{}",
        stdout(&o)
    );
    // A file with one level is not a version of these measures: the binary refuses it.
    let text = std::fs::read_to_string(root().join("policy/xinzhou-2021.toml")).unwrap();
    let start = text.find("[levels.nomination]").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    let one_level = changed_copy("policy/xinzhou-2021.toml", &text[start..end], "");
    let o = qaward(&["policy", "check", one_level.to_str().unwrap()]);
    std::fs::remove_file(&one_level).ok();
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("missing field `nomination`"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a8_the_measures_list_the_sixteen_county_level_units_and_the_industry_departments() {
    let o = qaward(&["policy", "check", "policy/xinzhou-2021.toml"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("channels: 16 county-level units, 10 industry departments"),
        "{}",
        stdout(&o)
    );
    // The embedded policy knows the Scenic Area, one of the two units beside the 14
    // counties, as part of the city; a county elsewhere is not (A10.1 names the place).
    let mut case = organization("2010-01-01");
    case["subject"]["county"] = serde_json::json!("wutaishan");
    assert_eq!(unmet(&case, None), Vec::<String>::new());
    case["subject"]["county"] = serde_json::json!("taiyuan");
    assert_eq!(unmet(&case, None), ["A10.1"]);
}

#[test]
fn a9_1_measures_that_charge_a_fee_are_refused() {
    let fee = changed_copy(
        "policy/xinzhou-2021.toml",
        "application_fee_yuan = { value = 0",
        "application_fee_yuan = { value = 100",
    );
    let fee_s = fee.to_str().unwrap();
    let check = qaward(&["policy", "check", fee_s]);
    // No command runs under such measures, the server included (it loads them the same way).
    let run = qaward(&[
        "eligibility",
        "examples/eligibility-person.json",
        "--policy",
        fee_s,
    ]);
    std::fs::remove_file(&fee).ok();
    assert_exit(&check, 1);
    assert!(
        stdout(&check).contains("fees.application_fee_yuan.value")
            && stdout(&check).contains("A9.1"),
        "{}",
        stdout(&check)
    );
    assert_exit(&run, 2);
    assert!(stderr(&run).contains("A9.1"), "{}", stderr(&run));
}

#[test]
fn a33_a34_the_measures_are_in_force_from_2021_11_30_for_five_years() {
    let o = qaward(&["policy", "check", "policy/xinzhou-2021.toml"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("in force 2021-11-30 to 2026-11-29 (A33, A34)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a34_a_successor_version_governs_the_binary_without_code_changes() {
    // The domain's hypothetical successor, in which every number differs from 2021.
    let successor = "crates/qaward-domain/tests/data/hypothetical-2027.toml";
    let o = qaward(&["policy", "check", successor]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("in force 2026-11-30 to 2032-11-29")
            && stdout(&o).contains("cycle every 2 years"),
        "{}",
        stdout(&o)
    );
    // Its five years of operation refuse an organization that the 2021 measures' three
    // let through.
    let mut case = organization("2023-01-01");
    case["date"] = serde_json::json!("2027-06-01");
    case["cycle"] = serde_json::json!({ "ordinal": 4, "year": 2027 });
    assert_eq!(unmet(&case, None), Vec::<String>::new());
    assert_eq!(unmet(&case, Some(successor)), ["A10.1"]);
}

/// A finished draw record of five experts out of eleven, and its file.
fn draw_record(tamper: bool) -> PathBuf {
    use qaward_domain::evaluation::draw::{self, ALGORITHM, DrawRecord, PoolEntry};
    use qaward_domain::ids::UserId;
    let pool: Vec<PoolEntry> = (1..=11)
        .map(|i| PoolEntry {
            expert: UserId(i),
            fields: vec!["综合".into()],
            excluded: None,
        })
        .collect();
    let seed = "3f9a0c1e";
    let mut drawn = draw::draw(&pool, "综合", 5, seed, "监督组 271828").unwrap();
    if tamper {
        drawn.swap(0, 4);
    }
    let record = DrawRecord {
        algorithm: ALGORITHM.into(),
        field: "综合".into(),
        size: 5,
        pool,
        commitment: draw::commitment(seed),
        contribution: Some("监督组 271828".into()),
        seed: Some(seed.into()),
        drawn,
    };
    changed_copy_of(&serde_json::to_string_pretty(&record).unwrap(), "draw.json")
}

/// `text` in a fresh file of the tests' own.
fn changed_copy_of(text: &str, name: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "qaward-cli-draw-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a17_1_draw_verify_reruns_a_record_and_catches_a_changed_one() {
    let good = draw_record(false);
    let o = qaward(&["draw", "verify", good.to_str().unwrap()]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).starts_with("抽取结果复核一致："),
        "{}",
        stdout(&o)
    );
    let o = qaward(&["draw", "verify", "--lang", "en", good.to_str().unwrap()]);
    assert!(
        stdout(&o).starts_with("the draw re-runs to the same panel: "),
        "{}",
        stdout(&o)
    );
    let bad = draw_record(true);
    let o = qaward(&["draw", "verify", bad.to_str().unwrap()]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("不一致"), "{}", stdout(&o));
    assert!(stdout(&o).contains("A17.1"), "{}", stdout(&o));
    // Not a record at all: exit 2, naming the field.
    let junk = changed_copy_of(
        r#"{"algorithm": "sm3-fisher-yates-v1", "size": "five"}"#,
        "junk.json",
    );
    let o = qaward(&["draw", "verify", junk.to_str().unwrap()]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("field"), "{}", stderr(&o));
}
