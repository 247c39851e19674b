//! The evaluation over the JSON API (issue #10; A13, A17.1, A17.2, A26, A29): an expert
//! kept off an application finds it nowhere, scores outside the 5 % steps are refused
//! with the rule, a sheet is sealed once submitted and closed with its stage, a draw made
//! through the API verifies from the record it exports, a changed score keeps its history
//! for the supervision group, and malformed sheets are refused naming what is wrong.

use axum::http::{Method, StatusCode};
use qaward_app::evaluation::plan;
use qaward_app::testing::Backend;
use qaward_domain::application::Stage;
use qaward_domain::evaluation::draw::{self, DrawRecord};
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use serde_json::{Value, json};

use crate::common::{Answer, Client, TestApp, ok};

qaward_app::testing::on_both!(
    a29_a_conflicted_expert_probed_on_every_evaluation_route_learns_nothing,
    a13_a_score_outside_the_steps_or_range_is_refused_with_the_rule,
    a17_2_a_second_submission_and_a_score_after_the_stage_closed_are_refused,
    a17_1_a_draw_through_the_api_verifies_from_its_exported_record,
    a26_a_changed_score_keeps_its_history_in_the_record,
    a13_a_malformed_sheet_is_refused_naming_what_is_wrong_and_nothing_is_written,
);

/// The demo enterprise's application accepted ("today" is then 2026-12-07), the story
/// plan set with panels of `size`, a panel drawn for it and the material review open:
/// the application, the cycle and the panel's members, its leader first.
async fn evaluating(t: &TestApp, size: u32) -> (ApplicationId, CycleId, Vec<UserId>) {
    let id = t.accepted().await;
    let cycle = t.cycle().await;
    let office = t.as_user("office").await;
    let mut p = qaward_app::testing::evaluation::plan();
    p.panel_size = size;
    plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap();
    let (_, members) = t.panel_drawn(&[id]).await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    (id, cycle, members)
}

/// The expert with account `id`, logged in as an API client.
async fn expert(t: &TestApp, id: UserId) -> Client<'_> {
    let username = t.expert(id).await.user.username;
    t.user(&username).await
}

/// A demo expert who is not among `members`.
async fn outsider<'a>(t: &'a TestApp, members: &[UserId]) -> Client<'a> {
    for name in ["expert1", "expert2", "expert3"] {
        let me = t.as_user(name).await.user.id;
        if !members.contains(&me) {
            return expert(t, me).await;
        }
    }
    panic!("every demo expert is on the panel")
}

fn sheet_path(id: ApplicationId, stage: &str) -> String {
    format!("/api/v1/applications/{}/sheets/{stage}", id.0)
}

/// Every item of the organization's rubric at `p` %, each with a finding: a sheet as
/// the API takes it, to submit.
fn full_sheet(t: &TestApp, p: u32) -> Value {
    let items: serde_json::Map<String, Value> = t
        .app
        .rubrics
        .organization
        .items()
        .map(|i| {
            let finding = format!("{}：证据充分", i.name);
            (i.code.clone(), json!({ "percent": p, "finding": finding }))
        })
        .collect();
    json!({ "items": items, "submit": true })
}

/// The applications on the caller's task list.
async fn tasks(c: &Client<'_>) -> Vec<i64> {
    let v = c.read("/api/v1/evaluation/tasks").await;
    let list = v.as_array().unwrap();
    list.iter()
        .map(|task| task["application"].as_i64().unwrap())
        .collect()
}

/// Every door of the evaluation that concerns application `id`, with a valid body: the
/// sheets of each stage read, saved and amended, consensus, the visits and sessions, the
/// exclusion requests, the step to Evaluated, the application itself.
fn doors(id: i64, team: UserId) -> Vec<(Method, String, Option<Value>)> {
    let app = |p: &str| format!("/api/v1/applications/{id}{p}");
    let item = json!({ "4.1.2": { "percent": 60, "finding": "证据充分" } });
    let mut all = vec![];
    for stage in ["material", "on-site", "defense"] {
        all.extend([
            (Method::GET, app(&format!("/sheets/{stage}")), None),
            (
                Method::PUT,
                app(&format!("/sheets/{stage}")),
                Some(json!({ "items": item })),
            ),
            (
                Method::PUT,
                app(&format!("/sheets/{stage}")),
                Some(json!({ "items": item, "reason": "复核" })),
            ),
            (
                Method::POST,
                app(&format!("/consensus/{stage}")),
                Some(json!({ "item": "4.1.2", "percent": 60, "reasoning": "合议" })),
            ),
        ]);
    }
    let session = json!({ "on_date": "2026-12-10", "place": "会议室", "team": [team.0] });
    let exclusion = json!({ "expert_name": "某专家", "reason": "咨询关系" });
    all.extend([
        (Method::PUT, app("/sessions/on-site"), Some(session)),
        (Method::GET, app("/visits"), None),
        (Method::GET, app("/exclusions"), None),
        (Method::POST, app("/exclusions"), Some(exclusion)),
        (Method::GET, app(""), None),
        (
            Method::POST,
            "/api/v1/evaluation/complete".into(),
            Some(json!({ "applications": [id] })),
        ),
    ]);
    all
}

