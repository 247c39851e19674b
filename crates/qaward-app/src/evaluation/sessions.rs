//! Visits and sessions (A17.2): the Office schedules each application's on-site visit and
//! presentation with a team from its panel, whose date, place and team the applicant sees
//! (never a score), and records afterwards who attended and the questions asked.

use chrono::NaiveDate;
use qaward_domain::application::Stage;
use qaward_domain::evaluation::stage;
use qaward_domain::ids::{ApplicationId, UserId};
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_store::evaluation::sheets::Session;
use serde::Serialize;
use serde_json::{Value, json};

use super::board::Board;
use crate::audit::{AuditAction, Object};
use crate::limits;
use crate::workflow::{self, CycleCx, CycleEdit, cycle_edit};
use crate::{App, AppError, Principal};

/// The Office schedules an application's on-site visit or presentation session.
struct Schedule<'a> {
    session: &'a Session,
}

impl CycleEdit for Schedule<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::SessionSchedule
    }

    fn perm(&self) -> Perm {
        Perm::ManagePanels
    }

    fn application(&self) -> Option<ApplicationId> {
        Some(self.session.application_id)
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        let s = self.session;
        if s.stage == Stage::Material {
            return Err(AppError::invalid("stage", msg!("session-not-for-material")));
        }
        if s.on_date < cx.app.today() {
            return Err(AppError::invalid("on_date", msg!("session-in-the-past")));
        }
        let board = Board::of(cx.app, cx.cycle.id, &[s.application_id]).await?;
        let assigned = board.assigned(s.application_id);
        if s.team.is_empty() || s.team.iter().any(|u| !assigned.contains(u)) {
            return Err(AppError::invalid("team", msg!("session-team-from-panel")));
        }
        cx.tx.schedule_session(s, &cx.by.user.username).await?;
        let row = cx.app.store.application(s.application_id).await?;
        let what = s.stage.label(qaward_domain::text::Lang::Zh);
        let day = s.on_date.format("%Y年%-m月%-d日");
        crate::notify::subject(
            cx.tx,
            cx.app,
            row.subject_id,
            &format!("已安排{what}：{day}，{}。", s.place),
            &format!("/applications/{}/evaluation", s.application_id),
        )
        .await?;
        crate::notify::users(
            cx.tx,
            cx.app,
            &s.team,
            &format!("请参加{what}：{day}，{}。", s.place),
            "/evaluation/tasks",
        )
        .await?;
        Ok((
            (),
            Object::Application(s.application_id),
            json!({ "stage": s.stage, "on_date": s.on_date, "place": s.place, "team": s.team }),
        ))
    }
}

/// Schedules (or moves) the visit or session of `id` in `stage`.
pub async fn schedule(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
    on_date: NaiveDate,
    place: &str,
    team: Vec<UserId>,
) -> Result<(), AppError> {
    let place = limits::bounded("place", place, 200)?;
    if place.is_empty() {
        return Err(AppError::invalid("place", msg!("field-required")));
    }
    let cycle = app.store.application(id).await?.cycle_id;
    let session = Session {
        application_id: id,
        stage,
        on_date,
        place: place.to_owned(),
        team,
        minutes: None,
    };
    cycle_edit(app, by, cycle, &Schedule { session: &session }).await
}

/// A visit or session as the applicant sees it: when, where and who — no scores.
#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    pub stage: Stage,
    pub on_date: NaiveDate,
    pub place: String,
    /// The experts' names.
    pub team: Vec<String>,
    /// Who attended for the applicant, once recorded.
    pub attendance: Option<String>,
}

/// The dates that concern an application: its applicant's (or any reader's) view.
pub async fn visits(app: &App, by: &Principal, id: ApplicationId) -> Result<Vec<Visit>, AppError> {
    workflow::load(app, by, id, Perm::ViewApplication).await?;
    let experts = app.store.experts().await?;
    Ok(app
        .store
        .sessions(&[id])
        .await?
        .into_iter()
        .map(|s| Visit {
            stage: s.stage,
            on_date: s.on_date,
            place: s.place,
            team: s
                .team
                .iter()
                .map(|u| {
                    experts
                        .iter()
                        .find(|e| e.user_id == *u)
                        .map_or_else(|| u.to_string(), |e| e.name.clone())
                })
                .collect(),
            attendance: s.minutes.map(|m| m.attendance),
        })
        .collect())
}

/// The record of a visit or session, once held.
struct RecordMinutes<'a> {
    id: ApplicationId,
    stage: Stage,
    attendance: &'a str,
    questions: &'a str,
}

