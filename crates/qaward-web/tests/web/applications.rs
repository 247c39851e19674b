//! Applications over the API, on SQLite and PostgreSQL: an enterprise through its county
//! and a person through an industry department to the Office, and each refusal with its
//! rule ID. Acceptance, objections, recusal and the register are in `acceptance.rs`.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{Client, ORG, PERSON, TestApp, ok};
use qaward_app::testing::Backend;

qaward_app::testing::on_both!(
    a15_2_an_enterprise_goes_through_its_county_to_the_office,
    a15_3_a_person_goes_through_an_industry_department_to_the_office,
    a14_1_in_unit_notice_refusals_name_the_rule,
    a14_1_in_unit_objections_are_taken_within_the_notice_and_answered_before_submission,
    a14_3_a16_4_submission_needs_both_commitments,
    a14_2_submission_after_the_window_is_refused_with_the_date,
    a10_1_a_young_organization_cannot_submit,
    a15_1_a_reviewer_cannot_act_on_another_countys_application,
    a30_trade_secret_attachments_are_hidden_from_reviewers,
    a30_every_opening_and_every_view_is_in_the_audit_log,
    a3_an_unsubmitted_draft_is_the_applicants_alone,
);

/// Registers an organization through the API, has the Office confirm the registration
/// (A10.1) and logs its account in.
pub async fn registered<'a>(
    t: &'a TestApp,
    username: &str,
    county: &str,
    founded: &str,
) -> Client<'a> {
    let org = json!({
        "name": format!("新公司{username}"), "credit_code": crate::fixtures::credit_code(),
        "kind": "enterprise", "county": county, "founded": founded, "legal_representative": "周",
        "contact_name": "吴", "contact_phone": "0350-1", "contact_email": format!("{username}@example.test"),
        "username": username, "password": "correct-horse-1"
    });
    let a = t
        .api(
            axum::http::Method::POST,
            "/api/v1/register/organization",
            None,
            Some(org),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    // The Office has seen its licence (A10.1), so that it may submit.
    let subject = qaward_domain::ids::SubjectId(a.json()["subject_id"].as_i64().unwrap());
    let office = t.as_user("office").await;
    qaward_app::registrations::confirm(&t.app, &office, subject, "营业执照")
        .await
        .expect("the Office confirms the registration");
    Client {
        t,
        s: t.login_with(username, "correct-horse-1").await,
    }
}

/// An attachment sent as the raw body, as a script would.
pub async fn attach(
    c: &Client<'_>,
    id: i64,
    class: &str,
    bytes: &'static [u8],
) -> crate::common::Answer {
    c.attach(id, class, "evidence", bytes).await
}

/// The client's application, started on `day`; "today" stays as it was.
async fn started_on(t: &TestApp, c: &Client<'_>, day: &str) -> i64 {
    t.on_day(day, async || {
        c.done("/api/v1/applications", json!({})).await["id"]
            .as_i64()
            .unwrap()
    })
    .await
}

fn review(id: i64) -> String {
    format!("/api/v1/applications/{id}/channel-review")
}

async fn a15_2_an_enterprise_goes_through_its_county_to_the_office(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    ok(&attach(&org, id, "trade-secret", b"%PDF-1.7 annual report").await);
    assert_eq!(
        ok(&org.submit(id, "county:xinfu").await)["state"],
        "submitted"
    );

    let reviewer = t.user("county-reviewer").await;
    let queue = reviewer.read("/api/v1/channel-queue").await["items"].clone();
    assert_eq!(
        (queue[0]["id"].as_i64(), queue[0]["state"].as_str()),
        (Some(id), Some("submitted"))
    );
    assert_eq!(queue[0]["subject"], "忻州市示例精密机械有限公司");
    let back = json!({ "decision": "return", "reason": "请补充近三年财务报表", "completeness": "缺财务报表" });
    assert_eq!(
        reviewer.done(&review(id), back).await["state"],
        "returned-to-channel"
    );
    let resubmit = format!("/api/v1/applications/{id}/resubmit");
    assert_eq!(org.done(&resubmit, json!({})).await["state"], "submitted");
    let pass = json!({ "decision": "pass", "in_unit_notice_clear": true });
    assert_eq!(
        reviewer.done(&review(id), pass).await["state"],
        "channel-passed"
    );
    // The reviewer cannot recommend: the county government does (A15.2).
    let batch = json!({ "applications": [id] });
    let a = reviewer
        .post("/api/v1/recommendations", batch.clone())
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let gov = t.user("county-government").await;
    assert_eq!(
        gov.read("/api/v1/channel-queue").await["items"][0]["id"],
        id
    );
    gov.done("/api/v1/recommendations", batch).await;
    assert_eq!(org.state_of(id).await, "recommended");

    let view = org.read(&format!("/api/v1/applications/{id}")).await;
    let actions: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    let expected = [
        "open-in-unit-notice",
        "submit",
        "return",
        "resubmit",
        "channel-pass",
        "recommend",
    ];
    assert_eq!(actions, expected);
    assert_eq!(view["history"][2]["to"], "returned-to-channel");
}

