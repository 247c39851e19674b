//! From the Office to acceptance over the API, on SQLite and PostgreSQL: written opinions,
//! the formal review, the acceptance list and its objections; and beside the cycle the
//! register's bars (A12, A28.3), recusal (A29), cycles and their dashboard, and the
//! notifications each step sends.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::applications::registered;
use crate::common::{Client, ORG, PERSON, TestApp, ok};
use qaward_app::testing::Backend;

qaward_app::testing::on_both!(
    a16_2_formal_review_waits_for_every_opinion,
    a16_2_an_adverse_opinion_blocks_the_formal_review,
    a16_3_both_paths_reach_accepted_through_the_acceptance_list,
    a16_3_an_open_objection_holds_acceptance_and_a_late_one_is_refused,
    a6_the_leading_group_handles_an_objection_with_its_reason,
    a12_1_a_recent_winner_cannot_submit_and_a12_2_a_nominee_can,
    a28_3_a_revoked_winner_is_barred_from_the_year_of_revocation,
    a29_declaring_an_interest_needs_staff_and_a_reason,
    a29_a_declared_interest_keeps_the_reviewer_away,
    each_step_tells_the_next_actor,
    e_mail_waits_in_the_outbox_and_names_no_applicant,
);

/// The applicant's application submitted to `channel`, passed and recommended there, over
/// the API; its id.
async fn recommended(t: &TestApp, who: &str, declarations: &[&str], channel: &str) -> i64 {
    let applicant = t.user(who).await;
    let id = applicant.prepare(declarations).await;
    ok(&applicant.submit(id, channel).await);
    let (reviewer, recommender) = match channel.starts_with("county") {
        true => ("county-reviewer", "county-government"),
        false => ("industry-dept", "industry-dept"),
    };
    let review = format!("/api/v1/applications/{id}/channel-review");
    t.user(reviewer)
        .await
        .done(
            &review,
            json!({ "decision": "pass", "in_unit_notice_clear": true }),
        )
        .await;
    let batch = json!({ "applications": [id] });
    t.user(recommender)
        .await
        .done("/api/v1/recommendations", batch)
        .await;
    id
}

async fn ask(office: &Client<'_>, id: i64, dept: &str) {
    let ask = json!({ "departments": [dept], "due": "2026-12-04" });
    office
        .done(&format!("/api/v1/applications/{id}/opinion-requests"), ask)
        .await;
}

/// Answers every open request of the department's queue with "no objection".
async fn answer_all(dept: &Client<'_>) {
    for item in dept.read("/api/v1/opinion-queue").await["items"]
        .as_array()
        .unwrap()
    {
        let rid = item["id"].as_i64().unwrap();
        let answer = format!("/api/v1/opinion-requests/{rid}/answer");
        dept.done(
            &answer,
            json!({ "adverse": false, "answer": "无违法犯罪记录" }),
        )
        .await;
        let again = dept.post(&answer, json!({ "adverse": false })).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
    }
}

fn formal(id: i64) -> String {
    format!("/api/v1/applications/{id}/formal-review")
}

async fn a16_2_formal_review_waits_for_every_opinion(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = recommended(&t, "applicant-org", ORG, "county:xinfu").await;
    let office = t.user("office").await;
    assert_eq!(
        office.read("/api/v1/office-queue").await["items"][0]["state"],
        "recommended"
    );
    assert_eq!(
        office
            .post(&formal(org), json!({ "decision": "pass" }))
            .await
            .rule(),
        "A16.2"
    );
    ask(&office, org, "public-security").await;
    assert_eq!(
        office
            .post(&formal(org), json!({ "decision": "pass" }))
            .await
            .rule(),
        "A16.2"
    );
    answer_all(&t.user("opinion-dept").await).await;
    let pass = json!({ "decision": "pass", "basic_conditions": "符合" });
    assert_eq!(
        office.done(&formal(org), pass).await["state"],
        "formally-reviewed"
    );
}

