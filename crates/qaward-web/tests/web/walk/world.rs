//! The world the route walk works on, the accounts it acts as, and what the permission
//! function says each of them may do.

use axum::http::Method;
use qaward_domain::ids::{SubjectId, UserId};
use qaward_domain::permission::{Actor, Perm, Target, permitted};

use super::Need;
use crate::common::{TestApp, ok};
use crate::fixtures::{as_json, org_fields};

/// What the walk works on: the demo's subjects, accounts to grant and tokens to revoke,
/// the person's submitted application with an attachment, the enterprise's on the
/// acceptance list with its notice, an objection and its code, its opinion request
/// answered by letter (recorded by the Office with its scan), and a notification of the
/// county reviewer's. The enterprise's application is accepted since, and under
/// evaluation ([`super::evaluation`]).
pub(super) struct World {
    pub(super) org: SubjectId,
    pub(super) person: SubjectId,
    pub(super) agency: UserId,
    pub(super) service: UserId,
    /// A staff account the walk's administrator manages: an expert and a supervisor.
    pub(super) managed: UserId,
    pub(super) app: i64,
    pub(super) attachment: i64,
    pub(super) listed: i64,
    pub(super) notice: i64,
    pub(super) objection: i64,
    pub(super) code: String,
    pub(super) request: i64,
    pub(super) notification: i64,
    /// An organization of 忻府区 whose registration awaits confirmation.
    pub(super) registration: SubjectId,
    /// The listed application's evaluation.
    pub(super) eval: super::evaluation::Evaluation,
    /// A pre-system award of the person, entered by `office2`, awaiting confirmation.
    pub(super) award: i64,
    /// A named complaint, received, and its follow-up code.
    pub(super) complaint: i64,
    pub(super) complaint_code: String,
    /// The demo's program, which the switcher may choose.
    pub(super) program: i64,
}

pub(super) async fn actor_of(t: &TestApp, username: &str) -> (UserId, Actor) {
    let (user, _) = t.db.store.user_for_login(username).await.unwrap().unwrap();
    let grants = t.db.store.grants(user.id).await.unwrap();
    (
        user.id,
        Actor {
            user: Some(user.id),
            grants,
        },
    )
}