async fn a15_3_a_person_goes_through_an_industry_department_to_the_office(backend: Backend) {
    let t = TestApp::new(backend).await;
    let person = t.user("applicant-person").await;
    let id = person.prepare(PERSON).await;
    let view = person.read(&format!("/api/v1/applications/{id}")).await;
    assert_eq!(
        (
            view["rubric_provisional"].as_bool(),
            view["fee_yuan"].as_i64()
        ),
        (Some(true), Some(0))
    );
    assert_eq!(
        ok(&person.submit(id, "industry:industry-it").await)["state"],
        "submitted"
    );
    let dept = t.user("industry-dept").await;
    let pass = json!({ "decision": "pass", "in_unit_notice_clear": true });
    dept.done(&review(id), pass).await;
    dept.done("/api/v1/recommendations", json!({ "applications": [id] }))
        .await;
    assert_eq!(person.state_of(id).await, "recommended");
    // Withdrawing is possible until a decision (A3).
    let withdraw = format!("/api/v1/applications/{id}/withdraw");
    assert_eq!(
        person.done(&withdraw, json!({})).await["state"],
        "withdrawn"
    );
}

async fn a14_1_in_unit_notice_refusals_name_the_rule(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = started_on(&t, &org, "2026-11-24").await;
    let notice = format!("/api/v1/applications/{id}/in-unit-notice");
    // Across National Day 2026: Sep 28, 29, 30, then Oct 8 is the fourth working day.
    let a = org
        .post(
            &notice,
            json!({ "start": "2026-09-28", "end": "2026-10-08" }),
        )
        .await;
    assert_eq!(
        (a.status, a.rule()),
        (StatusCode::UNPROCESSABLE_ENTITY, "A14.1".into())
    );
    assert!(a.error("message").contains("只有 4 个工作日"), "{}", a.body);
    // A back-dated notice, from before the application was started, is refused.
    let a = org.post(&notice, json!({ "start": "2026-11-23" })).await;
    assert!(
        a.rule() == "A14.1" && a.error("message").contains("申报书创建于2026年11月24日"),
        "{}",
        a.body
    );
    // A notice still running on the 27th: submitting waits for it.
    let draft = json!({ "declarations": ORG, "authenticity": true, "no_state_secrets": true });
    ok(&org.put(&format!("/api/v1/applications/{id}"), draft).await);
    assert_eq!(
        org.done(&notice, json!({ "start": "2026-11-24" })).await["end"],
        "2026-11-30"
    );
    assert_eq!(org.submit(id, "county:xinfu").await.rule(), "A14.1");
    // Corrected until submission; a notice ending on the window's last day is recorded
    // with a warning: the application could not be submitted after it (A14.2).
    let late = org.done(&notice, json!({ "start": "2026-12-14" })).await;
    assert_eq!(
        (late["end"].as_str(), late["window_closes_first"].as_str()),
        (Some("2026-12-18"), Some("2026-12-18"))
    );
    let page = t
        .page(
            &format!("/applications/{id}"),
            Some(&t.login("applicant-org").await),
        )
        .await;
    assert!(page.contains("公示结束时申报已截止"), "{page}");
    let fine = org.done(&notice, json!({ "start": "2026-11-24" })).await;
    assert_eq!(fine["window_closes_first"], serde_json::Value::Null);
    // A date outside the calendar is an error naming the field, never a guess.
    let a = org.post(&notice, json!({ "start": "2031-01-05" })).await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "start".into())
    );
}

