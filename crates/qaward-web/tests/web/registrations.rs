//! Who an applicant deals with (issue #8), on both backends: an organization submits only
//! once its county's reviewer (or the Office) has confirmed its registration against its
//! business licence (A10.1); only they list and confirm registrations, and whoever else
//! asks learns nothing; and an applicant reads its history by unit, never by login name.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use serde_json::{Value, json};

use crate::common::{Client, DEMO_USERS, ORG, TestApp, ok};
use crate::fixtures::{as_json, org_fields};

qaward_app::testing::on_both!(
    a10_1_an_organization_submits_only_once_its_county_confirms_its_registration,
    only_the_countys_reviewer_and_the_office_list_and_confirm_registrations,
    a_reviewer_of_another_county_or_an_applicant_learns_nothing_of_a_registration,
    applicants_read_the_history_by_unit_never_by_login_name,
);

/// An organization of 忻府区 registered through the API: its fields and subject id.
async fn registered(t: &TestApp, username: &str) -> (Vec<(&'static str, String)>, i64) {
    let mut fields = org_fields(username);
    fields
        .iter_mut()
        .filter(|f| f.0 == "county")
        .for_each(|f| f.1 = "xinfu".into());
    let body = Some(as_json(&fields));
    let a = t
        .api(Method::POST, "/api/v1/register/organization", None, body)
        .await;
    let id = ok(&a)["subject_id"].as_i64().unwrap();
    (fields, id)
}

fn field(fields: &[(&'static str, String)], name: &str) -> String {
    fields.iter().find(|f| f.0 == name).unwrap().1.clone()
}

fn confirmation(id: i64) -> String {
    format!("/api/v1/registrations/{id}/confirmation")
}

fn licence(fields: &[(&'static str, String)]) -> Value {
    json!({ "document": format!("营业执照 {}", field(fields, "credit_code")) })
}

async fn a10_1_an_organization_submits_only_once_its_county_confirms_its_registration(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let (fields, subject) = registered(&t, "licence-org").await;
    let org = Client {
        t: &t,
        s: t.login_with("licence-org", "correct-horse-1").await,
    };
    let id = org.prepare(ORG).await;
    let a = org.submit(id, "county:xinfu").await;
    assert_eq!(
        (a.status, a.rule()),
        (StatusCode::UNPROCESSABLE_ENTITY, "A10.1".into()),
        "{}",
        a.body
    );
    assert!(a.error("key") == "registration-unconfirmed", "{}", a.body);
    let page = t.page(&format!("/applications/{id}"), Some(&org.s)).await;
    assert!(page.contains("尚待所在县"), "the page says what is awaited");
    // The county's reviewer sees it waiting, finds it in its list and confirms it.
    let reviewer = t.user("county-reviewer").await;
    let home = t.page("/", Some(&reviewer.s)).await;
    assert!(home.contains("待核对营业执照的组织注册: 1"), "{home}");
    let list = reviewer.read("/api/v1/registrations").await;
    assert_eq!(list[0]["id"], subject);
    assert_eq!(list[0]["credit_code"], field(&fields, "credit_code"));
    let a = reviewer
        .post(&confirmation(subject), json!({ "document": " " }))
        .await;
    assert_eq!(a.error("field"), "document", "{}", a.body);
    let a = reviewer
        .post(&confirmation(subject), licence(&fields))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let a = reviewer
        .post(&confirmation(subject), licence(&fields))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(
        t.newest_audit(1).await,
        [(
            "subject.confirm-registration".to_owned(),
            format!("subject {subject}")
        )]
    );
    assert!(reviewer.read("/api/v1/registrations").await[0].is_null());
    // Now the submission goes through.
    assert_eq!(
        ok(&org.submit(id, "county:xinfu").await)["state"],
        "submitted"
    );
}

async fn only_the_countys_reviewer_and_the_office_list_and_confirm_registrations(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (fields, subject) = registered(&t, "listed-org").await;
    let (name, code) = (field(&fields, "name"), field(&fields, "credit_code"));
    for who in std::iter::once(None).chain(DEMO_USERS.iter().copied().map(Some)) {
        let s = match who {
            Some(u) => Some(t.login(u).await),
            None => None,
        };
        let allowed = matches!(who, Some("office" | "county-reviewer"));
        let api = t
            .api(Method::GET, "/api/v1/registrations", s.as_ref(), None)
            .await;
        let page = t.get("/registrations", s.as_ref()).await;
        let expected = match (who, allowed) {
            (None, _) => StatusCode::UNAUTHORIZED,
            (_, true) => StatusCode::OK,
            (_, false) => StatusCode::FORBIDDEN,
        };
        // The page leads the logged-out to the login form instead.
        let page_expected = match who {
            None => StatusCode::SEE_OTHER,
            Some(_) => expected,
        };
        assert_eq!(
            (api.status, page.status),
            (expected, page_expected),
            "{who:?}"
        );
        for body in [&api.body, &page.body] {
            assert_eq!(body.contains(&code), allowed, "{who:?}: {body}");
            assert_eq!(body.contains(&name), allowed, "{who:?}");
        }
        // The others are refused confirming it, and learn nothing.
        if !allowed {
            let path = format!("/registrations/{subject}/confirm");
            let a = t
                .post_form(&path, s.as_ref(), &[("document", "营业执照")])
                .await;
            assert!(
                matches!(a.status.as_u16(), 401 | 403),
                "{who:?}: {}",
                a.status
            );
            assert!(
                !a.body.contains(&code) && !a.body.contains(&name),
                "{who:?}"
            );
        }
    }
    // The county's reviewer confirms it through the page's form; then the Office is late.
    let path = format!("/registrations/{subject}/confirm");
    let form = [("document", "营业执照（原件已核）")];
    let reviewer = t.login("county-reviewer").await;
    assert_eq!(
        t.form_redirects(&path, &reviewer, &form).await,
        "/registrations"
    );
    let office = t.login("office").await;
    let a = t.post_form(&path, Some(&office), &form).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    let supervisor = t.as_user("supervisor").await;
    let about = qaward_app::audit::Object::Subject(qaward_domain::ids::SubjectId(subject));
    let log = qaward_app::audit::about(&t.app, &supervisor, about, 10)
        .await
        .unwrap();
    let confirmed: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "subject.confirm-registration")
        .map(|e| e.actor_name.as_str())
        .collect();
    assert_eq!(confirmed, ["county-reviewer"]);
}

async fn a_reviewer_of_another_county_or_an_applicant_learns_nothing_of_a_registration(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let (fields, subject) = registered(&t, "hidden-org").await;
    let (name, code) = (field(&fields, "name"), field(&fields, "credit_code"));
    let admin = t.user("admin").await;
    let other = json!({ "username": "yuanping-reviewer", "display_name": "原平市市场监督管理局",
        "password": "qaward-demo", "grants": [{ "role": "county-reviewer", "scope": "county:yuanping" }] });
    ok(&admin.post("/api/v1/users", other).await);
    let yuanping = t.user("yuanping-reviewer").await;
    let list = yuanping.read("/api/v1/registrations").await;
    assert_eq!(
        list,
        json!([]),
        "another county's registrations are not listed"
    );
    let person = t.subject_of("applicant-person").await.0;
    let reviewer = t.user("county-reviewer").await;
    for (who, id, status) in [
        (&yuanping, subject, StatusCode::NOT_FOUND),
        (
            &t.user("applicant-org").await,
            subject,
            StatusCode::FORBIDDEN,
        ),
        (&t.user("expert1").await, subject, StatusCode::FORBIDDEN),
        // A subject that is no organization, or none at all, is as unknown.
        (&reviewer, person, StatusCode::NOT_FOUND),
        (&reviewer, 99_999, StatusCode::NOT_FOUND),
    ] {
        let a = who.post(&confirmation(id), licence(&fields)).await;
        assert_eq!(a.status, status, "{id}: {}", a.body);
        assert!(
            !a.body.contains(&code) && !a.body.contains(&name),
            "{}",
            a.body
        );
    }
    // Still waiting for its own county.
    assert_eq!(
        reviewer.read("/api/v1/registrations").await[0]["id"],
        subject
    );
}

async fn applicants_read_the_history_by_unit_never_by_login_name(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    ok(&org.submit(id, "county:xinfu").await);
    let reviewer = t.user("county-reviewer").await;
    let back = json!({ "decision": "return", "reason": "补充质量管理体系证书" });
    reviewer
        .done(&format!("/api/v1/applications/{id}/channel-review"), back)
        .await;
    let path = format!("/api/v1/applications/{id}");
    let read = org.get(&path).await;
    let history = read.json()["history"].clone();
    let by: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["by"].as_str().unwrap())
        .collect();
    assert_eq!(
        by,
        [
            "忻州市示例精密机械有限公司",
            "忻州市示例精密机械有限公司",
            "忻府区市场监督管理局"
        ]
    );
    let page = t.page(&format!("/applications/{id}"), Some(&org.s)).await;
    for body in [&read.body, &page] {
        assert!(!body.contains("county-reviewer"), "{body}");
        assert!(!body.contains("applicant-org"), "no login name at all");
    }
    assert!(page.contains("忻府区市场监督管理局"));
    // Staff see the unit and the account that acted.
    let office = t.user("office").await;
    let staff = office.read(&path).await;
    assert_eq!(staff["history"][2]["by_account"], "county-reviewer");
    assert_eq!(staff["history"][2]["by"], "忻府区市场监督管理局");
}
