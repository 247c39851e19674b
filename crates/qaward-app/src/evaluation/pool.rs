//! The expert pool (A17.1, A9.2) and conflicts of interest (A29): the Office keeps the
//! pool; an applicant may ask that a named expert be kept off its evaluation, which the
//! Office decides; an expert declares interests like any staff member
//! ([`crate::subjects::declare_interest`]), and the register's own findings are recorded
//! before each draw ([`super::panels`]).

use qaward_domain::evaluation::conflict::{ConflictSource, InterestKind};
use qaward_domain::ids::{ApplicationId, CreditCode, UserId};
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Role, Target};
use qaward_domain::rule::{self, Refusal};
use qaward_store::evaluation::pool::{ExclusionRequest, Expert, ExpertFields};
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::limits::{self, REASON};
use crate::workflow::{self, Cx, Edit};
use crate::{App, AppError, Principal, check};

/// What the Office records of an expert: everything but the account, which an
/// administrator creates with the expert role.
#[derive(Debug, Clone)]
pub struct ExpertInput {
    pub name: String,
    pub employer: String,
    /// The employer's unified social credit code, if known: it lets the register detect
    /// conflicts with organizations whatever their name.
    pub employer_code: Option<String>,
    pub title: String,
    pub fields: Vec<String>,
    pub region: String,
    pub contact: String,
    pub available: bool,
}

const NAME: usize = 200;

/// Adds the account `username` to the pool, or updates its entry. The account must hold
/// the expert role.
pub async fn put_expert(
    app: &App,
    by: &Principal,
    username: &str,
    e: &ExpertInput,
) -> Result<UserId, AppError> {
    keeps_pool(app, by).await?;
    let name = required("name", &e.name)?;
    let employer = required("employer", &e.employer)?;
    let title = required("title", &e.title)?;
    let region = required("region", &e.region)?;
    let contact = required("contact", &e.contact)?;
    let code = match e.employer_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(
            CreditCode::parse(c)
                .map_err(|err| AppError::invalid("employer_code", err.message()))?
                .as_str()
                .to_owned(),
        ),
    };
    let mut fields = Vec::new();
    for f in &e.fields {
        let f = limits::bounded("fields", f, NAME)?;
        if !f.is_empty() && !fields.iter().any(|x: &String| x == f) {
            fields.push(f.to_owned());
        }
    }
    if fields.is_empty() {
        return Err(AppError::invalid("fields", msg!("expert-needs-a-field")));
    }
    let user = app
        .store
        .user_for_login(username.trim())
        .await?
        .map(|(u, _)| u)
        .ok_or_else(|| AppError::invalid("username", msg!("expert-no-such-account")))?;
    let grants = app.store.grants(user.id).await?;
    if !grants.iter().any(|g| g.role == Role::Expert) {
        return Err(AppError::invalid(
            "username",
            msg!("expert-needs-expert-role"),
        ));
    }
    let mut tx = app.store.write().await?;
    let added = tx
        .put_expert(
            user.id,
            &ExpertFields {
                name,
                employer,
                employer_code: code.as_deref(),
                title,
                fields: &fields,
                region,
                contact,
                available: e.available,
            },
        )
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::ExpertPut,
        Object::User(user.id),
        json!({ "added": added, "after": { "name": name, "employer": employer, "fields": fields, "available": e.available } }),
    )
    .await?;
    tx.commit().await?;
    Ok(user.id)
}

/// Whether `by` keeps the pool: the Office, or the agency entrusted with the current cycle
/// (A9.2, A17.1).
pub async fn keeps_pool(app: &App, by: &Principal) -> Result<(), AppError> {
    let program = check(Some(by), Perm::ManageExperts, &Target::default());
    if program.is_ok() {
        return program;
    }
    match crate::home::current_cycle(app, Some(by)).await? {
        Some(c) => check(
            Some(by),
            Perm::ManageExperts,
            &crate::workflow::target_of_cycle(&c),
        ),
        None => program,
    }
}