async fn a16_2_an_adverse_opinion_blocks_the_formal_review(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = recommended(&t, "applicant-org", ORG, "county:xinfu").await;
    let office = t.user("office").await;
    ask(&office, org, "tax").await;
    let admin = t.user("admin").await;
    admin.done("/api/v1/users", json!({
        "username": "tax-bureau", "display_name": "国家税务总局忻州市税务局", "password": "tax-password-1",
        "grants": [{ "role": "opinion-dept", "scope": "opinion-dept:tax" }]
    })).await;
    let tax = Client {
        t: &t,
        s: t.login_with("tax-bureau", "tax-password-1").await,
    };
    let rid = tax.read("/api/v1/opinion-queue").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let answer = format!("/api/v1/opinion-requests/{rid}/answer");
    // The police may not answer the tax department's request, nor learn that it exists.
    let police = t.user("opinion-dept").await;
    assert_eq!(
        police
            .post(&answer, json!({ "adverse": false }))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        tax.post(&answer, json!({ "adverse": true, "answer": "" }))
            .await
            .error("field"),
        "answer"
    );
    tax.done(
        &answer,
        json!({ "adverse": true, "answer": "2025年欠税未缴" }),
    )
    .await;
    let a = office
        .post(&formal(org), json!({ "decision": "pass" }))
        .await;
    assert_eq!(a.rule(), "A16.2");
    assert!(a.error("key") == "opinions-adverse", "{}", a.body);
    let back = json!({ "decision": "return", "reason": "请说明欠税情况" });
    assert_eq!(
        office.done(&formal(org), back).await["state"],
        "returned-to-office"
    );
}

/// Both demo applicants formally reviewed, over the API.
async fn both_reviewed(t: &TestApp) -> (i64, i64) {
    let org = recommended(t, "applicant-org", ORG, "county:xinfu").await;
    let person = recommended(t, "applicant-person", PERSON, "industry:industry-it").await;
    let office = t.user("office").await;
    for id in [org, person] {
        ask(&office, id, "public-security").await;
    }
    answer_all(&t.user("opinion-dept").await).await;
    for id in [org, person] {
        office
            .done(&formal(id), json!({ "decision": "pass" }))
            .await;
    }
    (org, person)
}

async fn list(office: &Client<'_>, ids: &[i64]) -> i64 {
    let list = json!({ "applications": ids, "start": "2026-11-30", "contact": "领导小组办公室 0350-3000000" });
    office.done("/api/v1/acceptance-lists", list).await["id"]
        .as_i64()
        .unwrap()
}

async fn a16_3_both_paths_reach_accepted_through_the_acceptance_list(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (org, person) = both_reviewed(&t).await;
    let office = t.user("office").await;
    let nid = list(&office, &[org, person]).await;
    // Public, five working days from Monday Nov 30 to Friday Dec 4.
    let n = ok(&t
        .api(
            axum::http::Method::GET,
            &format!("/api/v1/notices/{nid}"),
            None,
            None,
        )
        .await);
    assert_eq!(
        (n["start"].as_str(), n["end"].as_str()),
        (Some("2026-11-30"), Some("2026-12-04"))
    );
    assert_eq!(
        (n["kind"].as_str(), n["entries"].as_array().unwrap().len()),
        (Some("acceptance-list"), 2)
    );
    // Not before it has run.
    t.set_today("2026-12-04");
    let accept = |id: i64| format!("/api/v1/applications/{id}/accept");
    assert_eq!(office.post(&accept(org), json!({})).await.rule(), "A16.3");
    t.set_today("2026-12-07");
    for id in [org, person] {
        assert_eq!(
            office.done(&accept(id), json!({})).await["state"],
            "accepted"
        );
    }
    let supervisor = t.as_user("supervisor").await;
    assert!(
        qaward_app::audit::verify(&t.app, &supervisor)
            .await
            .unwrap()
            .ok
    );
}

