//! Panels by field and the reproducible draw that fills them (A17.1, A29).
//!
//! The Office (or the agency entrusted with the cycle) creates a panel for a field and
//! puts accepted applications on it, then draws its experts in three moves
//! ([`qaward_domain::evaluation::draw`]): it commits — the pool snapshot is fixed, with
//! every expert's exclusion (unavailable, a conflict with any applicant of the panel,
//! already on it, declined), and the hash of a seed the system generates and keeps
//! hidden is published; the supervision group contributes a value of its own; the Office
//! draws — the seed is revealed and the panel follows from seed and value. A member who
//! declines leaves the panel and a replacement is drawn the same way.

use qaward_domain::evaluation::conflict::{self, ConflictSource};
use qaward_domain::evaluation::draw::{self, ALGORITHM, DrawRecord, Exclusion, PoolEntry};
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_domain::rule::{self, Refusal};
pub use qaward_store::evaluation::panels::{DrawRow, DrawStatus, Panel};
use rand::RngCore;
use serde_json::{Value, json};

use super::plan_of;
use crate::audit::{AuditAction, Object};
use crate::limits;
use crate::workflow::{CycleCx, CycleEdit, cycle_edit, cycle_target};
use crate::{App, AppError, Principal, check};

/// What is done to a panel.
enum PanelEdit<'a> {
    Create {
        name: &'a str,
        field: &'a str,
    },
    Assign {
        panel: i64,
        ids: &'a [ApplicationId],
    },
    Leader {
        panel: i64,
        expert: UserId,
    },
    Leave {
        panel: i64,
        expert: UserId,
        reason: &'a str,
    },
}

async fn panel_in(app: &App, cycle: CycleId, panel: i64) -> Result<Panel, AppError> {
    app.store
        .panels(cycle)
        .await?
        .into_iter()
        .find(|p| p.id == panel)
        .ok_or_else(|| AppError::NotFound(format!("panel {panel} in cycle {cycle}")))
}

impl CycleEdit for PanelEdit<'_> {
    type Output = i64;

    fn audit(&self) -> AuditAction {
        match self {
            PanelEdit::Create { .. } => AuditAction::PanelCreate,
            PanelEdit::Assign { .. } => AuditAction::PanelAssign,
            PanelEdit::Leader { .. } => AuditAction::PanelLeader,
            PanelEdit::Leave { .. } => AuditAction::PanelMemberLeave,
        }
    }

    fn perm(&self) -> Perm {
        Perm::ManagePanels
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<(i64, Object, Value), AppError> {
        let app = cx.app;
        let cycle = cx.cycle.id;
        let by = cx.by.user.username.as_str();
        let opened = !app.store.stages(cycle).await?.is_empty();
        match self {
            PanelEdit::Create { name, field } => {
                let id = cx.tx.create_panel(cycle, name, field, by).await?;
                Ok((
                    id,
                    Object::Panel(id),
                    json!({ "name": name, "field": field }),
                ))
            }
            PanelEdit::Assign { panel, ids } => {
                panel_in(app, cycle, *panel).await?;
                if opened {
                    return Err(Refusal::new(rule::A17_2, msg!("panel-scoring-opened")).into());
                }
                let accepted = super::accepted(app, cycle).await?;
                for id in ids.iter() {
                    if !accepted.contains(id) {
                        return Err(Refusal::new(
                            rule::A17_1,
                            msg!("panel-only-accepted", id = id.0),
                        )
                        .into());
                    }
                    cx.tx.assign_to_panel(*panel, *id).await?;
                }
                Ok((
                    *panel,
                    Object::Panel(*panel),
                    json!({ "applications": ids }),
                ))
            }
            PanelEdit::Leader { panel, expert } => {
                let p = panel_in(app, cycle, *panel).await?;
                if !p.members.contains(expert) {
                    return Err(AppError::invalid("expert", msg!("leader-not-a-member")));
                }
                cx.tx.set_panel_leader(*panel, *expert).await?;
                Ok((*panel, Object::Panel(*panel), json!({ "leader": expert })))
            }
            PanelEdit::Leave {
                panel,
                expert,
                reason,
            } => {
                panel_in(app, cycle, *panel).await?;
                if !cx.tx.remove_panel_member(*panel, *expert, reason).await? {
                    return Err(AppError::invalid("expert", msg!("leader-not-a-member")));
                }
                Ok((
                    *panel,
                    Object::Panel(*panel),
                    json!({ "expert": expert, "reason": reason }),
                ))
            }
        }
    }
}