fn required<'a>(field: &str, v: &'a str) -> Result<&'a str, AppError> {
    let v = limits::bounded(field, v, NAME)?;
    if v.is_empty() {
        return Err(AppError::invalid(field, msg!("field-required")));
    }
    Ok(v)
}

/// The pool with contacts (the Office; the supervision group reads it too, A17.3).
pub async fn experts(app: &App, by: &Principal) -> Result<Vec<Expert>, AppError> {
    if keeps_pool(app, by).await.is_err() {
        check(Some(by), Perm::SuperviseEvaluation, &Target::default())?;
    }
    let list = app
        .store
        .experts_of(&crate::programs::of_reader(app, by).await?)
        .await?;
    audit::record(
        app,
        by,
        AuditAction::ExpertsRead,
        Object::ExpertPool,
        json!({ "count": list.len() }),
    )
    .await?;
    Ok(list)
}

/// An applicant asks that an expert be kept off its evaluation (A29), naming them and
/// saying why. Allowed until the evaluation is complete.
struct RequestExclusion<'a> {
    name: &'a str,
    employer: &'a str,
    reason: &'a str,
}

impl Edit for RequestExclusion<'_> {
    const AUDIT: AuditAction = AuditAction::ExclusionRequest;
    type Output = i64;

    fn perm(&self) -> Perm {
        Perm::RequestExclusion
    }

    fn allowed(&self, state: qaward_domain::application::State) -> Result<(), Refusal> {
        use qaward_domain::application::State as S;
        match state {
            S::FormallyReviewed | S::OnAcceptanceList | S::Accepted => Ok(()),
            _ => Err(Refusal::new(
                rule::A29,
                msg!(
                    "exclusion-not-now",
                    state = qaward_domain::message::Term::of(state)
                ),
            )),
        }
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<(i64, serde_json::Value), AppError> {
        let id = cx
            .tx
            .request_exclusion(
                cx.a.id(),
                self.name,
                self.employer,
                self.reason,
                &cx.by.user.username,
            )
            .await?;
        Ok((
            id,
            json!({ "request": id, "expert": self.name, "employer": self.employer, "reason": self.reason }),
        ))
    }
}

pub async fn request_exclusion(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    name: &str,
    employer: &str,
    reason: &str,
) -> Result<i64, AppError> {
    let name = required("expert_name", name)?;
    let employer = limits::bounded("expert_employer", employer, NAME)?;
    let reason = limits::bounded("reason", reason, REASON)?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            msg!("exclusion-reason-required"),
        ));
    }
    workflow::edit(
        app,
        by,
        id,
        &RequestExclusion {
            name,
            employer,
            reason,
        },
    )
    .await
}

/// Whether `by` may ask now that an expert be kept off the evaluation of `id` (its
/// applicant, while the request can still change the panels).
pub async fn may_request_exclusion(app: &App, by: &Principal, id: ApplicationId) -> bool {
    match workflow::load(app, by, id, Perm::RequestExclusion).await {
        Ok(a) => RequestExclusion {
            name: "",
            employer: "",
            reason: "",
        }
        .allowed(a.row.state)
        .is_ok(),
        Err(_) => false,
    }
}

/// The exclusion requests of an application: its applicant's own, or the Office's.
pub async fn exclusion_requests(
    app: &App,
    by: &Principal,
    id: ApplicationId,
) -> Result<Vec<ExclusionRequest>, AppError> {
    let a = workflow::load(app, by, id, Perm::ViewApplication).await?;
    if check(Some(by), Perm::ManageExperts, &a.target).is_ok() {
        return Ok(app.store.exclusion_requests(id).await?);
    }
    check(Some(by), Perm::RequestExclusion, &a.target)?;
    // The applicant reads its requests and their decisions, not which account of the
    // pool the Office matched.
    Ok(app
        .store
        .exclusion_requests(id)
        .await?
        .into_iter()
        .map(|r| ExclusionRequest {
            expert_id: None,
            ..r
        })
        .collect())
}

