//! The configuration's promises: the printed default file is the defaults; every setting
//! is a file key, an environment variable and a flag, layered file < environment < flag;
//! secrets stay out of `Debug` and off the command line. The environment is a map handed
//! to the loader, never the process's own, so the tests can run in parallel.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{CommandFactory, Parser};

use super::layer::{NO_FLAG, NOT_IN_FILE, SETTINGS};
use super::*;

/// `qaward serve`'s flags, parsed by clap from the same argument structs.
#[derive(Debug, Parser)]
struct Serve {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    serve: ServeArgs,
}

/// A scratch directory that removes itself.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "qaward-config-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// Loads with `file` as the configuration file (given by `--config`), `env` as the
/// environment and `args` as the flags of `serve`.
fn load(file: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> anyhow::Result<Config> {
    let scratch = Scratch::new();
    let mut argv = vec!["serve".to_owned()];
    if let Some(text) = file {
        let path = scratch.file("qaward.toml", text);
        argv.extend(["--config".to_owned(), path.display().to_string()]);
    }
    argv.extend(args.iter().map(|a| a.to_string()));
    let cli = Serve::try_parse_from(argv)?;
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::load(
        cli.store.config.as_deref(),
        cli.store.layer().or(cli.serve.layer()),
        &|k| env.get(k).cloned(),
    )
}

fn env_var(key: &str) -> &'static str {
    SETTINGS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, e)| *e)
        .unwrap_or_else(|| panic!("{key} is not a setting"))
}

fn flag(key: &str) -> String {
    format!("--{}", key.replace('_', "-"))
}

/// Fails, naming the field, unless `a` and `b` agree on every field. The destructuring
/// has no `..`: a new field does not compile until it is compared here.
fn assert_same(a: &Config, b: &Config) {
    let Config {
        listen,
        data,
        database,
        audit_key_file,
        seal_key_file,
        max_upload_bytes,
        max_account_upload_bytes,
        session_hours,
        throttle,
        secure_cookies,
        trusted_origins,
        client_ip_header,
        header_timeout_secs,
        body_timeout_secs,
        office_contact,
        log_format,
        policy,
        calendar,
        rubric_organization,
        rubric_individual,
        cjk_font,
        today,
        smtp,
    } = a;
    assert_eq!(listen, &b.listen, "listen");
    assert_eq!(data, &b.data, "data");
    assert_eq!(database, &b.database, "database");
    assert_eq!(audit_key_file, &b.audit_key_file, "audit_key_file");
    assert_eq!(seal_key_file, &b.seal_key_file, "seal_key_file");
    assert_eq!(max_upload_bytes, &b.max_upload_bytes, "max_upload_bytes");
    assert_eq!(
        max_account_upload_bytes, &b.max_account_upload_bytes,
        "max_account_upload_bytes"
    );
    assert_eq!(session_hours, &b.session_hours, "session_hours");
    assert_eq!(throttle, &b.throttle, "throttle");
    assert_eq!(secure_cookies, &b.secure_cookies, "secure_cookies");
    assert_eq!(trusted_origins, &b.trusted_origins, "trusted_origins");
    assert_eq!(client_ip_header, &b.client_ip_header, "client_ip_header");
    assert_eq!(
        header_timeout_secs, &b.header_timeout_secs,
        "header_timeout_secs"
    );
    assert_eq!(body_timeout_secs, &b.body_timeout_secs, "body_timeout_secs");
    assert_eq!(office_contact, &b.office_contact, "office_contact");
    assert_eq!(log_format, &b.log_format, "log_format");
    assert_eq!(policy, &b.policy, "policy");
    assert_eq!(calendar, &b.calendar, "calendar");
    assert_eq!(
        rubric_organization, &b.rubric_organization,
        "rubric_organization"
    );
    assert_eq!(rubric_individual, &b.rubric_individual, "rubric_individual");
    assert_eq!(cjk_font, &b.cjk_font, "cjk_font");
    assert_eq!(today, &b.today, "today");
    // `Smtp` has no `PartialEq` (it belongs to qaward-app): compare its parts.
    let parts = |s: &Option<qaward_app::mail::Smtp>| {
        s.as_ref().map(|s| {
            (
                s.host.clone(),
                s.port,
                s.from.clone(),
                s.username.clone(),
                s.password.clone(),
            )
        })
    };
    assert_eq!(parts(smtp), parts(&b.smtp), "smtp");
}

