//! The evaluation in the route walk (issue #10): the listed application accepted and
//! under evaluation — the demo cycle's plan with panels of two (so that one demo expert
//! stays off the panel), a panel drawn for it through a committed draw, the material
//! review open, an observation of the supervision group and an exclusion request of the
//! applicant waiting — and one probe for every route of the evaluation's API.

use axum::http::Method;
use qaward_app::evaluation::{panels, plan, pool};
use qaward_domain::ids::{ApplicationId, UserId};
use qaward_domain::permission::{Actor, Perm, Target, permitted};
use serde_json::json;

use super::{Need, Probe, Send, World, api, form, get, probe, ruled};
use crate::common::TestApp;

/// The evaluation the walk probes: of the listed application, in the demo cycle.
pub(super) struct Evaluation {
    pub(super) cycle: i64,
    pub(super) panel: i64,
    /// The panel's draw, drawn: its record holds the seed.
    pub(super) draw: i64,
    /// The panel's members, the leader first.
    pub(super) members: Vec<UserId>,
    /// An observation of the supervision group, not yet answered.
    pub(super) observation: i64,
    /// The applicant's request to keep an expert away, not yet decided.
    pub(super) exclusion: i64,
}

/// Accepts `listed` on 2026-12-07, after its acceptance-list notice (from 2026-11-27)
/// ran clear, and comes back to the walk's day — the walk looks at permissions, not at
/// the calendar; then plans the evaluation, draws its panel and opens the material review.
pub(super) async fn evaluated(t: &TestApp, listed: ApplicationId) -> Evaluation {
    let office = t.as_user("office").await;
    t.on_day("2026-12-07", async || {
        qaward_app::acceptance::accept(&t.app, &office, listed)
            .await
            .unwrap()
    })
    .await;
    let cycle = t.cycle().await;
    let mut p = qaward_app::testing::evaluation::plan();
    p.panel_size = 2;
    plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap();
    let (panel, members) = t.panel_drawn(&[listed]).await;
    let draw = panels::panels(&t.app, &office, cycle).await.unwrap()[0].1[0].id;
    plan::open_stage(
        &t.app,
        &office,
        cycle,
        qaward_domain::application::Stage::Material,
    )
    .await
    .unwrap();
    let supervisor = t.as_user("supervisor").await;
    let observation = plan::observe(&t.app, &supervisor, cycle, None, "walk")
        .await
        .unwrap();
    let org = t.as_user("applicant-org").await;
    let exclusion = pool::request_exclusion(&t.app, &org, listed, "某专家", "", "walk")
        .await
        .unwrap();
    Evaluation {
        cycle: cycle.0,
        panel,
        draw,
        members,
        observation,
        exclusion,
    }
}