/// `c` tries every door of `id` and of an application that does not exist: each answers
/// "not found", the same status and the same body for both.
async fn learns_nothing(c: &Client<'_>, id: ApplicationId, team: UserId) {
    let ghost = doors(id.0 + 1000, team);
    for ((m, path, body), (_, none_path, none_body)) in doors(id.0, team).into_iter().zip(ghost) {
        let real = c.t.api(m.clone(), &path, Some(&c.s), body).await;
        let none = c.t.api(m.clone(), &none_path, Some(&c.s), none_body).await;
        assert_eq!(
            real.status,
            StatusCode::NOT_FOUND,
            "{m} {path}: {}",
            real.body
        );
        assert_eq!(real.error("code"), "not_found", "{m} {path}");
        assert_eq!(
            (real.status, &real.body),
            (none.status, &none.body),
            "{m} {path} tells the application from one that does not exist"
        );
    }
}

async fn a29_a_conflicted_expert_probed_on_every_evaluation_route_learns_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (id, _, members) = evaluating(&t, 2).await;
    let (out, stays) = (members[1], members[0]);
    let excluded = expert(&t, out).await;
    assert_eq!(tasks(&excluded).await, [id.0]);
    ok(&excluded.get(&sheet_path(id, "material")).await);
    // The applicant names the expert as the pool knows them; the Office upholds it.
    let office = t.user("office").await;
    let pool = office.read("/api/v1/experts").await;
    let entry = pool
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["user_id"] == out.0)
        .unwrap()
        .clone();
    let org = t.user("applicant-org").await;
    let asked = json!({ "expert_name": entry["name"], "expert_employer": entry["employer"],
        "reason": "该专家曾为我公司提供咨询服务" });
    let path = format!("/api/v1/applications/{}/exclusions", id.0);
    let request = org.done(&path, asked).await["id"].as_i64().unwrap();
    let decision = json!({ "upheld": true, "expert": out.0, "reason": "咨询关系属实" });
    let decided = office
        .post(&format!("/api/v1/exclusions/{request}/decision"), decision)
        .await;
    assert_eq!(decided.status, StatusCode::NO_CONTENT, "{}", decided.body);
    let requests = org.read(&path).await;
    assert_eq!(requests[0]["decision"], "upheld");
    // Gone from the expert's list, and every door answers as for no application at all.
    assert!(tasks(&excluded).await.is_empty());
    learns_nothing(&excluded, id, stays).await;
    // An expert never on the panel is told the same; the one who stays still scores it.
    learns_nothing(&outsider(&t, &members).await, id, stays).await;
    let kept = expert(&t, stays).await;
    assert_eq!(tasks(&kept).await, [id.0]);
    ok(&kept.get(&sheet_path(id, "material")).await);
}

/// The A13 refusal of a percentage outside the steps or the range, naming the value.
fn refused_as_a13(a: &Answer, value: u32) {
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(
        (a.error("code"), a.rule(), a.error("key")),
        ("refused".into(), "A13".into(), "score-not-in-steps".into()),
        "{}",
        a.body
    );
    assert!(
        a.error("message").contains(&value.to_string()),
        "{}",
        a.body
    );
}

async fn a13_a_score_outside_the_steps_or_range_is_refused_with_the_rule(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (id, _, members) = evaluating(&t, 3).await;
    let e = expert(&t, members[0]).await;
    let path = sheet_path(id, "material");
    let before = t.audit_entries().await;
    for (p, submit) in [(33, false), (105, false), (33, true), (105, true)] {
        let items = json!({ "4.1.2": { "percent": p, "finding": "证据充分" } });
        let a = e
            .put(&path, json!({ "items": items, "submit": submit }))
            .await;
        refused_as_a13(&a, p);
    }
    // A whole sheet with one item off the steps is refused as much.
    let mut sheet = full_sheet(&t, 60);
    sheet["items"]["4.7.2"]["percent"] = json!(62);
    refused_as_a13(&e.put(&path, sheet).await, 62);
    // Nothing saved: no sheet, nothing in the audit log.
    assert_eq!(t.audit_entries().await, before);
    let view = e.read(&path).await;
    assert!(view["mine"].is_null(), "{view}");
    // In steps of 5 from 0 to 100 it is saved.
    let items = json!({ "4.1.2": { "percent": 0, "finding": "未见证据" }, "4.1.3": { "percent": 100, "finding": "证据充分" } });
    let a = e.put(&path, json!({ "items": items })).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let view = e.read(&path).await;
    assert_eq!(view["mine"]["items"]["4.1.3"]["percent"], 100);
}

