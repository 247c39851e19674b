//! The channel's and the Office's returns over the API (issue #8 items 6 and 8): the
//! county government may decline to recommend — return with what to fix, or reject — not
//! only recommend (A15.2); whoever returned it, the corrected application goes back through
//! the channel's review, and its resubmission checks the commitments again (A14.3, A16.4).

use axum::http::StatusCode;
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::{Client, ORG, TestApp, ok};

qaward_app::testing::on_both!(
    a15_2_the_county_government_declines_with_a_reason_or_recommends,
    a16_1_a14_3_an_office_return_goes_back_through_the_channel_and_rechecks_the_commitments,
);

/// The demo enterprise's application, submitted to Xinfu and passed by its reviewer.
async fn passed(t: &TestApp) -> (Client<'_>, i64) {
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    ok(&org.submit(id, "county:xinfu").await);
    let pass = json!({ "decision": "pass", "in_unit_notice_clear": true });
    let review = format!("/api/v1/applications/{id}/channel-review");
    t.user("county-reviewer").await.done(&review, pass).await;
    (org, id)
}

async fn a15_2_the_county_government_declines_with_a_reason_or_recommends(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (org, id) = passed(&t).await;
    let gov = t.user("county-government").await;
    let decline = format!("/api/v1/applications/{id}/decline");
    // The reason is required; "pass" is not a refusal to recommend.
    let a = gov
        .post(&decline, json!({ "decision": "return", "reason": " " }))
        .await;
    assert_eq!(
        (a.status, a.rule()),
        (StatusCode::UNPROCESSABLE_ENTITY, "A15.2".into())
    );
    let a = gov.post(&decline, json!({ "decision": "pass" })).await;
    assert_eq!(a.error("field"), "decision");
    // The reviewer cannot decline on the government's behalf.
    let a = t
        .user("county-reviewer")
        .await
        .post(&decline, json!({ "decision": "reject", "reason": "x" }))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let back = json!({ "decision": "return", "reason": "补充近三年纳税证明" });
    assert_eq!(
        ok(&gov.post(&decline, back).await)["state"],
        "returned-to-channel"
    );
    // The applicant reads why, corrects and resubmits; the channel reviews it again.
    let v = org.read(&format!("/api/v1/applications/{id}")).await;
    assert!(v.to_string().contains("补充近三年纳税证明"), "{v}");
    let again = ok(&org
        .post(&format!("/api/v1/applications/{id}/resubmit"), json!({}))
        .await);
    assert_eq!(again["state"], "submitted");
    let pass = json!({ "decision": "pass", "in_unit_notice_clear": true });
    t.user("county-reviewer")
        .await
        .done(&format!("/api/v1/applications/{id}/channel-review"), pass)
        .await;
    let reject = json!({ "decision": "reject", "reason": "不符合产业导向" });
    assert_eq!(ok(&gov.post(&decline, reject).await)["state"], "rejected");
}

async fn a16_1_a14_3_an_office_return_goes_back_through_the_channel_and_rechecks_the_commitments(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let (org, id) = passed(&t).await;
    let batch = json!({ "applications": [id] });
    t.user("county-government")
        .await
        .done("/api/v1/recommendations", batch)
        .await;
    let back = json!({ "decision": "return", "reason": "补充质量管理体系证书" });
    let office = t.user("office").await;
    let formal = format!("/api/v1/applications/{id}/formal-review");
    assert_eq!(
        office.done(&formal, back).await["state"],
        "returned-to-office"
    );
    // Withdrawing a commitment: the resubmission is refused until it is given again.
    let path = format!("/api/v1/applications/{id}");
    let draft =
        |a: bool| json!({ "declarations": ORG, "authenticity": a, "no_state_secrets": true });
    ok(&org.put(&path, draft(false)).await);
    let resubmit = format!("{path}/resubmit");
    assert_eq!(org.post(&resubmit, json!({})).await.rule(), "A14.3");
    ok(&org.put(&path, draft(true)).await);
    // Back to the channel that certifies what it recommends, not straight to the Office.
    assert_eq!(
        ok(&org.post(&resubmit, json!({})).await)["state"],
        "submitted"
    );
    assert_eq!(
        office.get("/api/v1/office-queue").await.json()["items"],
        json!([])
    );
}
