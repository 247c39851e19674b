//! The route walk: every route of the pages and the API, tried by the public and by every
//! demo account, must answer as the permission function says — allowed ones succeed (or
//! are refused by a rule of the measures), refused ones answer 401, 403 or 404 and reveal
//! nothing. Every path of the API document is walked. And changing an id in a URL leaks
//! no other applicant's data.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use qaward_app::testing::Backend;
use qaward_domain::ids::SubjectId;
use qaward_domain::permission::{Actor, Perm};
use serde_json::{Value, json};

use crate::common::{DEMO_USERS, HOST, ORIGIN, Session, TestApp};

mod chinese;
mod coverage;
mod evaluation;
mod second;
mod world;

/// The walk's reporter: a name and a contact no other text of the walk carries.
pub(super) const REPORTER: (&str, &str) = ("漫步举报人甲", "13900007777");

use crate::fixtures::{as_json, org_fields, pairs, person_fields};
use world::{World, actor_of, allowed, two_tokens, world};

qaward_app::testing::on_both!(
    route_walk_matches_the_permission_table,
    a30_changing_the_id_in_the_url_leaks_no_other_applicants_data,
);

/// What a route needs, in the permission function's terms.
#[derive(Clone, Copy, Debug)]
enum Need {
    Public,
    LoggedIn,
    Has(Perm),
    ViewSubject(SubjectId),
    /// Editing the materials of the actor's own subject (uploads, starting an application).
    OwnMaterials,
    /// An action on the walk's submitted application; a permitted actor may still be
    /// refused by a rule of the measures (422, or 409 once done), never by the permission
    /// function.
    OnApp(Perm),
    /// The same on the application on the acceptance list.
    OnListed(Perm),
    /// Answering the public-security opinion request on the listed application.
    Answer,
    /// Only this account.
    Only(&'static str),
    /// Holding a complaint's follow-up code, which no probe sends: everyone, staff
    /// included, is answered as for an unknown code (404).
    FollowUpCode,
    /// An object that does not exist (a revocation request: none exists before an award):
    /// everyone is answered 404, whatever they may do.
    Unknown,
    /// The revocation desk: the Office, the Government, the supervision group (A28).
    Revocations,
    /// The obligations desk: the Office, and applicants, who report once they have won
    /// (A22, A25).
    Obligations,
    /// Choosing the walk's program to work in (the header's switcher): its staff, and the
    /// administrator, who may work in every program; anyone else finds no such program.
    WorksIn,
    /// Confirming registrations in some county (a county's reviewer, the Office).
    ConfirmsSomewhere,
    /// Confirming the walk's organization's registration, in 忻府区 (A10.1).
    Confirm(SubjectId),
    /// Running or overseeing the evaluation of the walk's cycle: the Office, its agency,
    /// the supervision group (A17.1, A17.3).
    Oversee,
    /// A permission on the walk's cycle.
    OnCycle(Perm),
    /// Reading the cycle's plan: those who oversee, and the experts on its panels.
    ReadPlan,
    /// Reading the expert pool: the Office, the agency of the cycle, the supervision group.
    Pool,
    /// Reading the working-day calendar's years: the administrator, who loads them, and
    /// the Office, whose notices they date.
    Calendar,
    /// Keeping the expert pool: the Office, the agency entrusted with the cycle.
    KeepsPool,
    /// A permission on the application under evaluation (the listed one), which those
    /// who may not see it find nowhere: they are answered 404 (A29).
    Evaluated(Perm),
    /// Reading its exclusion requests: its applicant, the Office.
    ExclusionsOf,
    /// Reading the commendation desk of the walk's cycle: the Office, the Leading Group,
    /// the HR bureau, the Government (A18–A20).
    Commends,
    /// The background-opinions page: the bodies that receive materials, by role (A18.2).
    Receives,
    /// The certificate of the application under evaluation: the Office, which issues it,
    /// and its applicant (A21.1).
    CertificateOf,
}

#[derive(Clone, Debug)]
enum Send {
    Get(String),
    Form(String, Vec<(&'static str, String)>),
    Json(Method, String, Option<Value>),
    Upload(String),
    RawUpload(String),
}

struct Probe {
    send: Send,
    need: Need,
    /// The probe ends or replaces the session: log in afresh for it.
    fresh: bool,
    /// A rule of the measures may refuse a permitted actor (422), or the thing may be
    /// done already (409): both count as allowed.
    ruled: bool,
}

fn probe(send: Send, need: Need) -> Probe {
    let ruled = matches!(need, Need::OnApp(_) | Need::OnListed(_) | Need::Answer);
    Probe {
        send,
        need,
        fresh: false,
        ruled,
    }
}

fn get(path: impl Into<String>, need: Need) -> Probe {
    probe(Send::Get(path.into()), need)
}

fn api(m: Method, path: impl Into<String>, body: Option<Value>, need: Need) -> Probe {
    probe(Send::Json(m, path.into(), body), need)
}

fn form(path: &str, fields: Vec<(&'static str, String)>, need: Need) -> Probe {
    probe(Send::Form(path.into(), fields), need)
}

fn fresh(mut p: Probe) -> Probe {
    p.fresh = true;
    p
}

fn ruled(mut p: Probe) -> Probe {
    p.ruled = true;
    p
}

/// Every probe of the walk for `who`, with two tokens of the service account to revoke.
fn probes(w: &World, who: Option<&str>, form_token: i64, api_token: i64) -> Vec<Probe> {
    let tag = who.unwrap_or("public");
    let mut all = pages(w, tag, form_token);
    all.extend(application_api(w));
    all.extend(office_and_public_api(w, tag));
    all.extend(evaluation::evaluation_api(w, tag));
    all.extend(evaluation::evaluation_pages(w, tag));
    all.extend(evaluation::commendation_api(w));
    all.extend(evaluation::commendation_pages(w));
    all.extend(evaluation::complaint_probes(w));
    all.extend(evaluation::revocation_probes(w));
    all.extend(evaluation::obligation_probes(w));
    all.extend(accounts_api(w, tag, api_token));
    all.extend(sessions(w, who));
    all
}

#[rustfmt::skip]
fn pages(w: &World, tag: &str, form_token: i64) -> Vec<Probe> {
    use Need::*;
    let (org, person, a) = (w.org, w.person, w.app);
    let s = |v: &str| v.to_owned();
    vec![
        get("/", Public), get("/login", Public), get("/register", Public),
        get("/register/organization", Public), get("/register/person", Public),
        get("/lang/en", Public), get("/healthz", Public), get("/readyz", Public),
        get("/static/qaward.css", Public), get("/api/openapi.json", Public),
        get(format!("/subjects/{org}"), ViewSubject(org)), get(format!("/subjects/{person}"), ViewSubject(person)),
        form(&format!("/subjects/{org}/relaxations"), vec![("decided_on", s("2026-11-20")), ("reference", s("walk"))], Has(Perm::ManageCycle)),
        form(&format!("/subjects/{org}/accidents"), vec![("date", s("2020-01-01")), ("description", s("walk")), ("reference", s("walk"))], Has(Perm::ManageCycle)),
        ruled(form(&format!("/subjects/{person}/awards/{}/confirm", w.award), vec![], Has(Perm::ManageCycle))),
        get("/admin/users", Has(Perm::ManageAccounts)),
        get("/metrics", Has(Perm::ReadMetrics)),
        form("/program", vec![("program", w.program.to_string())], WorksIn),
        // A code no program may have: refused after the permission check, nothing added.
        ruled(form("/admin/programs", vec![("code", s("Walk Program")), ("source", s("walk = 1")), ("document_number", s("walk")), ("document_date", s("2026-11-01"))], Has(Perm::ManageAccounts))),
        form("/admin/users", vec![("username", format!("walk-form-{tag}")), ("display_name", s("Walk")),
            ("password", s("walk-password-1")), ("grants[0][role]", s("expert"))], Has(Perm::ManageAccounts)),
        form("/admin/grants", vec![("user_id", w.agency.to_string()), ("role", s("opinion-dept")),
            ("scope", s("opinion-dept:tax"))], Has(Perm::ManageAccounts)),
        form("/admin/tokens", vec![("user_id", w.service.to_string()), ("name", format!("walk {tag}")),
            ("days", s("30"))], Has(Perm::ManageAccounts)),
        form("/admin/tokens/revoke", vec![("token_id", form_token.to_string())], Has(Perm::ManageAccounts)),
        form(&format!("/admin/users/{}/grants/revoke", w.managed), vec![("role", s("expert")), ("scope", s("program"))], Has(Perm::ManageAccounts)),
        form(&format!("/admin/users/{}/active", w.managed), vec![("active", s("false"))], Has(Perm::ManageAccounts)),
        form(&format!("/admin/users/{}/active", w.managed), vec![("active", s("true"))], Has(Perm::ManageAccounts)),
        form(&format!("/admin/users/{}/password", w.managed), vec![("password", s("walk-password-2"))], Has(Perm::ManageAccounts)),
        form(&format!("/admin/users/{}/sessions/end", w.managed), vec![], Has(Perm::ManageAccounts)),
        get("/admin/outbox", Has(Perm::ManageAccounts)), get("/admin/users?q=walk", Has(Perm::ManageAccounts)),
        get("/audit", Has(Perm::ViewAuditLog)), get("/audit/verify", Has(Perm::ViewAuditLog)),
        get("/files/new", LoggedIn), probe(Send::Upload("/files".into()), OwnMaterials),
        get(format!("/applications/{a}"), OnApp(Perm::ViewApplication)),
        form(&format!("/applications/{a}/attachments/{}/remove", w.attachment), vec![], OnApp(Perm::EditApplication)),
        form(&format!("/applications/{a}/decline"), vec![("decision", s("reject")), ("reason", s("walk"))], OnApp(Perm::CountyRecommend)),
        get("/queue", LoggedIn), get("/notices", Public), get("/objections/status", Public),
        get("/office", Has(Perm::FormalReview)), get("/objections", Has(Perm::HandleObjection)),
        get("/opinions", LoggedIn), get("/cycles", Has(Perm::ViewDashboard)), get("/policies", Has(Perm::LoadPolicy)),
        // A file that does not load: refused after the permission check, nothing adopted.
        ruled(form("/policies/preview", vec![("source", s("walk = 1"))], Has(Perm::LoadPolicy))),
        ruled(form("/policies", vec![("source", s("walk = 1")), ("document_number", s("walk")), ("document_date", s("2026-11-01"))], Has(Perm::LoadPolicy))),
        // The same for a year of the calendar: only the administrator loads one.
        get("/calendar", Calendar),
        ruled(form("/calendar/preview", vec![("text", s("walk = 1"))], Has(Perm::LoadData))),
        ruled(form("/calendar", vec![("text", s("walk = 1")), ("document_number", s("walk")), ("replace", s("on"))], Has(Perm::LoadData))),
        get("/notifications", LoggedIn),
        get("/registrations", ConfirmsSomewhere), get("/interests", Has(Perm::ViewAuditLog)),
        get(format!("/applications/{}/letter", w.listed), OnListed(Perm::ViewApplication)),
        get(format!("/office/{}/opinions", w.listed), OnListed(Perm::RequestOpinions)),
        get(format!("/office/opinion-requests/{}/scan", w.request), OnListed(Perm::RequestOpinions)),
        form(&format!("/office/opinion-requests/{}/proceed", w.request), vec![("reason", s("walk"))], OnListed(Perm::RequestOpinions)),
        probe(Send::Upload(format!("/office/opinion-requests/{}/paper", w.request)), OnListed(Perm::RequestOpinions)),
        get(format!("/opinions/{}", w.request), Answer),
        get("/registrations", ConfirmsSomewhere),
        ruled(form(&format!("/registrations/{}/confirm", w.registration), vec![("document", format!("营业执照 walk {tag}"))], Confirm(w.registration))),
    ]
}

#[rustfmt::skip]
fn application_api(w: &World) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let (org, person, a) = (w.org, w.person, w.app);
    let app = |p: &str| format!("/api/v1/applications/{a}{p}");
    vec![
        api(M::GET, format!("/api/v1/subjects/{org}"), None, ViewSubject(org)),
        api(M::GET, format!("/api/v1/subjects/{person}"), None, ViewSubject(person)),
        api(M::GET, "/api/v1/me", None, LoggedIn),
        api(M::POST, "/api/v1/applications", None, OwnMaterials),
        probe(Send::RawUpload("/api/v1/files".into()), OwnMaterials),
        api(M::GET, app(""), None, OnApp(Perm::ViewApplication)),
        api(M::PUT, app(""), Some(json!({ "authenticity": true })), OnApp(Perm::EditApplication)),
        api(M::POST, app("/in-unit-notice"), Some(json!({ "start": "2026-11-16" })), OnApp(Perm::EditApplication)),
        api(M::POST, app("/in-unit-objections"), Some(json!({ "received_on": "2026-11-17", "content": "x" })), OnApp(Perm::EditApplication)),
        api(M::POST, app("/in-unit-objections/1/settlement"), Some(json!({ "settlement": "x" })), OnApp(Perm::EditApplication)),
        probe(Send::RawUpload(app("/attachments?filename=a.pdf&class=internal&purpose=evidence")), OnApp(Perm::EditApplication)),
        api(M::GET, app(&format!("/attachments/{}", w.attachment)), None, OnApp(Perm::ViewApplication)),
        api(M::DELETE, app(&format!("/attachments/{}", w.attachment)), None, OnApp(Perm::EditApplication)),
        api(M::POST, app("/submit"), Some(json!({ "channel": "county:xinfu" })), OnApp(Perm::SubmitApplication)),
        api(M::POST, app("/resubmit"), None, OnApp(Perm::SubmitApplication)),
        api(M::POST, app("/channel-review"), Some(json!({ "decision": "return", "reason": "" })), OnApp(Perm::ChannelReview)),
        api(M::POST, "/api/v1/recommendations", Some(json!({ "applications": [a] })), OnApp(Perm::CountyRecommend)),
        api(M::POST, app("/decline"), Some(json!({ "decision": "return", "reason": "walk" })), OnApp(Perm::CountyRecommend)),
        api(M::GET, "/api/v1/channel-queue", None, LoggedIn),
        api(M::POST, app("/opinion-requests"), Some(json!({ "departments": ["tax"], "due": "2026-12-30" })), OnApp(Perm::RequestOpinions)),
        api(M::POST, app("/formal-review"), Some(json!({ "decision": "pass" })), OnApp(Perm::FormalReview)),
        api(M::POST, app("/accept"), None, OnApp(Perm::FormalReview)),
    ]
}

#[rustfmt::skip]
fn office_and_public_api(w: &World, tag: &str) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let n = w.notice;
    vec![
        api(M::GET, "/api/v1/notices", None, Public),
        api(M::GET, format!("/api/v1/notices/{n}"), None, Public),
        api(M::POST, format!("/api/v1/notices/{n}/objections"), Some(json!({ "application": w.listed, "content": format!("walk {tag}") })), Public),
        api(M::POST, "/api/v1/objections/status", Some(json!({ "code": w.code })), Public),
        api(M::POST, format!("/api/v1/objections/{}/handling", w.objection), Some(json!({ "decision": "dismiss", "reason": "walk" })), OnListed(Perm::HandleObjection)),
        api(M::POST, format!("/api/v1/opinion-requests/{}/answer", w.request), Some(json!({ "adverse": false })), Answer),
        api(M::GET, format!("/api/v1/opinion-requests/{}", w.request), None, Answer),
        api(M::GET, format!("/api/v1/applications/{}/opinions", w.listed), None, OnListed(Perm::RequestOpinions)),
        api(M::POST, format!("/api/v1/opinion-requests/{}/proceed", w.request), Some(json!({ "reason": "walk" })), OnListed(Perm::RequestOpinions)),
        api(M::GET, format!("/api/v1/opinion-requests/{}/scan", w.request), None, OnListed(Perm::RequestOpinions)),
        probe(Send::RawUpload(format!("/api/v1/opinion-requests/{}/paper?adverse=false&filename=a.pdf", w.request)), OnListed(Perm::RequestOpinions)),
        ruled(api(M::POST, "/api/v1/acceptance-lists", Some(json!({ "applications": [w.listed], "start": "2026-11-30", "contact": "walk" })), Has(Perm::PublishNotice))),
        api(M::GET, "/api/v1/office-queue", None, Has(Perm::FormalReview)),
        api(M::GET, "/api/v1/objections", None, Has(Perm::HandleObjection)),
        api(M::GET, "/api/v1/opinion-queue", None, LoggedIn),
        api(M::GET, "/api/v1/dashboard", None, Has(Perm::ViewDashboard)),
        api(M::GET, "/api/v1/policies", None, Has(Perm::LoadPolicy)),
        ruled(api(M::POST, "/api/v1/policies/preview", Some(json!({ "source": "walk = 1" })), Has(Perm::LoadPolicy))),
        ruled(api(M::POST, "/api/v1/policies", Some(json!({ "source": "walk = 1", "document_number": "walk", "document_date": "2026-11-01" })), Has(Perm::LoadPolicy))),
        api(M::GET, "/api/v1/programs", None, Public),
        ruled(api(M::POST, "/api/v1/programs", Some(json!({ "code": "Walk Program", "source": "walk = 1", "document_number": "walk", "document_date": "2026-11-01" })), Has(Perm::ManageAccounts))),
        api(M::GET, "/api/v1/calendar", None, Calendar),
        ruled(api(M::POST, "/api/v1/calendar/years/preview", Some(json!({ "text": "walk = 1" })), Has(Perm::LoadData))),
        ruled(api(M::POST, "/api/v1/calendar/years", Some(json!({ "text": "walk = 1", "document_number": "walk", "replace": true })), Has(Perm::LoadData))),
        ruled(api(M::POST, "/api/v1/cycles", Some(json!({ "ordinal": 3, "year": 2029, "application_opens": "2029-03-01",
            "application_closes": "2029-06-30", "channel_review_due": "2029-07-31", "formal_review_due": "2029-08-31" })), Has(Perm::ManageCycle))),
        api(M::GET, "/api/v1/notifications", None, LoggedIn),
        api(M::POST, format!("/api/v1/notifications/{}/read", w.notification), None, Only("county-reviewer")),
        api(M::GET, "/api/v1/interests", None, Has(Perm::ViewAuditLog)),
        api(M::POST, format!("/api/v1/subjects/{}/awards", w.org), Some(json!({ "cycle_ordinal": 1, "cycle_year": 2020, "level": "nomination", "reference": "walk" })), Has(Perm::ManageCycle)),
        // Entered by the walk's setup as `office2`: the Office confirms it, once (409 after).
        ruled(api(M::POST, format!("/api/v1/subjects/{}/awards/{}/confirm", w.person, w.award), None, Has(Perm::ManageCycle))),
        api(M::POST, format!("/api/v1/subjects/{}/relaxations", w.org), Some(json!({ "decided_on": "2026-11-20", "reference": "walk" })), Has(Perm::ManageCycle)),
        api(M::POST, format!("/api/v1/subjects/{}/accidents", w.org), Some(json!({ "date": "2020-01-01", "major": false, "description": "walk", "reference": "walk" })), Has(Perm::ManageCycle)),
        api(M::GET, format!("/api/v1/subjects/{}/register", w.org), None, Has(Perm::ManageCycle)),
        api(M::GET, "/api/v1/audit", None, Has(Perm::ViewAuditLog)),
        api(M::GET, "/api/v1/audit/verify", None, Has(Perm::ViewAuditLog)),
        api(M::GET, "/api/v1/registrations", None, ConfirmsSomewhere),
        ruled(api(M::POST, format!("/api/v1/registrations/{}/confirmation", w.registration), Some(json!({ "document": format!("营业执照 walk {tag}") })), Confirm(w.registration))),
    ]
}

#[rustfmt::skip]
fn accounts_api(w: &World, tag: &str, api_token: i64) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let org = as_json(&org_fields(&format!("walk-ro-{tag}")));
    let person = as_json(&person_fields(&format!("walk-rp-{tag}")));
    vec![
        api(M::GET, "/api/v1/users", None, Has(Perm::ManageAccounts)),
        api(M::POST, "/api/v1/users", Some(json!({ "username": format!("walk-api-{tag}"), "display_name": "Walk",
            "password": "walk-password-1", "grants": [{ "role": "county-reviewer", "scope": "county:hequ" }] })), Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/grants", w.agency), Some(json!({ "role": "opinion-dept", "scope": "opinion-dept:public-security" })), Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/tokens", w.service), Some(json!({ "name": format!("walk {tag}") })), Has(Perm::ManageAccounts)),
        api(M::DELETE, format!("/api/v1/tokens/{api_token}"), None, Has(Perm::ManageAccounts)),
        api(M::GET, "/api/v1/tokens", None, Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/grants/revocation", w.managed), Some(json!({ "role": "supervisor", "scope": "" })), Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/active", w.managed), Some(json!({ "active": false })), Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/active", w.managed), Some(json!({ "active": true })), Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/password", w.managed), Some(json!({ "password": "walk-password-3" })), Has(Perm::ManageAccounts)),
        api(M::POST, format!("/api/v1/users/{}/sessions/end", w.managed), None, Has(Perm::ManageAccounts)),
        api(M::GET, "/api/v1/outbox", None, Has(Perm::ManageAccounts)),
        api(M::POST, "/api/v1/register/organization", Some(org), Public),
        api(M::POST, "/api/v1/register/person", Some(person), Public),
    ]
}

