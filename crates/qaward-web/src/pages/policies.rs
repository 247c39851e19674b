//! The versions of the measures (issue #13; A33, A34), for the Office and the
//! administrator: the versions loaded, with the one in force and how many cycles each
//! governs; a new version's file previewed with what it changes, then loaded with its
//! issuing document. The API's twins are in `api::policies`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use qaward_app::policies::{self, Preview, Version};
use qaward_domain::policy::diff::Change;
use qaward_domain::rule::RuleId;

use super::done::{Done, with_done};
use super::forms::{Refill, RefusedForm, answer, preview_answer, sent};
use super::frame::{Chrome, chrome};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, when};
use crate::inputs::{PolicyAdoptIn, PolicySourceIn, from_pairs};
use crate::session::{CsrfPairs, Viewer};

/// A loaded version as the page lists it.
pub(super) struct VersionLine {
    code: String,
    title: String,
    in_force: bool,
    valid: String,
    document: String,
    adopted: String,
    cycles: usize,
}

/// One change of a previewed version.
pub(super) struct ChangeLine {
    item: String,
    before: String,
    after: String,
    article: String,
}

/// A previewed file: what it is and what it changes.
pub(super) struct PreviewView {
    title: String,
    code: String,
    valid: String,
    in_force: String,
    changes: Vec<ChangeLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies.html")]
pub(super) struct PoliciesPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    /// The program whose measures these are, named when the installation runs several.
    program: Option<String>,
    versions: Vec<VersionLine>,
    /// The file's text as sent, kept on the page (and carried to the adopt form).
    source: String,
    preview: Option<PreviewView>,
    /// A refused form ("preview" or "adopt"): its messages and what was typed.
    refused: Option<(String, Refill)>,
}

impl PoliciesPage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    fn typed(&self, form: &str, field: &str) -> &str {
        self.refused.typed_of(&form.to_owned(), field)
    }
}

/// 第十四条（A14.1）, or Art. 14 (A14.1).
fn article(lang: Lang, r: &RuleId) -> String {
    match lang {
        Lang::Zh => format!(
            "第{}条（{r}）",
            qaward_app::messages::chinese_number(r.article())
        ),
        Lang::En => format!("Art. {} ({r})", r.article()),
    }
}

fn change_line(lang: Lang, c: &Change) -> ChangeLine {
    let t = lang.tr().pol;
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| t.none.to_owned());
    let article = match (&c.article_before, &c.article_after) {
        (Some(a), Some(b)) if a != b => format!("{} → {}", article(lang, a), article(lang, b)),
        (_, Some(b)) => article(lang, b),
        (Some(a), None) => article(lang, a),
        (None, None) => String::new(),
    };
    ChangeLine {
        item: c.item.label(lang.text()),
        before: value(&c.before),
        after: value(&c.after),
        article,
    }
}

fn period(lang: Lang, from: chrono::NaiveDate, to: Option<chrono::NaiveDate>) -> String {
    match to {
        Some(to) => format!("{} – {}", day(lang, from), day(lang, to)),
        None => day(lang, from),
    }
}

fn version_line(lang: Lang, v: Version) -> VersionLine {
    let t = lang.tr().pol;
    let document_date = chrono::NaiveDate::parse_from_str(&v.document_date, "%Y-%m-%d")
        .map(|d| day(lang, d))
        .unwrap_or(v.document_date);
    let by = match v.adopted_by.as_str() {
        "installation" => t.by_installation.to_owned(),
        "migration" => t.by_migration.to_owned(),
        "console" => t.by_console.to_owned(),
        other => other.to_owned(),
    };
    VersionLine {
        document: format!(
            "{} · {document_date}",
            v.document_number.as_deref().unwrap_or(t.no_number)
        ),
        adopted: format!("{by} · {}", when(lang, &v.adopted_at)),
        valid: period(lang, v.effective, v.last_day),
        in_force: v.in_force,
        cycles: v.cycles,
        code: v.code,
        title: v.title,
    }
}

fn preview_view(lang: Lang, p: &Preview) -> PreviewView {
    PreviewView {
        title: p.title.clone(),
        code: p.code.clone(),
        valid: period(lang, p.effective, p.last_day),
        in_force: p.in_force.clone(),
        changes: p.changes.iter().map(|c| change_line(lang, c)).collect(),
    }
}

async fn page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    source: String,
    preview: Option<Preview>,
    refused: Option<(String, Refill)>,
) -> Result<PoliciesPage, PageError> {
    let p = viewer.require()?;
    let versions = policies::versions(&state.app, p).await?;
    let working = qaward_app::programs::working(&state.app, p).await?;
    let all = qaward_app::programs::all(&state.app).await?;
    let program = all
        .iter()
        .find(|x| x.id == working)
        .filter(|_| all.len() > 1)
        .map(|x| x.name.clone());
    Ok(PoliciesPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        chrome: chrome(lang, viewer),
        csrf: p.csrf.clone().unwrap_or_default(),
        program,
        versions: versions
            .into_iter()
            .map(|v| version_line(lang, v))
            .collect(),
        source,
        preview: preview.as_ref().map(|x| preview_view(lang, x)),
        refused,
    })
}

/// `GET /policies`: the versions, and the form to load a new one.
pub(super) async fn versions(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<PoliciesPage, PageError> {
    page(&state, lang, &viewer, String::new(), None, None).await
}

/// The text sent in `source`, for the page to keep whatever happened.
fn sent_source(pairs: &[(String, String)]) -> String {
    sent(pairs, "source").unwrap_or_default().to_owned()
}

/// `POST /policies/preview`: what the file changes; refused, the form again with the
/// message and the text as sent.
pub(super) async fn preview(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let source = sent_source(&pairs);
    let result = async {
        let f: PolicySourceIn = from_pairs(pairs.clone())?;
        policies::preview(&state.app, p, &f.source).await
    }
    .await;
    preview_answer(lang, result, "preview", pairs, |x, refused| {
        page(&state, lang, &viewer, source, x, refused)
    })
    .await
}

/// `POST /policies`: loads the previewed file with its issuing document; refused, the
/// preview again with the message above the document's fields, as typed.
pub(super) async fn adopt(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let source = sent_source(&pairs);
    let result = async {
        let f: PolicyAdoptIn = from_pairs(pairs.clone())?;
        policies::adopt(&state.app, p, &f.source, &f.document())
            .await
            .map(drop)
    }
    .await;
    let to = with_done("/policies", Done::PolicyAdopted);
    answer(lang, result, &to, pairs, |refill| async {
        // Refused, the changes stay in view when the file itself still previews.
        let again = policies::preview(&state.app, p, &source).await.ok();
        let refused = Some(("adopt".to_owned(), refill));
        page(&state, lang, &viewer, source.clone(), again, refused).await
    })
    .await
}