fn text<'a>(field: &str, v: &'a str, max: usize) -> Result<&'a str, AppError> {
    let v = limits::bounded(field, v, max)?;
    if v.is_empty() {
        return Err(AppError::invalid(field, msg!("field-required")));
    }
    Ok(v)
}

/// Creates a panel of the cycle for a field (专业领域).
pub async fn create_panel(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    name: &str,
    field: &str,
) -> Result<i64, AppError> {
    let name = text("name", name, 100)?;
    let field = text("field", field, 200)?;
    cycle_edit(app, by, cycle, &PanelEdit::Create { name, field }).await
}

/// Puts accepted applications on a panel, before scoring opens.
pub async fn assign(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    panel: i64,
    ids: &[ApplicationId],
) -> Result<(), AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid(
            "applications",
            msg!("choose-an-application"),
        ));
    }
    cycle_edit(app, by, cycle, &PanelEdit::Assign { panel, ids }).await?;
    Ok(())
}

/// Names a member the panel's leader, who records consensus scores.
pub async fn set_leader(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    panel: i64,
    expert: UserId,
) -> Result<(), AppError> {
    cycle_edit(app, by, cycle, &PanelEdit::Leader { panel, expert }).await?;
    Ok(())
}

/// Records that a member leaves the panel (declined the seat); a replacement is then
/// drawn with [`commit_draw`].
pub async fn leave(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    panel: i64,
    expert: UserId,
    reason: &str,
) -> Result<(), AppError> {
    let reason = text("reason", reason, limits::REASON)?;
    cycle_edit(
        app,
        by,
        cycle,
        &PanelEdit::Leave {
            panel,
            expert,
            reason,
        },
    )
    .await?;
    Ok(())
}

/// A move of a draw.
enum DrawEdit<'a> {
    Commit {
        panel: i64,
        replaces: Option<UserId>,
    },
    Contribute {
        draw: i64,
        value: &'a str,
    },
    Make {
        draw: i64,
    },
}

impl CycleEdit for DrawEdit<'_> {
    type Output = i64;

    fn audit(&self) -> AuditAction {
        match self {
            DrawEdit::Commit { .. } => AuditAction::DrawCommit,
            DrawEdit::Contribute { .. } => AuditAction::DrawContribute,
            DrawEdit::Make { .. } => AuditAction::DrawMake,
        }
    }

    fn perm(&self) -> Perm {
        match self {
            DrawEdit::Contribute { .. } => Perm::SuperviseEvaluation,
            _ => Perm::ManagePanels,
        }
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<(i64, Object, Value), AppError> {
        match self {
            DrawEdit::Commit { panel, replaces } => commit(cx, *panel, *replaces).await,
            DrawEdit::Contribute { draw, value } => {
                let d = draw_in(cx.app, cx.cycle.id, *draw).await?;
                if d.status != DrawStatus::Committed {
                    return Err(
                        Refusal::new(rule::A17_1, msg!("draw-not-awaiting-contribution")).into(),
                    );
                }
                let mut record = d.record.clone();
                record.contribution = Some((*value).to_owned());
                if !cx
                    .tx
                    .advance_draw(d.id, DrawStatus::Committed, &record, &cx.by.user.username)
                    .await?
                {
                    return Err(AppError::Conflict(msg!("draw-changed-meanwhile")));
                }
                Ok((d.id, Object::Draw(d.id), json!({ "contribution": value })))
            }
            DrawEdit::Make { draw } => make(cx, *draw).await,
        }
    }
}