pub(super) async fn world(t: &TestApp) -> World {
    let listed = reviewed_on_paper(t).await;
    let office = t.as_user("office").await;
    let notice = qaward_app::acceptance::publish_acceptance_list(
        &t.app,
        &office,
        &[listed],
        qaward_app::testing::d("2026-11-27"),
        None,
        "walk",
    )
    .await
    .unwrap();
    let eval = super::evaluation::evaluated(t, listed).await;
    let second = t.as_user("office2").await;
    let old = qaward_domain::subject::AwardRecord {
        cycle: qaward_domain::subject::CycleRef {
            ordinal: 1,
            year: 2020,
        },
        level: qaward_domain::policy::Level::Nomination,
        revoked_on: None,
        barred_until: None,
        ban_until: None,
    };
    let person_subject = t.subject_of("applicant-person").await;
    let award = qaward_app::subjects::record_award(&t.app, &second, person_subject, old, "walk")
        .await
        .unwrap();
    let objection = qaward_app::objections::NewObjection {
        application: listed,
        name: None,
        contact: None,
        content: "walk".into(),
        evidence: None,
    };
    let code = qaward_app::objections::raise_objection(&t.app, notice, &objection, "192.0.2.1")
        .await
        .unwrap();
    let lg = t.as_user("leading-group").await;
    let objection = qaward_app::objections::objection_queue(&t.app, &lg)
        .await
        .unwrap()
        .items[0]
        .id;
    let dept = t.as_user("opinion-dept").await;
    let request = qaward_app::acceptance::opinion_queue(&t.app, &dept)
        .await
        .unwrap()
        .items[0]
        .request
        .id;
    let person = t.user("applicant-person").await;
    let app = person.prepare(crate::common::PERSON).await;
    let attachment =
        ok(&crate::applications::attach(&person, app, "internal", b"%PDF-1.7 walk").await)["id"]
            .as_i64()
            .unwrap();
    ok(&person.submit(app, "county:xinfu").await);
    let reviewer = t.as_user("county-reviewer").await;
    let notification = qaward_app::notify::list(&t.app, &reviewer).await.unwrap()[0].id;
    let mut fields = org_fields("walk-unconfirmed");
    fields
        .iter_mut()
        .filter(|f| f.0 == "county")
        .for_each(|f| f.1 = "xinfu".into());
    let body = Some(as_json(&fields));
    let registered = ok(&t
        .api(Method::POST, "/api/v1/register/organization", None, body)
        .await);
    let complaint_code = qaward_app::complaints::file_complaint(
        &t.app,
        &qaward_app::complaints::NewComplaint {
            topic: Some(qaward_domain::complaint::Topic::Winner),
            about: "walk".into(),
            content: "walk".into(),
            name: Some(super::REPORTER.0.into()),
            contact: Some(super::REPORTER.1.into()),
            program: None,
        },
        "192.0.2.99",
    )
    .await
    .unwrap();
    let complaint = t.newest_complaint().await;
    World {
        complaint,
        complaint_code,
        program: qaward_app::programs::home(&t.app).await.unwrap().id.0,
        registration: SubjectId(registered["subject_id"].as_i64().unwrap()),
        org: t.subject_of("applicant-org").await,
        person: t.subject_of("applicant-person").await,
        agency: actor_of(t, "agency").await.0,
        service: crate::fixtures::service_account(t, "walk-bot").await,
        managed: managed_account(t).await,
        app,
        attachment,
        listed: listed.0,
        notice,
        objection,
        code,
        request,
        notification,
        eval,
        award,
    }
}

/// The enterprise's application recommended, its public-security opinion answered by
/// letter and recorded by the Office with the scan, and formally reviewed.
async fn reviewed_on_paper(t: &TestApp) -> qaward_domain::ids::ApplicationId {
    let id = t.recommended().await;
    let office = t.as_user("office").await;
    let depts = ["public-security".to_owned()];
    let ids = qaward_app::acceptance::request_opinions(&t.app, &office, id, &depts, t.app.today())
        .await
        .unwrap();
    let letter = qaward_app::opinions::PaperInput {
        adverse: false,
        answer: "经查无违法犯罪记录".into(),
        filename: "复函.pdf".into(),
    };
    let scan = futures_util::stream::iter([Ok::<&'static [u8], qaward_app::files::BodyError>(
        b"%PDF-1.7 walk letter".as_slice(),
    )]);
    qaward_app::opinions::record_paper(&t.app, &office, ids[0], scan, &letter)
        .await
        .unwrap();
    qaward_app::review::review(
        &t.app,
        &office,
        id,
        qaward_domain::application::ReviewStep::Formal,
        &qaward_app::review::Decision::Pass,
        &qaward_app::review::Checklist::default(),
    )
    .await
    .unwrap();
    id
}

