//! Winners' obligations (A22, A25), through the kernel: the Office sets an obligation on an
//! award that stands — a prize-use report (A22) or a promotion report (A25), with what it
//! asks for and by when — the winner reports, and the Office accepts the report or returns
//! it with what to mend. Each step is an `Edit` of the awarded application: the role, the
//! state and recusal are checked there, and the change, its notification and its typed
//! audit entry commit together. An obligation past its date and not reported (or returned
//! and not mended) is flagged overdue: what the Office may cite under A28.1 cause (3).
//! The winner's voucher files are in [`vouchers`].

pub mod vouchers;

use chrono::NaiveDate;
use qaward_domain::application::State;
use qaward_domain::ids::ApplicationId;
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::obligation::{self as domain, Action, Kind, Report, Status};
use qaward_domain::permission::{Denial, Perm, Role, Scope, Target};
use qaward_domain::rule::Refusal;
use qaward_store::obligation_files::VoucherFile;
use qaward_store::obligations::{NewObligation, ObligationRow};
use qaward_store::revocations::StandingAward;
use serde::Serialize;
use serde_json::{Value, json};

use crate::audit::AuditAction;
use crate::workflow::{self, Cx, Edit};
use crate::{App, AppError, Principal, check, limits};

/// Refuses an obligation step on an award that no longer stands (revoked) or never did.
pub(crate) fn standing(kind: Kind, state: State) -> Result<(), Refusal> {
    match state {
        State::Awarded(_) => Ok(()),
        other => Err(Refusal::new(
            kind.rule(),
            msg!("obligation-award-not-standing", state = Term::of(other)),
        )),
    }
}

/// Tells the winner of `cx`'s application.
async fn tell_winner(cx: &mut Cx<'_>, text: &str) -> Result<(), AppError> {
    let s = cx.a.row.subject_id;
    for role in [Role::ApplicantOrg, Role::ApplicantPerson] {
        crate::notify::role(
            cx.tx,
            cx.app,
            (role, Scope::Subject(s)),
            cx.a.cycle.program_id,
            text,
            "/obligations",
        )
        .await?;
    }
    Ok(())
}

struct Set<'a> {
    kind: Kind,
    due_on: NaiveDate,
    request: &'a str,
}

impl Edit for Set<'_> {
    const AUDIT: AuditAction = AuditAction::ObligationSet;
    type Output = i64;

    fn perm(&self) -> Perm {
        Perm::ReviewObligations
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        standing(self.kind, state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<(i64, Value), AppError> {
        let id = cx
            .tx
            .add_obligation(&NewObligation {
                application: cx.a.id(),
                kind: self.kind,
                due_on: self.due_on,
                request: self.request,
                by: &cx.by.user.username,
            })
            .await?;
        tell_winner(cx, "领导小组办公室要求您报告获奖后的有关情况，请按期报告").await?;
        Ok((
            id,
            json!({ "obligation": id, "kind": self.kind.code(), "due_on": self.due_on }),
        ))
    }
}

/// The Office sets an obligation of `kind` on the award of `application`, due on
/// `due_on` (today or later), asking for `request`.
pub async fn set_obligation(
    app: &App,
    by: &Principal,
    application: ApplicationId,
    kind: Kind,
    due_on: NaiveDate,
    request: &str,
) -> Result<i64, AppError> {
    let request = limits::bounded("request", request, limits::STATEMENT)?;
    if request.is_empty() {
        return Err(AppError::invalid(
            "request",
            msg!("obligation-request-required"),
        ));
    }
    if due_on < app.today() {
        return Err(AppError::invalid(
            "due_on",
            msg!("date-in-the-past", date = due_on),
        ));
    }
    workflow::edit(
        app,
        by,
        application,
        &Set {
            kind,
            due_on,
            request,
        },
    )
    .await
}

/// Obligation `id`, or "not found".
pub(crate) async fn obligation(app: &App, id: i64) -> Result<ObligationRow, AppError> {
    match app.store.obligation(id).await {
        Err(qaward_store::StoreError::NotFound(_)) => {
            Err(AppError::NotFound(format!("obligation {id}")))
        }
        other => Ok(other?),
    }
}

/// Runs `e` on the award of obligation `row`, through the kernel, which checks the reader
/// first: whoever may not take the step learns nothing of the obligation, not even what
/// its report lacks; a member recused from the winner is refused under A29.
pub(crate) async fn on_award<E: Edit>(
    app: &App,
    by: &Principal,
    row: &ObligationRow,
    e: &E,
) -> Result<E::Output, AppError> {
    workflow::edit(app, by, row.application_id, e)
        .await
        .map_err(|err| unseen(row.id, err))
}

/// A refusal to see the award as the obligation's reader meets it: "not found", but for a
/// member recused from the winner, who is told why (A29).
pub(crate) fn unseen(id: i64, err: AppError) -> AppError {
    match err {
        AppError::Forbidden(Denial::Recused(r)) => AppError::Forbidden(Denial::Recused(r)),
        AppError::Forbidden(_) | AppError::NotFound(_) => {
            AppError::NotFound(format!("obligation {id}"))
        }
        other => other,
    }
}

struct Reporting<'a> {
    row: &'a ObligationRow,
    report: &'a Report,
}