async fn draw_in(app: &App, cycle: CycleId, id: i64) -> Result<DrawRow, AppError> {
    let (d, c) = app.store.draw(id).await?;
    if c != cycle {
        return Err(AppError::NotFound(format!("draw {id} in cycle {cycle}")));
    }
    Ok(d)
}

/// Fixes the pool snapshot, records the register's conflicts and commits to a new seed.
async fn commit(
    cx: &mut CycleCx<'_>,
    panel: i64,
    replaces: Option<UserId>,
) -> Result<(i64, Object, Value), AppError> {
    let app = cx.app;
    let cycle = cx.cycle.id;
    let plan = plan_of(app, cycle).await?;
    let p = panel_in(app, cycle, panel).await?;
    let draws = app.store.draws(panel).await?;
    if draws.iter().any(|d| d.status != DrawStatus::Drawn) {
        return Err(Refusal::new(rule::A17_1, msg!("draw-in-progress")).into());
    }
    let size = match replaces {
        None if !p.members.is_empty() || !draws.is_empty() => {
            return Err(Refusal::new(rule::A17_1, msg!("draw-panel-drawn")).into());
        }
        None => plan.plan.panel_size,
        Some(_) => 1,
    };
    if let Some(r) = replaces
        && !app
            .store
            .former_members(panel)
            .await?
            .iter()
            .any(|(u, _)| *u == r)
    {
        return Err(AppError::invalid(
            "replaces",
            msg!("draw-replaces-no-former-member"),
        ));
    }
    if p.applications.is_empty() {
        return Err(Refusal::new(rule::A17_1, msg!("draw-panel-empty")).into());
    }
    let former: Vec<UserId> = app
        .store
        .former_members(panel)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let recusals = app.store.all_recusals().await?;
    let subjects: Vec<_> = app
        .store
        .subjects_of_applications(&p.applications)
        .await?
        .into_iter()
        .map(|(_, s)| (s.id, s.subject))
        .collect();
    let mut pool = Vec::new();
    let mut detected = Vec::new();
    // Only experts of the cycle's own program can be drawn: a grant in another program
    // would not let them read what they are to score.
    for e in app.store.experts_of(&[cx.cycle.program_id]).await? {
        let employer = e.employer();
        let mut conflicted = false;
        for (sid, subject) in &subjects {
            if recusals.contains(&(e.user_id, *sid)) {
                conflicted = true;
            } else if let Some(kind) = conflict::detect(&employer, subject) {
                // Recorded now, so that the expert stays recused from the applicant
                // whatever panel they sit on later (A29).
                cx.tx
                    .declare_interest(e.user_id, *sid, kind, ConflictSource::Detected, &e.employer)
                    .await?;
                detected.push(json!({ "expert": e.user_id, "subject": sid }));
                conflicted = true;
            }
        }
        let excluded = if p.members.contains(&e.user_id) {
            Some(Exclusion::OnPanel)
        } else if former.contains(&e.user_id) {
            Some(Exclusion::Declined)
        } else if conflicted {
            Some(Exclusion::Conflict)
        } else if !e.available {
            Some(Exclusion::Unavailable)
        } else {
            None
        };
        pool.push(PoolEntry {
            expert: e.user_id,
            fields: e.fields,
            excluded,
        });
    }
    draw::check_enough(&pool, &p.field, size)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let seed = hex::encode(bytes);
    let record = DrawRecord {
        algorithm: ALGORITHM.to_owned(),
        field: p.field.clone(),
        size,
        commitment: draw::commitment(&seed),
        pool,
        contribution: None,
        seed: None,
        drawn: vec![],
    };
    let id = cx
        .tx
        .commit_draw(panel, replaces, &record, &seed, &cx.by.user.username)
        .await?;
    Ok((
        id,
        Object::Draw(id),
        json!({ "panel": panel, "replaces": replaces, "commitment": record.commitment, "size": size,
                "eligible": draw::eligible(&record.pool, &record.field).len(), "detected": detected }),
    ))
}

