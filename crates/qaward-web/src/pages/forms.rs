//! The forms of the application page: the draft, the in-unit notice and its objections,
//! the submission, the review and the refusal to recommend. Each one, when refused,
//! shows the application page again with the message above the form and what was typed
//! still in its fields — never a dead-end error page — and a rejection is asked for
//! twice, the second time with its reason in view.
//!
//! A refusal that would tell a stranger something (not logged in, not permitted, not
//! found, recused) is answered as before, by the error page: the page is shown again only
//! to someone who may see it.

use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::applications::draft;
use qaward_app::review;
use qaward_app::{App, AppError, Principal};
use qaward_domain::application::ReviewStep;
use qaward_domain::ids::ApplicationId;
use serde::de::DeserializeOwned;

use super::applications::{build, id_of};
use super::done::{Done, with_done};
use super::path_id;
use super::review::decided;
use crate::AppState;
use crate::error::{PageError, WebError};
use crate::i18n::Lang;
use crate::inputs::{
    ChannelReviewIn, DecisionIn, DeclineIn, DraftIn, InUnitNoticeIn, InUnitObjectionIn,
    SettlementIn, SubmitIn, from_pairs,
};
use crate::session::{CsrfPairs, Viewer};

/// A refused form of a page with one form: its messages and what was typed, to show the
/// page again with both.
#[derive(Debug, Default)]
pub(crate) struct Refill {
    pub messages: Vec<String>,
    pub values: Vec<(String, String)>,
}

impl Refill {
    /// The refusal `e` of the form sent as `values`, to show the page again with; or the
    /// error page, for a refusal that would tell a stranger something (401, 403, 404) or
    /// a failure of ours.
    pub(crate) fn of(
        lang: Lang,
        e: AppError,
        values: Vec<(String, String)>,
    ) -> Result<(StatusCode, Option<u64>, Refill), PageError> {
        Self::of_web(lang, WebError::from(e), values)
    }

    /// The same for an error already in web terms (a multipart form's).
    pub(crate) fn of_web(
        lang: Lang,
        w: WebError,
        values: Vec<(String, String)>,
    ) -> Result<(StatusCode, Option<u64>, Refill), PageError> {
        if matches!(
            w.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ) || !w.status.is_client_error()
        {
            return Err(PageError(w));
        }
        let refill = Refill {
            messages: w.texts(lang),
            values,
        };
        Ok((w.status, w.retry_after(), refill))
    }

    /// What was typed in `field`.
    pub(crate) fn typed(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The answer to a page's form post: done, the redirect to `to` (which says what was
/// done); refused, the page again — `page`, given the refill of what was typed — under the
/// refusal's status. A refusal that would tell a stranger something is the error page.
pub(crate) async fn answer<P, Fut>(
    lang: Lang,
    result: Result<(), AppError>,
    to: &str,
    pairs: Vec<(String, String)>,
    page: impl FnOnce(Refill) -> Fut,
) -> Result<Response, PageError>
where
    Fut: Future<Output = Result<P, PageError>>,
    P: IntoResponse,
{
    match result {
        Ok(()) => Ok(Redirect::to(to).into_response()),
        Err(e) => {
            let (status, _, refill) = Refill::of(lang, e, pairs)?;
            Ok((status, page(refill).await?).into_response())
        }
    }
}

/// What a form sent in `field`, read before (or whatever) its typed input: for a page that
/// keeps a pasted file in view when the form is refused.
pub(crate) fn sent<'a>(pairs: &'a [(String, String)], field: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.as_str())
}

/// The answer to a form that shows a preview (of a file to load): the page with what the
/// use case found; refused, the page again with the messages under the form named `form`
/// and what was typed.
pub(crate) async fn preview_answer<T, P, Fut>(
    lang: Lang,
    result: Result<T, AppError>,
    form: &str,
    pairs: Vec<(String, String)>,
    page: impl FnOnce(Option<T>, Option<(String, Refill)>) -> Fut,
) -> Result<Response, PageError>
where
    Fut: Future<Output = Result<P, PageError>>,
    P: IntoResponse,
{
    match result {
        Ok(x) => Ok(page(Some(x), None).await?.into_response()),
        Err(e) => {
            let (status, _, refill) = Refill::of(lang, e, pairs)?;
            let refused = Some((form.to_owned(), refill));
            Ok((status, page(None, refused).await?).into_response())
        }
    }
}

