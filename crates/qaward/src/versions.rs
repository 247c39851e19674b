//! `qaward policy load FILE`: the console's way to adopt a successor version of the
//! measures (A33, A34), beside the Office's page. It validates the file fully, prints what
//! it changes from the version in force in Chinese, and adopts it only with the issuing
//! document's number and date; the running cycles keep their versions.
//!
//! `qaward calendar load FILE`: the same for a year of the working-day calendar, beside
//! the administrator's page: it checks the year, lists the notices whose ends it moves,
//! and loads it only with the State Council notice's number.

use std::path::Path;

use chrono::NaiveDate;
use qaward_app::calendars::{self, LoadYear};
use qaward_app::policies::{self, Document};
use qaward_app::programs::{self, NewProgram};
use qaward_domain::policy::diff::Change;
use qaward_domain::text::Lang;

use crate::cli::Outcome;
use crate::config::Config;
use crate::server;

/// One change as a line: 市长质量奖名额（个）：3 → 5（第四条 A4.3）.
fn line(c: &Change) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "（无）".into());
    let article = match (&c.article_before, &c.article_after) {
        (Some(a), Some(b)) if a != b => format!("（依据 {a} → {b}）"),
        (_, Some(b)) => format!("（依据 {b}）"),
        (Some(a), None) => format!("（依据 {a}）"),
        (None, None) => String::new(),
    };
    format!(
        "  {}：{} → {}{article}",
        c.item.label(Lang::Zh),
        value(&c.before),
        value(&c.after)
    )
}

/// Says why the file was not loaded, in English and in Chinese.
fn not_loaded(e: &qaward_app::AppError) -> Outcome {
    println!("not loaded: {e}");
    println!(
        "未载入：{}",
        qaward_app::messages::render(Lang::Zh, &e.message())
    );
    Outcome::No
}

/// The program a console command names by code, or none (the installation's first).
async fn program_of(
    app: &qaward_app::App,
    code: Option<&str>,
) -> Result<Option<qaward_domain::ids::ProgramId>, qaward_app::AppError> {
    match code {
        Some(c) => Ok(Some(programs::by_code(app, c).await?.id)),
        None => Ok(None),
    }
}

/// Shows what `file` changes for the program `program` (by code; the first when `None`),
/// and adopts it when `document` is given.
pub async fn load(
    config: Config,
    file: &Path,
    program: Option<&str>,
    document: Option<Document>,
) -> anyhow::Result<Outcome> {
    let source = crate::data::read(file)?;
    let app = server::open_app(&config).await?;
    let program = match program_of(&app, program).await {
        Ok(p) => p,
        Err(e) => return Ok(not_loaded(&e)),
    };
    let preview = match policies::preview_at_console(&app, program, &source).await {
        Ok(p) => p,
        Err(e) => return Ok(not_loaded(&e)),
    };
    println!(
        "{}（{}）施行于 {}，相对现行版本 {} 的变化（{} 项）：",
        preview.title,
        preview.code,
        preview.effective,
        preview.in_force,
        preview.changes.len()
    );
    for c in &preview.changes {
        println!("{}", line(c));
    }
    let Some(document) = document else {
        println!(
            "previewed only: give --document-number and --document-date to adopt {}",
            preview.code
        );
        println!("仅预览，未载入：载入时请给出印发文件的文号和日期。");
        return Ok(Outcome::Yes);
    };
    match policies::adopt_at_console(&app, program, &source, &document).await {
        Ok(code) => {
            println!(
                "adopted {code}: cycles opened from now on run under it; running cycles keep theirs"
            );
            println!(
                "已载入 {code}（{}）：此后开启的届次适用新版本，进行中的届次仍适用原版本。",
                document.number
            );
            Ok(Outcome::Yes)
        }
        Err(e) => Ok(not_loaded(&e)),
    }
}

