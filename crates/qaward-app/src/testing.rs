//! Test support for the use cases and everything above them: an [`App`] over a fresh
//! database on either backend, seeded with the demo, whose "today" is fixed (tests must
//! not depend on the day they run), with the demo's people logged in as principals and
//! the cycle's steps as one-line scenario helpers. Run each test on both backends with
//! [`on_both!`], re-exported here with [`Backend`] so that the crates above the use cases
//! test without naming the storage crate. [`samples`] builds files of the kinds applicants upload,
//! and of kinds that only look like them.

pub mod commendation;
pub mod evaluation;
pub mod programs;
pub mod samples;
pub mod versions;

pub use qaward_store::{Backend, on_both};

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use qaward_domain::application::{Channel, ReviewStep, State};
use qaward_domain::calendar::WorkingCalendar;
use qaward_domain::ids::ApplicationId;
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::policy::Policy;
use qaward_domain::rubric::Rubric;
use qaward_domain::rule::RuleId;
use qaward_store::blobs::FsBlobStore;
use qaward_store::testing::TestDb;

use crate::applications::draft::{self, DraftInput};
use crate::review::{Checklist, Decision};
use crate::{App, Clock, Principal, Rubrics, Settings, Throttle, acceptance, auth, demo, review};

pub const POLICY: &str = include_str!("../../../policy/xinzhou-2021.toml");
pub const CALENDAR: &str = include_str!("../../../calendar/cn-working-days.toml");
pub const RUBRIC_ORG: &str = include_str!("../../../rubrics/org-gbt19580-2012.toml");
pub const RUBRIC_PERSON: &str = include_str!("../../../rubrics/individual-provisional.toml");

/// The tests' "today": inside the demo cycle's application window (2026-11-02 to
/// 2026-12-18), whatever day they run.
pub const TODAY: &str = "2026-11-27";
/// The demo accounts the route walk and the move matrix act as: one of every role. The
/// other opinion departments' accounts (`opinion-<department>`) hold `opinion-dept`'s
/// role with another department's scope.
pub const DEMO_USERS: &[&str] = &[
    "admin",
    "office",
    "agency",
    "expert1",
    "expert2",
    "expert3",
    "supervisor",
    "leading-group",
    "county-reviewer",
    "county-government",
    "industry-dept",
    "opinion-dept",
    "hr-bureau",
    "government",
    "applicant-org",
    "applicant-person",
];

/// Small, so that the oversize tests need little data.
pub const MAX_UPLOAD: u64 = 64 * 1024;

/// Whether `e` is the refusal of `rule` with the message `key`.
pub fn refused(e: &crate::AppError, rule: &str, key: &str) -> bool {
    matches!(e, crate::AppError::Refused(r) if r.rule.as_str() == rule && r.message.key == key)
}

/// A date written `YYYY-MM-DD`, for tests.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a YYYY-MM-DD date")
}