/// The person's application alone on an acceptance list from 2026-11-30, and an
/// anonymous objection raised against it on 2026-12-02; the notice and the follow-up code.
async fn objected(t: &TestApp) -> (i64, i64, String) {
    let person = t.as_user("applicant-person").await;
    let id = t.submitted(&person, "industry:industry-it").await;
    let dept = t.as_user("industry-dept").await;
    let pass = qaward_app::review::Decision::Pass;
    let checklist = qaward_app::review::Checklist::notice_clear();
    let step = qaward_domain::application::ReviewStep::Channel;
    qaward_app::review::review(&t.app, &dept, id, step, &pass, &checklist)
        .await
        .unwrap();
    qaward_app::review::recommend(&t.app, &dept, &[id])
        .await
        .unwrap();
    let office = t.user("office").await;
    ask(&office, id.0, "public-security").await;
    answer_all(&t.user("opinion-dept").await).await;
    office
        .done(&formal(id.0), json!({ "decision": "pass" }))
        .await;
    let nid = list(&office, &[id.0]).await;
    t.set_today("2026-12-02");
    let objection = json!({ "application": id.0, "content": "申报人的质量工作年限不实", "evidence": "原单位人事档案" });
    let path = format!("/api/v1/notices/{nid}/objections");
    let a = t
        .api(axum::http::Method::POST, &path, None, Some(objection))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    (
        id.0,
        nid,
        a.json()["follow_up_code"].as_str().unwrap().to_owned(),
    )
}

async fn status(t: &TestApp, code: &str) -> Value {
    let body = Some(json!({ "code": code }));
    ok(&t
        .api(
            axum::http::Method::POST,
            "/api/v1/objections/status",
            None,
            body,
        )
        .await)
}

async fn a16_3_an_open_objection_holds_acceptance_and_a_late_one_is_refused(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (id, nid, code) = objected(&t).await;
    assert_eq!(status(&t, &code).await["status"], "open");
    t.set_today("2026-12-07");
    let office = t.user("office").await;
    let a = office
        .post(&format!("/api/v1/applications/{id}/accept"), json!({}))
        .await;
    assert_eq!(a.rule(), "A16.3");
    assert!(a.error("key") == "objections-unhandled", "{}", a.body);
    let late = json!({ "application": id, "content": "迟到的异议" });
    let path = format!("/api/v1/notices/{nid}/objections");
    let a = t
        .api(axum::http::Method::POST, &path, None, Some(late))
        .await;
    assert_eq!(
        (a.status, a.rule()),
        (StatusCode::UNPROCESSABLE_ENTITY, "A16.3".into())
    );
    assert!(
        a.error("message").contains("异议期已于2026年12月4日结束"),
        "{}",
        a.body
    );
}

async fn a6_the_leading_group_handles_an_objection_with_its_reason(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (id, _, code) = objected(&t).await;
    t.set_today("2026-12-07");
    let lg = t.user("leading-group").await;
    let queue = lg.read("/api/v1/objections").await["items"].clone();
    let oid = queue[0]["id"].as_i64().unwrap();
    assert_eq!(queue[0]["objector"], Value::Null, "anonymous");
    let office = t.user("office").await;
    assert_eq!(
        office.get("/api/v1/objections").await.status,
        StatusCode::FORBIDDEN
    );
    let handle = format!("/api/v1/objections/{oid}/handling");
    assert_eq!(
        lg.post(&handle, json!({ "decision": "dismiss", "reason": "" }))
            .await
            .rule(),
        "A6"
    );
    lg.done(
        &handle,
        json!({ "decision": "dismiss", "reason": "经核查，工作年限属实" }),
    )
    .await;
    let st = status(&t, &code).await;
    assert_eq!(
        (st["status"].as_str(), st["reason"].as_str()),
        (Some("dismissed"), Some("经核查，工作年限属实"))
    );
    let again = lg
        .post(&handle, json!({ "decision": "dismiss", "reason": "再次" }))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let accept = format!("/api/v1/applications/{id}/accept");
    assert_eq!(office.done(&accept, json!({})).await["state"], "accepted");
}

