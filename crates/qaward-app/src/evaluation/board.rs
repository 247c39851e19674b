//! Everything of a cycle's evaluation read at once, in a fixed number of queries: the
//! accepted applications, panels, recusals, sheets, consensus scores and sessions. The
//! stage checks, the results and the supervision record are views of the whole cycle's;
//! a score sheet, a consensus and a session are views of their one application's.

use std::collections::BTreeSet;

use qaward_domain::application::{Stage, State};
use qaward_domain::evaluation::stage::{Outstanding, SheetStatus};
use qaward_domain::ids::{ApplicationId, CycleId, SubjectId, UserId};
use qaward_domain::scoring::{Plan, ScoreSheet, SpreadFlag, spread_flags};
use qaward_store::applications::ApplicationLine;
use qaward_store::evaluation::panels::Panel;
use qaward_store::evaluation::sheets::{ConsensusRow, Session, Sheet};

use crate::{App, AppError};

/// A cycle's evaluation as it stands.
pub(crate) struct Board {
    pub lines: Vec<ApplicationLine>,
    pub panels: Vec<Panel>,
    pub recusals: BTreeSet<(UserId, SubjectId)>,
    pub sheets: Vec<Sheet>,
    pub consensus: Vec<(ApplicationId, ConsensusRow)>,
    pub sessions: Vec<Session>,
}

impl Board {
    /// The whole cycle: for the stage checks, the results and the supervision record.
    pub async fn load(app: &App, cycle: CycleId) -> Result<Self, AppError> {
        let lines = app.store.cycle_applications(cycle).await?;
        let recusals = app.store.all_recusals().await?.into_iter().collect();
        Self::around(app, cycle, lines, recusals).await
    }

    /// The applications `ids` of the cycle only, with what concerns them: a page about
    /// one application (a score sheet, a consensus, a session) reads its own rows, not
    /// the whole cycle's (issue #14: the sheet page read 900 sheets to show one).
    pub async fn of(app: &App, cycle: CycleId, ids: &[ApplicationId]) -> Result<Self, AppError> {
        let lines = app.store.application_lines(cycle, ids).await?;
        let subjects: Vec<SubjectId> = lines.iter().map(|l| l.row.subject_id).collect();
        let recusals = app
            .store
            .recusals_from(&subjects)
            .await?
            .into_iter()
            .collect();
        Self::around(app, cycle, lines, recusals).await
    }

    async fn around(
        app: &App,
        cycle: CycleId,
        lines: Vec<ApplicationLine>,
        recusals: BTreeSet<(UserId, SubjectId)>,
    ) -> Result<Self, AppError> {
        let ids: Vec<ApplicationId> = lines.iter().map(|l| l.row.id).collect();
        Ok(Self {
            panels: app.store.panels(cycle).await?,
            recusals,
            sheets: app.store.sheets(&ids).await?,
            consensus: app.store.consensus(&ids).await?,
            sessions: app.store.sessions(&ids).await?,
            lines,
        })
    }

    /// The applications under evaluation: accepted, or evaluated already.
    pub fn evaluated(&self) -> impl Iterator<Item = &ApplicationLine> {
        self.lines
            .iter()
            .filter(|l| matches!(l.row.state, State::Accepted | State::Evaluated))
    }

    pub fn line(&self, id: ApplicationId) -> Option<&ApplicationLine> {
        self.lines.iter().find(|l| l.row.id == id)
    }

    pub fn panel_of(&self, id: ApplicationId) -> Option<&Panel> {
        self.panels.iter().find(|p| p.applications.contains(&id))
    }

    /// The experts who score `id`: its panel's members, less those recused from its
    /// applicant (A29).
    pub fn assigned(&self, id: ApplicationId) -> Vec<UserId> {
        let (Some(line), Some(panel)) = (self.line(id), self.panel_of(id)) else {
            return vec![];
        };
        panel
            .members
            .iter()
            .copied()
            .filter(|u| !self.recusals.contains(&(*u, line.row.subject_id)))
            .collect()
    }

    /// The submitted sheets of `id` in `stage` by experts not recused from it.
    pub fn submitted(&self, id: ApplicationId, stage: Stage) -> Vec<&Sheet> {
        let subject = self.line(id).map(|l| l.row.subject_id);
        self.sheets
            .iter()
            .filter(|s| s.application_id == id && s.stage == stage)
            .filter(|s| s.status == SheetStatus::Submitted)
            .filter(|s| subject.is_none_or(|sub| !self.recusals.contains(&(s.expert, sub))))
            .collect()
    }

    /// The items of `id` in `stage` whose experts differ by more than the plan's spread.
    pub fn flags(&self, plan: &Plan, id: ApplicationId, stage: Stage) -> Vec<SpreadFlag> {
        let sheets: Vec<ScoreSheet> = self
            .submitted(id, stage)
            .into_iter()
            .map(|s| ScoreSheet {
                stage,
                items: s
                    .items
                    .iter()
                    .map(|(k, v)| (k.clone(), v.percent))
                    .collect(),
            })
            .collect();
        spread_flags(plan, &sheets)
    }

    /// The consensus scores of `id`.
    pub fn consensus_of(&self, id: ApplicationId) -> Vec<&ConsensusRow> {
        self.consensus
            .iter()
            .filter(|(a, _)| *a == id)
            .map(|(_, c)| c)
            .collect()
    }

    /// What stands between `stage` and its completion, over the accepted applications.
    pub fn outstanding(&self, plan: &Plan, stage: Stage) -> Outstanding {
        let mut left = Outstanding::default();
        for l in self.lines.iter().filter(|l| l.row.state == State::Accepted) {
            let id = l.row.id;
            let done: BTreeSet<UserId> =
                self.submitted(id, stage).iter().map(|s| s.expert).collect();
            let assigned = self.assigned(id);
            // An application on no panel counts as missing all its sheets: at least one.
            left.sheets += if assigned.is_empty() {
                1
            } else {
                assigned.iter().filter(|u| !done.contains(u)).count() as u32
            };
            let agreed = self.consensus_of(id);
            left.consensus += self
                .flags(plan, id, stage)
                .iter()
                .filter(|f| {
                    !agreed
                        .iter()
                        .any(|c| c.consensus.stage == stage && c.consensus.item == f.item)
                })
                .count() as u32;
            if stage != Stage::Material
                && !self
                    .sessions
                    .iter()
                    .any(|s| s.application_id == id && s.stage == stage)
            {
                left.unscheduled += 1;
            }
        }
        left
    }
}
