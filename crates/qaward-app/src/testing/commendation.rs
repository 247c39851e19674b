//! Scenario helpers for the commendation (issue #11): several enterprises carried through
//! the whole first half and the evaluation, each with its own score, then the candidate
//! list, its notices and opinions, the deliberation, the proposed winners' notice and the
//! joint report — each one line in a test, each through the use cases like any user.

use qaward_domain::application::{ReviewStep, Stage, State};
use qaward_domain::commendation::Choice;
use qaward_domain::ids::{ApplicationId, CreditCode, CycleId};
use qaward_domain::policy::Level;
use qaward_domain::text::Vocabulary;

use super::{TestApp, d};
use crate::commendation::{candidates, decision};
use crate::evaluation::{plan, results, sessions};
use crate::review::{self, Checklist, Decision};
use crate::{Principal, acceptance, auth, registrations};

/// The password of every test enterprise's account.
pub const ENTERPRISE_PASSWORD: &str = "correct-horse-1";

/// A valid credit code of Xinfu for the `n`th test enterprise.
fn credit_code(n: usize) -> String {
    let base = format!("91140902{:09}", 500_000_000 + n);
    b"0123456789ABCDEFGHJKLMNPQRTUWXY"
        .iter()
        .map(|&c| format!("{base}{}", c as char))
        .find(|code| CreditCode::parse(code).is_ok())
        .expect("one check character fits")
}

impl TestApp {
    /// The `n`th test enterprise of Xinfu, registered, its registration confirmed, logged in.
    async fn enterprise(&self, n: usize) -> Principal {
        let username = format!("org{n}");
        let reg = crate::accounts::OrgRegistration {
            name: format!("忻州市第{n}测试有限公司"),
            credit_code: credit_code(n),
            kind: "enterprise".into(),
            county: "xinfu".into(),
            founded: "2015-03-01".into(),
            legal_representative: "冯测试".into(),
            contact_name: "陈联系".into(),
            contact_phone: "0350-6000000".into(),
            username: username.clone(),
            password: ENTERPRISE_PASSWORD.into(),
            ..crate::accounts::OrgRegistration::default()
        };
        crate::accounts::register(
            &self.app,
            crate::accounts::Registration::Organization(&reg),
            "test",
        )
        .await
        .expect("registered");
        let p = auth::login(&self.app, &username, ENTERPRISE_PASSWORD, "test")
            .await
            .expect("logged in")
            .principal;
        let reviewer = self.as_user("county-reviewer").await;
        let subject = p.user.subject_id.expect("an applicant");
        registrations::confirm(&self.app, &reviewer, subject, "营业执照")
            .await
            .expect("confirmed");
        p
    }

    /// The test enterprises numbered `numbers`, each with a complete draft whose in-unit
    /// notice has run: ready to submit. Returns each one's username (its password is
    /// [`ENTERPRISE_PASSWORD`]) and application.
    pub async fn prepared_enterprises(
        &self,
        numbers: std::ops::Range<usize>,
    ) -> Vec<(String, ApplicationId)> {
        let mut out = Vec::new();
        for n in numbers {
            let p = self.enterprise(n).await;
            out.push((p.user.username.clone(), self.prepared(&p).await));
        }
        out
    }

    /// The test enterprises numbered `numbers`, each submitted to Xinfu, passed by its
    /// reviewer and recommended by its government: at the Office.
    pub async fn recommended_enterprises(
        &self,
        numbers: std::ops::Range<usize>,
    ) -> Vec<ApplicationId> {
        let mut ids = Vec::new();
        for n in numbers {
            let p = self.enterprise(n).await;
            ids.push(self.submitted(&p, "county:xinfu").await);
        }
        let reviewer = self.as_user("county-reviewer").await;
        for id in &ids {
            review::review(
                &self.app,
                &reviewer,
                *id,
                ReviewStep::Channel,
                &Decision::Pass,
                &Checklist::notice_clear(),
            )
            .await
            .expect("the channel passes it");
        }
        let gov = self.as_user("county-government").await;
        review::recommend(&self.app, &gov, &ids)
            .await
            .expect("recommended");
        ids
    }

    /// The test enterprises numbered `numbers`, recommended, the public-security opinion
    /// on each asked and answered, passed by the formal review and published on one
    /// acceptance list today.
    pub async fn listed_enterprises(&self, numbers: std::ops::Range<usize>) -> Vec<ApplicationId> {
        let ids = self.recommended_enterprises(numbers).await;
        let office = self.as_user("office").await;
        let depts = ["public-security".to_owned()];
        for id in &ids {
            acceptance::request_opinions(&self.app, &office, *id, &depts, self.app.today())
                .await
                .expect("opinions requested");
        }
        self.answer_all().await;
        for id in &ids {
            review::review(
                &self.app,
                &office,
                *id,
                ReviewStep::Formal,
                &Decision::Pass,
                &Checklist::default(),
            )
            .await
            .expect("formal review passes");
        }
        acceptance::publish_acceptance_list(
            &self.app,
            &office,
            &ids,
            self.app.today(),
            None,
            "0350",
        )
        .await
        .expect("on the acceptance list");
        ids
    }