/// The probes of the evaluation's API: the pool, the plan and stages, panels and draws,
/// observations, results and the record for those who run or oversee it; tasks, sheets,
/// consensus, visits and exclusion requests on the listed application.
#[rustfmt::skip]
pub(super) fn evaluation_api(w: &World, tag: &str) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let e = &w.eval;
    let c = |p: &str| format!("/api/v1/cycles/{}{p}", e.cycle);
    let a = |p: &str| format!("/api/v1/applications/{}{p}", w.listed);
    let leader = e.members[0].0;
    let team: Vec<i64> = e.members.iter().map(|u| u.0).collect();
    let expert1 = json!({ "username": "expert1", "name": "赵质量", "employer": "山西大学", "title": "教授",
        "fields": ["综合", "制造业"], "region": "山西省", "contact": "0350-3000100", "available": true });
    let plan = json!({ "weight_material": 40, "weight_on_site": 40, "weight_defense": 20, "aggregation": "mean",
        "spread": 20, "threshold": "600", "nomination_threshold": "500", "panel_size": 2, "reason": "walk" });
    vec![
        get_api("/api/v1/experts", Pool),
        api(M::POST, "/api/v1/experts", Some(expert1), KeepsPool),
        get_api(c("/plan"), ReadPlan),
        api(M::PUT, c("/plan"), Some(plan), OnCycle(Perm::ManagePanels)),
        ruled(api(M::POST, c("/stages/material/open"), None, OnCycle(Perm::ManagePanels))),
        ruled(api(M::POST, c("/stages/material/complete"), None, OnCycle(Perm::ManagePanels))),
        ruled(api(M::POST, c("/stages/material/sign-off"), None, OnCycle(Perm::SuperviseEvaluation))),
        api(M::PUT, c("/stages/material/due"), Some(json!({ "due": "2026-12-18" })), OnCycle(Perm::ManagePanels)),
        get_api(c("/panels"), Oversee),
        api(M::POST, c("/panels"), Some(json!({ "name": format!("walk {tag}"), "field": "综合" })), OnCycle(Perm::ManagePanels)),
        ruled(api(M::POST, c(&format!("/panels/{}/applications", e.panel)), Some(json!({ "applications": [w.listed] })), OnCycle(Perm::ManagePanels))),
        api(M::POST, c(&format!("/panels/{}/leader", e.panel)), Some(json!({ "expert": leader })), OnCycle(Perm::ManagePanels)),
        // Not a member: the panel stays as it is.
        ruled(api(M::POST, c(&format!("/panels/{}/leave", e.panel)), Some(json!({ "expert": w.managed.0, "reason": "walk" })), OnCycle(Perm::ManagePanels))),
        ruled(api(M::POST, c(&format!("/panels/{}/draws", e.panel)), Some(json!({})), OnCycle(Perm::ManagePanels))),
        get_api(c(&format!("/draws/{}", e.draw)), Oversee),
        ruled(api(M::POST, c(&format!("/draws/{}/contribution", e.draw)), Some(json!({ "value": "walk" })), OnCycle(Perm::SuperviseEvaluation))),
        ruled(api(M::POST, c(&format!("/draws/{}/draw", e.draw)), None, OnCycle(Perm::ManagePanels))),
        api(M::POST, c("/observations"), Some(json!({ "body": "walk" })), OnCycle(Perm::SuperviseEvaluation)),
        ruled(api(M::POST, c(&format!("/observations/{}/answer", e.observation)), Some(json!({ "answer": "walk" })), OnCycle(Perm::ManagePanels))),
        get_api(c("/results"), Oversee),
        get_api(c("/evaluation-record"), Oversee),
        get_api("/api/v1/evaluation/tasks", LoggedIn),
        get_api(a("/sheets/material"), Evaluated(Perm::Score)),
        api(M::PUT, a("/sheets/material"), Some(json!({ "items": {} })), Evaluated(Perm::Score)),
        ruled(api(M::POST, a("/consensus/material"), Some(json!({ "item": "4.1.2", "percent": 60, "reasoning": "walk" })), Evaluated(Perm::Score))),
        api(M::PUT, a("/sessions/on-site"), Some(json!({ "on_date": "2026-12-10", "place": "walk", "team": team })), Evaluated(Perm::ManagePanels)),
        get_api(a("/visits"), Evaluated(Perm::ViewApplication)),
        api(M::POST, a("/exclusions"), Some(json!({ "expert_name": "某专家", "reason": "walk" })), Evaluated(Perm::RequestExclusion)),
        get_api(a("/exclusions"), ExclusionsOf),
        // Dismissed by the first to decide; decided already for the next.
        ruled(api(M::POST, format!("/api/v1/exclusions/{}/decision", e.exclusion), Some(json!({ "upheld": false, "reason": "walk" })), Has(Perm::ManageExperts))),
        ruled(api(M::POST, "/api/v1/evaluation/complete", Some(json!({ "applications": [w.listed] })), Evaluated(Perm::ManagePanels))),
        get_api(c("/entrustments"), Oversee),
        // The demo agency holds the cycle already: a second grant is a conflict.
        ruled(api(M::POST, c("/entrustments"), Some(json!({ "agency": "agency", "document": "walk" })), OnCycle(Perm::ManageCycle))),
        ruled(api(M::PUT, a("/sessions/on-site/minutes"), Some(json!({ "attendance": "walk" })), Evaluated(Perm::ManagePanels))),
        // No visit open and scheduled in the walk: a permitted actor is refused by the rule.
        ruled(super::probe(super::Send::RawUpload(a("/sessions/on-site/records?filename=a.pdf")), Evaluated(Perm::ManagePanels))),
    ]
}

