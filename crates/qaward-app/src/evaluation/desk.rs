//! The evaluation desk: everything the Office, the agency and the supervision group work
//! with on one page — the plan and its amendments, the stages, panels with their members
//! and draws, the applications to evaluate, exclusion requests, observations and the
//! results — read in a fixed number of queries.

use std::collections::BTreeMap;

use qaward_domain::application::State;
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use qaward_domain::permission::Perm;
use qaward_store::evaluation::panels::{DrawRow, Panel};
use qaward_store::evaluation::plans::Observation;
use qaward_store::evaluation::pool::ExclusionRequest;
use serde::Serialize;

use super::panels::{self, may_oversee};
use super::plan::{self, PlanView};
use super::results::{self, Ranked};
use super::sessions::Visit;
use crate::workflow::cycle_target;
use crate::{App, AppError, Principal, check};

/// An application under evaluation, as the desk lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub id: ApplicationId,
    pub subject: String,
    pub state: State,
    /// The panel it is on, if any.
    pub panel: Option<i64>,
}

/// What the desk shows.
#[derive(Debug, Clone, Serialize)]
pub struct Desk {
    pub cycle: CycleId,
    pub plan: PlanView,
    pub panels: Vec<(Panel, Vec<DrawRow>)>,
    /// The pool's experts' names, for the panels and draws.
    pub names: BTreeMap<UserId, String>,
    pub applications: Vec<Line>,
    pub exclusions: Vec<ExclusionRequest>,
    pub observations: Vec<Observation>,
    pub results: Vec<Ranked>,
    /// The visits and sessions scheduled, by application.
    pub visits: Vec<(ApplicationId, Visit)>,
    /// Whether the reader runs the evaluation (the Office, the agency) and so may change
    /// it; else they oversee it (the supervision group).
    pub runs: bool,
    /// Whether the reader signs stages off and contributes to draws.
    pub supervises: bool,
    /// Whether the reader decides exclusion requests (the Office).
    pub keeps_pool: bool,
    /// The agencies entrusted with the cycle (A9.2).
    pub entrustments: Vec<qaward_store::evaluation::pool::Entrustment>,
    /// Whether the reader entrusts agencies (the Office).
    pub entrusts: bool,
}

/// The desk of `cycle`.
pub async fn desk(app: &App, by: &Principal, cycle: CycleId) -> Result<Desk, AppError> {
    may_oversee(app, by, cycle).await?;
    app.store.cycle(cycle).await?;
    let target = cycle_target(app, cycle).await?;
    let runs = check(Some(by), Perm::ManagePanels, &target).is_ok();
    let supervises = check(Some(by), Perm::SuperviseEvaluation, &target).is_ok();
    let panel_list = panels::panels(app, by, cycle).await?;
    let applications = app
        .store
        .cycle_applications(cycle)
        .await?
        .into_iter()
        .filter(|l| matches!(l.row.state, State::Accepted | State::Evaluated))
        .map(|l| Line {
            id: l.row.id,
            panel: panel_list
                .iter()
                .find(|(p, _)| p.applications.contains(&l.row.id))
                .map(|(p, _)| p.id),
            subject: l.subject_name,
            state: l.row.state,
        })
        .collect::<Vec<_>>();
    let ids: Vec<ApplicationId> = applications.iter().map(|l| l.id).collect();
    let names: BTreeMap<UserId, String> = app
        .store
        .experts()
        .await?
        .into_iter()
        .map(|e| (e.user_id, e.name))
        .collect();
    let visits = app
        .store
        .sessions(&ids)
        .await?
        .into_iter()
        .map(|s| {
            let team = s
                .team
                .iter()
                .map(|u| names.get(u).cloned().unwrap_or_else(|| u.to_string()))
                .collect();
            (
                s.application_id,
                Visit {
                    stage: s.stage,
                    on_date: s.on_date,
                    place: s.place,
                    team,
                    attendance: s.minutes.map(|m| m.attendance),
                },
            )
        })
        .collect();
    Ok(Desk {
        cycle,
        plan: plan::view(app, by, cycle).await?,
        exclusions: app.store.cycle_exclusion_requests(cycle).await?,
        observations: app.store.observations(cycle).await?,
        results: results::results(app, by, cycle).await?,
        panels: panel_list,
        names,
        applications,
        visits,
        runs,
        supervises,
        // Program-wide: the Office's alone, not an agency's (A29 requests are the Office's).
        keeps_pool: check(
            Some(by),
            Perm::ManageExperts,
            &qaward_domain::permission::Target::default(),
        )
        .is_ok(),
        entrustments: app.store.entrustments(cycle).await?,
        entrusts: check(Some(by), Perm::ManageCycle, &target).is_ok(),
    })
}
