//! The candidate list (A18.1), the background opinions on each candidate (A18.2) and the
//! candidates' notices within their own county or industry (A18.3).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use qaward_domain::application::{Action, Channel, Move, OpinionStage, State};
use qaward_domain::commendation::{self, Choice};
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::notice::NoticeScope;
use qaward_domain::permission::{Perm, Role};
use qaward_domain::policy::{Level, NoticeKind};
use qaward_domain::rule::Refusal;
use qaward_domain::subject::Subject;
use qaward_store::commendation::NewCandidate;
use qaward_store::notices::NewNotice;
use serde::Serialize;
use serde_json::{Value, json};

use crate::applications::draft::plan_notice;
use crate::audit::{AuditAction, Object};
use crate::workflow::{self, Cx, CycleCx, CycleEdit, Loaded, Step};
use crate::{App, AppError, Principal, check, limits};

/// The Office's choice for each evaluated application, in the order of the list.
struct Propose {
    cycle: CycleId,
    /// Per application: the level (or none), its place in that level's list, the reason.
    choices: BTreeMap<ApplicationId, (Option<Level>, i64, String)>,
}

impl Step for Propose {
    fn audit(&self) -> AuditAction {
        AuditAction::CandidatePropose
    }

    fn mv(&self) -> Move {
        Move::ProposeCandidates
    }

    fn action(&self, a: &Loaded) -> Result<Action, AppError> {
        let (level, _, reason) = self
            .choices
            .get(&a.id())
            .ok_or_else(|| AppError::Internal("no choice for an application".into()))?;
        Ok(match level {
            Some(level) => Action::ProposeCandidate { level: *level },
            None => Action::NotSelected {
                reason: reason.clone(),
            },
        })
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        let (level, position, reason) = &self.choices[&cx.a.id()];
        if let Some(level) = level {
            cx.tx
                .put_candidate(&NewCandidate {
                    application: cx.a.id(),
                    cycle: self.cycle,
                    level: *level,
                    position: *position,
                    reason,
                    by: &cx.by.user.username,
                })
                .await?;
        }
        Ok(json!({ "level": level, "position": position, "reason": reason }))
    }
}

/// The Office proposes the candidate list (A18.1): for every evaluated application of the
/// cycle, a level its score reaches or none, in the order of each level's list. A lower
/// level than the score reaches, no place, or a place above a higher score needs a
/// reason; a level above the score is refused (A4.4). Every refusal is returned at once.
pub async fn propose_candidates(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    choices: &[Choice],
) -> Result<Vec<State>, AppError> {
    check(
        Some(by),
        Perm::ProposeCandidates,
        &workflow::cycle_target(app, cycle).await?,
    )?;
    for c in choices {
        limits::bounded("reason", &c.reason, limits::REASON)?;
    }
    let lines = app.store.commendation_lines(cycle).await?;
    let ranked: Vec<commendation::Ranked> = lines
        .iter()
        .filter(|l| l.row.state == State::Evaluated)
        .map(|l| commendation::Ranked {
            id: l.row.id,
            name: l.subject_name.clone(),
            score: l.score,
            reaches: l.reaches,
        })
        .collect();
    let refusals = commendation::check_list(&ranked, choices);
    if !refusals.is_empty() {
        return Err(AppError::Unmet(
            refusals.into_iter().map(|(_, r)| r).collect(),
        ));
    }
    let mut next: BTreeMap<Option<Level>, i64> = BTreeMap::new();
    let mut map = BTreeMap::new();
    for c in choices {
        let position = next.entry(c.level).or_insert(0);
        *position += 1;
        // Left off by the score itself: the score is the reason (A4.4).
        let reason = match (c.level, c.reason.trim()) {
            (None, "") => "得分未达到提名奖标准（A4.4）".to_owned(),
            (_, r) => r.to_owned(),
        };
        map.insert(c.id, (c.level, *position, reason));
    }
    let ids: Vec<ApplicationId> = choices.iter().map(|c| c.id).collect();
    let done = workflow::run_batch(
        app,
        by,
        &ids,
        &Propose {
            cycle,
            choices: map,
        },
    )
    .await?;
    Ok(done.states)
}