async fn a14_1_in_unit_objections_are_taken_within_the_notice_and_answered_before_submission(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = started_on(&t, &org, "2026-11-24").await;
    let notice = format!("/api/v1/applications/{id}/in-unit-notice");
    org.done(&notice, json!({ "start": "2026-11-24" })).await;
    let objections = format!("/api/v1/applications/{id}/in-unit-objections");
    let late = org
        .post(
            &objections,
            json!({ "received_on": "2026-12-01", "content": "x" }),
        )
        .await;
    assert_eq!(late.rule(), "A14.1");
    let o = json!({ "received_on": "2026-11-25", "content": "对产量数据有疑问" });
    let o = org.done(&objections, o).await["id"].as_i64().unwrap();
    let settle = format!("{objections}/{o}/settlement");
    let a = org.post(&settle, json!({ "settlement": "" })).await;
    assert_eq!(a.error("field"), "settlement");
    // Until the unit says how it handled the objection, it cannot submit.
    ok(&org
        .attach(id, "internal", "in-unit-scan", b"%PDF-1.7 notice")
        .await);
    t.set_today("2026-12-01");
    let a = org.submit(id, "county:xinfu").await;
    assert!(
        a.rule() == "A14.1" && a.error("key") == "in-unit-objections-unanswered",
        "{}",
        a.body
    );
    org.done(&settle, json!({ "settlement": "经核实数据属实" }))
        .await;
    let view = org.read(&format!("/api/v1/applications/{id}")).await;
    assert_eq!(
        view["in_unit_objections"][0]["settlement"],
        "经核实数据属实"
    );
}

async fn a14_3_a16_4_submission_needs_both_commitments(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    let draft =
        |a: bool, s: bool| json!({ "declarations": ORG, "authenticity": a, "no_state_secrets": s });
    let path = format!("/api/v1/applications/{id}");
    ok(&org.put(&path, draft(false, true)).await);
    assert_eq!(org.submit(id, "county:xinfu").await.rule(), "A14.3");
    ok(&org.put(&path, draft(true, false)).await);
    assert_eq!(org.submit(id, "county:xinfu").await.rule(), "A16.4");
    ok(&org.put(&path, draft(true, true)).await);
    assert_eq!(
        ok(&org.submit(id, "county:xinfu").await)["state"],
        "submitted"
    );
}

async fn a14_2_submission_after_the_window_is_refused_with_the_date(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    // Another county than its own is refused (A14.2).
    assert_eq!(org.submit(id, "county:yuanping").await.rule(), "A14.2");
    // After the window closes, with the closing date named.
    t.set_today("2026-12-21");
    let a = org.submit(id, "county:xinfu").await;
    assert_eq!(
        (a.status, a.rule()),
        (StatusCode::UNPROCESSABLE_ENTITY, "A14.2".into())
    );
    assert!(a.error("message").contains("2026年12月18日"), "{}", a.body);
    assert_eq!(org.state_of(id).await, "in-unit-notice");
}

async fn a10_1_a_young_organization_cannot_submit(backend: Backend) {
    let t = TestApp::new(backend).await;
    let young = registered(&t, "young", "xinfu", "2025-01-01").await;
    let id = young.prepare(ORG).await;
    let view = young.read(&format!("/api/v1/applications/{id}")).await;
    assert_eq!(view["unmet"][0]["rule"], "A10.1");
    let a = young.submit(id, "county:xinfu").await;
    assert_eq!(
        (a.status, a.rule()),
        (StatusCode::UNPROCESSABLE_ENTITY, "A10.1".into())
    );
    assert_eq!(
        young.state_of(id).await,
        "in-unit-notice",
        "nothing changed"
    );
}

