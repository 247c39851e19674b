//! A subject of the register (an audited read) with, for the Office, what the register
//! holds that eligibility reads (awards, the Leading Group's approvals, accidents) and the
//! forms to record them; the declaration of interest (A29) any staff member may make from
//! an application's page; and the organizations' registrations a county's reviewer (or the
//! Office) confirms against their licences (A10.1).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use qaward_app::subjects;
use qaward_domain::ids::SubjectId;

use super::done::{self, Done};
use super::forms::RefusedForm;
use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, when};
use crate::inputs::{AccidentIn, ConfirmRegistrationIn, InterestIn, RelaxationIn};
use crate::session::{CsrfPairs, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "subject.html")]
pub(super) struct SubjectPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    s: subjects::SubjectView,
    kind_label: &'static str,
    county_name: String,
    registered_at: String,
    csrf: String,
    /// The register, for its keeper (the Office) only.
    register: Option<RegisterLines>,
    /// A refused register form (`relaxation` or `accident`): its messages and what was
    /// typed.
    refused: Option<(&'static str, super::forms::Refill)>,
}

pub(super) struct RegisterLines {
    /// Each award's line, and its id while it awaits a second person's confirmation.
    awards: Vec<(String, Option<i64>)>,
    relaxations: Vec<String>,
    accidents: Vec<String>,
}

fn register_lines(lang: Lang, r: subjects::Register) -> RegisterLines {
    let tr = lang.tr();
    RegisterLines {
        awards: r
            .awards
            .iter()
            .map(|a| {
                let revoked = a
                    .record
                    .revoked_on
                    .map(|d| format!("；{}：{}", tr.revoked_on, day(lang, d)))
                    .unwrap_or_default();
                // The bar that counts: the revocation's, else the award's (A12.1, A28.3).
                let bar = if a.record.revoked_on.is_some() {
                    a.record.ban_until
                } else {
                    a.record.barred_until
                };
                let revoked = match bar {
                    Some(y) => format!(
                        "{revoked}；{}",
                        tr.barred_through.replace("{}", &y.to_string())
                    ),
                    None => revoked,
                };
                let line = format!(
                    "{} ({})：{}{revoked}（{}）",
                    a.record.cycle.ordinal,
                    a.record.cycle.year,
                    label(lang, a.record.level),
                    a.reference
                );
                match &a.confirmed_by {
                    Some(_) => (line, None),
                    None => (format!("{line} · {}", tr.cm.award_pending), Some(a.id)),
                }
            })
            .collect(),
        relaxations: r
            .relaxations
            .iter()
            .map(|x| {
                format!(
                    "{}：{}（{}：{}）",
                    day(lang, x.record.decided_on),
                    x.record.reference,
                    tr.recorded_by,
                    x.recorded_by
                )
            })
            .collect(),
        accidents: r
            .accidents
            .iter()
            .map(|x| {
                let a = &x.record.accident;
                let major = if a.major { tr.accident_major } else { "" };
                format!(
                    "{} {major}：{}（{}）",
                    day(lang, a.date),
                    a.description,
                    x.record.reference
                )
            })
            .collect(),
    }
}

pub(super) async fn subject_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<SubjectPage, PageError> {
    let id = SubjectId(path_id("subject", &raw)?);
    subject_of(&state, lang, &viewer, id).await
}

async fn subject_of(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: SubjectId,
) -> Result<SubjectPage, PageError> {
    let p = viewer.require()?;
    let s = subjects::view(&state.app, p, id).await?;
    // Only the register's keeper reads it; anyone else sees the subject without it.
    let register = match subjects::register(&state.app, p, id).await {
        Ok(r) => Some(register_lines(lang, r)),
        Err(qaward_app::AppError::Forbidden(_) | qaward_app::AppError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let county_name = state
        .app
        .policy()
        .await?
        .county(&s.county)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| s.county.clone());
    Ok(SubjectPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        kind_label: label(lang, s.org_kind),
        registered_at: when(lang, &s.registered_at),
        county_name,
        s,
        csrf: csrf(viewer),
        register,
        chrome: chrome(lang, viewer),
        refused: None,
    })
}

impl SubjectPage {
    /// The messages of the refused register form `form`.
    fn errors(&self, form: &'static str) -> &[String] {
        self.refused.errors_of(&form)
    }

    /// What was typed in `field` of the refused register form `form`.
    fn typed(&self, form: &'static str, field: &str) -> &str {
        self.refused.typed_of(&form, field)
    }
}

/// A register form's refusal: the subject's page again with it; or where it leads.
async fn register_form(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: SubjectId,
    form: &'static str,
    pairs: Vec<(String, String)>,
    result: Result<Done, qaward_app::AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(done::to(&format!("/subjects/{id}"), done).into_response()),
        Err(e) => {
            let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
            let mut page = subject_of(state, lang, viewer, id).await?;
            page.refused = Some((form, refill));
            Ok((status, page).into_response())
        }
    }
}

/// Declares an interest in a subject (A29). Posted from an application's page (its
/// `application` field), a refusal shows that page again with the reason as typed.
pub(super) async fn declare_interest(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("subject", &raw)?);
    let result = async {
        let f: InterestIn = crate::inputs::from_pairs(pairs.clone())?;
        subjects::declare_interest(&state.app, p, id, f.kind, &f.reason).await
    }
    .await;
    let Err(e) = result else {
        return Ok(done::to("/", Done::InterestDeclared).into_response());
    };
    let from = pairs
        .iter()
        .find(|(k, _)| k == "application")
        .and_then(|(_, v)| v.parse().ok())
        .map(qaward_domain::ids::ApplicationId);
    match from {
        Some(app) => Ok(super::forms::application_again(
            &state, lang, &viewer, app, "interest", pairs, e,
        )
        .await),
        None => Err(e.into()),
    }
}