#[test]
fn the_printed_default_file_resolves_to_the_defaults_on_every_setting() {
    let text = default_file();
    let file = Layer::from_toml("print-default", &text).unwrap();
    assert_same(&Config::resolve(file.clone()).unwrap(), &Config::default());
    // The SMTP settings only show once a host is given: compare them with one.
    let host = Layer {
        smtp_host: Some("mail.example".into()),
        smtp_from: Some("qaward@example".into()),
        ..Layer::default()
    };
    let with_file = Config::resolve(host.clone().or(file)).unwrap();
    assert_same(&with_file, &Config::resolve(host).unwrap());
    assert_eq!(with_file.smtp.unwrap().port, DEFAULT_SMTP_PORT);
    // And the web's defaults are qaward-web's, not a copy.
    let (web, d) = (qaward_web::WebConfig::default(), Config::default());
    assert_eq!(
        (d.header_timeout_secs, d.body_timeout_secs),
        (web.header_timeout.as_secs(), web.body_timeout.as_secs())
    );
    // And the use cases' defaults are qaward-app's, not a copy.
    let app = qaward_app::Settings::default();
    assert_eq!(
        (
            d.max_upload_bytes,
            d.max_account_upload_bytes,
            d.session_hours,
            d.throttle
        ),
        (
            app.max_upload_bytes,
            app.max_account_upload_bytes,
            app.session_hours,
            app.throttle
        )
    );
}

/// The paragraphs of the default file: runs of lines between blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::to_owned).collect()
}

#[test]
fn the_default_file_names_every_setting_with_its_variable_and_flag() {
    let text = default_file();
    for (key, env) in SETTINGS {
        if NOT_IN_FILE.contains(key) {
            assert!(text.contains(env) && text.contains(&flag(key)), "{key}");
            continue;
        }
        let line = |l: &str| {
            let l = l.trim_start_matches("# ");
            l.starts_with(&format!("{key} = "))
        };
        let para = paragraphs(&text)
            .into_iter()
            .find(|p| p.lines().any(line))
            .unwrap_or_else(|| panic!("the default file does not show {key}"));
        assert!(
            para.contains(env),
            "{key}: the paragraph does not name {env}"
        );
        if NO_FLAG.contains(key) {
            assert!(!para.contains(&flag(key)), "{key} must have no flag");
        } else {
            assert!(para.contains(&flag(key)), "{key}: no {}", flag(key));
        }
    }
    assert!(text.contains("QAWARD_CONFIG") && text.contains("--config"));
}

#[test]
fn the_default_file_examples_are_valid_settings() {
    // Uncommenting an example gives a setting of the right name and type.
    let uncommented: String = default_file()
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if SETTINGS
                    .iter()
                    .any(|(k, _)| rest.starts_with(&format!("{k} = "))) =>
            {
                rest
            }
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let layer = Layer::from_toml("uncommented", &uncommented).unwrap();
    assert!(layer.policy.is_some() && layer.smtp_password.is_some());
    let c = Config::resolve(layer).unwrap();
    assert!(c.smtp.is_some() && c.client_ip_header.is_some());
}

#[test]
fn every_setting_has_a_flag_but_the_secret() {
    let cmd = Serve::command();
    let longs: Vec<String> = cmd
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect();
    for (key, _) in SETTINGS {
        let has = longs.contains(&key.replace('_', "-"));
        assert_eq!(has, !NO_FLAG.contains(key), "{key}");
    }
    assert!(longs.contains(&"config".to_owned()));
}