/// The issuing document from the two flags, both or neither.
pub fn document(
    number: Option<String>,
    date: Option<NaiveDate>,
) -> anyhow::Result<Option<Document>> {
    match (number, date) {
        (Some(number), Some(date)) => Ok(Some(Document { number, date })),
        (None, None) => Ok(None),
        _ => {
            anyhow::bail!("give both --document-number and --document-date, or neither to preview")
        }
    }
}

/// One notice a calendar load moves, as a line.
fn moved(a: &qaward_app::calendars::Affected) -> String {
    let before = a
        .before
        .map(|d| d.to_string())
        .unwrap_or_else(|| "（无法计算）".into());
    format!(
        "  {}「{}」{} 起：最短截止日 {before} → {}，现定截止日 {}{}",
        a.notice.notice_kind().label(Lang::Zh),
        a.notice.title,
        a.notice.start,
        a.after,
        a.notice.end,
        if a.short {
            "（不足最短期限）"
        } else {
            ""
        }
    )
}

/// Checks a year's schedule, lists the notices it moves, and loads it when the notice's
/// number is given.
pub async fn load_year(
    config: Config,
    file: &Path,
    document_number: Option<&str>,
    replace: bool,
) -> anyhow::Result<Outcome> {
    let text = crate::data::read(file)?;
    let app = server::open_app(&config).await?;
    let preview = match calendars::preview_at_console(&app, &text, replace).await {
        Ok(p) => p,
        Err(e) => return Ok(not_loaded(&e)),
    };
    let y = &preview.schedule;
    println!(
        "{}年：节假日{}个（共{}天），调休上班日{}个；{}；受影响的公示{}项：",
        y.year,
        y.holidays.len(),
        y.holiday_days(),
        y.make_up_workdays.len(),
        if preview.replaces {
            "替换已有安排"
        } else {
            "新增年份"
        },
        preview.affected.len()
    );
    for a in &preview.affected {
        println!("{}", moved(a));
    }
    let Some(number) = document_number else {
        println!("previewed only: give --document-number to load {}", y.year);
        println!("仅预览，未载入：载入时请给出国务院办公厅通知的文号。");
        return Ok(Outcome::Yes);
    };
    let load = LoadYear {
        text: &text,
        document_number: number,
        replace,
    };
    match calendars::load_at_console(&app, &load).await {
        Ok(l) => {
            println!(
                "loaded {}: every instance counts working days with it now; {} notice(s) moved",
                l.year,
                l.affected.len()
            );
            println!(
                "已载入{}年节假日安排（{number}），已通知领导小组办公室。",
                l.year
            );
            Ok(Outcome::Yes)
        }
        Err(e) => Ok(not_loaded(&e)),
    }
}

/// `qaward program list`: every program, with the version of its measures in force.
pub async fn list_programs(config: Config) -> anyhow::Result<Outcome> {
    let app = server::open_app(&config).await?;
    for p in programs::all(&app).await? {
        println!("{}\t{}\t{}\t{}", p.id.0, p.code, p.name, p.policy_id);
    }
    Ok(Outcome::Yes)
}

/// `qaward program add CODE FILE`: a new program under the measures in `file`, issued by
/// `document`.
pub async fn add_program(
    config: Config,
    code: &str,
    file: &Path,
    document: Document,
) -> anyhow::Result<Outcome> {
    let source = crate::data::read(file)?;
    let app = server::open_app(&config).await?;
    let new = NewProgram {
        code: code.to_owned(),
        source,
        document,
    };
    match programs::add_at_console(&app, &new).await {
        Ok(id) => {
            println!("added program {code} (number {})", id.0);
            println!("已新增评选项目 {code}（编号 {}）。", id.0);
            Ok(Outcome::Yes)
        }
        Err(e) => {
            println!("not added: {e}");
            println!(
                "未新增：{}",
                qaward_app::messages::render(Lang::Zh, &e.message())
            );
            Ok(Outcome::No)
        }
    }
}