    /// One enterprise per entry of `percents`, each carried from its draft to Evaluated
    /// with every item of every stage scored at its percentage (80 % reaches the Award
    /// under the story plan, 55 % the Nomination Award, 40 % neither). "Today" is then
    /// 2026-12-07. Returns the cycle and the applications in the order of `percents`.
    pub async fn evaluated(&self, percents: &[u32]) -> (CycleId, Vec<ApplicationId>) {
        let ids = self.listed_enterprises(0..percents.len()).await;
        let office = self.as_user("office").await;
        self.set_today("2026-12-07");
        for id in &ids {
            acceptance::accept(&self.app, &office, *id)
                .await
                .expect("accepted");
        }
        let cycle = self.planned().await;
        let (_, members) = self.panel_drawn(&ids).await;
        for &stage in Stage::ALL {
            plan::open_stage(&self.app, &office, cycle, stage)
                .await
                .expect("opened");
            for (id, p) in ids.iter().zip(percents) {
                if stage != Stage::Material {
                    sessions::schedule(
                        &self.app,
                        &office,
                        *id,
                        stage,
                        d("2026-12-10"),
                        "会议室",
                        members.clone(),
                    )
                    .await
                    .expect("scheduled");
                }
                self.scored(*id, stage, &members, *p).await;
            }
            plan::complete_stage(&self.app, &office, cycle, stage)
                .await
                .expect("completed");
        }
        results::complete(&self.app, &office, &ids)
            .await
            .expect("evaluated");
        (cycle, ids)
    }

    /// The Office's candidate list by the scores: each at the level it reaches, in the
    /// order of `ids`.
    pub async fn candidates_by_score(&self, cycle: CycleId, ids: &[ApplicationId]) {
        let office = self.as_user("office").await;
        let lines = self
            .app
            .store
            .commendation_lines(cycle)
            .await
            .expect("lines");
        let choices: Vec<Choice> = ids
            .iter()
            .map(|id| Choice {
                id: *id,
                level: lines
                    .iter()
                    .find(|l| l.row.id == *id)
                    .and_then(|l| l.reaches),
                reason: String::new(),
            })
            .collect();
        candidates::propose_candidates(&self.app, &office, cycle, &choices)
            .await
            .expect("the candidate list");
    }

    /// The candidates' notices published on 2026-12-07 and run (today 2026-12-14), the
    /// public-security opinion on each candidate asked by the county and answered.
    pub async fn candidates_cleared(&self, cycle: CycleId, ids: &[ApplicationId]) {
        let office = self.as_user("office").await;
        candidates::publish_candidate_notices(
            &self.app,
            &office,
            cycle,
            d("2026-12-07"),
            None,
            "0350-1",
        )
        .await
        .expect("the candidates' notices");
        let reviewer = self.as_user("county-reviewer").await;
        for id in ids {
            candidates::request_background_opinions(
                &self.app,
                &reviewer,
                *id,
                &["public-security".to_owned()],
                d("2026-12-11"),
            )
            .await
            .expect("background opinions asked");
        }
        self.answer_all().await;
        self.set_today("2026-12-14");
    }

    /// The public-security department answers every request it has not answered.
    pub async fn answer_all(&self) {
        let dept = self.as_user("opinion-dept").await;
        for item in acceptance::opinion_queue(&self.app, &dept)
            .await
            .expect("queue")
            .items
        {
            if item.request.answered_at.is_none() {
                acceptance::answer_opinion(
                    &self.app,
                    &dept,
                    item.request.id,
                    false,
                    "无违法犯罪记录",
                )
                .await
                .expect("answered");
            }
        }
    }

    /// The Leading Group's deliberation at the meeting of 2026-12-14.
    pub async fn deliberated(
        &self,
        cycle: CycleId,
        outcomes: &[(ApplicationId, Option<Level>)],
    ) -> Result<Vec<State>, crate::AppError> {
        let lg = self.as_user("leading-group").await;
        decision::deliberate(&self.app, &lg, cycle, outcomes, "领导小组2026年第5次会议").await
    }

    /// The proposed winners' notice from 2026-12-14, run (today 2026-12-21), the joint
    /// report filed and co-signed.
    pub async fn reported(&self, cycle: CycleId) {
        let office = self.as_user("office").await;
        decision::publish_proposed_winners(
            &self.app,
            &office,
            cycle,
            d("2026-12-14"),
            None,
            "0350-1",
        )
        .await
        .expect("the proposed winners' notice");
        self.set_today("2026-12-21");
        decision::file_joint_report(
            &self.app,
            &office,
            cycle,
            "忻质奖办〔2026〕9号",
            d("2026-12-21"),
        )
        .await
        .expect("the joint report");
        let hr = self.as_user("hr-bureau").await;
        decision::cosign_joint_report(&self.app, &hr, cycle)
            .await
            .expect("co-signed");
    }

    /// One enterprise per entry of `percents`, carried to the Government's decision of
    /// 2026-12-21 (忻政发〔2026〕30号) with each at the level its score reaches. Returns the
    /// cycle and the applications.
    pub async fn awarded(&self, percents: &[u32]) -> (CycleId, Vec<ApplicationId>) {
        let (cycle, ids) = self.evaluated(percents).await;
        self.candidates_by_score(cycle, &ids).await;
        let lines = self
            .app
            .store
            .commendation_lines(cycle)
            .await
            .expect("lines");
        let outcomes: Vec<(ApplicationId, Option<Level>)> = lines
            .iter()
            .filter(|l| l.row.state == State::Candidate)
            .map(|l| (l.row.id, l.reaches))
            .collect();
        let candidates: Vec<ApplicationId> = outcomes.iter().map(|(id, _)| *id).collect();
        self.candidates_cleared(cycle, &candidates).await;
        self.deliberated(cycle, &outcomes)
            .await
            .expect("deliberated");
        self.reported(cycle).await;
        let gov = self.as_user("government").await;
        decision::decide(
            &self.app,
            &gov,
            cycle,
            "忻政发〔2026〕30号",
            d("2026-12-21"),
            &outcomes,
        )
        .await
        .expect("decided");
        (cycle, ids)
    }
}
