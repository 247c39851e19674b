//! The command line as a script sees it: exact output forms and exit codes (0 yes,
//! 1 no, 2 unreadable input), and no panic on bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

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
    let text = std::fs::read_to_string(root().join(original)).unwrap();
    assert!(
        text.contains(from),
        "{original} no longer contains {from:?}"
    );
    let path = std::env::temp_dir().join(format!(
        "qaward-cli-{}-{}",
        std::process::id(),
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
