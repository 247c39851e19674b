//! The home pages: the public face (the award, the current cycle's timeline, the latest
//! notices, how to reach the Office) and a logged-in person's list of what awaits them,
//! with the warnings for those who keep the measures and the calendar.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::frame::{Chrome, chrome};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, label};
use crate::session::Viewer;

/// The current cycle's timeline as the public home page shows it.
struct CycleLine {
    title: String,
    opens: String,
    closes: String,
    channel_review_due: String,
    formal_review_due: String,
}

/// A notice in the public home page's list of the latest.
struct LatestNotice {
    id: i64,
    title: String,
    period: String,
}

/// How many notices the public home page lists; the rest are a link away.
const LATEST_NOTICES: usize = 5;

/// The public face: the award, the current cycle's timeline, the latest notices and how
/// to reach the Office.
#[derive(Template, WebTemplate)]
#[template(path = "home_public.html")]
struct PublicHome {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    cycle: Option<CycleLine>,
    notices: Vec<LatestNotice>,
    contact: String,
}

struct Item {
    text: String,
    href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    display_name: String,
    warnings: Vec<String>,
    items: Vec<Item>,
    roles: Vec<String>,
}

fn await_item(lang: Lang, a: qaward_app::home::Await) -> Item {
    use qaward_app::home::Await as A;
    let en = lang == Lang::En;
    let tr = lang.tr();
    let count = |what: &str, n: String, href: &str| Item {
        text: format!("{what}: {n}"),
        href: Some(href.into()),
    };
    let d = |d| crate::i18n::day(lang, d);
    let (text, href) = match a {
        A::OwnSubject(s) => (tr.my_subject.to_owned(), Some(format!("/subjects/{s}"))),
        A::MyApplication => (
            tr.my_application.to_owned(),
            Some("/applications/mine".into()),
        ),
        A::ChannelQueue(n) => return count(tr.queue, n.to_string(), "/queue"),
        A::OfficeQueue(n) => return count(tr.office_queue, n.to_string(), "/office"),
        A::Dashboard => (tr.cycle.to_owned(), Some("/cycles".into())),
        A::Notifications(n) => return count(tr.notifications, n.to_string(), "/notifications"),
        A::Registrations(n) => return count(tr.registrations, n.to_string(), "/registrations"),
        A::OpinionRequests(n) => return count(tr.opinion_queue, n.to_string(), "/opinions"),
        A::Objections(n) => return count(tr.objection_queue, n.to_string(), "/objections"),
        A::Complaints(n) => {
            return count(tr.cp.waiting, n.to_string(), "/supervision/complaints");
        }
        A::SupervisionRequests(n) => {
            return count(tr.cp.requests_title, n.to_string(), "/supervision/requests");
        }
        A::ObligationsToReview(n) => return count(tr.ob.to_review, n.to_string(), "/obligations"),
        A::ObligationsToReport(n) => return count(tr.ob.to_report, n.to_string(), "/obligations"),
        A::ApplicationWindow(c) => {
            let (o, cl) = (
                d(c.timeline.application_opens),
                d(c.timeline.application_closes),
            );
            let text = if en {
                format!("Cycle {}: applications from {o} to {cl}", c.cycle.ordinal)
            } else {
                format!("第{}届申报期：{o} 至 {cl}", c.cycle.ordinal)
            };
            (text, None)
        }
        A::ChannelReviewDue(c) => {
            let due = d(c.timeline.channel_review_due);
            let text = if en {
                format!(
                    "Reviews and recommendations of cycle {} are due by {due}",
                    c.cycle.ordinal
                )
            } else {
                format!("第{}届审核推荐截止：{due}", c.cycle.ordinal)
            };
            (text, None)
        }
        A::FormalReviewDue(c) => {
            let due = d(c.timeline.formal_review_due);
            let text = if en {
                format!("Cycle {}: formal review due by {due}", c.cycle.ordinal)
            } else {
                format!("第{}届形式审查截止：{due}", c.cycle.ordinal)
            };
            (text, None)
        }
        A::SubjectsRegistered(n) => (format!("{}: {n}", tr.subjects_registered), None),
        A::AuditLog => (tr.audit_log.to_owned(), Some("/audit".into())),
        A::Accounts(n) => return count(tr.accounts_count, n.to_string(), "/admin/users"),
    };
    Item { text, href }
}

pub(super) async fn home(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let chrome = chrome(lang, &viewer);
    let Some(p) = viewer.principal() else {
        let d = |x| crate::i18n::day(lang, x);
        let cycle = qaward_app::home::current_cycle(&state.app, None)
            .await?
            .map(|c| CycleLine {
                title: if lang == Lang::En {
                    format!("Cycle {} ({})", c.cycle.ordinal, c.cycle.year)
                } else {
                    format!("第{}届（{}年）", c.cycle.ordinal, c.cycle.year)
                },
                opens: d(c.timeline.application_opens),
                closes: d(c.timeline.application_closes),
                channel_review_due: d(c.timeline.channel_review_due),
                formal_review_due: d(c.timeline.formal_review_due),
            });
        let notices = qaward_app::objections::notices(&state.app)
            .await?
            .into_iter()
            .take(LATEST_NOTICES)
            .map(|n| LatestNotice {
                id: n.id,
                title: n.title,
                period: format!("{} – {}", d(n.start), d(n.end)),
            })
            .collect();
        return Ok(PublicHome {
            law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
            chrome,
            cycle,
            notices,
            contact: state.config.office_contact.clone(),
        }
        .into_response());
    };
    let (items, warnings) = qaward_app::home::awaits(&state.app, p).await?;
    Ok(Home {
        display_name: p.user.display_name.clone(),
        warnings: warnings
            .iter()
            .map(|w| match w {
                qaward_app::home::Warning::Measures(r) => {
                    qaward_app::messages::refusal(lang.text(), r)
                }
                qaward_app::home::Warning::Calendar(m) => {
                    qaward_app::messages::render(lang.text(), m)
                }
            })
            .collect(),
        items: items.into_iter().map(|a| await_item(lang, a)).collect(),
        roles: p
            .roles()
            .into_iter()
            .map(|r| label(lang, r).to_owned())
            .collect(),
        chrome,
    }
    .into_response())
}
