//! The walk as a second program's staff (issue #13, item 4): one of each role that holds
//! in a program, granted in a second program beside the walk's, tries every probe and
//! finds nothing of the first program's.

use axum::http::StatusCode;

use super::world::World;
use super::{Need, REPORTER, Send, probes, send, two_tokens};
use crate::common::TestApp;

/// The second program's staff the walk tries: one of each role that holds in a program,
/// with the scopes the first program's have.
pub(super) fn staff() -> Vec<(
    &'static str,
    qaward_domain::permission::Role,
    qaward_domain::permission::Scope,
)> {
    use qaward_domain::permission::{Role as R, Scope as S};
    vec![
        ("yp-office", R::Office, S::Program),
        ("yp-county", R::CountyReviewer, S::County("xinfu".into())),
        ("yp-supervisor", R::Supervisor, S::Program),
        ("yp-leading", R::LeadingGroup, S::Program),
        ("yp-expert", R::Expert, S::Program),
        ("yp-government", R::Government, S::Program),
    ]
}

/// A second program's staff member (issue #13, item 4) tries every probe: whatever their
/// role, the first program's applications, cycle and complaints are found nowhere (404,
/// or refused), and no reporter's identity is in any answer. Their own program's desks
/// (empty) and what the programs share (the register, the public pages) are theirs to
/// read, so the permission table's verdicts, made for the first program's staff, are not
/// applied. Returns how many answers were checked.
pub(super) async fn finds_nothing(
    t: &TestApp,
    w: &World,
    who: Option<&str>,
    n: usize,
    problems: &mut Vec<String>,
) -> usize {
    let u = who.expect("a second program's staff member");
    let (form_token, api_token) = two_tokens(t, w.service, n).await;
    let mut session = t.login(u).await;
    let complaint = format!("/complaints/{}", w.complaint);
    let mut checked = 0;
    for probe in probes(w, who, form_token, api_token) {
        if probe.fresh {
            session = t.login(u).await;
        }
        let a = send(t, &probe.send, Some(&session)).await;
        checked += 1;
        let path = match &probe.send {
            Send::Get(p)
            | Send::Form(p, _)
            | Send::Json(_, p, _)
            | Send::Upload(p)
            | Send::RawUpload(p) => p.clone(),
        };
        let first_programs = matches!(
            probe.need,
            Need::OnApp(_)
                | Need::OnListed(_)
                | Need::Evaluated(_)
                | Need::Answer
                | Need::OnCycle(_)
                | Need::ExclusionsOf
                | Need::CertificateOf
        ) || path.contains(&complaint);
        let refused = matches!(
            a.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        );
        if first_programs && !refused {
            problems.push(format!(
                "{u} {:?}: the first program's, but got {}",
                probe.send, a.status
            ));
        }
        if a.body.contains(REPORTER.0) || a.body.contains(REPORTER.1) {
            problems.push(format!(
                "{u} {:?}: the reporter's identity is in the answer",
                probe.send
            ));
        }
    }
    checked
}
