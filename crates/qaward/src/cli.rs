//! The subcommands and their output formats. The forms are fixed for scripts:
//! `calendar list FROM TO`, `calendar notice-end START N`, `id check CODE`,
//! `policy check FILE`, `policy load FILE [--document-number N --document-date D]`,
//! `eligibility FILE.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use qaward_app::policies::Document;
use qaward_domain::calendar::WorkingDays;
use qaward_domain::eligibility::{self, Case};
use qaward_domain::evaluation::draw::{self, DrawRecord};
use qaward_domain::ids::AnyId;
use qaward_domain::policy::Policy;
use qaward_domain::text::Lang;

use crate::config::{self, Config, DataFileArgs, Layer, ServeArgs, StoreArgs};
use crate::{data, server};

/// qaward runs a government quality award: the Xinzhou Mayor's Quality Award under its
/// 2021 measures, from the first application to the revocation of an award.
#[derive(Debug, Parser)]
#[command(name = "qaward", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start-up and consumed: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web application (HTML and the JSON API).
    Serve {
        /// Seed an empty database with the demo program, cycle and one account per role.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Apply the embedded database migrations.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Copy the SQLite database consistently, also while the server runs.
    Backup {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Put a backup back in place (stop the server first).
    Restore {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// The sealing keys of reporters' identities (A27.2).
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Administration at the server console.
    #[command(subcommand)]
    Admin(AdminCmd),
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Working days under the State Council's holiday schedules.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Unified social credit codes and resident identity numbers.
    #[command(subcommand)]
    Id(IdCmd),
    /// Policy files: one version of the measures as data.
    #[command(subcommand)]
    Policy(PolicyCmd),
    /// The award programs the installation runs, each under its own measures.
    #[command(subcommand)]
    Program(ProgramCmd),
    /// Panel draws (A17.1).
    #[command(subcommand)]
    Draw(DrawCmd),
    /// Evaluate a subject with its history against the policy (A10–A12, A28.3) and print
    /// every unmet rule with its ID. The JSON format is in the README.
    Eligibility {
        /// The case as JSON, or `-` for standard input.
        file: PathBuf,
        /// A policy file instead of the embedded 2021 Xinzhou measures.
        #[arg(long, env = "QAWARD_POLICY")]
        policy: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum DrawCmd {
    /// Re-run a panel draw from its record (the JSON the draw's page and API export):
    /// check the revealed seed against the commitment published before the supervision
    /// group's value, draw again, and exit 0 printing the panel when it is the one
    /// recorded; exit 1 saying what does not hold.
    Verify {
        /// The draw record, or `-` for standard input.
        record: PathBuf,
        /// The language of the answer: zh (the default) or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCmd {
    /// Recompute the hash chain and, with the audit key (--audit-key-file), every entry's
    /// HMAC-SM3 MAC: exit 0 when all of it holds, 1 naming the first entry that does not,
    /// or when keyed entries could not be checked for want of the key. An auditor needs
    /// only a copy of the database and the key file.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Start a new audit key when the old one is lost for good (or, moved away first,
    /// must be retired); recorded in the chain. Stop every server first. The entries
    /// written under the old key can then be checked only as a hash chain.
    ReplaceKey {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCmd {
    /// Move every sealed value to a new key and retire the old ones (README: "The
    /// sealing key"). Stop every server first; back up the new key file after.
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCmd {
    /// Create a staff account, such as the first admin. The password is read from
    /// QAWARD_PASSWORD or standard input.
    CreateUser {
        username: String,
        /// A role: admin, office, expert, county-reviewer, …
        #[arg(long)]
        role: String,
        /// The grant's scope: county:ID, industry:ID, opinion-dept:ID, cycles:1,2; empty
        /// for the program or the installation.
        #[arg(long, default_value = "")]
        scope: String,
        /// The number of the program the role holds in, for a role bound to one; left
        /// out, the installation's first program.
        #[arg(long)]
        program: Option<i64>,
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        files: DataFileArgs,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCmd {
    /// Print the configuration file with every setting at its default, its environment
    /// variable and its flag.
    PrintDefault,
}

#[derive(Debug, Subcommand)]
enum CalendarCmd {
    /// One line per date: `YYYY-MM-DD working` or `YYYY-MM-DD rest`.
    List {
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        #[arg(value_parser = parse_date)]
        to: NaiveDate,
        /// A calendar file instead of the embedded one.
        #[arg(long, env = "QAWARD_CALENDAR")]
        calendar: Option<PathBuf>,
        #[command(flatten)]
        in_use: InUse,
    },
    /// The last day of a notice that starts on START and lasts N working days (START
    /// counts when it is a working day).
    NoticeEnd {
        #[arg(value_parser = parse_date)]
        start: NaiveDate,
        #[arg(value_parser = parse_working_days)]
        n: WorkingDays,
        #[arg(long, env = "QAWARD_CALENDAR")]
        calendar: Option<PathBuf>,
        #[command(flatten)]
        in_use: InUse,
    },
    /// Check a file of one year's State Council holiday schedule against the calendar in
    /// the database and list the notices whose ends it moves; with the notice's number,
    /// load it for every instance. A year the calendar holds is replaced only with
    /// --replace. Exit 1 when the file is refused.
    Load {
        file: PathBuf,
        /// The State Council notice's number, e.g. 国办发明电〔2026〕7号.
        #[arg(long)]
        document_number: Option<String>,
        /// Replace the year the calendar holds (a correction).
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Counting with the installation's calendar: the shipped years and those loaded into its
/// database (`qaward calendar load`), rather than a file.
#[derive(Debug, clap::Args)]
struct InUse {
    /// Use the calendar in use by the installation the store flags name.
    #[arg(long)]
    in_use: bool,
    #[command(flatten)]
    store: StoreArgs,
}

impl InUse {
    /// The calendar to count with: the installation's, or the file's (or the embedded one).
    fn calendar(
        &self,
        file: Option<&std::path::Path>,
    ) -> anyhow::Result<std::sync::Arc<qaward_domain::calendar::WorkingCalendar>> {
        if !self.in_use {
            return Ok(std::sync::Arc::new(data::calendar(file)?));
        }
        let config = load(&self.store, Layer::default())?;
        runtime()?.block_on(async {
            let app = server::open_app(&config).await?;
            Ok(app.calendar().await?)
        })
    }
}

#[derive(Debug, Subcommand)]
enum IdCmd {
    /// Exit 0 and print `credit-code` or `resident-id` for a valid code; exit 1 with the
    /// reason for an invalid one.
    Check { code: String },
}

#[derive(Debug, Subcommand)]
enum PolicyCmd {
    /// Exit 0 and print a summary, or exit 1 naming the bad field.
    Check { file: PathBuf },
    /// Print what a successor version changes from the one in force; with the issuing
    /// document's number and date, adopt it for the cycles opened from now on. Exit 1 when
    /// the file is refused.
    Load {
        file: PathBuf,
        /// The issuing document's number (文号), e.g. 忻政办发〔2026〕1号.
        #[arg(long)]
        document_number: Option<String>,
        /// The day the document was issued, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        document_date: Option<NaiveDate>,
        /// The code of the program whose measures these are; left out, the
        /// installation's first program.
        #[arg(long)]
        program: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
enum ProgramCmd {
    /// Print every program: number, code, name and the version of its measures in force.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Add a program under its own measures (a policy file), issued by a document. Exit 1
    /// when refused.
    Add {
        /// Lower-case letters, digits and hyphens, e.g. yuanping.
        code: String,
        /// The policy file of the program's measures.
        file: PathBuf,
        /// The issuing document's number (文号).
        #[arg(long)]
        document_number: String,
        /// The day the document was issued, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        document_date: NaiveDate,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let well_formed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if well_formed => Ok(d),
        _ => Err(format!("`{s}` is not a date of the form YYYY-MM-DD")),
    }
}

fn parse_working_days(s: &str) -> Result<WorkingDays, String> {
    s.parse::<u32>()
        .ok()
        .and_then(WorkingDays::new)
        .ok_or_else(|| format!("`{s}` is not a number of working days (a whole number from 1)"))
}

/// How a command ended when it did not fail to read its input.
pub enum Outcome {
    /// Done, or the answer is yes.
    Yes,
    /// The answer is no; the reasons are printed.
    No,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Yes => ExitCode::SUCCESS,
            Outcome::No => ExitCode::from(1),
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// The configuration of a command: its flags (`more` beyond the store's) over the process
/// environment over the file.
fn load(store: &StoreArgs, more: Layer) -> anyhow::Result<Config> {
    Config::load(
        store.config.as_deref(),
        store.layer().or(more),
        &config::process_env,
    )
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Serve { demo, store, serve } => {
            let config = load(&store, serve.layer())?;
            runtime()?.block_on(server::serve(config, demo))
        }
        Command::Migrate { store } => {
            runtime()?.block_on(server::migrate(load(&store, Layer::default())?))
        }
        Command::Audit(AuditCmd::Verify { store }) => {
            runtime()?.block_on(server::audit_verify(load(&store, Layer::default())?))
        }
        Command::Audit(AuditCmd::ReplaceKey { store }) => {
            runtime()?.block_on(server::audit_replace_key(load(&store, Layer::default())?))
        }
        Command::Keys(KeysCmd::Rotate { store }) => {
            runtime()?.block_on(server::keys_rotate(load(&store, Layer::default())?))
        }
        Command::Backup { file, store } => {
            runtime()?.block_on(server::backup(load(&store, Layer::default())?, &file))
        }
        Command::Restore { file, store } => {
            runtime()?.block_on(server::restore(load(&store, Layer::default())?, &file))
        }
        Command::Admin(AdminCmd::CreateUser {
            username,
            role,
            scope,
            program,
            display_name,
            store,
            files,
        }) => {
            let config = load(&store, files.layer())?;
            runtime()?.block_on(server::create_user(
                config,
                &username,
                display_name.as_deref(),
                (&role, &scope, program),
            ))
        }
        Command::Config(ConfigCmd::PrintDefault) => {
            print!("{}", config::default_file());
            Ok(Outcome::Yes)
        }
        Command::Calendar(CalendarCmd::List {
            from,
            to,
            calendar,
            in_use,
        }) => {
            let cal = in_use.calendar(calendar.as_deref())?;
            let mut out = String::new();
            for day in cal.days(from, to)? {
                out.push_str(&format!(
                    "{} {}\n",
                    day.date,
                    if day.working { "working" } else { "rest" }
                ));
            }
            print!("{out}");
            Ok(Outcome::Yes)
        }
        Command::Calendar(CalendarCmd::NoticeEnd {
            start,
            n,
            calendar,
            in_use,
        }) => {
            let cal = in_use.calendar(calendar.as_deref())?;
            println!("{}", cal.notice_end(start, n)?);
            Ok(Outcome::Yes)
        }
        Command::Calendar(CalendarCmd::Load {
            file,
            document_number,
            replace,
            store,
        }) => {
            let config = load(&store, Layer::default())?;
            runtime()?.block_on(crate::versions::load_year(
                config,
                &file,
                document_number.as_deref(),
                replace,
            ))
        }
        Command::Id(IdCmd::Check { code }) => match AnyId::parse(&code) {
            Ok(id) => {
                println!("{}", id.kind());
                Ok(Outcome::Yes)
            }
            Err(e) => {
                println!("invalid: {e}");
                Ok(Outcome::No)
            }
        },
        Command::Policy(PolicyCmd::Load {
            file,
            document_number,
            document_date,
            program,
            store,
        }) => {
            let document = crate::versions::document(document_number, document_date)?;
            let config = load(&store, Layer::default())?;
            runtime()?.block_on(crate::versions::load(
                config,
                &file,
                program.as_deref(),
                document,
            ))
        }
        Command::Program(ProgramCmd::List { store }) => {
            let config = load(&store, Layer::default())?;
            runtime()?.block_on(crate::versions::list_programs(config))
        }
        Command::Program(ProgramCmd::Add {
            code,
            file,
            document_number,
            document_date,
            store,
        }) => {
            let config = load(&store, Layer::default())?;
            let document = Document {
                number: document_number,
                date: document_date,
            };
            runtime()?.block_on(crate::versions::add_program(config, &code, &file, document))
        }
        Command::Policy(PolicyCmd::Check { file }) => {
            let text = data::read(&file)?;
            match Policy::from_toml(&file.display().to_string(), &text) {
                Ok(p) => {
                    println!("{}", p.summary());
                    Ok(Outcome::Yes)
                }
                Err(e) => {
                    println!("invalid: {e}");
                    Ok(Outcome::No)
                }
            }
        }
        Command::Draw(DrawCmd::Verify { record, lang }) => {
            let lang = match lang.as_str() {
                "zh" | "zh-CN" => Lang::Zh,
                "en" => Lang::En,
                other => anyhow::bail!("`{other}` is not a language: use zh or en"),
            };
            let text = read_input(&record)?;
            let de = &mut serde_json::Deserializer::from_str(&text);
            let r: DrawRecord = serde_path_to_error::deserialize(de).map_err(|e| {
                anyhow::anyhow!(
                    "{} is not a draw record: field `{}`: {}",
                    record.display(),
                    e.path(),
                    e.inner()
                )
            })?;
            match draw::verify(&r) {
                Ok(panel) => {
                    let ids: Vec<String> = panel.iter().map(|u| u.0.to_string()).collect();
                    match lang {
                        Lang::Zh => println!("抽取结果复核一致：{}", ids.join("、")),
                        Lang::En => {
                            println!("the draw re-runs to the same panel: {}", ids.join(", "))
                        }
                    }
                    Ok(Outcome::Yes)
                }
                Err(refusal) => {
                    println!("{}", qaward_app::messages::refusal(lang, &refusal));
                    Ok(Outcome::No)
                }
            }
        }
        Command::Eligibility { file, policy } => {
            let policy = data::policy(policy.as_deref())?;
            let text = read_input(&file)?;
            let de = &mut serde_json::Deserializer::from_str(&text);
            let case: Case = serde_path_to_error::deserialize(de).map_err(|e| {
                anyhow::anyhow!(
                    "{} is not an eligibility case: field `{}`: {}",
                    file.display(),
                    e.path(),
                    e.inner()
                )
            })?;
            let unmet = eligibility::evaluate(&case, &policy);
            if unmet.is_empty() {
                println!(
                    "eligible: {} may apply in cycle {} ({})",
                    case.subject.name(),
                    case.cycle.ordinal,
                    policy.id
                );
                Ok(Outcome::Yes)
            } else {
                for u in &unmet {
                    println!("{u}");
                }
                Ok(Outcome::No)
            }
        }
    }
}

/// A file's text, or standard input's for `-`.
fn read_input(file: &std::path::Path) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")
    } else {
        data::read(file)
    }
}