/// A department preselected for the background opinions on a candidate (A18.2).
#[derive(Debug, Clone, Serialize)]
pub struct Preselected {
    pub id: String,
    pub name: String,
    /// Chosen by the policy for the candidate's kind; the body adds or removes.
    pub chosen: bool,
    /// Asked already.
    pub asked: bool,
}

/// The departments for the background opinions on candidate `id`, those the policy
/// names for its kind chosen, for the body that received its materials (A18.2).
pub async fn background_departments(
    app: &App,
    by: &Principal,
    id: ApplicationId,
) -> Result<Vec<Preselected>, AppError> {
    let a = workflow::load(app, by, id, Perm::RequestBackgroundOpinions).await?;
    let head = match &a.subject.subject {
        Subject::Person(p) => commendation::reads_as_head(p.position.as_deref()),
        Subject::Organization(_) => true,
    };
    let policy = app.policy_of(&a.cycle).await?;
    let chosen: Vec<String> =
        commendation::background_departments(&policy, &a.subject.subject, head)
            .into_iter()
            .map(|d| d.id.clone())
            .collect();
    let asked: Vec<String> = app
        .store
        .opinion_requests(id, OpinionStage::Candidate)
        .await?
        .into_iter()
        .map(|o| o.dept_id)
        .collect();
    Ok(policy
        .opinion_depts
        .iter()
        .map(|d| Preselected {
            id: d.id.clone(),
            name: d.name.clone(),
            chosen: chosen.contains(&d.id),
            asked: asked.contains(&d.id),
        })
        .collect())
}

/// The body that received the candidate's materials — its county's market supervision
/// department or its municipal industry department — asks departments for their opinions
/// on it (A18.2); the answers go to the department's queue and back to the Office's desk.
pub async fn request_background_opinions(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    depts: &[String],
    due: NaiveDate,
) -> Result<Vec<i64>, AppError> {
    crate::acceptance::check_request(app, depts, due)?;
    let stage = OpinionStage::Candidate;
    let e = crate::acceptance::RequestOpinions { depts, due, stage };
    workflow::edit(app, by, id, &e).await
}

/// The notices of a kind published for the applications of a cycle in a state that have
/// none yet: the candidates within their own county or industry (A18.3), the proposed
/// winners city-wide (A19.2).
pub(crate) struct PublishNotices<'a> {
    pub kind: NoticeKind,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub contact: &'a str,
}

/// Where an application's candidate notice is published: where its channel is (A18.3).
fn local_scope(channel: Option<&Channel>) -> NoticeScope {
    match channel {
        Some(Channel::County(c)) => NoticeScope::County(c.clone()),
        Some(Channel::Industry(i)) => NoticeScope::Industry(i.clone()),
        None => NoticeScope::City,
    }
}