/// The answer to a multipart form's upload, as [`answer`] gives a plain form's: on
/// success a redirect to `to`; refused, `page` again with the messages (a file is never
/// sent back, so nothing was typed to keep).
pub(crate) async fn upload_answer<P, Fut>(
    lang: Lang,
    sent: Result<(), PageError>,
    to: &str,
    page: impl FnOnce(Refill) -> Fut,
) -> Result<Response, PageError>
where
    Fut: Future<Output = Result<P, PageError>>,
    P: IntoResponse,
{
    match sent {
        Ok(()) => Ok(Redirect::to(to).into_response()),
        Err(PageError(w)) => {
            let (status, _, refill) = Refill::of_web(lang, w, vec![])?;
            Ok((status, page(refill).await?).into_response())
        }
    }
}

/// The refused form of a page that has several: which one (`K`: an id, a name, or both)
/// with its [`Refill`]. Every page's accessors (`errors`, `typed`) are these lookups.
pub(crate) trait RefusedForm<K> {
    /// The messages of `form`, when it is the one refused.
    fn errors_of(&self, form: &K) -> &[String];
    /// What was typed in `field` of `form`, when it is the one refused.
    fn typed_of(&self, form: &K, field: &str) -> &str;
}

impl<K: PartialEq> RefusedForm<K> for Option<(K, Refill)> {
    fn errors_of(&self, form: &K) -> &[String] {
        match self {
            Some((k, r)) if k == form => &r.messages,
            _ => &[],
        }
    }

    fn typed_of(&self, form: &K, field: &str) -> &str {
        match self {
            Some((k, r)) if k == form => r.typed(field),
            _ => "",
        }
    }
}

/// A refused form of the application page.
#[derive(Debug, Default)]
pub(crate) struct Refused {
    /// Which form: `draft`, `notice`, `objection`, `settle-3`, `submit`, `review`,
    /// `decline`.
    pub form: String,
    /// What the person reads above the form, each naming its field or article.
    pub messages: Vec<String>,
    /// The fields as they were sent.
    pub values: Vec<(String, String)>,
    /// The form asks to confirm a rejection rather than reporting a refusal.
    pub confirm: bool,
    /// The message keys, in the order of `messages`: where each is fixed.
    pub keys: Vec<&'static str>,
}

impl super::applications::ApplicationPage {
    /// The messages for `form`, when it was the one refused.
    pub(super) fn errors(&self, form: &str) -> &[String] {
        match &self.refused {
            Some(r) if r.form == form && !r.confirm => &r.messages,
            _ => &[],
        }
    }

    /// Whether `form` asks to confirm a rejection.
    pub(super) fn confirming(&self, form: &str) -> bool {
        self.refused
            .as_ref()
            .is_some_and(|r| r.form == form && r.confirm)
    }

    /// What was typed in `field` of `form`, if it was refused; else `shown`.
    pub(super) fn typed<'a>(&'a self, form: &str, field: &str, shown: &'a str) -> &'a str {
        match &self.refused {
            Some(r) if r.form == form => r
                .values
                .iter()
                .find(|(k, _)| k == field)
                .map_or("", |(_, v)| v.as_str()),
            _ => shown,
        }
    }

    /// A section's text as typed, when the draft was refused; else as saved.
    pub(super) fn section_typed<'a>(&'a self, code: &str, saved: &'a str) -> &'a str {
        self.typed("draft", &format!("sections[{code}]"), saved)
    }

    /// The messages for the settlement form of objection `oid`.
    pub(super) fn settle_errors(&self, oid: &i64) -> &[String] {
        self.errors(&format!("settle-{oid}"))
    }

    /// The settlement typed for objection `oid`, when its form was refused.
    pub(super) fn settle_typed(&self, oid: &i64) -> &str {
        self.typed(&format!("settle-{oid}"), "settlement", "")
    }

    /// Whether the industry department `id` was the channel chosen in a refused
    /// submission.
    pub(super) fn channel_chosen(&self, id: &str) -> bool {
        self.chosen("submit", "channel", &format!("industry:{id}"), false)
    }