/// The probes of the evaluation's pages and their forms.
#[rustfmt::skip]
pub(super) fn evaluation_pages(w: &World, tag: &str) -> Vec<Probe> {
    use Need::*;
    let e = &w.eval;
    let l = w.listed;
    let s = |v: &str| v.to_owned();
    let plan = vec![("weight_material", s("40")), ("weight_on_site", s("40")), ("weight_defense", s("20")),
        ("aggregation", s("mean")), ("spread", s("20")), ("threshold", s("600")), ("nomination_threshold", s("500")),
        ("panel_size", s("2")), ("reason", s("walk"))];
    let mut session = vec![("on_date", s("2026-12-10")), ("place", s("walk"))];
    session.extend(e.members.iter().map(|m| ("team", m.0.to_string())));
    vec![
        get("/evaluation", Oversee),
        get("/experts", Pool),
        get("/evaluation/tasks", LoggedIn),
        get("/evaluation/results.csv", Oversee),
        get(format!("/evaluation/sheets/{l}/material"), Evaluated(Perm::Score)),
        get(format!("/applications/{l}/evaluation"), Evaluated(Perm::ViewApplication)),
        ruled(form("/evaluation/plan", plan, OnCycle(Perm::ManagePanels))),
        ruled(form("/evaluation/entrustments", vec![("agency", s("agency")), ("document", s("walk"))], OnCycle(Perm::ManageCycle))),
        form("/evaluation/panels", vec![("name", format!("page walk {tag}")), ("field", s("综合"))], OnCycle(Perm::ManagePanels)),
        ruled(form("/evaluation/stages/material/complete", vec![], OnCycle(Perm::ManagePanels))),
        ruled(form("/evaluation/stages/material/sign-off", vec![], OnCycle(Perm::SuperviseEvaluation))),
        form("/evaluation/stages/material/due", vec![("due", s("2026-12-18"))], OnCycle(Perm::ManagePanels)),
        form(&format!("/evaluation/panels/{}/leader", e.panel), vec![("expert", e.members[0].0.to_string())], OnCycle(Perm::ManagePanels)),
        ruled(form(&format!("/evaluation/draws/{}/contribution", e.draw), vec![("value", s("walk"))], OnCycle(Perm::SuperviseEvaluation))),
        form(&format!("/evaluation/applications/{l}/sessions/on-site"), session, Evaluated(Perm::ManagePanels)),
        ruled(form(&format!("/evaluation/applications/{l}/minutes/defense"), vec![("attendance", s("walk"))], Evaluated(Perm::ManagePanels))),
        form("/evaluation/observations", vec![("body", s("walk"))], OnCycle(Perm::SuperviseEvaluation)),
        ruled(form(&format!("/evaluation/observations/{}/answer", e.observation), vec![("answer", s("walk"))], OnCycle(Perm::ManagePanels))),
        ruled(form(&format!("/evaluation/exclusions/{}/decision", e.exclusion), vec![("upheld", s("false")), ("reason", s("walk"))], Has(Perm::ManageExperts))),
        ruled(form("/evaluation/complete", vec![("applications", l.to_string())], Evaluated(Perm::ManagePanels))),
        form(&format!("/evaluation/sheets/{l}/material"), vec![("submit", s("false"))], Evaluated(Perm::Score)),
        ruled(form(&format!("/evaluation/sheets/{l}/material/consensus"), vec![("item", s("4.1.2")), ("percent", s("60")), ("reasoning", s("walk"))], Evaluated(Perm::Score))),
        ruled(super::probe(super::Send::Upload(format!("/evaluation/applications/{l}/records/on-site")), Evaluated(Perm::ManagePanels))),
        form(&format!("/applications/{l}/exclusions"), vec![("expert_name", s("某专家")), ("reason", s("walk"))], Evaluated(Perm::RequestExclusion)),
        form("/experts", vec![("username", s("expert1")), ("name", s("赵质量")), ("employer", s("山西大学")), ("title", s("教授")),
            ("fields", s("综合、制造业")), ("region", s("山西省")), ("contact", s("0350-3000100")), ("available", s("true"))], KeepsPool),
    ]
}