/// An award entered through the API by `by`; when entered, confirmed by a second member of
/// the Office (`office2`), so that it bars (four eyes).
async fn record(t: &TestApp, by: &Client<'_>, subject: i64, award: Value) -> crate::common::Answer {
    let a = by
        .post(&format!("/api/v1/subjects/{subject}/awards"), award)
        .await;
    if a.status == StatusCode::CREATED {
        let id = a.json()["id"].as_i64().unwrap();
        let second = t.user("office2").await;
        let c = second
            .post(
                &format!("/api/v1/subjects/{subject}/awards/{id}/confirm"),
                json!({}),
            )
            .await;
        assert_eq!(c.status, StatusCode::NO_CONTENT, "{}", c.body);
    }
    a
}

async fn a12_1_a_recent_winner_cannot_submit_and_a12_2_a_nominee_can(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.user("office").await;
    let org_subject = t.subject_of("applicant-org").await.0;
    // The organization won the Award in cycle 1 (2023): barred in cycles 2 and 3 (A12.1).
    let award = json!({ "cycle_ordinal": 1, "cycle_year": 2023, "level": "award", "reference": "忻政发〔2023〕12号" });
    assert_eq!(
        record(&t, &office, org_subject, award.clone()).await.status,
        StatusCode::CREATED
    );
    // Only the Office records awards.
    let org = t.user("applicant-org").await;
    assert_eq!(
        record(&t, &org, org_subject, award).await.status,
        StatusCode::FORBIDDEN
    );
    let id = org.prepare(ORG).await;
    assert_eq!(org.submit(id, "county:xinfu").await.rule(), "A12.1");
    // A Nomination Award does not bar (A12.2).
    let nominee = registered(&t, "nominee", "xinfu", "2010-01-01").await;
    let nomination = json!({ "cycle_ordinal": 1, "cycle_year": 2023, "level": "nomination", "reference": "忻政发〔2023〕12号" });
    ok(&record(&t, &office, t.subject_of("nominee").await.0, nomination).await);
    let id = nominee.prepare(ORG).await;
    assert_eq!(
        ok(&nominee.submit(id, "county:xinfu").await)["state"],
        "submitted"
    );
}

async fn a28_3_a_revoked_winner_is_barred_from_the_year_of_revocation(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.user("office").await;
    let person_subject = t.subject_of("applicant-person").await.0;
    // The person's award of cycle 1 was revoked in 2024: barred until 2033 (A28.3).
    let revoked = json!({
        "cycle_ordinal": 1, "cycle_year": 2023, "level": "award", "revoked_on": "2024-05-10", "reference": "忻政发〔2024〕30号"
    });
    ok(&record(&t, &office, person_subject, revoked).await);
    let bad = json!({ "cycle_ordinal": 1, "cycle_year": 2023, "level": "gold", "reference": "x" });
    assert_eq!(
        record(&t, &office, person_subject, bad)
            .await
            .error("field"),
        "level"
    );
    let person = t.user("applicant-person").await;
    let id = person.prepare(PERSON).await;
    let a = person.submit(id, "industry:industry-it").await;
    assert_eq!(a.rule(), "A28.3", "{}", a.body);
    assert!(a.error("message").contains("2033"), "{}", a.body);
}