    /// Where on the page the `i`-th unmet condition of a refused submission is fixed.
    pub(super) fn fix_anchor(&self, i: &usize) -> Option<&'static str> {
        let key = *self.refused.as_ref()?.keys.get(*i)?;
        Some(match key {
            "in-unit-scan-missing" => "f-attach",
            "in-unit-objections-unanswered"
            | "notice-not-published"
            | "notice-still-running"
            | "objections-unhandled"
            | "objection-upheld" => "f-notice",
            "commitment-missing" | "no-secrets-missing" => "f-commitments",
            "not-declared" => "f-declarations",
            _ => return None,
        })
    }

    /// Whether `value` was chosen for `field` of `form` when it was refused; else `shown`.
    /// (`shown` is taken by reference or by value: a template passes either.)
    pub(super) fn chosen(
        &self,
        form: &str,
        field: &str,
        value: &str,
        shown: impl std::borrow::Borrow<bool>,
    ) -> bool {
        match &self.refused {
            Some(r) if r.form == form => r.values.iter().any(|(k, v)| k == field && v == value),
            _ => *shown.borrow(),
        }
    }
}

/// A form posted to the application page: who posts it, in which language, to which
/// application (and, for a settlement, which objection), and the fields as typed (checked
/// like any [`crate::session::CsrfForm`]).
pub(super) struct AppForm {
    state: AppState,
    lang: Lang,
    viewer: Viewer,
    raw_id: String,
    objection: Option<String>,
    pairs: Vec<(String, String)>,
}

impl FromRequest<AppState> for AppForm {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Ok(lang) = Lang::from_request_parts(&mut parts, state).await;
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let params = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| AppError::NotFound("application".into()))?;
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_owned())
        };
        let (raw_id, objection) = (param("id").unwrap_or_default(), param("objection"));
        let CsrfPairs(pairs) =
            CsrfPairs::from_request(Request::from_parts(parts, body), state).await?;
        Ok(AppForm {
            state: state.clone(),
            lang,
            viewer,
            raw_id,
            objection,
            pairs,
        })
    }
}

impl AppForm {
    /// Reads `T` from the typed fields and runs `act`; when done, goes to `done_to` (the
    /// application page by default) saying what was done; when refused, shows the
    /// application page again with `form` as it was sent.
    async fn run<T: DeserializeOwned>(
        self,
        form: &str,
        done_to: Option<&str>,
        act: impl AsyncFnOnce(&App, &Principal, ApplicationId, T) -> Result<Outcome, AppError>,
    ) -> Result<Response, PageError> {
        let p = self.viewer.require()?;
        let id = id_of(&self.raw_id)?;
        let result = match from_pairs::<T>(self.pairs.clone()) {
            Ok(input) => act(&self.state.app, p, id, input).await,
            Err(e) => Err(e),
        };
        let on = On {
            state: &self.state,
            lang: self.lang,
            viewer: &self.viewer,
            id,
        };
        Ok(match result {
            Ok(Outcome::Done(what)) => {
                let to = done_to.map_or_else(|| format!("/applications/{id}"), str::to_owned);
                Redirect::to(&with_done(&to, what)).into_response()
            }
            Ok(Outcome::Confirm) => again(on, form, self.pairs, None).await,
            Err(e) => again(on, form, self.pairs, Some(e)).await,
        })
    }
}

/// The page a refused form is shown again on.
#[derive(Clone, Copy)]
struct On<'a> {
    state: &'a AppState,
    lang: Lang,
    viewer: &'a Viewer,
    id: ApplicationId,
}

/// What a form's action came to.
enum Outcome {
    /// Done: the page it leads to says what was done.
    Done(Done),
    /// A rejection asked for: the form is shown again to confirm it.
    Confirm,
}

/// The application page `id` again with `form` refused by `error`, for a form of that
/// page posted to a route of its own (a declaration of interest, to its subject).
pub(super) async fn application_again(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: ApplicationId,
    form: &str,
    values: Vec<(String, String)>,
    error: AppError,
) -> Response {
    let on = On {
        state,
        lang,
        viewer,
        id,
    };
    again(on, form, values, Some(error)).await
}

/// The application page again, with `form` refused by `error` (or asking to confirm).
async fn again(
    on: On<'_>,
    form: &str,
    values: Vec<(String, String)>,
    error: Option<AppError>,
) -> Response {
    let (status, messages, keys) = match error {
        None => (StatusCode::OK, Vec::new(), Vec::new()),
        Some(e) => {
            let w = WebError::from(e);
            // Who may not see the page learns nothing more from a refused form.
            if matches!(
                w.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ) || w.status.is_server_error()
            {
                return PageError(w).into_response();
            }
            let keys = if w.unmet.is_empty() {
                vec![w.message.key]
            } else {
                w.unmet.iter().map(|r| r.message.key).collect()
            };
            (w.status, w.texts(on.lang), keys)
        }
    };
    match build(on.state, on.lang, on.viewer, on.id).await {
        Ok(mut page) => {
            page.refused = Some(Refused {
                form: form.to_owned(),
                messages,
                values,
                confirm: status == StatusCode::OK,
                keys,
            });
            (status, page).into_response()
        }
        Err(e) => e.into_response(),
    }
}

