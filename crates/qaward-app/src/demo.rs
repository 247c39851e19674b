//! The demo: the Xinzhou program with its 2021 policy, one open cycle, two applicants and
//! one account for every role of DESIGN.md §1 (and for every opinion department the
//! policy names), each named after its role with the password
//! `qaward-demo`; the enterprise's registration is confirmed, as its county would after
//! seeing its licence. Seeded only into an empty database, which is then marked as a demo
//! database; a real database never gets demo accounts.

use crate::audit::{self, AuditAction, Object, Who};
use chrono::NaiveDate;
use qaward_domain::cycle::{Timeline, check_new_cycle};
use qaward_domain::ids::{CreditCode, ResidentId};
use qaward_domain::msg;
use qaward_domain::permission::UserKind;
use qaward_domain::permission::{Grant, Role, Scope};
use qaward_domain::subject::{CycleRef, OrgKind, Organization, Person, Subject};
use qaward_store::audit as store_audit;
use qaward_store::evaluation::pool::ExpertFields;
use qaward_store::subjects::Contact;
use qaward_store::users::NewUser;
use serde_json::json;

use crate::auth::hash_password;
use crate::{App, AppError};

/// The demo password of every demo account.
pub const PASSWORD: &str = "qaward-demo";

/// What the demo enterprise's confirmed registration notes as checked.
const DEMO_LICENCE: &str = "演示数据：营业执照 91140900AY4CL12THD";

/// What `serve --demo` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoState {
    /// Seeded now: the accounts, for printing.
    Seeded(Vec<(String, String)>),
    /// Seeded earlier.
    AlreadyDemo(Vec<(String, String)>),
}

/// The demo experts' entries in the pool: name, employer, title and fields — three from
/// universities of the province, all in the general field.
fn demo_expert(username: &str) -> Option<(&'static str, &'static str, &'static str, Vec<String>)> {
    let (name, employer, title, fields): (_, _, _, &[&str]) = match username {
        "expert1" => ("赵质量", "山西大学", "教授", &["综合", "制造业"]),
        "expert2" => (
            "钱卓越",
            "太原理工大学",
            "教授级高级工程师",
            &["综合", "服务业"],
        ),
        "expert3" => ("孙标准", "忻州师范学院", "副教授", &["综合", "制造业"]),
        _ => return None,
    };
    Some((
        name,
        employer,
        title,
        fields.iter().map(|f| (*f).to_owned()).collect(),
    ))
}

/// Username, display name, role and scope of each demo staff account.
fn staff(cycle: i64) -> Vec<(&'static str, &'static str, Role, Scope)> {
    use qaward_domain::ids::CycleId;
    vec![
        ("admin", "系统管理员", Role::Admin, Scope::Installation),
        ("office", "领导小组办公室", Role::Office, Scope::Program),
        // A second person at the Office: hand-entered awards need another's confirmation.
        (
            "office2",
            "领导小组办公室（复核）",
            Role::Office,
            Scope::Program,
        ),
        (
            "agency",
            "受托第三方机构",
            Role::Agency,
            Scope::Cycles(vec![CycleId(cycle)]),
        ),
        ("expert1", "评审专家一", Role::Expert, Scope::Program),
        ("expert2", "评审专家二", Role::Expert, Scope::Program),
        ("expert3", "评审专家三", Role::Expert, Scope::Program),
        ("supervisor", "监督组", Role::Supervisor, Scope::Program),
        (
            "leading-group",
            "领导小组",
            Role::LeadingGroup,
            Scope::Program,
        ),
        (
            "county-reviewer",
            "忻府区市场监督管理局",
            Role::CountyReviewer,
            Scope::County("xinfu".into()),
        ),
        (
            "county-government",
            "忻府区人民政府",
            Role::CountyGovernment,
            Scope::County("xinfu".into()),
        ),
        (
            "industry-dept",
            "忻州市工业和信息化局",
            Role::IndustryDept,
            Scope::Industry("industry-it".into()),
        ),
        (
            "hr-bureau",
            "忻州市人力资源和社会保障局",
            Role::HrBureau,
            Scope::Program,
        ),
        (
            "government",
            "忻州市人民政府",
            Role::Government,
            Scope::Program,
        ),
    ]
}

