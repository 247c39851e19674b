//! `qaward policy load FILE`: the console's way to adopt a successor version of the
//! measures (A33, A34), beside the Office's page. It validates the file fully, prints what
//! it changes from the version in force in Chinese, and adopts it only with the issuing
//! document's number and date; the running cycles keep their versions.

use std::path::Path;

use chrono::NaiveDate;
use qaward_app::policies::{self, Document};
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

/// Shows what `file` changes, and adopts it when `document` is given.
pub async fn load(
    config: Config,
    file: &Path,
    document: Option<Document>,
) -> anyhow::Result<Outcome> {
    let source = crate::data::read(file)?;
    let app = server::open_app(&config).await?;
    let preview = match policies::preview_at_console(&app, &source).await {
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
    match policies::adopt_at_console(&app, &source, &document).await {
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