fn get_api(path: impl Into<String>, need: Need) -> Probe {
    api(Method::GET, path, None, need)
}

/// Whether the permission function allows `actor` an evaluation need; `evaluated` is the
/// target of the application under evaluation, with its panel's members; the cycle's
/// target is taken from it.
pub(super) fn allowed(actor: &Actor, need: Need, evaluated: &Target) -> bool {
    let cycle = Target {
        program: evaluated.program,
        cycle: evaluated.cycle,
        ..Target::default()
    };
    let may = |p: Perm, t: &Target| permitted(actor, p, t).is_ok();
    let oversee = may(Perm::ManagePanels, &cycle) || may(Perm::SuperviseEvaluation, &cycle);
    let on = |p: Perm| may(Perm::ViewApplication, evaluated) && may(p, evaluated);
    match need {
        Need::Oversee => oversee,
        Need::OnCycle(p) => may(p, &cycle),
        Need::ReadPlan => {
            oversee
                || actor
                    .user
                    .is_some_and(|u| evaluated.assigned_experts.contains(&u))
        }
        // The Office, the agency entrusted with the cycle, the supervision group.
        Need::Pool => {
            may(Perm::ManageExperts, &Target::default())
                || may(Perm::ManageExperts, &cycle)
                || may(Perm::SuperviseEvaluation, &Target::default())
        }
        Need::KeepsPool => {
            may(Perm::ManageExperts, &Target::default()) || may(Perm::ManageExperts, &cycle)
        }
        Need::Evaluated(p) => on(p),
        Need::CertificateOf => on(Perm::RecordAwardDelivery) || on(Perm::EditApplication),
        Need::Commends => [
            Perm::ProposeCandidates,
            Perm::Deliberate,
            Perm::CoSignJointReport,
            Perm::DecideAwards,
        ]
        .into_iter()
        .any(|p| may(p, &cycle)),
        Need::ExclusionsOf => on(Perm::RequestExclusion) || on(Perm::ManageExperts),
        _ => unreachable!("not an evaluation need: {need:?}"),
    }
}

/// Whether a logged-in `actor` must be answered "not found": a probe on the evaluated
/// application by one who may not see it — an expert off its panel, say (A29) — learns
/// nothing of it, not even that it exists.
pub(super) fn hidden(actor: &Actor, need: Need, evaluated: &Target) -> bool {
    actor.user.is_some()
        && matches!(
            need,
            Need::Evaluated(_) | Need::ExclusionsOf | Need::CertificateOf
        )
        && permitted(actor, Perm::ViewApplication, evaluated).is_err()
}

/// The probes of the commendation's API (issue #11): the desk and every step on the walk's
/// cycle, the background opinions on the listed application (not yet a candidate: a
/// permitted body is refused by A18.2), and the public verification and honour roll.
#[rustfmt::skip]
pub(super) fn commendation_api(w: &World) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let c = |p: &str| format!("/api/v1/cycles/{}{p}", w.eval.cycle);
    let a = format!("/api/v1/applications/{}/background-opinions", w.listed);
    let notice = json!({ "start": "2026-12-31", "contact": "walk" });
    vec![
        get_api(c("/commendation"), Commends),
        ruled(api(M::POST, c("/candidates"), Some(json!({ "choices": [] })), OnCycle(Perm::ProposeCandidates))),
        ruled(api(M::POST, c("/candidate-notices"), Some(notice.clone()), OnCycle(Perm::PublishNotice))),
        get_api(a.clone(), Evaluated(Perm::RequestBackgroundOpinions)),
        ruled(api(M::POST, a, Some(json!({ "departments": ["public-security"], "due": "2026-12-31" })), Evaluated(Perm::RequestBackgroundOpinions))),
        ruled(api(M::POST, c("/deliberation"), Some(json!({ "outcomes": [], "meeting": "walk" })), OnCycle(Perm::Deliberate))),
        ruled(api(M::POST, c("/proposed-winners-notice"), Some(notice), OnCycle(Perm::PublishNotice))),
        ruled(api(M::POST, c("/joint-report"), Some(json!({ "number": "walk", "dated": "2026-12-31" })), OnCycle(Perm::FileJointReport))),
        ruled(api(M::POST, c("/joint-report/cosign"), None, OnCycle(Perm::CoSignJointReport))),
        ruled(api(M::POST, c("/decision"), Some(json!({ "outcomes": [], "number": "walk", "dated": "2026-12-31" })), OnCycle(Perm::DecideAwards))),
        ruled(api(M::POST, format!("/api/v1/applications/{}/handover", w.listed), Some(json!({ "handed_on": "2026-11-27", "note": "walk" })), Evaluated(Perm::RecordAwardDelivery))),
        ruled(api(M::POST, format!("/api/v1/applications/{}/prize-payment", w.listed), Some(json!({ "amount_yuan": 200000, "paid_on": "2026-11-27", "voucher": "walk" })), Evaluated(Perm::RecordAwardDelivery))),
        ruled(get_api(format!("/api/v1/applications/{}/certificate", w.listed), CertificateOf)),
        ruled(get_api(c("/decision-document"), Commends)),
        ruled(get_api(c("/decision/signed"), Commends)),
        ruled(probe(Send::RawUpload(c("/decision/signed?filename=a.pdf")), OnCycle(Perm::DecideAwards))),
        get_api(c("/commendation-lists"), Commends),
        get_api("/api/v1/applications.xlsx", Has(Perm::FormalReview)),
        get_api(format!("/api/v1/notices/{}/document", w.notice), Public),
        get_api(format!("/api/v1/notices/{}/list", w.notice), Public),
        get_api("/api/v1/certificates/0000000000000000", Public),
        get_api("/api/v1/honours", Public),
    ]
}

