//! The cycle's dashboard and the opening of a cycle (the Office), and each person's
//! notifications.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_domain::application::State as AppState_;
use qaward_domain::permission::Perm;
use qaward_domain::text::Vocabulary;

use super::done::{self, Done};
use super::forms::RefusedForm;
use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, when};
use crate::inputs::{CycleIn, Empty};
use crate::session::{CsrfForm, CsrfPairs, Viewer};

/// One row of a count table: what is counted, in words, and how many.
pub(super) struct Count {
    what: String,
    n: usize,
}

pub(super) struct OverdueLine {
    id: i64,
    subject: String,
    why: String,
}

/// The dashboard as the page shows it.
pub(super) struct Dash {
    title: String,
    window: String,
    channel_review_due: String,
    formal_review_due: String,
    total: usize,
    by_state: Vec<Count>,
    by_channel: Vec<Count>,
    by_county: Vec<Count>,
    overdue: Vec<OverdueLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cycles.html")]
pub(super) struct CyclesPage {
    chrome: Chrome,
    csrf: String,
    dash: Option<Dash>,
    can_open: bool,
    /// A refused opening: its messages and the dates as typed.
    refused: Option<((), super::forms::Refill)>,
}

fn dash(lang: Lang, d: qaward_app::cycles::Dashboard) -> Dash {
    let policy = d.policy.clone();
    let t = &d.cycle.timeline;
    let channel_name = |code: &str| -> String {
        match code.parse::<qaward_domain::application::Channel>() {
            Ok(qaward_domain::application::Channel::County(c)) => {
                policy.county(&c).map(|c| c.reviewer.clone()).unwrap_or(c)
            }
            Ok(qaward_domain::application::Channel::Industry(i)) => {
                policy.industry(&i).map(|i| i.name.clone()).unwrap_or(i)
            }
            Err(_) => code.to_owned(),
        }
    };
    Dash {
        title: match lang {
            Lang::Zh => format!("第{}届（{}年）", d.cycle.cycle.ordinal, d.cycle.cycle.year),
            Lang::En => format!("Cycle {} ({})", d.cycle.cycle.ordinal, d.cycle.cycle.year),
        },
        window: format!(
            "{} – {}",
            day(lang, t.application_opens),
            day(lang, t.application_closes)
        ),
        channel_review_due: day(lang, t.channel_review_due),
        formal_review_due: day(lang, t.formal_review_due),
        total: d.total,
        by_state: d
            .by_state
            .into_iter()
            .map(|(code, n)| Count {
                what: AppState_::from_code(&code)
                    .map(|s| label(lang, s).to_owned())
                    .unwrap_or(code),
                n,
            })
            .collect(),
        by_channel: d
            .by_channel
            .into_iter()
            .map(|(code, n)| Count {
                what: channel_name(&code),
                n,
            })
            .collect(),
        by_county: d
            .by_county
            .into_iter()
            .map(|(id, n)| Count {
                what: policy.county(&id).map(|c| c.name.clone()).unwrap_or(id),
                n,
            })
            .collect(),
        overdue: d
            .overdue
            .into_iter()
            .map(|o| OverdueLine {
                id: o.application.0,
                subject: o.subject,
                why: o.why,
            })
            .collect(),
    }
}

pub(super) async fn cycles(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<CyclesPage, PageError> {
    cycles_page(&state, lang, &viewer).await
}

async fn cycles_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
) -> Result<CyclesPage, PageError> {
    let p = viewer.require()?;
    let dashboard = qaward_app::cycles::dashboard(&state.app, p).await?;
    let can_open = qaward_app::check(Some(p), Perm::ManageCycle, &Default::default()).is_ok();
    Ok(CyclesPage {
        csrf: csrf(viewer),
        dash: dashboard.map(|d| dash(lang, d)),
        can_open,
        chrome: chrome(lang, viewer),
        refused: None,
    })
}

impl CyclesPage {
    /// The messages of a refused opening.
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    /// What was typed in `field` of a refused opening.
    fn typed(&self, field: &str) -> &str {
        self.refused.typed_of(&(), field)
    }
}

/// Opens a cycle (A4.2, A33, A34); a refusal shows the dashboard again with the dates as
/// typed.
pub(super) async fn open_cycle(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let opened = match crate::inputs::from_pairs::<CycleIn>(pairs.clone()) {
        Ok(f) => qaward_app::cycles::open_cycle(&state.app, p, f.cycle(), f.timeline()).await,
        Err(e) => Err(e),
    };
    let Err(e) = opened else {
        return Ok(done::to("/cycles", Done::CycleOpened).into_response());
    };
    let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
    let mut page = cycles_page(&state, lang, &viewer).await?;
    page.refused = Some(((), refill));
    Ok((status, page).into_response())
}

pub(super) struct NotificationLine {
    id: i64,
    text: String,
    link: String,
    created_at: String,
    read: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub(super) struct NotificationsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<NotificationLine>,
}

pub(super) async fn notifications(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<NotificationsPage, PageError> {
    let p = viewer.require()?;
    let items = qaward_app::notify::list(&state.app, p)
        .await?
        .into_iter()
        .map(|n| NotificationLine {
            id: n.id,
            text: n.text,
            link: n.link,
            created_at: when(lang, &n.created_at),
            read: n.read,
        })
        .collect();
    Ok(NotificationsPage {
        csrf: csrf(&viewer),
        items,
        chrome: chrome(lang, &viewer),
    })
}

pub(super) async fn mark_read(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    qaward_app::notify::mark_read(&state.app, p, path_id("notification", &raw)?).await?;
    Ok(done::to("/notifications", Done::MarkedRead))
}
