//! The Office's cycle: opening one under the policy in force (A4.2, A33, A34) with its
//! application window and review deadlines, and the dashboard of where its applications
//! stand — by state, by channel, by county-level unit, and what is overdue.

use std::collections::BTreeMap;

use crate::audit::{self, AuditAction, Object};
use qaward_domain::application::State;
use qaward_domain::cycle::{Timeline, check_new_cycle};
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::permission::{Perm, Role, Target};
use qaward_domain::subject::CycleRef;
use qaward_store::programs::Cycle;
use serde::Serialize;
use serde_json::json;

use crate::{App, AppError, Principal, check};

/// Opens the next cycle of the program (creating the program on first use).
pub async fn open_cycle(
    app: &App,
    by: &Principal,
    cycle: CycleRef,
    timeline: Timeline,
) -> Result<CycleId, AppError> {
    // The cycle is opened in the program the Office works in (the first program it
    // holds the role in), checked as that program's.
    let program = crate::programs::acting(app, by, Role::Office).await?;
    check(
        Some(by),
        Perm::ManageCycle,
        &Target {
            program: Some(program),
            ..Target::default()
        },
    )?;
    let previous = app
        .store
        .cycles(program)
        .await?
        .into_iter()
        .next()
        .map(|c| c.cycle);
    // The version in force now binds the cycle to its end (A33, A34): a successor
    // adopted later governs only the cycles opened after it.
    let policy = app.policy_in(program).await?;
    check_new_cycle(&policy, cycle, previous, &timeline)?;
    let mut tx = app.store.write().await?;
    let id = tx
        .create_cycle(program, cycle, &policy.id, &timeline)
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::CycleOpen,
        Object::Cycle(id),
        json!({ "after": { "cycle": cycle, "timeline": timeline, "policy": policy.id } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Where a cycle's applications stand.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub cycle: Cycle,
    pub total: usize,
    pub by_state: BTreeMap<String, usize>,
    /// `county:ID` or `industry:ID` → count, for submitted applications.
    pub by_channel: BTreeMap<String, usize>,
    /// County-level unit of the subject → count.
    pub by_county: BTreeMap<String, usize>,
    /// Applications past a deadline of the timeline, with why.
    pub overdue: Vec<Overdue>,
    /// The version of the measures the cycle runs under, for the names of its channels.
    #[serde(skip)]
    pub policy: std::sync::Arc<qaward_domain::policy::Policy>,
}

/// An application past a deadline.
#[derive(Debug, Clone, Serialize)]
pub struct Overdue {
    pub application: ApplicationId,
    pub subject: String,
    pub why: String,
}

/// The dashboard of the newest cycle (the Office, the supervisors and the Leading Group).
pub async fn dashboard(app: &App, by: &Principal) -> Result<Option<Dashboard>, AppError> {
    check(Some(by), Perm::ViewDashboard, &Target::default())?;
    let Some(cycle) = crate::home::current_cycle(app, Some(by)).await? else {
        return Ok(None);
    };
    check(
        Some(by),
        Perm::ViewDashboard,
        &crate::workflow::target_of_cycle(&cycle),
    )?;
    let today = app.today();
    let lines = app.store.cycle_applications(cycle.id).await?;
    let late = app.store.late_opinions(cycle.id, today).await?;
    let mut d = Dashboard {
        total: lines.len(),
        by_state: BTreeMap::new(),
        by_channel: BTreeMap::new(),
        by_county: BTreeMap::new(),
        overdue: Vec::new(),
        policy: app.policy_of(&cycle).await?,
        cycle: cycle.clone(),
    };
    for l in &lines {
        *d.by_state.entry(l.row.state.code().to_owned()).or_default() += 1;
        *d.by_county.entry(l.county.clone()).or_default() += 1;
        if let Some(c) = &l.row.channel {
            *d.by_channel.entry(c.to_string()).or_default() += 1;
        }
        let t = &cycle.timeline;
        let why = match l.row.state {
            State::Submitted | State::ChannelPassed if today > t.channel_review_due => {
                Some(format!("channel review was due {}", t.channel_review_due))
            }
            State::Recommended | State::FormallyReviewed if today > t.formal_review_due => {
                Some(format!("formal review was due {}", t.formal_review_due))
            }
            _ if late.contains(&l.row.id) => {
                Some("an opinion request is past its due date".to_owned())
            }
            _ => None,
        };
        if let Some(why) = why {
            d.overdue.push(Overdue {
                application: l.row.id,
                subject: l.subject_name.clone(),
                why,
            });
        }
    }
    Ok(Some(d))
}