/// Probes that start or end a session come last, each with a session of its own; last
/// of all the declaration of interest, which recuses the declarer from the enterprise.
#[rustfmt::skip]
fn sessions(w: &World, who: Option<&str>) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let tag = who.unwrap_or("public");
    let me = who.unwrap_or("office");
    vec![
        api(M::POST, format!("/api/v1/applications/{}/withdraw", w.app), None, OnApp(Perm::WithdrawApplication)),
        fresh(form("/register/organization", org_fields(&format!("walk-fo-{tag}")), Public)),
        fresh(form("/register/person", person_fields(&format!("walk-fp-{tag}")), Public)),
        fresh(form("/login", vec![("username", me.to_owned()), ("password", "qaward-demo".to_owned())], Public)),
        fresh(form("/logout", vec![], Public)),
        fresh(api(M::POST, "/api/v1/session", Some(json!({ "username": me, "password": "qaward-demo" })), Public)),
        fresh(api(M::DELETE, "/api/v1/session", None, LoggedIn)),
        fresh(api(M::POST, format!("/api/v1/subjects/{}/interests", w.org), Some(json!({ "kind": "other", "reason": "walk" })), Has(Perm::DeclareInterest))),
    ]
}

async fn send(t: &TestApp, probe: &Send, s: Option<&Session>) -> crate::common::Answer {
    let (path, content_type, body, page) = match probe {
        Send::Get(p) => return t.get(p, s).await,
        Send::Form(p, fields) => return t.post_form(p, s, &pairs(fields)).await,
        Send::Json(m, p, body) => return t.api(m.clone(), p, s, body.clone()).await,
        Send::Upload(p) => {
            let (ct, body) = crate::common::multipart(s, &[], "a.pdf", b"%PDF-1.4\n% test file\n");
            (p, ct, body, true)
        }
        Send::RawUpload(p) => (
            p,
            "application/pdf".to_owned(),
            b"%PDF-1.4\n% api file\n".to_vec(),
            false,
        ),
    };
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, content_type);
    if page {
        b = b.header(header::ORIGIN, ORIGIN);
    }
    if let Some(s) = s {
        b = b.header(header::COOKIE, format!("qaward_session={}", s.cookie));
        if !page {
            b = b.header("x-csrf-token", &s.csrf);
        }
    }
    t.send(b.body(Body::from(body)).unwrap()).await
}