impl Edit for Reporting<'_> {
    const AUDIT: AuditAction = AuditAction::ObligationReport;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::ReportAfterAward
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        standing(self.row.kind, state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        domain::check_report(self.row.kind, self.report).map_err(AppError::Unmet)?;
        domain::transition(self.row.kind, self.row.status, Action::Report)?;
        cx.tx
            .report_obligation(
                self.row.id,
                self.row.status,
                self.report,
                cx.app.today(),
                &cx.by.user.username,
            )
            .await?;
        crate::notify::role(
            cx.tx,
            cx.app,
            (Role::Office, Scope::Program),
            cx.a.cycle.program_id,
            "获奖组织或个人报告了获奖后的有关情况，请审核",
            "/obligations",
        )
        .await?;
        Ok((
            (),
            json!({
                "obligation": self.row.id,
                "kind": self.row.kind.code(),
                "total_yuan": self.report.total_yuan(),
            }),
        ))
    }
}

/// The winner reports on obligation `id` (again, after a return); every fault of the
/// report is refused at once, under A22 or A25.
pub async fn report(app: &App, by: &Principal, id: i64, report: &Report) -> Result<(), AppError> {
    let row = obligation(app, id).await?;
    on_award(app, by, &row, &Reporting { row: &row, report }).await
}

struct Review<'a> {
    row: &'a ObligationRow,
    accept: bool,
    note: &'a str,
}

impl Edit for Review<'_> {
    const AUDIT: AuditAction = AuditAction::ObligationReview;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::ReviewObligations
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        standing(self.row.kind, state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        if !self.accept && self.note.is_empty() {
            return Err(AppError::invalid(
                "note",
                msg!("obligation-return-note-required"),
            ));
        }
        let action = if self.accept {
            Action::Accept
        } else {
            Action::Return
        };
        let to = domain::transition(self.row.kind, self.row.status, action)?;
        cx.tx
            .review_obligation(
                self.row.id,
                to,
                self.note,
                cx.app.today(),
                &cx.by.user.username,
            )
            .await?;
        tell_winner(
            cx,
            if to == Status::Accepted {
                "您报告的获奖后有关情况已审核通过"
            } else {
                "您报告的获奖后有关情况被退回，请按要求修改后再次报告"
            },
        )
        .await?;
        Ok((
            (),
            json!({ "obligation": self.row.id, "after": { "status": to.code() } }),
        ))
    }
}