/// One setting walked through the layers: the file gives `file` (after `base`), the
/// environment `env`, the flag `flag`; `want` is what `show` reads after each.
struct Case {
    key: &'static str,
    base: &'static str,
    file: Option<&'static str>,
    env: &'static str,
    flag: Option<&'static str>,
    show: fn(&Config) -> String,
    want: [&'static str; 3],
}

const SMTP: &str = "smtp_host = \"h\"\nsmtp_from = \"f@x\"\n";

fn smtp(c: &Config) -> &qaward_app::mail::Smtp {
    c.smtp.as_ref().expect("smtp is set")
}

fn opt<T: fmt::Debug>(v: &Option<T>) -> String {
    format!("{v:?}")
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let c = |key, base, file, env, flag, show, want| Case { key, base, file, env, flag, show, want };
    vec![
        c("listen", "", Some("\"1.1.1.1:1\""), "2.2.2.2:2", Some("3.3.3.3:3"), |c| c.listen.clone(), ["1.1.1.1:1", "2.2.2.2:2", "3.3.3.3:3"]),
        c("data", "", Some("\"/f\""), "/e", Some("/g"), |c| format!("{} {} {}", c.data.display(), c.database, c.audit_key_file.display()), ["/f sqlite:///f/qaward.db /f/audit.key", "/e sqlite:///e/qaward.db /e/audit.key", "/g sqlite:///g/qaward.db /g/audit.key"]),
        c("database", "", Some("\"sqlite:///f.db\""), "postgres://e@h/q", Some("sqlite:///g.db"), |c| c.database.clone(), ["sqlite:///f.db", "postgres://e@h/q", "sqlite:///g.db"]),
        c("audit_key_file", "", Some("\"/f.key\""), "/e.key", Some("/g.key"), |c| c.audit_key_file.display().to_string(), ["/f.key", "/e.key", "/g.key"]),
        c("seal_key_file", "", Some("\"/f.key\""), "/e.key", Some("/g.key"), |c| c.seal_key_file.display().to_string(), ["/f.key", "/e.key", "/g.key"]),
        c("max_upload_bytes", "", Some("10"), "20", Some("30"), |c| c.max_upload_bytes.to_string(), ["10", "20", "30"]),
        c("max_account_upload_bytes", "", Some("100"), "200", Some("300"), |c| c.max_account_upload_bytes.to_string(), ["100", "200", "300"]),
        c("session_hours", "", Some("2"), "3", Some("4"), |c| c.session_hours.to_string(), ["2", "3", "4"]),
        c("login_failures_per_address_and_account", "", Some("2"), "3", Some("4"), |c| c.throttle.login_failures_per_address_and_account.to_string(), ["2", "3", "4"]),
        c("login_failures_per_address", "", Some("2"), "3", Some("4"), |c| c.throttle.login_failures_per_address.to_string(), ["2", "3", "4"]),
        c("login_failures_per_account", "", Some("2"), "3", Some("4"), |c| c.throttle.login_failures_per_account.to_string(), ["2", "3", "4"]),
        c("registrations_per_address", "", Some("2"), "3", Some("4"), |c| c.throttle.registrations_per_address.to_string(), ["2", "3", "4"]),
        c("objections_per_address", "", Some("2"), "3", Some("4"), |c| c.throttle.objections_per_address.to_string(), ["2", "3", "4"]),
        c("complaints_per_address", "", Some("2"), "3", Some("4"), |c| c.throttle.complaints_per_address.to_string(), ["2", "3", "4"]),
        c("follow_up_lookups_per_address", "", Some("2"), "3", Some("4"), |c| c.throttle.follow_up_lookups_per_address.to_string(), ["2", "3", "4"]),
        c("secure_cookies", "", Some("true"), "false", Some("true"), |c| c.secure_cookies.to_string(), ["true", "false", "true"]),
        c("trusted_origins", "", Some("[\"https://f\"]"), "https://e1, https://e2", Some("https://g"), |c| c.trusted_origins.join(" "), ["https://f", "https://e1 https://e2", "https://g"]),
        c("client_ip_header", "", Some("\"X-Real-IP\""), "X-Forwarded-For", Some("X-Client"), |c| opt(&c.client_ip_header), ["Some(\"X-Real-IP\")", "Some(\"X-Forwarded-For\")", "Some(\"X-Client\")"]),
        c("header_timeout_secs", "", Some("5"), "6", Some("7"), |c| c.header_timeout_secs.to_string(), ["5", "6", "7"]),
        c("body_timeout_secs", "", Some("8"), "9", Some("10"), |c| c.body_timeout_secs.to_string(), ["8", "9", "10"]),
        c("office_contact", "", Some("\"办公室 f\""), "办公室 e", Some("办公室 g"), |c| c.office_contact.clone(), ["办公室 f", "办公室 e", "办公室 g"]),
        c("log_format", "", Some("\"json\""), "text", Some("json"), |c| c.log_format.as_str().into(), ["json", "text", "json"]),
        c("policy", "", Some("\"/f.toml\""), "/e.toml", Some("/g.toml"), |c| opt(&c.policy), ["Some(\"/f.toml\")", "Some(\"/e.toml\")", "Some(\"/g.toml\")"]),
        c("calendar", "", Some("\"/f.toml\""), "/e.toml", Some("/g.toml"), |c| opt(&c.calendar), ["Some(\"/f.toml\")", "Some(\"/e.toml\")", "Some(\"/g.toml\")"]),
        c("rubric_organization", "", Some("\"/f.toml\""), "/e.toml", Some("/g.toml"), |c| opt(&c.rubric_organization), ["Some(\"/f.toml\")", "Some(\"/e.toml\")", "Some(\"/g.toml\")"]),
        c("rubric_individual", "", Some("\"/f.toml\""), "/e.toml", Some("/g.toml"), |c| opt(&c.rubric_individual), ["Some(\"/f.toml\")", "Some(\"/e.toml\")", "Some(\"/g.toml\")"]),
        c("cjk_font", "", Some("\"/f.ttf\""), "/e.ttf", Some("/g.ttf"), |c| c.cjk_font.display().to_string(), ["/f.ttf", "/e.ttf", "/g.ttf"]),
        c("smtp_host", "smtp_from = \"f@x\"\n", Some("\"f.example\""), "e.example", Some("g.example"), |c| smtp(c).host.clone(), ["f.example", "e.example", "g.example"]),
        c("smtp_port", SMTP, Some("2525"), "587", Some("26"), |c| smtp(c).port.to_string(), ["2525", "587", "26"]),
        c("smtp_from", "smtp_host = \"h\"\n", Some("\"f@x\""), "e@x", Some("g@x"), |c| smtp(c).from.clone(), ["f@x", "e@x", "g@x"]),
        c("smtp_username", SMTP, Some("\"fu\""), "eu", Some("gu"), |c| opt(&smtp(c).username), ["Some(\"fu\")", "Some(\"eu\")", "Some(\"gu\")"]),
        c("smtp_password", SMTP, Some("\"fp\""), "ep", None, |c| opt(&smtp(c).password), ["Some(\"fp\")", "Some(\"ep\")", ""]),
        c("today", "", None, "2026-01-02", Some("2026-01-03"), |c| opt(&c.today), ["None", "Some(2026-01-02)", "Some(2026-01-03)"]),
    ]
}

#[test]
fn each_environment_variable_takes_effect_over_the_file_and_under_the_flag() {
    let cases = cases();
    for (key, _) in SETTINGS {
        assert!(cases.iter().any(|c| c.key == *key), "no case for {key}");
    }
    for c in &cases {
        let file = match c.file {
            Some(v) => format!("{}{} = {v}\n", c.base, c.key),
            None => c.base.to_owned(),
        };
        let env = [(env_var(c.key), c.env)];
        let shown = |env: &[(&str, &str)], args: &[&str]| {
            let config =
                load(Some(&file), env, args).unwrap_or_else(|e| panic!("{}: {e:#}", c.key));
            (c.show)(&config)
        };
        assert_eq!(shown(&[], &[]), c.want[0], "{} from the file", c.key);
        assert_eq!(shown(&env, &[]), c.want[1], "{} from {}", c.key, env[0].0);
        match c.flag {
            Some(v) => {
                let f = flag(c.key);
                assert_eq!(shown(&env, &[&f, v]), c.want[2], "{} from {f}", c.key);
            }
            None => assert!(load(Some(&file), &env, &[&flag(c.key), "x"]).is_err()),
        }
    }
}

#[test]
fn qaward_config_names_the_file_and_the_flag_names_another() {
    let scratch = Scratch::new();
    let a = scratch.file("a.toml", "listen = \"0.0.0.0:1\"\n");
    let b = scratch.file("b.toml", "listen = \"0.0.0.0:2\"\n");
    let env: HashMap<&str, String> = [("QAWARD_CONFIG", a.display().to_string())].into();
    let env = |k: &str| env.get(k).cloned();
    let c = Config::load(None, Layer::default(), &env).unwrap();
    assert_eq!(c.listen, "0.0.0.0:1");
    let c = Config::load(Some(&b), Layer::default(), &env).unwrap();
    assert_eq!(c.listen, "0.0.0.0:2");
}

#[test]
fn empty_variables_are_unset_and_bad_ones_name_themselves() {
    let c = load(
        Some("session_hours = 5\n"),
        &[("QAWARD_SESSION_HOURS", "")],
        &[],
    )
    .unwrap();
    assert_eq!(c.session_hours, 5);
    for (var, value, says) in [
        ("QAWARD_SESSION_HOURS", "twelve", "whole number"),
        ("QAWARD_SECURE_COOKIES", "maybe", "true or false"),
        ("QAWARD_LOG_FORMAT", "xml", "`text` or `json`"),
        ("QAWARD_TODAY", "2026-13-01", "YYYY-MM-DD"),
        ("QAWARD_SMTP_PORT", "70000", "whole number"),
    ] {
        let e = format!("{:#}", load(None, &[(var, value)], &[]).unwrap_err());
        assert!(e.contains(var) && e.contains(says), "{var}: {e}");
    }
    let e = format!(
        "{:#}",
        load(None, &[("QAWARD_SESSION_HOURS", "0")], &[]).unwrap_err()
    );
    assert!(e.contains("session_hours"), "{e}");
}

#[test]
fn flags_read_like_the_environment() {
    let c = load(None, &[], &["--secure-cookies"]).unwrap();
    assert!(c.secure_cookies, "the flag alone means true");
    let c = load(
        Some("trusted_origins = [\"https://f\"]\nclient_ip_header = \"X-Real-IP\"\n"),
        &[],
        &["--trusted-origins", "", "--client-ip-header", ""],
    )
    .unwrap();
    assert!(
        c.trusted_origins.is_empty(),
        "an empty flag clears the list"
    );
    assert_eq!(c.client_ip_header, None);
    let c = load(None, &[], &["--trusted-origins", "https://a,https://b"]).unwrap();
    assert_eq!(c.trusted_origins, ["https://a", "https://b"]);
}

#[test]
fn today_is_no_file_setting_and_fixes_the_use_cases_clock() {
    let e = format!(
        "{:#}",
        load(Some("today = \"2026-01-02\"\n"), &[], &[]).unwrap_err()
    );
    assert!(e.contains("today"), "{e}");
    let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let c = load(None, &[], &["--today", "2021-06-01"]).unwrap();
    assert_eq!(c.app_settings().clock.today(), day);
}

#[test]
fn secrets_stay_out_of_debug() {
    assert_eq!(
        redact_url("postgres://app:s3cret@db:5432/q"),
        "postgres://app:***@db:5432/q"
    );
    assert_eq!(
        redact_url("postgres://postgres@127.0.0.1/test"),
        "postgres://postgres@127.0.0.1/test"
    );
    let c = load(
        Some(SMTP),
        &[
            ("QAWARD_DATABASE", "postgres://app:s3cret@db/q"),
            ("QAWARD_SMTP_PASSWORD", "m4ilsecret"),
        ],
        &[],
    )
    .unwrap();
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("m4ilsecret"),
        "{shown}"
    );
    let layer = Layer::from_toml("t", "smtp_password = \"m4ilsecret\"\n").unwrap();
    assert!(!format!("{layer:?}").contains("m4ilsecret"));
}

#[test]
fn a_misspelt_key_is_named() {
    let e = format!(
        "{:#}",
        load(Some("listne = \"x\"\n"), &[], &[]).unwrap_err()
    );
    assert!(e.contains("listne"), "{e}");
}

#[test]
fn the_readme_lists_every_variable_and_flag() {
    let readme = include_str!("../../../../README.md");
    for (key, env) in SETTINGS {
        assert!(readme.contains(env), "README.md does not mention {env}");
        if !NO_FLAG.contains(key) {
            assert!(
                readme.contains(&flag(key)),
                "README.md does not mention {}",
                flag(key)
            );
        }
    }
}
