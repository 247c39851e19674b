//! Telling the next actor (DESIGN.md §1, issue #4 §7): each transition notifies whoever
//! acts next — the channel's reviewers on submission, the recommending government or
//! department once passed, the Office on recommendation, the applicant on every outcome
//! that concerns it — in the same transaction as the transition. Each notification is an
//! in-app entry and, for users with an address, an e-mail in the outbox; the e-mail says
//! only that something awaits, never what, so that no applicant data leaves the system.
//! A confirmed registration tells the organization it may submit
//! ([`crate::registrations`]). Reading one's notifications, and marking one read, are
//! audited like every other read and change.

use qaward_domain::application::{Channel, State};
use qaward_domain::ids::{ProgramId, UserId};
use qaward_domain::permission::{Grant, Role, Scope};
use qaward_store::WriteTx;
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::workflow::Loaded;
use crate::{App, AppError};

/// Tells `users`, by the system of the award `award` (a program's name) in the e-mail: a
/// county's award run on the city's installation writes as its own.
async fn tell(
    tx: &mut WriteTx,
    award: &str,
    users: Vec<(UserId, Option<String>)>,
    text: &str,
    link: &str,
) -> Result<(), AppError> {
    let subject = format!("{award}评审管理系统：您有新的待办事项");
    let body = format!(
        "您好：\n\n{award}评审管理系统中有一项待您办理或知悉的事项，请登录系统查看。\n\n此邮件由系统自动发送，请勿回复。"
    );
    for (user, email) in users {
        tx.notify(user, email.as_deref(), text, link, &subject, &body)
            .await?;
    }
    Ok(())
}

/// The award a notification of `program` names: its name; of no one program, the
/// installation's first.
async fn award_of(app: &App, program: Option<ProgramId>) -> Result<String, AppError> {
    if let Some(p) = program
        && let Some(p) = app.store.program(p).await?
    {
        return Ok(p.name);
    }
    Ok(app.policy().await?.program.clone())
}

/// Tells the holders of `role` in `scope` in `program` (for a role bound to a program:
/// the Office of one award never hears of another's applications).
pub async fn role(
    tx: &mut WriteTx,
    app: &App,
    (role, scope): (Role, Scope),
    program: ProgramId,
    text: &str,
    link: &str,
) -> Result<(), AppError> {
    let grant = Grant::new(role, scope)
        .map_err(AppError::Internal)?
        .in_program(program);
    let users = app.store.users_with_grant(&grant).await?;
    if users.is_empty() {
        return Ok(());
    }
    tell(tx, &award_of(app, Some(program)).await?, users, text, link).await
}

/// Tells the accounts `users`: the experts drawn onto a panel, a visit's team.
pub(crate) async fn users(
    tx: &mut WriteTx,
    app: &App,
    users: &[UserId],
    text: &str,
    link: &str,
) -> Result<(), AppError> {
    let mut to = Vec::with_capacity(users.len());
    for u in users {
        to.push((*u, app.store.user(*u).await?.email));
    }
    tell(tx, &award_of(app, None).await?, to, text, link).await
}

/// Tells the accounts of a subject.
pub(crate) async fn subject(
    tx: &mut WriteTx,
    app: &App,
    subject: qaward_domain::ids::SubjectId,
    text: &str,
    link: &str,
) -> Result<(), AppError> {
    let users = app.store.subject_users(subject).await?;
    tell(tx, &award_of(app, None).await?, users, text, link).await
}

/// Tells whoever acts next after the application `a` moved to `next`, at `channel` (the
/// one it was submitted to, perhaps by this very step).
pub(crate) async fn after_transition(
    tx: &mut WriteTx,
    app: &App,
    a: &Loaded,
    channel: Option<&Channel>,
    next: State,
) -> Result<(), AppError> {
    let name = a.subject.subject.name();
    let link = format!("/applications/{}", a.id());
    match (next, channel) {
        (State::Submitted, Some(Channel::County(c))) => {
            role(
                tx,
                app,
                (Role::CountyReviewer, Scope::County(c.clone())),
                a.cycle.program_id,
                &format!("新的申报待审核：{name}"),
                &link,
            )
            .await
        }
        (State::Submitted, Some(Channel::Industry(i))) => {
            role(
                tx,
                app,
                (Role::IndustryDept, Scope::Industry(i.clone())),
                a.cycle.program_id,
                &format!("新的申报待审核：{name}"),
                &link,
            )
            .await
        }
        (State::ChannelPassed, Some(Channel::County(c))) => {
            role(
                tx,
                app,
                (Role::CountyGovernment, Scope::County(c.clone())),
                a.cycle.program_id,
                &format!("审核通过，待推荐：{name}"),
                &link,
            )
            .await
        }
        (State::ChannelPassed, Some(Channel::Industry(i))) => {
            role(
                tx,
                app,
                (Role::IndustryDept, Scope::Industry(i.clone())),
                a.cycle.program_id,
                &format!("审核通过，待推荐：{name}"),
                &link,
            )
            .await
        }
        (State::Recommended, _) => {
            role(
                tx,
                app,
                (Role::Office, Scope::Program),
                a.cycle.program_id,
                &format!("新推荐的申报待形式审查：{name}"),
                &link,
            )
            .await
        }
        (
            State::Returned(_)
            | State::Rejected
            | State::OnAcceptanceList
            | State::Accepted
            | State::FormallyReviewed,
            _,
        ) => {
            let text = match next {
                State::Returned(_) => "您的申报被退回修改，请查看原因",
                State::Rejected => "您的申报未获通过，请查看原因",
                State::OnAcceptanceList => "您的申报已列入受理名单公示",
                State::Accepted => "您的申报已被受理",
                _ => "您的申报已通过形式审查",
            };
            subject(tx, app, a.row.subject_id, text, &link).await
        }
        _ => Ok(()),
    }
}

/// The viewer's notifications, newest first. A read of what concerns applications, so it
/// is audited like every other.
pub async fn list(
    app: &App,
    by: &crate::Principal,
) -> Result<Vec<qaward_store::notifications::Notification>, AppError> {
    let list = app.store.notifications(by.user.id, 100).await?;
    audit::record(
        app,
        by,
        AuditAction::NotificationsList,
        Object::User(by.user.id),
        json!({ "count": list.len() }),
    )
    .await?;
    Ok(list)
}

/// Marks one of the viewer's notifications read, with its audit entry.
pub async fn mark_read(app: &App, by: &crate::Principal, id: i64) -> Result<(), AppError> {
    let mut tx = app.store.write().await?;
    if !tx.mark_read(by.user.id, id).await? {
        return Err(AppError::NotFound(format!("unread notification {id}")));
    }
    audit::append(
        &mut tx,
        by,
        AuditAction::NotificationRead,
        Object::Notification(id),
        json!({ "after": { "read": true } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The e-mail outbox, for admins. The mails name no applicant, but their addresses are
/// people's and say who was told what when: the read is recorded.
pub async fn outbox(
    app: &App,
    by: &crate::Principal,
) -> Result<Vec<qaward_store::notifications::OutboxMail>, AppError> {
    crate::check(
        Some(by),
        qaward_domain::permission::Perm::ManageAccounts,
        &Default::default(),
    )?;
    let mails = app.store.outbox(200).await?;
    audit::record(
        app,
        by,
        AuditAction::OutboxRead,
        Object::Outbox,
        json!({ "count": mails.len() }),
    )
    .await?;
    Ok(mails)
}