impl CycleEdit for RecordMinutes<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::SessionMinutes
    }

    fn perm(&self) -> Perm {
        Perm::ManagePanels
    }

    fn application(&self) -> Option<ApplicationId> {
        Some(self.id)
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        let stages = cx.app.store.stages(cx.cycle.id).await?;
        stage::check_scoring(&stages, self.stage)?;
        if !cx
            .tx
            .record_minutes(
                self.id,
                self.stage,
                self.attendance,
                self.questions,
                &cx.by.user.username,
            )
            .await?
        {
            return Err(AppError::invalid("stage", msg!("session-not-scheduled")));
        }
        Ok((
            (),
            Object::Application(self.id),
            json!({ "stage": self.stage, "attendance": self.attendance, "questions": self.questions }),
        ))
    }
}

/// Records who attended a visit or session for the applicant and the questions asked and
/// answered, while its stage is open (A17.2).
pub async fn record_minutes(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
    attendance: &str,
    questions: &str,
) -> Result<(), AppError> {
    let attendance = limits::bounded("attendance", attendance, limits::REASON)?;
    let questions = limits::bounded("questions", questions, limits::STATEMENT)?;
    if attendance.is_empty() {
        return Err(AppError::invalid("attendance", msg!("field-required")));
    }
    let cycle = app.store.application(id).await?.cycle_id;
    cycle_edit(
        app,
        by,
        cycle,
        &RecordMinutes {
            id,
            stage,
            attendance,
            questions,
        },
    )
    .await
}

/// A record of a visit or session attached to the application: a photo, the minutes, a
/// document checked on site. Internal: the applicant, the panel, the Office and the
/// supervision group open it, nobody else.
struct AttachRecord {
    stage: Stage,
    filename: String,
    file: crate::files::Uploaded,
}

impl workflow::Edit for AttachRecord {
    const AUDIT: AuditAction = AuditAction::SessionRecordAttach;
    type Output = i64;

    fn perm(&self) -> Perm {
        Perm::ManagePanels
    }

    fn allowed(
        &self,
        state: qaward_domain::application::State,
    ) -> Result<(), qaward_domain::rule::Refusal> {
        if state == qaward_domain::application::State::Accepted {
            Ok(())
        } else {
            Err(qaward_domain::rule::Refusal::new(
                qaward_domain::rule::A17_2,
                msg!(
                    "evaluation-closed",
                    state = qaward_domain::message::Term::of(state)
                ),
            ))
        }
    }

    async fn write(&self, cx: &mut workflow::Cx<'_>) -> Result<(i64, Value), AppError> {
        let aid = cx
            .tx
            .add_attachment(
                cx.a.id(),
                qaward_domain::material::Purpose::EvaluationRecord,
                None,
                &self.file.hash,
                &self.filename,
                self.file.content_type,
                self.file.size,
                qaward_domain::material::Confidentiality::Internal,
            )
            .await?;
        Ok((
            aid,
            json!({ "after": { "attachment": aid, "stage": self.stage, "file": self.file.hash, "filename": self.filename } }),
        ))
    }
}

/// Attaches a record (a photo, the minutes) to the application's visit or session of
/// `stage`, while that stage is open and the visit or session scheduled (A17.2).
pub async fn attach_record<S, B>(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
    filename: &str,
    body: S,
) -> Result<i64, AppError>
where
    S: futures_util::Stream<Item = Result<B, crate::files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let a = workflow::load(app, by, id, Perm::ManagePanels).await?;
    let stages = app.store.stages(a.row.cycle_id).await?;
    stage::check_scoring(&stages, stage)?;
    if !app
        .store
        .sessions(&[id])
        .await?
        .iter()
        .any(|s| s.stage == stage)
    {
        return Err(AppError::invalid("stage", msg!("session-not-scheduled")));
    }
    let filename = crate::files::name::clean(filename);
    if filename.is_empty() {
        return Err(AppError::invalid("filename", msg!("filename-required")));
    }
    // The permission was checked on the application above: ManagePanels, not the
    // applicant's upload permission.
    let file = crate::files::store_upload(app, by, body).await?;
    let filename = match crate::files::Kind::of_content_type(file.content_type) {
        Some(kind) => crate::files::name::for_kind(&filename, kind),
        None => filename,
    };
    workflow::edit(
        app,
        by,
        id,
        &AttachRecord {
            stage,
            filename,
            file,
        },
    )
    .await
}
