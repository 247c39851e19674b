//! Revocation (撤销, A28). The Office asks the Municipal Government to revoke an award:
//! the cause of A28.1, the verified finding, the evidence, and the founded complaint it
//! rests on, if one ([`request`]). Only the Government's decision revokes ([`decide`]: the
//! application's `Revoke` move through the kernel); it may also decline, with the reason.
//! A revocation marks the register's award revoked — the verification page then says so,
//! the honour roll drops it, and A28.3 bars the subject from the decision's year for the
//! cycles the policy in force then sets, frozen with the decision. The Office then records
//! the plaque and the certificate taken back and the prize recovered, never more than was
//! paid (A28.2); every decided revocation is published as an announcement (公告) in the
//! Government's name ([`announcement`]).

pub mod announcement;

pub use announcement::{Published, published};

use chrono::NaiveDate;
use qaward_domain::application::{Action, Move, RevocationCause, State};
use qaward_domain::complaint;
use qaward_domain::ids::ApplicationId;
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Role, Scope, Target};
use qaward_domain::revocation::{self as domain, RequestStatus};
use qaward_domain::rule::{self, Refusal};
use qaward_store::revocations::{Decision as Stored, NewRequest, RevocationRow, StandingAward};
use serde::Serialize;
use serde_json::{Value, json};

use crate::audit::AuditAction;
use crate::workflow::{self, Cx, Edit, Loaded, Step};
use crate::{App, AppError, Principal, Queue, check, limits};

/// What the Office asks (A28.1).
#[derive(Debug, Clone)]
pub struct RequestIn {
    pub cause: RevocationCause,
    /// The finding, verified: what happened.
    pub finding: String,
    /// What proves it: documents, a court's or an authority's decision, where to find them.
    pub evidence: String,
    /// The founded complaint it rests on, if one.
    pub complaint: Option<i64>,
    /// The overdue obligation (A22, A25) a request for cause (3) rests on, if one.
    pub obligation: Option<i64>,
}

fn required<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, AppError> {
    let v = limits::bounded(field, value, max)?;
    if v.is_empty() {
        return Err(AppError::invalid(field, msg!("revocation-field-required")));
    }
    Ok(v)
}

fn awarded(state: State) -> Result<(), Refusal> {
    match state {
        State::Awarded(_) => Ok(()),
        other => Err(Refusal::new(
            rule::A28_1,
            msg!("revocation-not-awarded", state = Term::of(other)),
        )),
    }
}

fn revoked(state: State) -> Result<(), Refusal> {
    match state {
        State::Revoked(_) => Ok(()),
        other => Err(Refusal::new(
            rule::A28_2,
            msg!("revocation-not-revoked", state = Term::of(other)),
        )),
    }
}

struct Request<'a> {
    cause: RevocationCause,
    finding: &'a str,
    evidence: &'a str,
    complaint: Option<i64>,
    obligation: Option<i64>,
}

impl Request<'_> {
    /// The obligation cited must be one of this award's, overdue today, and the cause the
    /// one that names refusing the winner's obligations (A28.1 cause 3).
    async fn check_obligation(&self, app: &App, award: ApplicationId) -> Result<(), AppError> {
        let Some(o) = self.obligation else {
            return Ok(());
        };
        let fits = match app.store.obligation(o).await {
            Ok(row) => {
                self.cause == RevocationCause::MarkMisuse
                    && row.application_id == award
                    && qaward_domain::obligation::overdue(row.status, row.due_on, app.today())
            }
            Err(qaward_store::StoreError::NotFound(_)) => false,
            Err(e) => return Err(e.into()),
        };
        if fits {
            Ok(())
        } else {
            Err(AppError::invalid(
                "obligation",
                msg!("revocation-obligation-unfit"),
            ))
        }
    }
}