async fn a15_1_a_reviewer_cannot_act_on_another_countys_application(backend: Backend) {
    let t = TestApp::new(backend).await;
    let other = registered(&t, "yuanping-co", "yuanping", "2010-01-01").await;
    let id = other.prepare(ORG).await;
    ok(&other.submit(id, "county:yuanping").await);
    let xinfu = t.user("county-reviewer").await;
    assert!(
        xinfu.read("/api/v1/channel-queue").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let seen = xinfu.get(&format!("/api/v1/applications/{id}")).await;
    let acted = xinfu.post(&review(id), json!({ "decision": "pass" })).await;
    for a in [seen, acted] {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    }
    assert_eq!(other.state_of(id).await, "submitted");
    // Nor may an applicant act as a reviewer on its own application.
    let a = other.post(&review(id), json!({ "decision": "pass" })).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

async fn a30_trade_secret_attachments_are_hidden_from_reviewers(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    let secret = ok(&attach(&org, id, "trade-secret", b"%PDF-1.7 secret process").await)["id"]
        .as_i64()
        .unwrap();
    let internal = ok(&attach(&org, id, "internal", b"%PDF-1.7 certificate").await)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        attach(&org, id, "top-secret", b"%PDF-1.7 x")
            .await
            .error("field"),
        "class"
    );
    ok(&org.submit(id, "county:xinfu").await);
    let reviewer = t.user("county-reviewer").await;
    let v = reviewer.read(&format!("/api/v1/applications/{id}")).await;
    // The scan of the in-unit notice and the certificate, not the trade secret.
    assert_eq!(v["attachments"].as_array().unwrap().len(), 2);
    assert_eq!(
        (
            v["attachments"][0]["class"].as_str(),
            v["hidden_attachments"].as_i64()
        ),
        (Some("internal"), Some(1))
    );
    let office = t.user("office").await;
    let v = office.read(&format!("/api/v1/applications/{id}")).await;
    assert_eq!(v["attachments"].as_array().unwrap().len(), 3);
    // Opening them: the reviewer gets the internal file, not the trade secret; the Office both.
    let file = |aid: i64| format!("/api/v1/applications/{id}/attachments/{aid}");
    let a = reviewer.get(&file(internal)).await;
    assert_eq!(
        (a.status, a.body.as_str()),
        (StatusCode::OK, "%PDF-1.7 certificate")
    );
    let disposition = a.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf"),
        "{disposition}"
    );
    assert_eq!(
        reviewer.get(&file(secret)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        office.get(&file(secret)).await.body,
        "%PDF-1.7 secret process"
    );
    // Attachments cannot change after submission.
    assert_eq!(
        attach(&org, id, "public", b"%PDF-1.7 late").await.rule(),
        "A14.3"
    );
}

async fn a30_every_opening_and_every_view_is_in_the_audit_log(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    let secret = ok(&attach(&org, id, "trade-secret", b"%PDF-1.7 secret").await)["id"]
        .as_i64()
        .unwrap();
    ok(&org.submit(id, "county:xinfu").await);
    let reviewer = t.user("county-reviewer").await;
    let office = t.user("office").await;
    reviewer.read(&format!("/api/v1/applications/{id}")).await;
    office.read(&format!("/api/v1/applications/{id}")).await;
    office
        .get(&format!("/api/v1/applications/{id}/attachments/{secret}"))
        .await;
    let supervisor = t.as_user("supervisor").await;
    let object = qaward_app::audit::Object::Application(qaward_domain::ids::ApplicationId(id));
    let log = qaward_app::audit::about(&t.app, &supervisor, object, 50)
        .await
        .unwrap();
    let of = |action: &str| -> Vec<(String, String)> {
        log.iter()
            .filter(|e| e.action == action)
            .map(|e| (e.actor_name.clone(), e.detail.clone()))
            .collect()
    };
    let opened = of("attachment.open");
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].0, "office");
    assert!(opened[0].1.contains("trade-secret"), "{opened:?}");
    let views = of("application.view");
    assert!(
        views
            .iter()
            .any(|(who, d)| who == "county-reviewer" && d.contains("\"attachments_hidden\":1")),
        "{views:?}"
    );
    assert!(
        views
            .iter()
            .any(|(who, d)| who == "office" && d.contains("\"attachments_hidden\":0")),
        "{views:?}"
    );
}

async fn a3_an_unsubmitted_draft_is_the_applicants_alone(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    let path = format!("/api/v1/applications/{id}");
    // Not one member of staff reads it, or learns that it exists.
    for who in [
        "office",
        "supervisor",
        "leading-group",
        "government",
        "county-reviewer",
        "admin",
    ] {
        let a = t.user(who).await.get(&path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{who}: {}", a.body);
    }
    assert_eq!(org.state_of(id).await, "in-unit-notice");
    ok(&org.submit(id, "county:xinfu").await);
    for who in ["office", "county-reviewer"] {
        assert_eq!(t.user(who).await.state_of(id).await, "submitted", "{who}");
    }
}
