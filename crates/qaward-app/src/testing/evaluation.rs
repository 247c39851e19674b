//! Scenario helpers for the evaluation (issue #10): an accepted application, the demo
//! cycle's plan, a panel drawn for it, sheets scored, stages completed — each one line in
//! a test, each through the use cases like any user.

use std::collections::BTreeMap;

use qaward_domain::application::{Stage, State};
use qaward_domain::evaluation::stage::ItemScore;
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use qaward_domain::scoring::{Aggregation, Percent, Plan};
use qaward_domain::text::Vocabulary;

use super::{TestApp, d};
use crate::Principal;
use crate::evaluation::{panels, plan, sessions, sheets};
use crate::{acceptance, home};

/// The plan the stories use: stages weighted 40/40/20, the mean, a spread of 20 points,
/// the Award from 600, the Nomination Award from 500, panels of three.
pub fn plan() -> Plan {
    Plan {
        weights: [
            (Stage::Material, 40),
            (Stage::OnSite, 40),
            (Stage::Defense, 20),
        ]
        .into(),
        aggregation: Aggregation::Mean,
        spread: Percent::new(20).expect("a percentage"),
        threshold: "600".parse().expect("a number"),
        nomination_threshold: "500".parse().expect("a number"),
        panel_size: 3,
    }
}

/// Every item of `rubric` at `p` %, with a finding.
pub fn items(rubric: &qaward_domain::rubric::Rubric, p: u32) -> BTreeMap<String, ItemScore> {
    rubric
        .items()
        .map(|i| {
            (
                i.code.clone(),
                ItemScore {
                    percent: Percent::new(p).expect("a percentage"),
                    finding: format!("{}：证据充分", i.name),
                },
            )
        })
        .collect()
}

impl TestApp {
    /// The demo cycle.
    pub async fn cycle(&self) -> CycleId {
        home::current_cycle(&self.app, None)
            .await
            .expect("the cycle")
            .expect("a cycle")
            .id
    }

    /// The demo enterprise's application, accepted after its acceptance-list notice ran
    /// clear; "today" is then 2026-12-07.
    pub async fn accepted(&self) -> ApplicationId {
        let id = self.formally_reviewed().await;
        let office = self.as_user("office").await;
        acceptance::publish_acceptance_list(
            &self.app,
            &office,
            &[id],
            d("2026-11-30"),
            None,
            "0350",
        )
        .await
        .expect("on the acceptance list");
        self.set_today("2026-12-07");
        let s = acceptance::accept(&self.app, &office, id)
            .await
            .expect("accepted");
        assert_eq!(s, State::Accepted);
        id
    }

    /// The story plan set for the demo cycle by the Office.
    pub async fn planned(&self) -> CycleId {
        let cycle = self.cycle().await;
        let office = self.as_user("office").await;
        plan::set_plan(&self.app, &office, cycle, &plan(), None)
            .await
            .expect("the plan is set");
        cycle
    }

    /// A panel "第一评审组" for the general field with `ids` on it, drawn through commit,
    /// the supervision group's value and the draw; expert1 (if drawn) or the first member
    /// leads it. Returns the panel and its members.
    pub async fn panel_drawn(&self, ids: &[ApplicationId]) -> (i64, Vec<UserId>) {
        let cycle = self.cycle().await;
        let office = self.as_user("office").await;
        let supervisor = self.as_user("supervisor").await;
        let panel = panels::create_panel(&self.app, &office, cycle, "第一评审组", "综合")
            .await
            .expect("a panel");
        panels::assign(&self.app, &office, cycle, panel, ids)
            .await
            .expect("assigned");
        let draw = panels::commit_draw(&self.app, &office, cycle, panel, None)
            .await
            .expect("committed");
        panels::contribute(&self.app, &supervisor, cycle, draw, "监督组 20261207")
            .await
            .expect("contributed");
        let members = panels::make_draw(&self.app, &office, cycle, draw)
            .await
            .expect("drawn");
        panels::set_leader(&self.app, &office, cycle, panel, members[0])
            .await
            .expect("a leader");
        (panel, members)
    }

    /// `id` accepted by then, the story plan set, a panel drawn for it and the material
    /// review opened: where every scoring story starts. Returns the cycle and the members.
    pub async fn material_open(&self, id: ApplicationId) -> (CycleId, Vec<UserId>) {
        let cycle = self.planned().await;
        let (_, members) = self.panel_drawn(&[id]).await;
        let office = self.as_user("office").await;
        plan::open_stage(&self.app, &office, cycle, Stage::Material)
            .await
            .expect("the material review opens");
        (cycle, members)
    }

    /// The principal of an expert by account id.
    pub async fn expert(&self, id: UserId) -> Principal {
        let u = self.app.store.user(id).await.expect("the expert's account");
        self.as_user(&u.username).await
    }

    /// Every member of `members` submits a sheet for `id` in `stage` at `p` %.
    pub async fn scored(&self, id: ApplicationId, stage: Stage, members: &[UserId], p: u32) {
        let r = items(&self.app.rubrics.organization, p);
        for m in members {
            let e = self.expert(*m).await;
            sheets::save_sheet(&self.app, &e, id, stage, &r, true)
                .await
                .expect("the sheet is submitted");
        }
    }

    /// Accepted, planned, drawn, and every stage scored at `p` % and completed, the visits
    /// and sessions scheduled: ready for the step to Evaluated. Returns the panel's members.
    pub async fn through_the_stages(&self, id: ApplicationId, p: u32) -> Vec<UserId> {
        let cycle = self.planned().await;
        let (_, members) = self.panel_drawn(&[id]).await;
        let office = self.as_user("office").await;
        for &stage in Stage::ALL {
            plan::open_stage(&self.app, &office, cycle, stage)
                .await
                .expect("opened");
            if stage != Stage::Material {
                sessions::schedule(
                    &self.app,
                    &office,
                    id,
                    stage,
                    d("2026-12-10"),
                    "申报单位会议室",
                    members.clone(),
                )
                .await
                .expect("scheduled");
            }
            self.scored(id, stage, &members, p).await;
            plan::complete_stage(&self.app, &office, cycle, stage)
                .await
                .expect("completed");
        }
        members
    }
}