impl Edit for Request<'_> {
    const AUDIT: AuditAction = AuditAction::RevocationRequest;
    type Output = i64;

    fn perm(&self) -> Perm {
        Perm::RequestRevocation
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        awarded(state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<(i64, Value), AppError> {
        if let Some(c) = self.complaint {
            // The complaint must be a founded one about this winner (or its use of the
            // mark): a finding is not borrowed from another case.
            let fits = match cx.app.store.complaint(c).await {
                Ok(row) => {
                    complaint::supports_revocation(row.topic, row.outcome)
                        && row.subject_id == Some(cx.a.row.subject_id)
                }
                Err(qaward_store::StoreError::NotFound(_)) => false,
                Err(e) => return Err(e.into()),
            };
            if !fits {
                return Err(AppError::invalid(
                    "complaint",
                    msg!("revocation-complaint-unfit"),
                ));
            }
        }
        self.check_obligation(cx.app, cx.a.id()).await?;
        let id = cx
            .tx
            .add_revocation_request(&NewRequest {
                application: cx.a.id(),
                cause: self.cause,
                finding: self.finding,
                evidence: self.evidence,
                complaint: self.complaint,
                obligation: self.obligation,
                by: &cx.by.user.username,
            })
            .await?;
        crate::notify::role(
            cx.tx,
            cx.app,
            (Role::Government, Scope::Program),
            cx.a.cycle.program_id,
            "领导小组办公室提请撤销一项奖项，待市政府决定",
            "/revocations",
        )
        .await?;
        Ok((
            id,
            json!({ "after": {
                "request": id,
                "cause": self.cause.code(),
                "complaint": self.complaint,
                "obligation": self.obligation,
            } }),
        ))
    }
}

/// The Office asks the Government to revoke the award of `application` (A28.1); returns
/// the request's id. One open request per award.
pub async fn request(
    app: &App,
    by: &Principal,
    application: ApplicationId,
    r: &RequestIn,
) -> Result<i64, AppError> {
    let finding = required("finding", &r.finding, limits::STATEMENT)?;
    let evidence = required("evidence", &r.evidence, limits::STATEMENT)?;
    workflow::edit(
        app,
        by,
        application,
        &Request {
            cause: r.cause,
            finding,
            evidence,
            complaint: r.complaint,
            obligation: r.obligation,
        },
    )
    .await
}

/// The Government's decision on a request.
#[derive(Debug, Clone)]
pub enum DecisionIn {
    /// Revoke, by the decision numbered `number` of `dated`.
    Revoke { number: String, dated: NaiveDate },
    /// Do not revoke, with the reason.
    Refuse { reason: String },
}

struct Revoke<'a> {
    request: &'a RevocationRow,
    number: &'a str,
    dated: NaiveDate,
    until: i32,
}

impl Step for Revoke<'_> {
    fn audit(&self) -> AuditAction {
        AuditAction::Revoke
    }

    fn mv(&self) -> Move {
        Move::Revoke
    }

    fn action(&self, _a: &Loaded) -> Result<Action, AppError> {
        Ok(Action::Revoke {
            cause: self.request.cause,
            finding: self.request.finding.clone(),
        })
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        cx.tx
            .decide_revocation_request(
                self.request.id,
                &Stored::Revoke {
                    number: self.number,
                    dated: self.dated,
                    ban_until_year: self.until,
                },
                &cx.by.user.username,
            )
            .await?;
        cx.tx
            .set_award_revoked(cx.a.id(), self.dated, self.until)
            .await?;
        crate::notify::role(
            cx.tx,
            cx.app,
            (Role::Office, Scope::Program),
            cx.a.cycle.program_id,
            "市政府已决定撤销一项奖项：请收回奖牌、证书，追回奖金",
            "/revocations",
        )
        .await?;
        Ok(json!({
            "request": self.request.id,
            "decision": self.number,
            "dated": self.dated,
            "ban_until_year": self.until,
        }))
    }
}

struct Refuse<'a> {
    request: i64,
    reason: &'a str,
}

impl Edit for Refuse<'_> {
    const AUDIT: AuditAction = AuditAction::RevocationRefuse;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::DecideRevocation
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        awarded(state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        cx.tx
            .decide_revocation_request(
                self.request,
                &Stored::Refuse {
                    reason: self.reason,
                },
                &cx.by.user.username,
            )
            .await?;
        Ok((
            (),
            json!({ "request": self.request, "after": { "status": "refused" } }),
        ))
    }
}

/// The Government decides on revocation request `id` (A28.1): only a revocation here
/// revokes. A request decided already is refused.
pub async fn decide(app: &App, by: &Principal, id: i64, d: &DecisionIn) -> Result<(), AppError> {
    let q = app.store.revocation_request(id).await?;
    // Whoever may not decide on the application learns nothing of the request, not even
    // that it was decided; a member recused from the applicant is refused under A29.
    workflow::load(app, by, q.application_id, Perm::DecideRevocation)
        .await
        .map_err(|e| match e {
            AppError::Forbidden(qaward_domain::permission::Denial::Recused(_)) => e,
            AppError::Forbidden(_) | AppError::NotFound(_) => {
                AppError::NotFound(format!("revocation request {id}"))
            }
            other => other,
        })?;
    if q.status != RequestStatus::Requested {
        return Err(Refusal::new(
            rule::A28_1,
            msg!("revocation-decided-already", status = Term::of(q.status)),
        )
        .into());
    }
    match d {
        DecisionIn::Revoke { number, dated } => {
            let number = crate::commendation::decision::document_number(number)?;
            if *dated > app.today() {
                return Err(AppError::invalid(
                    "dated",
                    msg!("date-in-the-future", date = *dated),
                ));
            }
            // The ban is frozen under the version in force on the decision (A28.3).
            let until = domain::ban_until_year(&*app.policy().await?, *dated);
            workflow::run(
                app,
                by,
                q.application_id,
                &Revoke {
                    request: &q,
                    number,
                    dated: *dated,
                    until,
                },
            )
            .await
            .map(drop)
        }
        DecisionIn::Refuse { reason } => {
            let reason = limits::bounded("reason", reason, limits::REASON)?;
            if reason.is_empty() {
                return Err(AppError::invalid(
                    "reason",
                    msg!("revocation-field-required"),
                ));
            }
            workflow::edit(
                app,
                by,
                q.application_id,
                &Refuse {
                    request: id,
                    reason,
                },
            )
            .await
        }
    }
}

