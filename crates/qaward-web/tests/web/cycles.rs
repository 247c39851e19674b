//! The Office opens cycles under the measures in force (A4.2, A34) and watches them on the
//! dashboard, on both backends.

use axum::http::StatusCode;
use qaward_app::testing::Backend;
use serde_json::{Value, json};

use crate::common::{ORG, TestApp, ok};

qaward_app::testing::on_both!(
    a4_2_a34_cycles_open_every_three_years_under_the_measures_in_force,
    a4_2_the_dashboard_counts_and_names_what_is_overdue,
);

fn cycle(ordinal: u32, year: i32, opens: &str) -> Value {
    json!({
        "ordinal": ordinal, "year": year, "application_opens": opens, "application_closes": format!("{year}-06-30"),
        "channel_review_due": format!("{year}-07-31"), "formal_review_due": format!("{year}-08-31")
    })
}

async fn a4_2_a34_cycles_open_every_three_years_under_the_measures_in_force(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.user("office").await;
    // One cycle every three years (A4.2): the demo's second cycle is of 2026.
    let a = office
        .post("/api/v1/cycles", cycle(3, 2026, "2026-11-20"))
        .await;
    assert_eq!(a.rule(), "A4.2", "{}", a.body);
    assert!(
        a.error("message").contains("下一届最早于2029年开始"),
        "{}",
        a.body
    );
    // The 2021 measures end on 2026-11-29 (A34): no cycle of 2029 under them.
    assert_eq!(
        office
            .post("/api/v1/cycles", cycle(3, 2029, "2029-03-01"))
            .await
            .rule(),
        "A34"
    );
    let mut bad = cycle(3, 2029, "2029-03-01");
    bad["application_opens"] = json!("March 1st");
    assert_eq!(
        office.post("/api/v1/cycles", bad).await.error("field"),
        "application_opens"
    );
    let reviewer = t.user("county-reviewer").await;
    let a = reviewer
        .post("/api/v1/cycles", cycle(3, 2029, "2029-03-01"))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

async fn a4_2_the_dashboard_counts_and_names_what_is_overdue(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    ok(&org.submit(id, "county:xinfu").await);
    t.user("applicant-person")
        .await
        .done("/api/v1/applications", json!({}))
        .await;
    let office = t.user("office").await;
    let d = office.read("/api/v1/dashboard").await;
    assert_eq!(
        (d["cycle"].as_i64(), d["total"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        (
            d["by_state"]["submitted"].as_i64(),
            d["by_state"]["draft"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        (
            d["by_channel"]["county:xinfu"].as_i64(),
            d["by_county"]["xinfu"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert!(d["overdue"].as_array().unwrap().is_empty());
    t.set_today("2026-12-28");
    let d = office.read("/api/v1/dashboard").await;
    assert_eq!(d["overdue"][0]["application"], id);
    assert!(
        d["overdue"][0]["why"]
            .as_str()
            .unwrap()
            .contains("2026-12-25")
    );
    let page = t.page("/cycles", Some(&office.s)).await;
    assert!(
        page.contains("逾期事项") && page.contains("已报送，待审核") && page.contains("忻府区"),
        "{page}"
    );
    assert_eq!(
        org.get("/api/v1/dashboard").await.status,
        StatusCode::FORBIDDEN
    );
}