/// The Office accepts the report of obligation `id`, or returns it with what to mend
/// (`note`, required for a return).
pub async fn review(
    app: &App,
    by: &Principal,
    id: i64,
    accept: bool,
    note: &str,
) -> Result<(), AppError> {
    let note = limits::bounded("note", note, limits::STATEMENT)?;
    let row = obligation(app, id).await?;
    on_award(
        app,
        by,
        &row,
        &Review {
            row: &row,
            accept,
            note,
        },
    )
    .await
}

/// An obligation as the desk shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    #[serde(flatten)]
    pub row: ObligationRow,
    /// Past its date and not reported (or returned and not mended): what A28.1 cause (3)
    /// may cite.
    pub overdue: bool,
    /// The winner's voucher files, in the order they came.
    pub files: Vec<VoucherFile>,
}

/// The desk's lines, each with its files (read for the whole desk in one query).
fn lines(rows: Vec<ObligationRow>, files: Vec<VoucherFile>, today: NaiveDate) -> Vec<Line> {
    let mut by_obligation: std::collections::HashMap<i64, Vec<VoucherFile>> =
        std::collections::HashMap::new();
    for f in files {
        by_obligation.entry(f.obligation_id).or_default().push(f);
    }
    rows.into_iter()
        .map(|row| Line {
            overdue: domain::overdue(row.status, row.due_on, today),
            files: by_obligation.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect()
}

/// The obligations desk as its reader may use it: the Office's, every award's (with the
/// awards it may set obligations on); a winner's, its own.
#[derive(Debug, Clone, Serialize)]
pub struct Desk {
    pub lines: Vec<Line>,
    pub standing: Vec<StandingAward>,
    pub may_set: bool,
    /// Obligations of winners the reader is recused from: counted, not shown (A29).
    pub hidden: usize,
}

/// The obligations `by` may see.
pub async fn desk(app: &App, by: &Principal) -> Result<Desk, AppError> {
    let today = app.today();
    if check(Some(by), Perm::ReviewObligations, &Target::default()).is_ok() {
        let recused = app.store.recusals_of(by.user.id).await?;
        // The Office of one program reviews that program's winners.
        let programs = by.programs_as(Role::Office);
        let all = app.store.obligations(&programs).await?;
        let before = all.len();
        let shown: Vec<ObligationRow> = all
            .into_iter()
            .filter(|r| !recused.contains(&r.subject_id))
            .collect();
        let lines = lines(shown, app.store.obligation_files(None).await?, today);
        let standing = app
            .store
            .standing_awards(&programs)
            .await?
            .into_iter()
            .filter(|a| !recused.contains(&a.subject_id))
            .collect();
        return Ok(Desk {
            hidden: before - lines.len(),
            lines,
            standing,
            may_set: true,
        });
    }
    let subject = by
        .user
        .subject_id
        .filter(|s| {
            let t = Target {
                subject: Some(*s),
                ..Target::default()
            };
            check(Some(by), Perm::ReportAfterAward, &t).is_ok()
        })
        .ok_or(AppError::Forbidden(Denial::NoRole))?;
    Ok(Desk {
        lines: lines(
            app.store.obligations_of_subject(subject).await?,
            app.store.obligation_files(Some(subject)).await?,
            today,
        ),
        standing: vec![],
        may_set: false,
        hidden: 0,
    })
}

/// What waits on the obligations desk, for the home page: for the Office, the reports to
/// review; for a winner, its obligations still to report (due or returned). A count.
pub async fn waiting(app: &App, by: &Principal) -> Result<usize, AppError> {
    if check(Some(by), Perm::ReviewObligations, &Target::default()).is_ok() {
        return Ok(usize::try_from(
            app.store
                .count_obligations(Status::Reported, &by.programs_as(Role::Office))
                .await?,
        )
        .unwrap_or(0));
    }
    let Some(subject) = by.user.subject_id else {
        return Ok(0);
    };
    Ok(app
        .store
        .obligations_of_subject(subject)
        .await?
        .iter()
        .filter(|o| matches!(o.status, Status::Due | Status::Returned))
        .count())
}