/// One account for every opinion department the policy names (A16.2, A18.2): the public
/// security department keeps the name `opinion-dept` that the walk-through uses, the
/// others are `opinion-<department id>`, named after the city's department.
fn opinion_departments(
    policy: &qaward_domain::policy::Policy,
) -> Vec<(String, String, Role, Scope)> {
    policy
        .opinion_depts
        .iter()
        .map(|d| {
            let username = if d.id == "public-security" {
                "opinion-dept".to_owned()
            } else {
                format!("opinion-{}", d.id)
            };
            let display = match d.id.as_str() {
                "public-security" => "忻州市公安局".to_owned(),
                "discipline-inspection" => "中共忻州市纪律检查委员会 忻州市监察委员会".to_owned(),
                "organization-personnel" => "中共忻州市委组织部".to_owned(),
                "hr-social-security" => "忻州市人力资源和社会保障局（征求意见）".to_owned(),
                "ecology-environment" => "忻州市生态环境局".to_owned(),
                "emergency-management" => "忻州市应急管理局".to_owned(),
                "market-supervision" => "忻州市市场监督管理局".to_owned(),
                "tax" => "国家税务总局忻州市税务局".to_owned(),
                _ => format!("忻州市{}", d.name),
            };
            (
                username,
                display,
                Role::OpinionDept,
                Scope::OpinionDept(d.id.clone()),
            )
        })
        .collect()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// Seeds the demo into an empty database, or reports the demo already there. A database
/// with accounts that is not a demo database is left alone with an error.
pub async fn seed(app: &App) -> Result<DemoState, AppError> {
    let accounts = |roles: Vec<(String, String)>| roles;
    if app.store.meta("demo").await?.as_deref() == Some("true") {
        let users = app.store.users().await?;
        return Ok(DemoState::AlreadyDemo(accounts(
            users
                .into_iter()
                .map(|u| (u.username, u.display_name))
                .collect(),
        )));
    }
    if app.store.count_users().await? > 0 || !app.store.programs().await?.is_empty() {
        return Err(AppError::Conflict(msg!("demo-needs-empty-database")));
    }
    let policy = &*app.policy().await?;
    let cycle = CycleRef {
        ordinal: 2,
        year: 2026,
    };
    let timeline = Timeline {
        application_opens: d(2026, 11, 2),
        application_closes: d(2026, 12, 18),
        channel_review_due: d(2026, 12, 25),
        formal_review_due: d(2026, 12, 31),
    };
    check_new_cycle(policy, cycle, None, &timeline)?;
    let hash = hash_password(PASSWORD).await?;

    let mut tx = app.store.write().await?;
    let program = tx
        .create_program(
            "xinzhou",
            &policy.program,
            &policy.id,
            crate::programs::FIRST_CERTIFICATE_PREFIX,
        )
        .await?;
    let cycle_id = tx
        .create_cycle(program, cycle, &policy.id, &timeline)
        .await?;
    let mut created = Vec::new();
    let logins = staff(cycle_id.0)
        .into_iter()
        .map(|(u, d, r, s)| (u.to_owned(), d.to_owned(), r, s))
        .chain(opinion_departments(policy));
    for (username, display, role, scope) in logins {
        let u = tx
            .create_user(NewUser {
                username: &username,
                display_name: &display,
                password_hash: &hash,
                kind: UserKind::Staff,
                subject_id: None,
                email: None,
                service: false,
            })
            .await?;
        let grant = Grant::new(role, scope)
            .map_err(AppError::Internal)?
            .in_program(program);
        tx.add_grant(u.id, &grant).await?;
        if let Some((name, employer, title, fields)) = demo_expert(&username) {
            let e = ExpertFields {
                name,
                employer,
                employer_code: None,
                title,
                fields: &fields,
                region: "山西省",
                contact: "0350-3000100",
                available: true,
            };
            tx.put_expert(u.id, &e).await?;
        }
        created.push((username, display));
    }
    let org = Subject::Organization(Organization {
        name: "忻州市示例精密机械有限公司".into(),
        credit_code: CreditCode::parse("91140900AY4CL12THD")
            .map_err(|e| AppError::Internal(e.to_string()))?,
        kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        founded: d(2012, 5, 18),
        industry: Some("装备制造".into()),
        legal_representative: Some("王示例".into()),
    });
    let person = Subject::Person(Person {
        name: "李质量".into(),
        resident_id: ResidentId::parse("14090219850615009X")
            .map_err(|e| AppError::Internal(e.to_string()))?,
        employer: "忻州市示例精密机械有限公司".into(),
        employer_kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        position: Some("质量总监".into()),
        quality_work_since: d(2012, 7, 1),
    });
    for (username, subject, role, phone) in [
        ("applicant-org", org, Role::ApplicantOrg, "0350-3000001"),
        (
            "applicant-person",
            person,
            Role::ApplicantPerson,
            "13900000002",
        ),
    ] {
        let contact = Contact {
            name: subject.name().to_owned(),
            phone: phone.into(),
            email: None,
        };
        let sid = tx.create_subject(&subject, &contact).await?;
        if !subject.is_person() {
            // The demo enterprise's licence counts as seen, so that it can submit (A10.1).
            tx.confirm_registration(sid, DEMO_LICENCE, &store_audit::Actor::system())
                .await?;
        }
        let u = tx
            .create_user(NewUser {
                username,
                display_name: subject.name(),
                password_hash: &hash,
                kind: UserKind::Applicant,
                subject_id: Some(sid),
                email: None,
                service: false,
            })
            .await?;
        tx.add_grant(
            u.id,
            &Grant::new(role, Scope::Subject(sid)).map_err(AppError::Internal)?,
        )
        .await?;
        created.push((username.to_owned(), subject.name().to_owned()));
    }
    tx.set_meta("demo", "true").await?;
    audit::append(
        &mut tx,
        Who::System,
        AuditAction::DemoSeed,
        Object::Program(program),
        json!({ "after": { "policy": policy.id, "cycle": cycle, "accounts": created.iter().map(|(u, _)| u).collect::<Vec<_>>() } }),
    )
    .await?;
    tx.commit().await?;
    Ok(DemoState::Seeded(created))
}