async fn route_walk_matches_the_permission_table(backend: Backend) {
    // A 500 in the walk is logged with its cause; the test's captured output shows it.
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_test_writer()
        .try_init();
    let t = TestApp::new(backend).await;
    let w = world(&t).await;
    let target_of = |id: i64| {
        let t = &t;
        async move {
            let row =
                t.db.store
                    .application(qaward_domain::ids::ApplicationId(id))
                    .await
                    .unwrap();
            let program = qaward_app::programs::of_cycle(&t.app, row.cycle_id)
                .await
                .unwrap();
            qaward_app::workflow::target_of(&row, program)
        }
    };
    let (target, mut listed) = (target_of(w.app).await, target_of(w.listed).await);
    // The listed application is under evaluation: its panel's members see it.
    listed.assigned_experts = w.eval.members.clone();
    let (mut problems, mut checked) = (Vec::new(), 0);
    // A second program's staff, last: they are refused what is the first program's, and
    // find it nowhere (issue #13, item 4).
    let p2 = t.second_program().await;
    let second = second::staff();
    for (username, role, scope) in &second {
        let g = qaward_domain::permission::Grant::new(*role, scope.clone()).unwrap();
        t.staff(username, vec![g.in_program(p2)]).await;
    }
    let people: Vec<Option<&str>> = std::iter::once(None)
        .chain(DEMO_USERS.iter().map(|u| Some(*u)))
        .chain(second.iter().map(|(u, _, _)| Some(*u)))
        .collect();
    let first_program_people = 1 + DEMO_USERS.len();
    for (n, who) in people.into_iter().enumerate() {
        if n >= first_program_people {
            checked += second::finds_nothing(&t, &w, who, n, &mut problems).await;
            continue;
        }
        let actor = match who {
            Some(u) => actor_of(&t, u).await.1,
            None => Actor::public(),
        };
        let (form_token, api_token) = two_tokens(&t, w.service, n).await;
        let mut session = match who {
            Some(u) => Some(t.login(u).await),
            None => None,
        };
        for probe in probes(&w, who, form_token, api_token) {
            if let (true, Some(u)) = (probe.fresh, who) {
                session = Some(t.login(u).await);
            }
            let allowed = allowed(&t, who, &actor, probe.need, &target, &listed).await;
            let a = send(&t, &probe.send, session.as_ref()).await;
            checked += 1;
            let ruled = probe.ruled
                && matches!(
                    a.status,
                    StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
                );
            // A page that needs a login leads the logged-out to the login form, and back
            // afterwards: a refusal that says nothing but "log in".
            let to_login = who.is_none()
                && a.status == StatusCode::SEE_OTHER
                && crate::common::location(&a).starts_with("/login?next=")
                && a.body.is_empty();
            let ok =
                (a.status.is_success() || a.status == StatusCode::SEE_OTHER || ruled) && !to_login;
            let refused = to_login
                || matches!(
                    a.status,
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                );
            let tag = who.unwrap_or("public");
            if allowed && !ok {
                let body: String = a.body.chars().take(200).collect();
                problems.push(format!(
                    "{tag} {:?}: allowed but got {} {body}",
                    probe.send, a.status
                ));
            }
            if !allowed && !refused {
                problems.push(format!(
                    "{tag} {:?}: not allowed but got {}",
                    probe.send, a.status
                ));
            }
            // The reporter's name and contact are in no answer to anyone, but the one that
            // opens them for the supervision group (A27.2, A30).
            let opens = allowed
                && matches!(&probe.send, Send::Form(p, _) | Send::Json(_, p, _) if p.ends_with("/reporter"));
            if !opens && (a.body.contains(REPORTER.0) || a.body.contains(REPORTER.1)) {
                problems.push(format!(
                    "{tag} {:?}: the reporter's identity is in the answer",
                    probe.send
                ));
            }
            if evaluation::hidden(&actor, probe.need, &listed) && a.status != StatusCode::NOT_FOUND
            {
                problems.push(format!(
                    "{tag} {:?}: may not see the application but got {}, not 404",
                    probe.send, a.status
                ));
            }
        }
    }
    let n = problems.len();
    assert!(
        problems.is_empty(),
        "{n} of {checked} answers disagree with the permission table:\n{}",
        problems.join("\n")
    );
}