/// The Office decides a request: upheld, it names the pool's expert, who is recused from
/// the applicant from then on — kept on their panel for its other applications, this one
/// gone from their view as if it never existed; dismissed, it says why.
pub async fn decide_exclusion(
    app: &App,
    by: &Principal,
    request: i64,
    expert: Option<UserId>,
    reason: &str,
) -> Result<(), AppError> {
    check(Some(by), Perm::ManageExperts, &Target::default())?;
    let reason = limits::bounded("reason", reason, REASON)?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            msg!("decision-reason-required"),
        ));
    }
    let r = app.store.exclusion_request(request).await?;
    let a = workflow::load(app, by, r.application_id, Perm::ManageExperts).await?;
    if let Some(e) = expert {
        app.store
            .expert(e)
            .await
            .map_err(|_| AppError::invalid("expert", msg!("expert-not-in-pool")))?;
    }
    let mut tx = app.store.write().await?;
    if !tx
        .decide_exclusion(request, expert, reason, &by.user.username)
        .await?
    {
        return Err(AppError::Conflict(msg!("exclusion-already-decided")));
    }
    if let Some(e) = expert {
        tx.declare_interest(
            e,
            a.row.subject_id,
            InterestKind::Other,
            ConflictSource::Requested,
            &r.reason,
        )
        .await
        .or_else(|err| match err {
            // Recused already (declared, or detected): the request adds nothing to undo.
            qaward_store::StoreError::Conflict(_) => Ok(()),
            other => Err(other),
        })?;
    }
    audit::append(
        &mut tx,
        by,
        AuditAction::ExclusionDecide,
        Object::Application(r.application_id),
        json!({ "request": request, "upheld": expert.is_some(), "expert": expert, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The Office entrusts an agency with the cycle's evaluation work (A9.2), by a document
/// (its 文号 and title): the account — a staff account, created by an administrator —
/// gets the agency role for that cycle only, and the entrustment is recorded.
struct Entrust<'a> {
    agency: &'a str,
    document: &'a str,
}

impl crate::workflow::CycleEdit for Entrust<'_> {
    type Output = UserId;

    fn audit(&self) -> AuditAction {
        AuditAction::AgencyEntrust
    }

    fn perm(&self) -> Perm {
        Perm::ManageCycle
    }

    async fn write(
        &self,
        cx: &mut crate::workflow::CycleCx<'_>,
    ) -> Result<(UserId, Object, serde_json::Value), AppError> {
        let cycle = cx.cycle.id;
        let user = cx
            .app
            .store
            .user_for_login(self.agency)
            .await?
            .map(|(u, _)| u)
            .filter(|u| u.kind == qaward_domain::permission::UserKind::Staff && u.active)
            .ok_or_else(|| AppError::invalid("agency", msg!("agency-no-such-account")))?;
        let grant = qaward_domain::permission::Grant::new(
            Role::Agency,
            qaward_domain::permission::Scope::Cycles(vec![cycle]),
        )
        .map_err(AppError::Internal)?;
        cx.tx
            .entrust(cycle, user.id, self.document, &cx.by.user.username)
            .await?;
        cx.tx.add_grant(user.id, &grant).await?;
        Ok((
            user.id,
            Object::Cycle(cycle),
            json!({ "agency": user.username, "document": self.document, "grant": grant }),
        ))
    }
}

/// Entrusts the staff account `agency` with the cycle's evaluation work (A9.2).
pub async fn entrust(
    app: &App,
    by: &Principal,
    cycle: qaward_domain::ids::CycleId,
    agency: &str,
    document: &str,
) -> Result<UserId, AppError> {
    let agency = required("agency", agency)?;
    let document = required("document", document)?;
    crate::workflow::cycle_edit(app, by, cycle, &Entrust { agency, document }).await
}

/// The agencies entrusted with the cycle, with their documents.
pub async fn entrustments(
    app: &App,
    by: &Principal,
    cycle: qaward_domain::ids::CycleId,
) -> Result<Vec<qaward_store::evaluation::pool::Entrustment>, AppError> {
    super::panels::may_oversee(app, by, cycle).await?;
    Ok(app.store.entrustments(cycle).await?)
}