/// Records the Leading Group's approval relaxing the years of operation (A10.1).
pub(super) async fn record_relaxation(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("subject", &raw)?);
    let result = async {
        let f: RelaxationIn = crate::inputs::from_pairs(pairs.clone())?;
        let approval = qaward_domain::eligibility::LeadingGroupApproval {
            reference: f.reference,
            decided_on: f.decided_on,
        };
        subjects::record_relaxation(&state.app, p, id, &approval).await?;
        Ok(Done::RelaxationRecorded)
    }
    .await;
    register_form(&state, lang, &viewer, id, "relaxation", pairs, result).await
}

/// Confirms an award another member of staff entered by hand (four eyes; A12.1).
pub(super) async fn confirm_award(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, award)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("subject", &raw)?);
    let award = path_id("award", &award)?;
    let result = async {
        subjects::confirm_award(&state.app, p, id, award).await?;
        Ok(Done::AwardConfirmed)
    }
    .await;
    register_form(&state, lang, &viewer, id, "award", pairs, result).await
}

/// Records an accident (A10.4).
pub(super) async fn record_accident(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("subject", &raw)?);
    let result = async {
        let f: AccidentIn = crate::inputs::from_pairs(pairs.clone())?;
        subjects::record_accident(&state.app, p, id, &f.accident(), &f.reference).await?;
        Ok(Done::AccidentRecorded)
    }
    .await;
    register_form(&state, lang, &viewer, id, "accident", pairs, result).await
}

pub(super) struct RegistrationLine {
    id: i64,
    name: String,
    credit_code: String,
    kind: &'static str,
    county: String,
    founded: String,
    legal_representative: String,
    contact: String,
    registered_at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "registrations.html")]
pub(super) struct RegistrationsPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    items: Vec<RegistrationLine>,
    /// A refused confirmation: which registration, its messages and what was typed.
    refused: Option<(i64, super::forms::Refill)>,
}

/// `GET /registrations`: the organizations awaiting the viewer's confirmation.
pub(super) async fn registrations(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<RegistrationsPage, PageError> {
    registrations_page(&state, lang, &viewer).await
}

async fn registrations_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
) -> Result<RegistrationsPage, PageError> {
    let p = viewer.require()?;
    let policy = state.app.policy().await?;
    let items = qaward_app::registrations::unconfirmed(&state.app, p)
        .await?
        .into_iter()
        .map(|u| RegistrationLine {
            id: u.subject.0,
            kind: label(lang, u.org_kind),
            county: policy
                .county(&u.county)
                .map(|c| c.name.clone())
                .unwrap_or(u.county),
            name: u.name,
            credit_code: u.credit_code,
            founded: u.founded.unwrap_or_default(),
            legal_representative: u.legal_representative.unwrap_or_default(),
            contact: format!("{} {}", u.contact_name, u.contact_phone),
            registered_at: when(lang, &u.registered_at),
        })
        .collect();
    Ok(RegistrationsPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        csrf: csrf(viewer),
        items,
        chrome: chrome(lang, viewer),
        refused: None,
    })
}

impl RegistrationsPage {
    /// The messages of a refused confirmation whose registration is no longer listed
    /// (confirmed meanwhile), shown at the top since its form is gone.
    fn orphan_errors(&self) -> &[String] {
        match &self.refused {
            Some((i, r)) if !self.items.iter().any(|x| x.id == *i) => &r.messages,
            _ => &[],
        }
    }

    /// The messages of the refused confirmation of registration `id`.
    fn errors(&self, id: &i64) -> &[String] {
        self.refused.errors_of(id)
    }

    /// What was typed in the refused confirmation of registration `id`.
    fn typed(&self, id: &i64) -> &str {
        self.refused.typed_of(id, "document")
    }
}

/// `POST /registrations/{id}/confirm`.
pub(super) async fn confirm_registration(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("registration", &raw)?);
    let result = async {
        let f: ConfirmRegistrationIn = crate::inputs::from_pairs(pairs.clone())?;
        qaward_app::registrations::confirm(&state.app, p, id, &f.document).await
    }
    .await;
    let Err(e) = result else {
        return Ok(done::to("/registrations", Done::RegistrationConfirmed).into_response());
    };
    let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
    let mut page = registrations_page(&state, lang, &viewer).await?;
    page.refused = Some((id.0, refill));
    Ok((status, page).into_response())
}

// ---- declarations of interest ---------------------------------------------------------

pub(super) struct InterestLine {
    user: String,
    subject_id: i64,
    subject: String,
    reason: String,
    declared_at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "interests.html")]
pub(super) struct InterestsPage {
    chrome: Chrome,
    items: Vec<InterestLine>,
}

/// Every declaration of interest (A29), for the supervision group: who stepped away from
/// which applicant and why. The read is audited by the use case.
pub(super) async fn interests(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<InterestsPage, PageError> {
    let p = viewer.require()?;
    let items = subjects::interests(&state.app, p)
        .await?
        .into_iter()
        .map(|i| InterestLine {
            user: i.username,
            subject_id: i.subject_id.0,
            subject: i.subject_name,
            reason: i.reason,
            declared_at: crate::i18n::stamp(&i.declared_at),
        })
        .collect();
    Ok(InterestsPage {
        chrome: chrome(lang, &viewer),
        items,
    })
}
