//! Several programs through HTTP (issue #13, item 4): the administrator grants a role in a
//! second program through the API (`program`), and that program's Office, logged in, gets
//! "not found" for the first program's application, page and API alike, and an empty desk;
//! someone with roles in both switches between them in the page header; the
//! administrator adds a program on the accounts page; the public pages name each program.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use serde_json::json;

use qaward_app::testing::programs::{SECOND, SECOND_NAME, second_policy};
use qaward_domain::ids::ProgramId;
use qaward_domain::permission::{Grant, Role, Scope};

use crate::common::{Session, TestApp, location};

qaward_app::testing::on_both!(
    a_second_program_s_office_learns_nothing_of_the_first_s_applications,
    a_person_in_two_programs_switches_between_them_in_the_header,
    the_administrator_adds_a_program_on_the_accounts_page,
    the_public_pages_name_each_program_and_a_complaint_names_its_own,
    the_api_adds_and_lists_programs,
);

const COMPANY: &str = "忻州市示例精密机械有限公司";

fn in_program(role: Role, p: ProgramId) -> Grant {
    Grant::new(role, Scope::Program).unwrap().in_program(p)
}

/// The session with the switcher's cookie set to `program`, as a browser sends it.
fn choosing(s: &Session, program: i64) -> Session {
    Session {
        cookie: format!("{}; qaward_program={program}", s.cookie),
        csrf: s.csrf.clone(),
    }
}

async fn a_second_program_s_office_learns_nothing_of_the_first_s_applications(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let admin = t.login("admin").await;
    let created = t
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({
                "username": "yp-office",
                "display_name": "原平市领导小组办公室",
                "password": qaward_app::demo::PASSWORD,
                "grants": [{ "role": "office", "scope": "", "program": p2.0 }],
            })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["grants"][0]["program"], p2.0);
    // A program that does not exist is named as the field at fault.
    let unknown = t
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({
                "username": "nowhere-office",
                "display_name": "无",
                "password": qaward_app::demo::PASSWORD,
                "grants": [{ "role": "office", "scope": "", "program": 999 }],
            })),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert_eq!(unknown.error("field"), "program", "{}", unknown.body);

    let id = t.recommended().await.0;
    let city = t.login("office").await;
    let theirs = t.login("yp-office").await;
    for path in [
        format!("/applications/{id}"),
        format!("/api/v1/applications/{id}"),
    ] {
        assert_eq!(
            t.get(&path, Some(&city)).await.status,
            StatusCode::OK,
            "{path}"
        );
        let a = t.get(&path, Some(&theirs)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!a.body.contains("忻州市示例精密机械有限公司"), "{path}");
    }
    let desk = t.page("/office", Some(&theirs)).await;
    assert!(!desk.contains("忻州市示例精密机械有限公司"), "{desk}");
    let desk = t.page("/office", Some(&city)).await;
    assert!(desk.contains("忻州市示例精密机械有限公司"));
}

async fn a_person_in_two_programs_switches_between_them_in_the_header(b: Backend) {
    let t = TestApp::new(b).await;
    t.recommended().await;
    let p2 = t.second_program().await;
    let p1 = qaward_app::programs::home(&t.app).await.unwrap().id;
    t.staff(
        "both-office",
        vec![in_program(Role::Office, p1), in_program(Role::Office, p2)],
    )
    .await;
    let both = t.login("both-office").await;
    let home = t.page("/", Some(&both)).await;
    assert!(home.contains("id=\"program-switch\""), "{home}");
    assert!(home.contains(SECOND_NAME) && home.contains("忻州市市长质量奖"));
    // Someone in one program is offered no switch.
    let city = t.login("office").await;
    assert!(!t.page("/", Some(&city)).await.contains("program-switch"));

    // Unchosen, the first program's desk; chosen, the second's, which is empty.
    assert!(t.page("/office", Some(&both)).await.contains(COMPANY));
    let switched = t
        .post_form("/program", Some(&both), &[("program", &p2.0.to_string())])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.body);
    assert_eq!(location(&switched), "/");
    let set = switched
        .headers
        .get(axum::http::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        set.starts_with(&format!("qaward_program={}", p2.0)),
        "{set}"
    );
    let in_second = choosing(&both, p2.0);
    let desk = t.page("/office", Some(&in_second)).await;
    assert!(!desk.contains(COMPANY), "{desk}");
    // The measures are the chosen program's.
    let measures = t.page("/policies", Some(&in_second)).await;
    assert!(
        measures.contains(&format!("<strong>{SECOND_NAME}</strong>"))
            && measures.contains("yuanping-2021"),
        "{measures}"
    );
    assert!(!measures.contains("id=\"version-xinzhou-2021\""));
    let home = t.page("/", Some(&in_second)).await;
    assert!(
        home.contains(&format!(
            "<option value=\"{}\" selected>{SECOND_NAME}",
            p2.0
        )),
        "{home}"
    );

    // An API caller names its program with a header, under the same rule.
    let versions = |s: &Session, program: i64| {
        axum::http::Request::builder()
            .uri("/api/v1/policies")
            .header(axum::http::header::HOST, crate::common::HOST)
            .header(
                axum::http::header::COOKIE,
                format!("qaward_session={}", s.cookie),
            )
            .header("x-qaward-program", program.to_string())
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let listed = t.send(versions(&both, p2.0)).await;
    assert_eq!(
        listed.json()["versions"][0]["code"],
        "yuanping-2021",
        "{}",
        listed.body
    );
    let listed = t.send(versions(&both, p1.0)).await;
    assert_eq!(listed.json()["versions"][0]["code"], "xinzhou-2021");
    let listed = t.send(versions(&city, p2.0)).await;
    assert_eq!(listed.json()["versions"][0]["code"], "xinzhou-2021");

    // A program one holds no role in is found nowhere, and a forged cookie is ignored.
    let refused = t
        .post_form("/program", Some(&city), &[("program", &p2.0.to_string())])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(
        refused
            .headers
            .get(axum::http::header::SET_COOKIE)
            .is_none()
    );
    assert!(
        t.page("/office", Some(&choosing(&city, p2.0)))
            .await
            .contains(COMPANY)
    );
    let nowhere = t
        .post_form("/program", Some(&both), &[("program", "999")])
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let garbled = t
        .post_form("/program", Some(&both), &[("program", "二")])
        .await;
    assert_eq!(garbled.status, StatusCode::NOT_FOUND);
    // An applicant has no program to choose.
    let org = t.login("applicant-org").await;
    let a = t
        .post_form("/program", Some(&org), &[("program", &p1.0.to_string())])
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

async fn the_administrator_adds_a_program_on_the_accounts_page(b: Backend) {
    let t = TestApp::new(b).await;
    let admin = t.login("admin").await;
    let page = t.page("/admin/users", Some(&admin)).await;
    assert!(page.contains("id=\"f-program\""));
    // One program: the grant forms ask for none.
    assert!(!page.contains("id=\"g_program\""));
    let source = second_policy();
    let fields = |code: &'static str| {
        vec![
            ("code", code.to_owned()),
            ("source", source.clone()),
            ("document_number", "原政发〔2021〕1号".to_owned()),
            ("document_date", "2021-11-30".to_owned()),
        ]
    };
    let pairs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let send = |f: Vec<(&'static str, String)>, s: Session| {
        let t = &t;
        async move {
            let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.post_form("/admin/programs", Some(&s), &borrowed).await
        }
    };
    // Refused: the form again, in Chinese, with what was typed.
    let bad = send(pairs(&fields("Yuan Ping")), admin.clone()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("评选项目代码由"), "{}", bad.body);
    assert!(bad.body.contains("value=\"Yuan Ping\""));
    assert!(bad.body.contains("yuanping-2021"));
    // The Office may not add one.
    let office = t.login("office").await;
    let refused = send(pairs(&fields(SECOND)), office).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(qaward_app::programs::all(&t.app).await.unwrap().len(), 1);

    let added = send(pairs(&fields(SECOND)), admin.clone()).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert!(location(&added).starts_with("/admin/users?done=program-added"));
    let page = t.page("/admin/users", Some(&admin)).await;
    assert!(page.contains(SECOND_NAME), "{page}");
    assert!(page.contains("id=\"g_program\""));
    // The Office's grant names its program now that there are two.
    assert!(page.contains("忻州市市长质量奖"));
}