impl CycleEdit for PublishNotices<'_> {
    type Output = Vec<i64>;

    fn audit(&self) -> AuditAction {
        AuditAction::NoticePublish
    }

    fn perm(&self) -> Perm {
        Perm::PublishNotice
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<(Vec<i64>, Object, Value), AppError> {
        let (app, cycle) = (cx.app, cx.cycle);
        let policy = app.policy_of(cycle).await?;
        let waiting = |s: State| match self.kind {
            NoticeKind::Candidates => s == State::Candidate,
            _ => matches!(s, State::Proposed(_)),
        };
        let mut groups: BTreeMap<String, (NoticeScope, Vec<ApplicationId>)> = BTreeMap::new();
        for line in app.store.commendation_lines(cycle.id).await? {
            if !waiting(line.row.state)
                || app.store.notice_of(line.row.id, self.kind).await?.is_some()
            {
                continue;
            }
            let scope = match self.kind {
                NoticeKind::Candidates => local_scope(line.row.channel.as_ref()),
                _ => NoticeScope::City,
            };
            let key = format!("{scope:?}");
            groups
                .entry(key)
                .or_insert_with(|| (scope, Vec::new()))
                .1
                .push(line.row.id);
        }
        if groups.is_empty() {
            return Err(AppError::Refused(Refusal::new(
                policy.notice_article(self.kind),
                msg!("nothing-to-publish", kind = Term::of(self.kind)),
            )));
        }
        let mut ids = Vec::new();
        for (scope, apps) in groups.into_values() {
            let notice =
                plan_notice(app, &policy, self.kind, scope.clone(), self.start, self.end).await?;
            let place = match &scope {
                NoticeScope::County(c) => policy
                    .county(c)
                    .map_or_else(|| c.clone(), |u| u.name.clone()),
                NoticeScope::Industry(i) => policy
                    .industry(i)
                    .map_or_else(|| i.clone(), |d| d.name.clone()),
                _ => "全市".to_owned(),
            };
            let title = format!(
                "{}第{}届{}（{}）",
                policy.program,
                cycle.cycle.ordinal,
                Term::of(self.kind).zh,
                place
            );
            let id = cx
                .tx
                .create_notice(&NewNotice {
                    cycle: cycle.id,
                    kind: self.kind,
                    scope: &notice.scope,
                    title: &title,
                    start: notice.start,
                    end: notice.end,
                    contact: self.contact,
                    by: &cx.by.user.username,
                })
                .await?;
            for a in &apps {
                cx.tx.add_notice_entry(id, *a).await?;
            }
            ids.push(json!({ "notice": id, "start": notice.start, "end": notice.end, "applications": apps }));
        }
        let created: Vec<i64> = ids.iter().filter_map(|v| v["notice"].as_i64()).collect();
        Ok((
            created,
            Object::Cycle(cycle.id),
            json!({ "after": { "kind": self.kind, "notices": ids } }),
        ))
    }
}

/// Checks a notice's request (a contact, a start not in the past) and publishes it.
pub(crate) async fn publish(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    e: PublishNotices<'_>,
) -> Result<Vec<i64>, AppError> {
    let contact = limits::bounded("contact", e.contact, limits::NAME)?;
    if contact.is_empty() {
        return Err(AppError::invalid(
            "contact",
            msg!("notice-contact-required"),
        ));
    }
    if e.start < app.today() {
        return Err(AppError::invalid(
            "start",
            msg!("notice-starts-in-the-past", start = e.start),
        ));
    }
    workflow::cycle_edit(app, by, cycle, &PublishNotices { contact, ..e }).await
}

/// Publishes the candidates' notices (A18.3): one per county or industry where the
/// candidates were received, from `start` for at least the policy's working days.
pub async fn publish_candidate_notices(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    start: NaiveDate,
    end: Option<NaiveDate>,
    contact: &str,
) -> Result<Vec<i64>, AppError> {
    let e = PublishNotices {
        kind: NoticeKind::Candidates,
        start,
        end,
        contact,
    };
    publish(app, by, cycle, e).await
}

/// A candidate whose background opinions the reader's body asks for (A18.2).
#[derive(Debug, Clone, Serialize)]
pub struct BackgroundItem {
    pub id: ApplicationId,
    pub subject_name: String,
    pub departments: Vec<Preselected>,
}

/// The candidates of the current cycle received by the reader's county or industry, each
/// with its preselected departments (A18.2). Those the reader may not see, or is recused
/// from, are not listed.
pub async fn background_queue(app: &App, by: &Principal) -> Result<Vec<BackgroundItem>, AppError> {
    let roles = by.roles();
    if !roles
        .iter()
        .any(|r| matches!(r, Role::CountyReviewer | Role::IndustryDept))
    {
        return Err(AppError::Forbidden(
            qaward_domain::permission::Denial::NoRole,
        ));
    }
    let Some(cycle) = crate::home::current_cycle(app, Some(by)).await? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for line in app.store.commendation_lines(cycle.id).await? {
        if line.row.state != State::Candidate {
            continue;
        }
        match background_departments(app, by, line.row.id).await {
            Ok(departments) => out.push(BackgroundItem {
                id: line.row.id,
                subject_name: line.subject_name,
                departments,
            }),
            Err(AppError::NotFound(_) | AppError::Forbidden(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