/// The probes of the commendation's pages: the desk and each of its forms, the
/// background opinions' page and form, the public verification and honour roll.
#[rustfmt::skip]
pub(super) fn commendation_pages(w: &World) -> Vec<Probe> {
    use Need::*;
    let s = |v: &str| v.to_owned();
    let notice = || vec![("start", s("2026-12-31")), ("contact", s("walk"))];
    vec![
        get("/commendation", Commends),
        ruled(form("/commendation/candidates", vec![], OnCycle(Perm::ProposeCandidates))),
        ruled(form("/commendation/candidate-notices", notice(), OnCycle(Perm::PublishNotice))),
        ruled(form("/commendation/deliberation", vec![("meeting", s("walk"))], OnCycle(Perm::Deliberate))),
        ruled(form("/commendation/proposed-notice", notice(), OnCycle(Perm::PublishNotice))),
        ruled(form("/commendation/joint-report", vec![("number", s("walk")), ("dated", s("2026-12-31"))], OnCycle(Perm::FileJointReport))),
        ruled(form("/commendation/joint-report/cosign", vec![], OnCycle(Perm::CoSignJointReport))),
        ruled(form("/commendation/decision", vec![("number", s("walk")), ("dated", s("2026-12-31"))], OnCycle(Perm::DecideAwards))),
        ruled(form(&format!("/commendation/awards/{}/handover", w.listed), vec![("handed_on", s("2026-11-27")), ("note", s("walk"))], Evaluated(Perm::RecordAwardDelivery))),
        ruled(form(&format!("/commendation/awards/{}/payment", w.listed), vec![("amount_yuan", s("200000")), ("paid_on", s("2026-11-27")), ("voucher", s("walk"))], Evaluated(Perm::RecordAwardDelivery))),
        ruled(get(format!("/commendation/certificates/{}", w.listed), CertificateOf)),
        ruled(get("/commendation/decision.docx", Commends)),
        ruled(get("/commendation/decision/signed", Commends)),
        ruled(probe(Send::Upload("/commendation/decision/signed".into()), OnCycle(Perm::DecideAwards))),
        get("/commendation/lists.xlsx", Commends),
        get("/office/applications.xlsx", Has(Perm::FormalReview)),
        get(format!("/notices/{}/document.docx", w.notice), Public),
        get(format!("/notices/{}/list.xlsx", w.notice), Public),
        get("/commendation/background", Receives),
        ruled(form(&format!("/commendation/background/{}", w.listed), vec![("departments", s("public-security")), ("due", s("2026-12-31"))], Evaluated(Perm::RequestBackgroundOpinions))),
        get("/verify", Public), get("/verify?code=0000000000000000", Public), get("/honours", Public),
    ]
}