async fn the_public_pages_name_each_program_and_a_complaint_names_its_own(b: Backend) {
    let t = TestApp::new(b).await;
    let notices = t.page("/notices", None).await;
    assert!(!notices.contains("<h2>忻州市市长质量奖</h2>"));
    assert!(!t.page("/complaints", None).await.contains("c-program"));
    let p2 = t.second_program().await;
    let sup2 = t
        .staff("yp-supervisor", vec![in_program(Role::Supervisor, p2)])
        .await;
    let notices = t.page("/notices", None).await;
    assert!(notices.contains("<h2>忻州市市长质量奖</h2>"), "{notices}");
    assert!(notices.contains(&format!("<h2>{SECOND_NAME}</h2>")));
    let form = t.page("/complaints", None).await;
    assert!(form.contains("id=\"c-program\""), "{form}");
    assert!(form.contains(&format!("<option value=\"{SECOND}\"")));

    let complaint = |program: &'static str| {
        vec![
            ("program", program),
            ("topic", "evaluation"),
            ("about", "评审过程"),
            ("content", "评审专家与申报单位有利害关系。"),
        ]
    };
    let unknown = t
        .post_form("/complaints", None, &complaint("nowhere"))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("没有代码为“nowhere”的评选项目"),
        "{}",
        unknown.body
    );
    assert!(unknown.body.contains("评审专家与申报单位有利害关系。"));
    let filed = t.post_form("/complaints", None, &complaint(SECOND)).await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let theirs = qaward_app::complaints::complaint_queue(&t.app, &sup2)
        .await
        .unwrap();
    assert_eq!(theirs.items.len(), 1);
    let city = t.as_user("supervisor").await;
    let mine = qaward_app::complaints::complaint_queue(&t.app, &city)
        .await
        .unwrap();
    assert!(mine.items.is_empty());
}

async fn the_api_adds_and_lists_programs(b: Backend) {
    let t = TestApp::new(b).await;
    let admin = t.login("admin").await;
    let body = json!({
        "code": SECOND,
        "source": second_policy(),
        "document_number": "原政发〔2021〕1号",
        "document_date": "2021-11-30",
    });
    let office = t.login("office").await;
    let refused = t
        .api(
            Method::POST,
            "/api/v1/programs",
            Some(&office),
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let added = t
        .api(
            Method::POST,
            "/api/v1/programs",
            Some(&admin),
            Some(body.clone()),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let id = added.json()["id"].as_i64().unwrap();
    let again = t
        .api(Method::POST, "/api/v1/programs", Some(&admin), Some(body))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let listed = t.api(Method::GET, "/api/v1/programs", None, None).await;
    assert_eq!(listed.status, StatusCode::OK);
    let programs = listed.json()["programs"].as_array().unwrap().clone();
    assert_eq!(programs.len(), 2);
    assert_eq!(programs[1]["id"], id);
    assert_eq!(programs[1]["name"], SECOND_NAME);
    assert_eq!(programs[1]["policy"], "yuanping-2021");
}