async fn a30_changing_the_id_in_the_url_leaks_no_other_applicants_data(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.subject_of("applicant-org").await;
    let person = t.subject_of("applicant-person").await;
    let org_s = t.login("applicant-org").await;
    assert_eq!(
        t.get(&format!("/subjects/{org}"), Some(&org_s))
            .await
            .status,
        StatusCode::OK
    );
    for path in [
        format!("/subjects/{person}"),
        format!("/api/v1/subjects/{person}"),
        "/subjects/99999".into(),
        "/subjects/abc".into(),
        "/api/v1/subjects/-1".into(),
    ] {
        let a = if path.starts_with("/api") {
            t.api(Method::GET, &path, Some(&org_s), None).await
        } else {
            t.get(&path, Some(&org_s)).await
        };
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !a.body.contains("李质量") && !a.body.contains("1409"),
            "{path}: {}",
            a.body
        );
    }
    // The person sees the whole number; the Office too; a supervisor sees it masked.
    let me = t.user("applicant-person").await;
    assert!(
        me.get(&format!("/api/v1/subjects/{person}"))
            .await
            .body
            .contains("14090219850615009X")
    );
    let office = t.login("office").await;
    assert!(
        t.page(&format!("/subjects/{person}"), Some(&office))
            .await
            .contains("14090219850615009X")
    );
    let sup = t.user("supervisor").await;
    assert_eq!(
        sup.read(&format!("/api/v1/subjects/{person}")).await["identifier"],
        "1409**********009X"
    );
    // Every permitted read is in the audit log.
    let reader = t.as_user("supervisor").await;
    let log = qaward_app::audit::about(
        &t.app,
        &reader,
        qaward_app::audit::Object::Subject(person),
        50,
    )
    .await
    .unwrap();
    let readers: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "subject.view")
        .map(|e| e.actor_name.as_str())
        .collect();
    assert_eq!(readers, ["supervisor", "office", "applicant-person"]);
}