/// Whether the permission function allows `who` what `need` asks.
pub(super) async fn allowed(
    t: &TestApp,
    who: Option<&str>,
    actor: &Actor,
    need: Need,
    app: &Target,
    listed: &Target,
) -> bool {
    let on = |subject: Option<SubjectId>| Target {
        subject,
        ..Target::default()
    };
    match need {
        Need::Public => true,
        Need::LoggedIn => who.is_some(),
        Need::Has(p) => permitted(actor, p, &Target::default()).is_ok(),
        Need::WorksIn => actor
            .grants
            .iter()
            .any(|g| g.program == app.program || g.role == qaward_domain::permission::Role::Admin),
        Need::Calendar => [Perm::LoadData, Perm::PublishNotice]
            .iter()
            .any(|p| permitted(actor, *p, &Target::default()).is_ok()),
        Need::ViewSubject(s) => permitted(actor, Perm::ViewApplication, &on(Some(s))).is_ok(),
        Need::OwnMaterials => {
            let own = match who {
                Some(u) => {
                    t.db.store
                        .user_for_login(u)
                        .await
                        .unwrap()
                        .unwrap()
                        .0
                        .subject_id
                }
                None => None,
            };
            permitted(actor, Perm::EditApplication, &on(own)).is_ok()
        }
        Need::OnApp(p) => {
            permitted(actor, Perm::ViewApplication, app).is_ok() && permitted(actor, p, app).is_ok()
        }
        Need::OnListed(p) => {
            permitted(actor, Perm::ViewApplication, listed).is_ok()
                && permitted(actor, p, listed).is_ok()
        }
        Need::Answer => {
            let dept = Target {
                opinion_dept: Some("public-security".into()),
                ..listed.clone()
            };
            permitted(actor, Perm::AnswerOpinion, &dept).is_ok()
        }
        Need::Only(u) => who == Some(u),
        Need::FollowUpCode | Need::Unknown => false,
        Need::Revocations => [
            Perm::RequestRevocation,
            Perm::DecideRevocation,
            Perm::RecordAwardDelivery,
            Perm::SuperviseEvaluation,
        ]
        .into_iter()
        .any(|p| permitted(actor, p, &Target::default()).is_ok()),
        Need::Obligations => {
            permitted(actor, Perm::ReviewObligations, &Target::default()).is_ok()
                || actor.grants.iter().any(|g| {
                    matches!(
                        g.role,
                        qaward_domain::permission::Role::ApplicantOrg
                            | qaward_domain::permission::Role::ApplicantPerson
                    )
                })
        }
        Need::Receives => actor.grants.iter().any(|g| {
            matches!(
                g.role,
                qaward_domain::permission::Role::CountyReviewer
                    | qaward_domain::permission::Role::IndustryDept
            )
        }),
        Need::ConfirmsSomewhere => t
            .app
            .policy()
            .await
            .expect("the policy")
            .counties
            .iter()
            .any(|c| {
                let county = Target {
                    county: Some(c.id.clone()),
                    ..Target::default()
                };
                permitted(actor, Perm::ConfirmRegistration, &county).is_ok()
            }),
        Need::Confirm(s) => {
            let registration = Target {
                subject: Some(s),
                county: Some("xinfu".into()),
                ..Target::default()
            };
            permitted(actor, Perm::ConfirmRegistration, &registration).is_ok()
        }
        Need::Oversee
        | Need::OnCycle(_)
        | Need::ReadPlan
        | Need::Pool
        | Need::KeepsPool
        | Need::Evaluated(_)
        | Need::Commends
        | Need::CertificateOf
        | Need::ExclusionsOf => super::evaluation::allowed(actor, need, listed),
    }
}

pub(super) async fn managed_account(t: &TestApp) -> UserId {
    use qaward_domain::permission::{Grant, Role, Scope};
    let staff = qaward_app::accounts::NewStaff {
        username: "walk-managed".into(),
        display_name: "Walk".into(),
        password: "walk-password-1".into(),
        email: None,
        grants: vec![
            Grant::new(Role::Expert, Scope::Program).unwrap(),
            Grant::new(Role::Supervisor, Scope::Program).unwrap(),
        ],
        service: false,
    };
    qaward_app::accounts::create_staff_at_console(&t.app, &staff)
        .await
        .unwrap()
        .0
        .id
}

pub(super) async fn two_tokens(t: &TestApp, service: UserId, n: usize) -> (i64, i64) {
    let mut tx = t.db.store.write().await.unwrap();
    let never = "2999-01-01T00:00:00.000Z";
    let a = tx
        .create_token(service, "walk", &format!("form-{n}"), never)
        .await
        .unwrap();
    let b = tx
        .create_token(service, "walk", &format!("api-{n}"), never)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (a, b)
}