async fn a17_2_a_second_submission_and_a_score_after_the_stage_closed_are_refused(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let (id, cycle, members) = evaluating(&t, 2).await;
    let path = sheet_path(id, "material");
    let first = expert(&t, members[0]).await;
    let a = first.put(&path, full_sheet(&t, 60)).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    // Submitted once, sealed: a second submission (or a draft over it) is refused.
    for submit in [true, false] {
        let mut again = full_sheet(&t, 80);
        again["submit"] = json!(submit);
        let a = first.put(&path, again).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert_eq!(
            (a.rule(), a.error("key")),
            ("A26".into(), "sheet-already-submitted".into())
        );
    }
    let other = expert(&t, members[1]).await;
    ok(&other.put(&path, full_sheet(&t, 70)).await);
    let office = t.user("office").await;
    let complete = format!("/api/v1/cycles/{}/stages/material/complete", cycle.0);
    let a = office.post(&complete, json!({})).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    // The stage closed: no new sheet, no change, not even with a reason.
    let change = json!({ "items": { "4.1.2": { "percent": 90, "finding": "复核后上调" } }, "reason": "补充材料" });
    for (who, body) in [
        (&first, change.clone()),
        (&other, change),
        (&first, full_sheet(&t, 90)),
    ] {
        let a = who.put(&path, body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert_eq!(
            (a.rule(), a.error("key")),
            ("A17.2".into(), "stage-closed".into()),
            "{}",
            a.body
        );
    }
    // The next stage is not open yet: nothing is scored in it either.
    let a = first
        .put(&sheet_path(id, "on-site"), full_sheet(&t, 60))
        .await;
    assert_eq!(
        (a.rule(), a.error("key")),
        ("A17.2".into(), "stage-not-open".into()),
        "{}",
        a.body
    );
    let view = first.read(&path).await;
    assert_eq!(view["mine"]["items"]["4.1.2"]["percent"], 60);
    assert_eq!(view["stage_status"], "completed");
}

/// The Office sets the story plan (panels of three), creates a panel for the general
/// field and puts `id` on it, all through the API: the panel.
async fn panel_through_the_api(office: &Client<'_>, cycle: i64, id: ApplicationId) -> i64 {
    let c = |p: &str| format!("/api/v1/cycles/{cycle}{p}");
    let plan = json!({ "weight_material": 40, "weight_on_site": 40, "weight_defense": 20, "aggregation": "mean",
        "spread": 20, "threshold": "600", "nomination_threshold": "500", "panel_size": 3 });
    let a = office.put(&c("/plan"), plan).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let panel = json!({ "name": "第一评审组", "field": "综合" });
    let panel = office.done(&c("/panels"), panel).await["id"]
        .as_i64()
        .unwrap();
    let on_panel = json!({ "applications": [id.0] });
    let a = office
        .post(&c(&format!("/panels/{panel}/applications")), on_panel)
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    panel
}

async fn a17_1_a_draw_through_the_api_verifies_from_its_exported_record(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.cycle().await.0;
    let c = |p: &str| format!("/api/v1/cycles/{cycle}{p}");
    let (office, supervisor) = (t.user("office").await, t.user("supervisor").await);
    let panel = panel_through_the_api(&office, cycle, id).await;
    // Only the Office commits; the supervision group may not.
    let commit = c(&format!("/panels/{panel}/draws"));
    assert_eq!(
        supervisor.post(&commit, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let drawn_id = office.done(&commit, json!({})).await["id"]
        .as_i64()
        .unwrap();
    let record = c(&format!("/draws/{drawn_id}"));
    let committed = supervisor.read(&record).await;
    assert!(
        committed["seed"].is_null() && committed["drawn"] == json!([]),
        "{committed}"
    );
    // Only the supervision group contributes; only the Office draws.
    let contribution = c(&format!("/draws/{drawn_id}/contribution"));
    let value = json!({ "value": "监督组 20261207" });
    assert_eq!(
        office.post(&contribution, value.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let make = c(&format!("/draws/{drawn_id}/draw"));
    assert_eq!(
        supervisor.post(&make, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let a = supervisor.post(&contribution, value).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let drawn: Vec<i64> = serde_json::from_value(office.done(&make, json!({})).await).unwrap();
    assert_eq!(drawn.len(), 3);
    // The exported record re-runs to the same panel, for whoever verifies it.
    let exported: DrawRecord = serde_json::from_value(supervisor.read(&record).await).unwrap();
    let verified: Vec<i64> = draw::verify(&exported)
        .unwrap()
        .iter()
        .map(|u| u.0)
        .collect();
    assert_eq!(verified, drawn);
    assert_eq!(
        draw::commitment(exported.seed.as_deref().unwrap()),
        committed["commitment"]
    );
    // Drawn once: a second draw of the same is a conflict that says so.
    let a = office.post(&make, json!({})).await;
    assert_eq!(
        (a.status, a.error("key")),
        (StatusCode::CONFLICT, "draw-made-already".into()),
        "{}",
        a.body
    );
}

async fn a26_a_changed_score_keeps_its_history_in_the_record(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (id, cycle, members) = evaluating(&t, 2).await;
    let path = sheet_path(id, "material");
    let e = expert(&t, members[0]).await;
    ok(&e.put(&path, full_sheet(&t, 60)).await);
    let change = json!({ "4.1.2": { "percent": 75, "finding": "复核后上调" } });
    // A change without a reason is refused; with one it is made.
    let a = e
        .put(&path, json!({ "items": change, "reason": " " }))
        .await;
    assert_eq!(
        (a.rule(), a.error("key")),
        ("A26".into(), "amend-needs-reason".into()),
        "{}",
        a.body
    );
    let reason = "补充材料显示高层领导作用突出";
    let a = e
        .put(&path, json!({ "items": change, "reason": reason }))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let view = e.read(&path).await;
    assert_eq!(view["mine"]["items"]["4.1.2"]["percent"], 75);
    assert_eq!(view["history"].as_array().unwrap().len(), 1);
    // The supervision group reads who changed what, from what to what, and why.
    let supervisor = t.user("supervisor").await;
    let record = supervisor
        .read(&format!("/api/v1/cycles/{}/evaluation-record", cycle.0))
        .await;
    let changes = record["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{record}");
    let (app, change) = (&changes[0][0], &changes[0][1]);
    assert_eq!(app, id.0);
    let username = t.expert(members[0]).await.user.username;
    assert_eq!(
        (
            &change["item"],
            &change["old_percent"],
            &change["new_percent"]
        ),
        (&json!("4.1.2"), &json!(60), &json!(75))
    );
    assert_eq!(
        (&change["reason"], &change["by"]),
        (&json!(reason), &json!(username))
    );
    assert_eq!(change["new_finding"], "复核后上调");
    // The sheet in the record holds the new value.
    let sheets = record["sheets"].as_array().unwrap();
    let mine = sheets.iter().find(|s| s["expert"] == members[0].0).unwrap();
    assert_eq!(mine["items"]["4.1.2"]["percent"], 75);
}

async fn a13_a_malformed_sheet_is_refused_naming_what_is_wrong_and_nothing_is_written(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let (id, _, members) = evaluating(&t, 2).await;
    let e = expert(&t, members[0]).await;
    let path = sheet_path(id, "material");
    let before = t.audit_entries().await;
    // `items` as text, not an object of items.
    let a = e
        .put(&path, json!({ "items": "4.1.2=60", "submit": true }))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(
        (a.error("code"), a.error("field")),
        ("invalid".into(), "items".into()),
        "{}",
        a.body
    );
    // A NUL byte in a finding: refused, naming the finding.
    let nul = json!({ "items": { "4.1.2": { "percent": 60, "finding": "证据\u{0}充分" } } });
    let a = e.put(&path, nul).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(a.error("code"), "invalid", "{}", a.body);
    assert_eq!(a.error("field"), "items.4.1.2.finding", "{}", a.body);
    // A finding without a percentage names the percentage it lacks.
    let a = e
        .put(
            &path,
            json!({ "items": { "4.1.2": { "finding": "证据充分" } } }),
        )
        .await;
    assert_eq!(a.error("field"), "items.4.1.2.percent", "{}", a.body);
    // A stage that does not exist: no such sheet.
    let ok_items = json!({ "items": { "4.1.2": { "percent": 60, "finding": "证据充分" } } });
    for stage in ["final", "Material", "material%00", "1"] {
        for (m, body) in [(Method::GET, None), (Method::PUT, Some(ok_items.clone()))] {
            let bad = sheet_path(id, stage);
            let a = t.api(m.clone(), &bad, Some(&e.s), body).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{m} {bad}: {}", a.body);
            assert_eq!(a.error("code"), "not_found", "{m} {bad}");
        }
    }
    // Not a sheet of JSON at all.
    let a = t.api(Method::PUT, &path, Some(&e.s), None).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", a.body);
    // Nothing was written.
    assert_eq!(t.audit_entries().await, before);
    assert!(e.read(&path).await["mine"].is_null());
}