async fn a29_declaring_an_interest_needs_staff_and_a_reason(backend: Backend) {
    let t = TestApp::new(backend).await;
    let subject = t.subject_of("applicant-org").await.0;
    let interests = format!("/api/v1/subjects/{subject}/interests");
    let org = t.user("applicant-org").await;
    assert_eq!(
        org.post(&interests, json!({ "kind": "other", "reason": "x" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reviewer = t.user("county-reviewer").await;
    assert_eq!(
        reviewer
            .post(&interests, json!({ "kind": "kinship", "reason": " " }))
            .await
            .error("field"),
        "reason"
    );
    ok(&reviewer
        .post(
            &interests,
            json!({ "kind": "kinship", "reason": "配偶在该公司任职" }),
        )
        .await);
    // Supervisors see the declaration; others do not.
    let list = t.user("supervisor").await.read("/api/v1/interests").await;
    assert_eq!(
        (list[0]["user"].as_str(), list[0]["reason"].as_str()),
        (Some("county-reviewer"), Some("配偶在该公司任职"))
    );
    assert_eq!(
        reviewer.get("/api/v1/interests").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn a29_a_declared_interest_keeps_the_reviewer_away(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    ok(&org.submit(id, "county:xinfu").await);
    let subject = t.subject_of("applicant-org").await.0;
    let reviewer = t.user("county-reviewer").await;
    assert_eq!(
        reviewer.read("/api/v1/channel-queue").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let reason = json!({ "kind": "kinship", "reason": "配偶在该公司任职" });
    ok(&reviewer
        .post(&format!("/api/v1/subjects/{subject}/interests"), reason)
        .await);
    // Hidden from the queue, and the reviewer is told that something is, not what.
    let queue = reviewer.read("/api/v1/channel-queue").await;
    assert_eq!(
        (
            queue["items"].as_array().unwrap().len(),
            queue["hidden"].as_u64()
        ),
        (0, Some(1))
    );
    let page = t.page("/queue", Some(&reviewer.s)).await;
    assert!(
        page.contains("1 项因您已声明回避") && !page.contains("忻州市示例"),
        "{page}"
    );
    let a = reviewer.get(&format!("/api/v1/applications/{id}")).await;
    assert_eq!(
        (a.status, a.error("code"), a.rule()),
        (StatusCode::FORBIDDEN, "recused".into(), "A29".into())
    );
    let review = json!({ "decision": "pass" });
    let a = reviewer
        .post(&format!("/api/v1/applications/{id}/channel-review"), review)
        .await;
    assert_eq!(a.rule(), "A29");
    assert_eq!(
        reviewer
            .get(&format!("/api/v1/subjects/{subject}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The application is still in the system for everyone else.
    assert_eq!(org.state_of(id).await, "submitted");
}

async fn each_step_tells_the_next_actor(backend: Backend) {
    let t = TestApp::new(backend).await;
    let applicant = registered(&t, "notified", "xinfu", "2010-01-01").await;
    let id = applicant.prepare(ORG).await;
    ok(&applicant.submit(id, "county:xinfu").await);
    let reviewer = t.user("county-reviewer").await;
    let n = reviewer.read("/api/v1/notifications").await;
    assert_eq!(
        (n[0]["text"].as_str(), n[0]["link"].as_str()),
        (
            Some("新的申报待审核：新公司notified"),
            Some(&*format!("/applications/{id}"))
        )
    );
    let home = t.page("/", Some(&reviewer.s)).await;
    assert!(home.contains("通知: 1"), "{home}");
    // Others are not told.
    let gov = t.user("county-government").await;
    assert!(
        gov.read("/api/v1/notifications")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    let back = json!({ "decision": "return", "reason": "补充材料" });
    reviewer
        .done(&format!("/api/v1/applications/{id}/channel-review"), back)
        .await;
    let n = applicant.read("/api/v1/notifications").await;
    assert_eq!(n[0]["text"], "您的申报被退回修改，请查看原因");
    // Read, it leaves the count; nobody else may mark it.
    let read = format!(
        "/api/v1/notifications/{}/read",
        n[0]["id"].as_i64().unwrap()
    );
    assert_eq!(
        reviewer.post(&read, json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        applicant.post(&read, json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        applicant.read("/api/v1/notifications").await[0]["read"],
        true
    );
}

async fn e_mail_waits_in_the_outbox_and_names_no_applicant(backend: Backend) {
    let t = TestApp::new(backend).await;
    let applicant = registered(&t, "mailed", "xinfu", "2010-01-01").await;
    let id = applicant.prepare(ORG).await;
    ok(&applicant.submit(id, "county:xinfu").await);
    let back = json!({ "decision": "return", "reason": "补充材料" });
    t.user("county-reviewer")
        .await
        .done(&format!("/api/v1/applications/{id}/channel-review"), back)
        .await;
    let outbox = t.user("admin").await.read("/api/v1/outbox").await;
    assert_eq!(outbox[0]["to"], "mailed@example.test");
    assert!(!outbox.to_string().contains("新公司mailed"));
    let reviewer = t.user("county-reviewer").await;
    assert_eq!(
        reviewer.get("/api/v1/outbox").await.status,
        StatusCode::FORBIDDEN
    );
}