/// The probes of complaints (issue #12; A27): the public form and follow-up, pages and
/// API, and the supervision group's desk. Steps are sent out of order on purpose (a
/// received complaint cannot be concluded or answered: 422), so the walk changes nothing
/// a later probe relies on but the note and the group's own files. Evidence without the code finds nothing (404);
/// neither does an answer to a request to the Office that does not exist.
#[rustfmt::skip]
pub(super) fn complaint_probes(w: &World) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let s = |v: &str| v.to_owned();
    let c = w.complaint;
    let hc = Has(Perm::HandleComplaint);
    let file = json!({ "topic": "evaluation", "about": "walk", "content": "walk" });
    vec![
        get("/complaints", Public),
        form("/complaints", vec![("topic", s("evaluation")), ("about", s("walk")), ("content", s("walk"))], Public),
        get("/complaints/status", Public),
        form("/complaints/status", vec![("code", w.complaint_code.clone())], Public),
        probe(Send::Upload("/complaints/evidence".into()), FollowUpCode),
        get("/supervision/complaints", hc),
        get(format!("/supervision/complaints/{c}"), hc),
        form(&format!("/supervision/complaints/{c}/reporter"), vec![], Has(Perm::ViewReporterIdentity)),
        ruled(form(&format!("/supervision/complaints/{c}/conclude"), vec![("outcome", s("founded")), ("findings", s("walk"))], hc)),
        ruled(form(&format!("/supervision/complaints/{c}/answer"), vec![("text", s("walk"))], hc)),
        ruled(form(&format!("/supervision/complaints/{c}/assign"), vec![("subject", w.org.0.to_string())], hc)),
        get(format!("/supervision/complaints/{c}/files/0000"), FollowUpCode),
        probe(Send::Upload(format!("/supervision/complaints/{c}/evidence")), hc),
        // The walk's complaint is not taken up: asking the Office is refused by A27.2.
        ruled(form(&format!("/supervision/complaints/{c}/ask-office"), vec![("text", s("walk"))], hc)),
        get("/supervision/requests", Has(Perm::AnswerSupervisionRequest)),
        form("/supervision/requests/0/answer", vec![("text", s("walk"))], Unknown),
        api(M::POST, "/api/v1/complaints", Some(file), Public),
        api(M::POST, "/api/v1/complaints/status", Some(json!({ "code": w.complaint_code })), Public),
        probe(Send::RawUpload("/api/v1/complaints/evidence?filename=a.pdf".into()), FollowUpCode),
        api(M::GET, "/api/v1/complaints", None, hc),
        api(M::GET, format!("/api/v1/complaints/{c}"), None, hc),
        api(M::POST, format!("/api/v1/complaints/{c}/reporter"), None, Has(Perm::ViewReporterIdentity)),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/register"), Some(json!({ "assignee": 0 })), hc)),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/assign"), Some(json!({ "subject": w.org.0 })), hc)),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/decline"), Some(json!({ "text": " " })), hc)),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/note"), Some(json!({ "text": "walk" })), hc)),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/conclude"), Some(json!({ "outcome": "founded", "findings": "walk" })), hc)),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/answer"), Some(json!({ "text": "walk" })), hc)),
        api(M::GET, format!("/api/v1/complaints/{c}/files/0000"), None, FollowUpCode),
        probe(Send::RawUpload(format!("/api/v1/complaints/{c}/evidence?filename=a.pdf")), hc),
        ruled(api(M::POST, format!("/api/v1/complaints/{c}/office-requests"), Some(json!({ "text": "walk" })), hc)),
        api(M::GET, "/api/v1/supervision/requests", None, Has(Perm::AnswerSupervisionRequest)),
        api(M::POST, "/api/v1/supervision/requests/0/answer", Some(json!({ "text": "walk" })), Unknown),
    ]
}