/// A demo installation on a fresh database; the files and database go when it drops.
pub struct TestApp {
    pub db: TestDb,
    pub app: App,
    blob_dir: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.blob_dir);
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::new_at(backend, TODAY).await
    }

    /// A demo installation whose "today" is `today` (YYYY-MM-DD).
    pub async fn new_at(backend: Backend, today: &str) -> Self {
        Self::with_policy(backend, today, POLICY).await
    }

    /// A demo installation whose first version of the measures is `policy` (a file's
    /// text): the demo cycle runs under it.
    pub async fn with_policy(backend: Backend, today: &str, policy: &str) -> Self {
        let db = TestDb::new(backend).await;
        let blob_dir = std::env::temp_dir().join(format!(
            "qaward-test-blobs-{}-{}",
            std::process::id(),
            hex::encode(rand::random::<[u8; 6]>())
        ));
        let app = App {
            store: db.store.clone(),
            blobs: FsBlobStore::new(&blob_dir),
            policies: Arc::new(crate::policies::Policies::new(
                Policy::from_toml("policy", policy).expect("the policy"),
                policy,
                false,
            )),
            calendars: Arc::new(crate::calendars::Calendars::new(
                WorkingCalendar::from_toml("calendar", CALENDAR).expect("the calendar"),
            )),
            rubrics: Arc::new(Rubrics {
                organization: Rubric::from_toml("org", RUBRIC_ORG).expect("a rubric"),
                individual: Rubric::from_toml("person", RUBRIC_PERSON).expect("a rubric"),
            }),
            settings: Settings {
                max_upload_bytes: MAX_UPLOAD,
                max_account_upload_bytes: 10 * MAX_UPLOAD,
                session_hours: 2,
                // Every request of a test comes from one address: registrations and public
                // objections are not throttled unless a test says so (the throttling tests
                // set their limits).
                throttle: Throttle {
                    registrations_per_address: 1_000,
                    objections_per_address: 1_000,
                    complaints_per_address: 1_000,
                    follow_up_lookups_per_address: 1_000,
                    ..Throttle::default()
                },
                cjk_font: Settings::default().cjk_font,
                clock: Clock::fixed(d(today)),
            },
        };
        crate::policies::install(&app)
            .await
            .expect("the policy is stored");
        demo::seed(&app).await.expect("the demo seeds");
        Self { db, app, blob_dir }
    }

    /// Keeps the database and the uploaded files past this value (the benchmark reuses
    /// what it seeded; [`qaward_store::testing::TestDb::keep`]). Returns the PostgreSQL
    /// schema, the directory with the database's key files (and its SQLite file) and the
    /// blob directory.
    pub fn keep(&mut self) -> (Option<String>, PathBuf, PathBuf) {
        let (schema, dir) = self.db.keep();
        (schema, dir, std::mem::take(&mut self.blob_dir))
    }

    /// Moves the tests' "today".
    pub fn set_today(&self, date: &str) {
        assert!(self.app.settings.clock.set(d(date)));
    }

    /// Runs `f` on `date`, then comes back to the day it was: for stories that began in
    /// the past (an application started the day its in-unit notice went up).
    pub async fn on_day<T>(&self, date: &str, f: impl AsyncFnOnce() -> T) -> T {
        let today = self.app.today();
        self.set_today(date);
        let out = f().await;
        assert!(self.app.settings.clock.set(today));
        out
    }

    /// How many files the blob store holds.
    pub fn blob_files(&self) -> usize {
        fn count(p: &std::path::Path) -> usize {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| {
                            if e.path().is_dir() {
                                count(&e.path())
                            } else {
                                1
                            }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        count(&self.blob_dir)
    }

    /// A demo account, logged in.
    pub async fn as_user(&self, username: &str) -> Principal {
        auth::login(&self.app, username, demo::PASSWORD, "test")
            .await
            .unwrap_or_else(|e| panic!("{username} logs in: {e}"))
            .principal
    }

    /// A new enterprise of 忻府区 founded on `founded` (YYYY-MM-DD), registered (its
    /// registration not yet confirmed) and logged in as `username`.
    pub async fn registered(&self, username: &str, founded: &str) -> Principal {
        let reg = crate::accounts::OrgRegistration {
            name: format!("忻州市{username}有限公司"),
            credit_code: "91140902123456789G".into(),
            kind: "enterprise".into(),
            county: "xinfu".into(),
            founded: founded.into(),
            legal_representative: "冯测试".into(),
            contact_name: "陈联系".into(),
            contact_phone: "0350-6000000".into(),
            username: username.into(),
            password: "correct-horse-1".into(),
            ..crate::accounts::OrgRegistration::default()
        };
        crate::accounts::register(
            &self.app,
            crate::accounts::Registration::Organization(&reg),
            "test",
        )
        .await
        .expect("registered");
        auth::login(&self.app, username, "correct-horse-1", "test")
            .await
            .expect("logged in")
            .principal
    }

    /// An award of `subject` entered by the Office and confirmed by a second person
    /// (`office2`), so that it bars as A12.1 and A28.3 say. Returns its id.
    pub async fn award_confirmed(
        &self,
        subject: qaward_domain::ids::SubjectId,
        award: qaward_domain::subject::AwardRecord,
        reference: &str,
    ) -> i64 {
        let office = self.as_user("office").await;
        let id = crate::subjects::record_award(&self.app, &office, subject, award, reference)
            .await
            .expect("the award is entered");
        let second = self.as_user("office2").await;
        crate::subjects::confirm_award(&self.app, &second, subject, id)
            .await
            .expect("the award is confirmed");
        id
    }

    /// The subject a demo applicant's account applies for.
    pub async fn subject_of(&self, username: &str) -> qaward_domain::ids::SubjectId {
        let (user, _) = self
            .db
            .store
            .user_for_login(username)
            .await
            .expect("the store answers")
            .unwrap_or_else(|| panic!("no account {username}"));
        user.subject_id
            .unwrap_or_else(|| panic!("{username} applies for no subject"))
    }

    /// The applicant starts its application on Monday 2026-11-16 and writes a complete
    /// draft: every declaration its kind makes, both commitments, and the in-unit notice
    /// from that day to Friday 2026-11-20 (over before [`TODAY`]) with the scan of it
    /// posted. "Today" is left as it was.
    pub async fn prepared(&self, applicant: &Principal) -> ApplicationId {
        self.on_day("2026-11-16", async || self.prepare(applicant).await)
            .await
    }

    async fn prepare(&self, applicant: &Principal) -> ApplicationId {
        let id = draft::start(&self.app, applicant).await.expect("start");
        let subject = self
            .app
            .store
            .subject(applicant.user.subject_id.expect("an applicant"))
            .await
            .expect("the subject");
        let declarations: std::collections::BTreeSet<RuleId> =
            qaward_domain::eligibility::required_declarations(&subject.subject)
                .iter()
                .map(|(r, _)| r.clone())
                .collect();
        let input = DraftInput {
            declarations,
            authenticity: true,
            no_state_secrets: true,
            ..DraftInput::default()
        };
        draft::save_draft(&self.app, applicant, id, &input)
            .await
            .expect("save the draft");
        draft::record_in_unit_notice(&self.app, applicant, id, d("2026-11-16"), None)
            .await
            .expect("record the in-unit notice");
        self.attach(
            applicant,
            id,
            Purpose::InUnitScan,
            b"%PDF-1.7 posted notice",
        )
        .await;
        id
    }

    /// Attaches `bytes` to the application as an internal file for `purpose`.
    pub async fn attach(
        &self,
        applicant: &Principal,
        id: ApplicationId,
        purpose: Purpose,
        bytes: &'static [u8],
    ) -> i64 {
        let input = draft::AttachInput {
            filename: format!("{purpose}.pdf"),
            class: Confidentiality::Internal,
            purpose,
            section: None,
        };
        let body = futures_util::stream::iter([Ok::<_, crate::files::BodyError>(bytes)]);
        draft::attach(&self.app, applicant, id, body, &input)
            .await
            .expect("the file attaches")
    }

    /// Prepared and submitted to `channel`.
    pub async fn submitted(&self, applicant: &Principal, channel: &str) -> ApplicationId {
        let id = self.prepared(applicant).await;
        let channel: Channel = channel.parse().expect("a channel");
        let s = draft::submit(&self.app, applicant, id, channel)
            .await
            .expect("submit");
        assert_eq!(s, State::Submitted);
        id
    }

    /// The demo enterprise's application, submitted to Xinfu, passed by its reviewer and
    /// recommended by its government: at the Office.
    pub async fn recommended(&self) -> ApplicationId {
        let org = self.as_user("applicant-org").await;
        let id = self.submitted(&org, "county:xinfu").await;
        let reviewer = self.as_user("county-reviewer").await;
        review::review(
            &self.app,
            &reviewer,
            id,
            ReviewStep::Channel,
            &Decision::Pass,
            &Checklist::notice_clear(),
        )
        .await
        .expect("the channel passes it");
        let gov = self.as_user("county-government").await;
        review::recommend(&self.app, &gov, &[id])
            .await
            .expect("the county recommends it");
        id
    }

    /// The public-security opinion on `id` asked by the Office (due today) and answered
    /// with no objection.
    pub async fn opinion_answered(&self, id: ApplicationId) {
        let office = self.as_user("office").await;
        let depts = ["public-security".to_owned()];
        acceptance::request_opinions(&self.app, &office, id, &depts, self.app.today())
            .await
            .expect("opinions requested");
        let dept = self.as_user("opinion-dept").await;
        let request = acceptance::opinion_queue(&self.app, &dept)
            .await
            .expect("the department's queue")
            .items[0]
            .request
            .id;
        acceptance::answer_opinion(&self.app, &dept, request, false, "无违法记录")
            .await
            .expect("answered");
    }

    /// Recommended, with the public-security opinion asked and answered, and passed by
    /// the Office's formal review.
    pub async fn formally_reviewed(&self) -> ApplicationId {
        let id = self.recommended().await;
        self.opinion_answered(id).await;
        let office = self.as_user("office").await;
        review::review(
            &self.app,
            &office,
            id,
            ReviewStep::Formal,
            &Decision::Pass,
            &Checklist::default(),
        )
        .await
        .expect("formal review passes");
        id
    }
}