/// Reveals the seed and draws the panel.
async fn make(cx: &mut CycleCx<'_>, id: i64) -> Result<(i64, Object, Value), AppError> {
    let app = cx.app;
    let d = draw_in(app, cx.cycle.id, id).await?;
    match d.status {
        DrawStatus::Contributed => {}
        DrawStatus::Drawn => return Err(AppError::Conflict(msg!("draw-made-already"))),
        DrawStatus::Committed => {
            return Err(Refusal::new(rule::A17_1, msg!("draw-not-awaiting-draw")).into());
        }
    }
    let seed = app.store.draw_seed(id).await?;
    let mut record = d.record.clone();
    let contribution = record.contribution.clone().unwrap_or_default();
    record.drawn = draw::draw(
        &record.pool,
        &record.field,
        record.size,
        &seed,
        &contribution,
    )?;
    record.seed = Some(seed);
    if !cx
        .tx
        .advance_draw(id, DrawStatus::Contributed, &record, &cx.by.user.username)
        .await?
    {
        return Err(AppError::Conflict(msg!("draw-changed-meanwhile")));
    }
    for e in &record.drawn {
        cx.tx.add_panel_member(d.panel_id, *e, id).await?;
    }
    // The experts drawn learn it from their tasks; the note names no applicant.
    crate::notify::users(
        cx.tx,
        app,
        &record.drawn,
        "您已被抽取为本届市长质量奖评审专家，请登录查看评审任务。",
        "/evaluation/tasks",
    )
    .await?;
    Ok((
        id,
        Object::Draw(id),
        json!({ "panel": d.panel_id, "drawn": record.drawn, "seed": record.seed }),
    ))
}

/// The Office commits to a draw for `panel`: its first (the plan's panel size), or the
/// replacement of a member who left (one seat).
pub async fn commit_draw(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    panel: i64,
    replaces: Option<UserId>,
) -> Result<i64, AppError> {
    cycle_edit(app, by, cycle, &DrawEdit::Commit { panel, replaces }).await
}

/// The supervision group contributes its value to a committed draw (A17.3).
pub async fn contribute(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    draw: i64,
    value: &str,
) -> Result<(), AppError> {
    let value = text("value", value, 200)?;
    cycle_edit(app, by, cycle, &DrawEdit::Contribute { draw, value }).await?;
    Ok(())
}

/// The Office makes the draw: the seed revealed, the panel drawn and seated.
pub async fn make_draw(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    draw: i64,
) -> Result<Vec<UserId>, AppError> {
    cycle_edit(app, by, cycle, &DrawEdit::Make { draw }).await?;
    Ok(app.store.draw(draw).await?.0.record.drawn)
}

/// The panels of a cycle with their draws (the Office, the agency, the supervision group).
pub async fn panels(
    app: &App,
    by: &Principal,
    cycle: CycleId,
) -> Result<Vec<(Panel, Vec<DrawRow>)>, AppError> {
    may_oversee(app, by, cycle).await?;
    app.store.cycle(cycle).await?;
    let draws = app.store.cycle_draws(cycle).await?;
    Ok(app
        .store
        .panels(cycle)
        .await?
        .into_iter()
        .map(|p| {
            let d = draws
                .iter()
                .filter(|d| d.panel_id == p.id)
                .cloned()
                .collect();
            (p, d)
        })
        .collect())
}

/// A draw's record as `qaward draw verify` reads it: with the seed once drawn, without it
/// before (the record never holds the seed until the draw reveals it).
pub async fn draw_record(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    draw: i64,
) -> Result<DrawRecord, AppError> {
    may_oversee(app, by, cycle).await?;
    Ok(draw_in(app, cycle, draw).await?.record)
}

/// Whether `by` runs or oversees the cycle's evaluation.
pub(crate) async fn may_oversee(app: &App, by: &Principal, cycle: CycleId) -> Result<(), AppError> {
    let t = cycle_target(app, cycle).await?;
    check(Some(by), Perm::ManagePanels, &t)
        .or_else(|_| check(Some(by), Perm::SuperviseEvaluation, &t))
}