struct Return<'a> {
    on: NaiveDate,
    note: &'a str,
}

impl Edit for Return<'_> {
    const AUDIT: AuditAction = AuditAction::RevocationReturn;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::RecordAwardDelivery
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        revoked(state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        cx.tx
            .record_revocation_return(cx.a.id(), self.on, self.note, &cx.by.user.username)
            .await?;
        Ok(((), json!({ "after": { "returned_on": self.on } })))
    }
}

fn not_after_today(app: &App, field: &str, on: NaiveDate) -> Result<(), AppError> {
    if on > app.today() {
        return Err(AppError::invalid(
            field,
            msg!("date-in-the-future", date = on),
        ));
    }
    Ok(())
}

/// The Office records the plaque and the certificate of revoked `application` taken
/// back (A28.2), once.
pub async fn record_return(
    app: &App,
    by: &Principal,
    application: ApplicationId,
    on: NaiveDate,
    note: &str,
) -> Result<(), AppError> {
    not_after_today(app, "returned_on", on)?;
    let note = required("note", note, limits::REASON)?;
    workflow::edit(app, by, application, &Return { on, note }).await
}

struct Recovery<'a> {
    amount: u64,
    on: NaiveDate,
    voucher: &'a str,
}

impl Edit for Recovery<'_> {
    const AUDIT: AuditAction = AuditAction::PrizeRecovery;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::RecordAwardDelivery
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        revoked(state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        // Read with the application's row held: two recoveries side by side cannot both
        // fit under the payment.
        let (paid, recovered) = cx.tx.prize_balance(cx.a.id()).await?;
        domain::check_recovery(paid, recovered, self.amount)?;
        cx.tx
            .add_prize_recovery(
                cx.a.id(),
                self.amount,
                self.on,
                self.voucher,
                &cx.by.user.username,
            )
            .await?;
        Ok((
            (),
            json!({ "after": { "amount_yuan": self.amount, "recovered_yuan": recovered + self.amount, "paid_yuan": paid } }),
        ))
    }
}

/// The Office records prize money of revoked `application` recovered (A28.2): never more,
/// in all, than was paid.
pub async fn record_recovery(
    app: &App,
    by: &Principal,
    application: ApplicationId,
    amount_yuan: u64,
    on: NaiveDate,
    voucher: &str,
) -> Result<(), AppError> {
    not_after_today(app, "recovered_on", on)?;
    let voucher = required("voucher", voucher, limits::NAME)?;
    workflow::edit(
        app,
        by,
        application,
        &Recovery {
            amount: amount_yuan,
            on,
            voucher,
        },
    )
    .await
}

/// The revocation desk as its reader may use it.
#[derive(Debug, Clone, Serialize)]
pub struct Desk {
    /// The awards that stand, for the Office's request.
    pub standing: Vec<StandingAward>,
    pub requests: Vec<RevocationRow>,
    pub may_request: bool,
    pub may_decide: bool,
    pub may_recover: bool,
    /// How many requests and awards concern applicants the reader is recused from: counted,
    /// not shown (A29).
    pub hidden: usize,
}

/// The revocation desk: the Office, the Government, the supervision group (who read).
pub async fn desk(app: &App, by: &Principal) -> Result<Desk, AppError> {
    let may = |p| check(Some(by), p, &Target::default()).is_ok();
    let (may_request, may_decide, may_recover) = (
        may(Perm::RequestRevocation),
        may(Perm::DecideRevocation),
        may(Perm::RecordAwardDelivery),
    );
    if !(may_request || may_decide || may_recover || may(Perm::SuperviseEvaluation)) {
        return Err(AppError::Forbidden(
            qaward_domain::permission::Denial::NoRole,
        ));
    }
    let recused = app.store.recusals_of(by.user.id).await?;
    // The desk shows the programs the reader holds a role in.
    let programs = by.programs();
    let standing = if may_request {
        Queue::without(
            app.store
                .standing_awards(&programs)
                .await?
                .into_iter()
                .map(|a| (a.subject_id, a))
                .collect(),
            &recused,
        )
    } else {
        Queue {
            items: vec![],
            hidden: 0,
        }
    };
    let requests = Queue::without(
        app.store
            .revocation_requests(&programs)
            .await?
            .into_iter()
            .map(|r| (r.subject_id, r))
            .collect(),
        &recused,
    );
    Ok(Desk {
        hidden: standing.hidden + requests.hidden,
        standing: standing.items,
        requests: requests.items,
        may_request,
        may_decide,
        may_recover,
    })
}