pub(super) async fn save_draft(f: AppForm) -> Result<Response, PageError> {
    f.run("draft", None, async |app, p, id, i: DraftIn| {
        draft::save_draft(app, p, id, &i.into_input()).await?;
        Ok(Outcome::Done(Done::DraftSaved))
    })
    .await
}

pub(super) async fn in_unit_notice(f: AppForm) -> Result<Response, PageError> {
    f.run("notice", None, async |app, p, id, i: InUnitNoticeIn| {
        draft::record_in_unit_notice(app, p, id, i.start, i.end).await?;
        Ok(Outcome::Done(Done::NoticeRecorded))
    })
    .await
}

pub(super) async fn in_unit_objection(f: AppForm) -> Result<Response, PageError> {
    f.run(
        "objection",
        None,
        async |app, p, id, i: InUnitObjectionIn| {
            draft::record_in_unit_objection(app, p, id, i.received_on, &i.content).await?;
            Ok(Outcome::Done(Done::ObjectionRecorded))
        },
    )
    .await
}

pub(super) async fn settle(f: AppForm) -> Result<Response, PageError> {
    let oid = path_id("objection", f.objection.as_deref().unwrap_or_default())?;
    let form = format!("settle-{oid}");
    f.run(&form, None, async |app, p, id, i: SettlementIn| {
        draft::settle_in_unit_objection(app, p, id, oid, &i.settlement).await?;
        Ok(Outcome::Done(Done::ObjectionSettled))
    })
    .await
}

pub(super) async fn submit(f: AppForm) -> Result<Response, PageError> {
    f.run("submit", None, async |app, p, id, i: SubmitIn| {
        draft::submit(app, p, id, i.channel).await?;
        Ok(Outcome::Done(Done::Submitted))
    })
    .await
}

/// Withdrawing and resubmitting carry no fields: a refusal shows above their buttons.
pub(super) async fn withdraw(f: AppForm) -> Result<Response, PageError> {
    f.run("withdraw", None, async |app, p, id, _: Empty| {
        draft::withdraw(app, p, id).await?;
        Ok(Outcome::Done(Done::Withdrawn))
    })
    .await
}

pub(super) async fn resubmit(f: AppForm) -> Result<Response, PageError> {
    f.run("resubmit", None, async |app, p, id, _: Empty| {
        draft::resubmit(app, p, id).await?;
        Ok(Outcome::Done(Done::Resubmitted))
    })
    .await
}

#[derive(serde::Deserialize)]
struct Empty {}

/// The channel's review (A15.1). A rejection is asked for twice, and only when it would
/// be accepted.
pub(super) async fn channel_review(f: AppForm) -> Result<Response, PageError> {
    f.run(
        "review",
        Some("/queue"),
        async |app, p, id, i: ChannelReviewIn| {
            let (list, done) = (i.checklist(), decided(i.decision));
            let decision = i.decision.with(i.reason);
            if i.decision == DecisionIn::Reject && !i.confirm {
                review::would_review(app, p, id, ReviewStep::Channel, &decision, &list).await?;
                return Ok(Outcome::Confirm);
            }
            review::review(app, p, id, ReviewStep::Channel, &decision, &list).await?;
            Ok(Outcome::Done(done))
        },
    )
    .await
}

/// The county government or the industry department declines to recommend (A15.2,
/// A15.3): returned or rejected with the reason; a rejection is asked for twice.
pub(super) async fn decline(f: AppForm) -> Result<Response, PageError> {
    f.run(
        "decline",
        Some("/queue"),
        async |app, p, id, i: DeclineIn| {
            let done = decided(i.decision);
            let decision = i.decision.with(i.reason);
            if i.decision == DecisionIn::Reject && !i.confirm {
                review::would_decline(app, p, id, &decision).await?;
                return Ok(Outcome::Confirm);
            }
            review::decline(app, p, id, &decision).await?;
            Ok(Outcome::Done(done))
        },
    )
    .await
}