/// The probes of revocation (issue #12; A28) on the listed application, which is not an
/// award: the Office is refused by A28.1/A28.2 (422), everyone else by the permission
/// function. No request exists, so a decision finds none (404) for anyone.
#[rustfmt::skip]
pub(super) fn revocation_probes(w: &World) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let s = |v: &str| v.to_owned();
    let l = w.listed;
    let asked = vec![("application", l.to_string()), ("cause", s("false-materials")), ("finding", s("walk")), ("evidence", s("walk"))];
    vec![
        get("/revocations", Revocations),
        get("/revocations/published", Public),
        // No award is revoked in the walk: no announcement exists, for anyone.
        get("/revocations/published/999999", Unknown),
        get("/revocations/published/999999/document.docx", Unknown),
        ruled(form("/revocations/requests", asked, Evaluated(Perm::RequestRevocation))),
        form("/revocations/999999/decision", vec![("decision", s("refuse")), ("reason", s("walk"))], Unknown),
        ruled(form(&format!("/revocations/awards/{l}/return"), vec![("returned_on", s("2026-11-27")), ("note", s("walk"))], Evaluated(Perm::RecordAwardDelivery))),
        ruled(form(&format!("/revocations/awards/{l}/recovery"), vec![("amount_yuan", s("1")), ("recovered_on", s("2026-11-27")), ("voucher", s("walk"))], Evaluated(Perm::RecordAwardDelivery))),
        api(M::GET, "/api/v1/revocations", None, Revocations),
        api(M::GET, "/api/v1/revocations/published", None, Public),
        api(M::GET, "/api/v1/revocations/published/999999", None, Unknown),
        ruled(api(M::POST, format!("/api/v1/applications/{l}/revocation-requests"), Some(json!({ "cause": "false-materials", "finding": "walk", "evidence": "walk" })), Evaluated(Perm::RequestRevocation))),
        api(M::POST, "/api/v1/revocation-requests/999999/decision", Some(json!({ "decision": "refuse", "reason": "walk" })), Unknown),
        ruled(api(M::POST, format!("/api/v1/applications/{l}/revocation/return"), Some(json!({ "returned_on": "2026-11-27", "note": "walk" })), Evaluated(Perm::RecordAwardDelivery))),
        ruled(api(M::POST, format!("/api/v1/applications/{l}/revocation/recovery"), Some(json!({ "amount_yuan": 1, "recovered_on": "2026-11-27", "voucher": "walk" })), Evaluated(Perm::RecordAwardDelivery))),
    ]
}

/// The probes of winners' obligations (issue #12; A22, A25): the desk, and an obligation
/// set on the listed application, which has not won (422 for the Office); reports and
/// reviews of an obligation that does not exist (404 for everyone).
#[rustfmt::skip]
pub(super) fn obligation_probes(w: &World) -> Vec<Probe> {
    use Method as M;
    use Need::*;
    let s = |v: &str| v.to_owned();
    let l = w.listed;
    let set = vec![("application", l.to_string()), ("kind", s("prize-use")), ("due_on", s("2030-12-31")), ("request", s("walk"))];
    let report = vec![("kind", s("promotion")), ("activities", s("walk"))];
    vec![
        get("/obligations", Obligations),
        ruled(form("/obligations", set, Evaluated(Perm::ReviewObligations))),
        form("/obligations/999999/report", report, Unknown),
        form("/obligations/999999/review", vec![("decision", s("accept"))], Unknown),
        api(M::GET, "/api/v1/obligations", None, Obligations),
        ruled(api(M::POST, "/api/v1/obligations", Some(json!({ "application": l, "kind": "prize-use", "due_on": "2030-12-31", "request": "walk" })), Evaluated(Perm::ReviewObligations))),
        api(M::POST, "/api/v1/obligations/999999/report", Some(json!({ "activities": "walk" })), Unknown),
        api(M::POST, "/api/v1/obligations/999999/review", Some(json!({ "decision": "accept" })), Unknown),
        probe(Send::Upload("/obligations/999999/vouchers".into()), Unknown),
        get("/obligations/999999/vouchers/1", Unknown),
        form("/obligations/999999/vouchers/1/remove", vec![], Unknown),
        probe(Send::RawUpload("/api/v1/obligations/999999/vouchers?filename=a.pdf".into()), Unknown),
        api(M::GET, "/api/v1/obligations/999999/vouchers/1", None, Unknown),
        api(M::DELETE, "/api/v1/obligations/999999/vouchers/1", None, Unknown),
    ]
}
