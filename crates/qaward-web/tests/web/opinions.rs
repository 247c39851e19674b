//! Written opinions through the pages (issue #9 items 4, 10, 11): the Office reads a
//! department's answer in full, records a letter with its scan, proceeds without an
//! overdue answer giving its reason; a department reads its request with the applicant's
//! identity; choices start unselected, a missing one is refused naming the field, and an
//! adverse answer or an upheld objection is confirmed on a page of its own.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;

use crate::common::{Session, TestApp, location};

qaward_app::testing::on_both!(
    a16_2_the_office_reads_an_answer_in_full_and_proceeds_without_an_overdue_one_on_its_pages,
    a16_2_the_office_records_a_letter_with_its_scan_on_its_page,
    a16_2_a6_choices_start_unselected_and_an_adverse_choice_is_confirmed_with_its_reason,
    a15_1_a16_2_reviewers_see_who_the_applicant_is_and_what_it_declared,
    a29_a_recused_office_user_learns_nothing_of_the_opinions,
    a16_2_the_office_settles_opinions_through_the_api,
);

const ORG: &str = "忻州市示例精密机械有限公司";

/// The Office asks `depts` about `id` through its page, due today; returns the requests.
async fn asked(t: &TestApp, office: &Session, id: i64, depts: &[&str]) -> Vec<i64> {
    let mut fields: Vec<(&str, &str)> = depts.iter().map(|d| ("departments[]", *d)).collect();
    fields.push(("due", "2026-11-27"));
    assert_eq!(
        t.form_redirects(&format!("/office/{id}/opinions"), office, &fields)
            .await,
        "/office"
    );
    let v = t
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}/opinions"),
            office,
            None,
        )
        .await;
    v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn a16_2_the_office_reads_an_answer_in_full_and_proceeds_without_an_overdue_one_on_its_pages(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    let reqs = asked(&t, &office, id, &["public-security", "tax"]).await;
    let police = t.login("opinion-dept").await;
    let finding = "该企业2025年因违反消防安全规定受到行政处罚，依据：忻公消行罚决字〔2025〕3号。";
    let adverse = [("adverse", "true"), ("answer", finding)];
    let path = format!("/opinions/{}/answer", reqs[0]);
    // First the confirmation step, with the reasons to check; nothing is sent yet.
    let step = t.post_form(&path, Some(&police), &adverse).await;
    assert_eq!(step.status, StatusCode::OK, "{}", step.body);
    assert!(step.body.contains("确认提交") && step.body.contains("忻公消行罚决字"));
    assert!(step.body.contains("name=\"confirm\" value=\"true\""));
    let confirmed = [
        ("adverse", "true"),
        ("answer", finding),
        ("confirm", "true"),
    ];
    assert_eq!(
        t.form_redirects(&path, &police, &confirmed).await,
        "/opinions"
    );
    // The Office reads the answer in full, and who gave it.
    let page = t
        .page(&format!("/office/{id}/opinions"), Some(&office))
        .await;
    assert!(page.contains(finding), "{page}");
    assert!(page.contains("公安机关") && page.contains("税务部门"));
    assert!(page.contains("91140900AY4CL12THD") && page.contains("王示例"));
    // On the due date the Office cannot yet proceed without the tax department.
    let proceed = format!("/office/opinion-requests/{}/proceed", reqs[1]);
    assert!(!page.contains(&format!("action=\"{proceed}\"")));
    let early = t
        .post_form(&proceed, Some(&office), &[("reason", "逾期")])
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("A16.2"), "{}", early.body);
    t.set_today("2026-11-30");
    let page = t
        .page(&format!("/office/{id}/opinions"), Some(&office))
        .await;
    assert!(page.contains(&format!("action=\"{proceed}\"")), "{page}");
    let blank = t.post_form(&proceed, Some(&office), &[]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("理由"), "{}", blank.body);
    // On the opinions page again, the message on the form of that request.
    let rid = proceed
        .trim_end_matches("/proceed")
        .rsplit('/')
        .next()
        .unwrap();
    assert!(
        blank.body.contains(&format!("id=\"e-proceed-{rid}\""))
            && blank.body.contains(&format!("id=\"f-proceed-{rid}\"")),
        "{}",
        blank.body
    );
    let reason = "税务部门逾期未答复，已电话催告两次";
    assert_eq!(
        t.form_redirects(&proceed, &office, &[("reason", reason)])
            .await,
        format!("/office/{id}/opinions")
    );
    let page = t
        .page(&format!("/office/{id}/opinions"), Some(&office))
        .await;
    assert!(
        page.contains(reason) && page.contains("决定继续办理"),
        "{page}"
    );
    let log = t.newest_audit(5).await;
    assert!(
        log.iter().any(|(a, _)| a == "opinion.proceed-without"),
        "{log:?}"
    );
}

async fn a16_2_the_office_records_a_letter_with_its_scan_on_its_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    let reqs = asked(&t, &office, id, &["public-security"]).await;
    let path = format!("/office/opinion-requests/{}/paper", reqs[0]);
    let pdf = b"%PDF-1.7 letter from the police";
    // A missing choice is refused, naming it.
    let missing = t
        .upload_form(&path, Some(&office), &[("answer", "无")], "复函.pdf", pdf)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("答复：此项为必填项"),
        "{}",
        missing.body
    );
    // The opinions page again, the letter's form open with what was typed in it.
    let form = crate::common::between(&missing.body, "id=\"f-paper-", "</form>").unwrap();
    assert!(
        form.contains("role=\"alert\"") && form.contains(">无</textarea>"),
        "{form}"
    );
    // An adverse letter is confirmed first, the scan chosen again on that page.
    let adverse = [("adverse", "true"), ("answer", "有行政处罚记录")];
    let step = t
        .upload_form(&path, Some(&office), &adverse, "复函.pdf", pdf)
        .await;
    assert_eq!(step.status, StatusCode::OK, "{}", step.body);
    assert!(step.body.contains("有行政处罚记录") && step.body.contains("type=\"file\""));
    // Someone else learns nothing of the request.
    let reviewer = t.login("county-reviewer").await;
    let other = t
        .upload_form(&path, Some(&reviewer), &adverse, "复函.pdf", pdf)
        .await;
    assert!(
        matches!(other.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        other.status
    );
    assert!(!other.body.contains("有行政处罚记录"));
    let clear = [("adverse", "false"), ("answer", "经查无违法犯罪记录")];
    let a = t
        .upload_form(&path, Some(&office), &clear, "公安复函.pdf", pdf)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(
        location(&a),
        format!("/office/{id}/opinions?done=paper-recorded")
    );
    let page = t
        .page(&format!("/office/{id}/opinions"), Some(&office))
        .await;
    assert!(page.contains("公安复函.pdf") && page.contains("经查无违法犯罪记录"));
    assert!(page.contains("书面函件答复"), "{page}");
    let scan = t
        .get(
            &format!("/office/opinion-requests/{}/scan", reqs[0]),
            Some(&office),
        )
        .await;
    assert_eq!(scan.status, StatusCode::OK);
    assert_eq!(scan.body.as_bytes(), pdf);
    let police = t.login("opinion-dept").await;
    let denied = t
        .get(
            &format!("/office/opinion-requests/{}/scan", reqs[0]),
            Some(&police),
        )
        .await;
    assert_eq!(denied.status, StatusCode::NOT_FOUND);
    let v = t
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}/opinions"),
            &office,
            None,
        )
        .await;
    assert_eq!(v["requests"][0]["on_paper"], true);
    assert_eq!(v["requests"][0]["scan_filename"], "公安复函.pdf");
}

async fn a16_2_a6_choices_start_unselected_and_an_adverse_choice_is_confirmed_with_its_reason(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    let reqs = asked(&t, &office, id, &["public-security"]).await;
    let police = t.login("opinion-dept").await;
    let letter = t
        .page(&format!("/opinions/{}", reqs[0]), Some(&police))
        .await;
    assert!(!letter.contains("checked"), "{letter}");
    let missing = t
        .post_form(
            &format!("/opinions/{}/answer", reqs[0]),
            Some(&police),
            &[("answer", "x")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("答复：此项为必填项"),
        "{}",
        missing.body
    );
    // The letter again, with what was typed in its form.
    assert!(
        missing.body.contains("id=\"f-answer\"") && missing.body.contains(">x</textarea>"),
        "{}",
        missing.body
    );
    // An adverse answer without its reasons is refused before the confirmation.
    let bare = t
        .post_form(
            &format!("/opinions/{}/answer", reqs[0]),
            Some(&police),
            &[("adverse", "true")],
        )
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.body.contains("答复意见及依据"), "{}", bare.body);

    // The Leading Group's handling of an objection to the acceptance list.
    assert_eq!(
        t.form_redirects(
            &format!("/opinions/{}/answer", reqs[0]),
            &police,
            &[("adverse", "false")]
        )
        .await,
        "/opinions"
    );
    let listed = qaward_domain::ids::ApplicationId(id);
    let office_p = t.as_user("office").await;
    qaward_app::review::review(
        &t.app,
        &office_p,
        listed,
        qaward_domain::application::ReviewStep::Formal,
        &qaward_app::review::Decision::Pass,
        &qaward_app::review::Checklist::default(),
    )
    .await
    .unwrap();
    let notice = qaward_app::acceptance::publish_acceptance_list(
        &t.app,
        &office_p,
        &[listed],
        qaward_app::testing::d("2026-11-27"),
        None,
        "0350-3000000",
    )
    .await
    .unwrap();
    let objection = qaward_app::objections::NewObjection {
        application: listed,
        name: None,
        contact: None,
        content: "该企业虚报研发投入".into(),
        evidence: None,
    };
    qaward_app::objections::raise_objection(&t.app, notice, &objection, "192.0.2.9")
        .await
        .unwrap();
    let lg = t.login("leading-group").await;
    let page = t.page("/objections", Some(&lg)).await;
    assert!(!page.contains("checked"), "{page}");
    // Headed by the applicant's name, not by numbers.
    assert!(page.contains(&format!(">{ORG}</a></h2>")), "{page}");
    let oid = crate::common::between(&page, "action=\"/objections/", "/handle")
        .unwrap()
        .to_owned();
    let handle = format!("/objections/{oid}/handle");
    let missing = t.post_form(&handle, Some(&lg), &[("reason", "x")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("审核结论：此项为必填项")
            && missing.body.contains(&format!("id=\"f-handle-{oid}\""))
            && missing.body.contains(">x</textarea>"),
        "{}",
        missing.body
    );
    let uphold = [("decision", "return"), ("reason", "经核查研发投入数据不实")];
    let step = t.post_form(&handle, Some(&lg), &uphold).await;
    assert_eq!(step.status, StatusCode::OK, "{}", step.body);
    assert!(step.body.contains("经核查研发投入数据不实") && step.body.contains("确认提交"));
    // Nothing moved yet.
    assert_eq!(t.state_of(&office, listed.0).await, "on-acceptance-list");
    let confirmed = [
        ("decision", "return"),
        ("reason", "经核查研发投入数据不实"),
        ("confirm", "true"),
    ];
    assert_eq!(
        t.form_redirects(&handle, &lg, &confirmed).await,
        "/objections"
    );
    assert!(t.state_of(&office, listed.0).await.starts_with("returned"));
}

async fn a15_1_a16_2_reviewers_see_who_the_applicant_is_and_what_it_declared(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await.0;
    let reviewer = t.login("county-reviewer").await;
    let page = t
        .page(&format!("/applications/{id}"), Some(&reviewer))
        .await;
    for needle in [
        "91140900AY4CL12THD",
        "王示例",
        "申报时声明满足的条件",
        "第十条（一）",
        "公示照片或扫描件",
        "in-unit-scan.pdf",
    ] {
        assert!(page.contains(needle), "{needle}: {page}");
    }
    // A person's number is masked for the channel, whole for the Office.
    let person = t.as_user("applicant-person").await;
    let pid = t.submitted(&person, "county:xinfu").await.0;
    let page = t
        .page(&format!("/applications/{pid}"), Some(&reviewer))
        .await;
    assert!(page.contains("1409**********009X") && !page.contains("14090219850615009X"));
    let office = t.login("office").await;
    assert!(
        t.page(&format!("/applications/{pid}"), Some(&office))
            .await
            .contains("14090219850615009X")
    );
    // The department's request shows the identity it needs.
    let r = t.as_user("county-reviewer").await;
    qaward_app::review::review(
        &t.app,
        &r,
        qaward_domain::ids::ApplicationId(id),
        qaward_domain::application::ReviewStep::Channel,
        &qaward_app::review::Decision::Pass,
        &qaward_app::review::Checklist::notice_clear(),
    )
    .await
    .unwrap();
    let gov = t.as_user("county-government").await;
    qaward_app::review::recommend(&t.app, &gov, &[qaward_domain::ids::ApplicationId(id)])
        .await
        .unwrap();
    let reqs = asked(&t, &office, id, &["public-security"]).await;
    let police = t.login("opinion-dept").await;
    let letter = t
        .page(&format!("/opinions/{}", reqs[0]), Some(&police))
        .await;
    assert!(letter.contains("征求意见函") && letter.contains("2026年11月27日"));
    // The program and the article as the cycle's version names and numbers them.
    assert!(
        letter.contains("根据《忻州市市长质量奖管理办法》第十六条"),
        "{letter}"
    );
    assert!(letter.contains("91140900AY4CL12THD") && letter.contains("王示例"));
    let tax = t.login("opinion-tax").await;
    let other = t.get(&format!("/opinions/{}", reqs[0]), Some(&tax)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.body.contains(ORG));
}

async fn a29_a_recused_office_user_learns_nothing_of_the_opinions(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    let reqs = asked(&t, &office, id, &["public-security"]).await;
    let subject = t.subject_of("applicant-org").await;
    let p = t.as_user("office").await;
    qaward_app::subjects::declare_interest(
        &t.app,
        &p,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "曾在该企业任职",
    )
    .await
    .unwrap();
    for path in [
        format!("/office/{id}/opinions"),
        format!("/office/opinion-requests/{}/scan", reqs[0]),
    ] {
        let a = t.get(&path, Some(&office)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            a.body.contains("A29") && !a.body.contains(ORG),
            "{}",
            a.body
        );
    }
    let a = t
        .post_form(
            &format!("/office/opinion-requests/{}/proceed", reqs[0]),
            Some(&office),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

async fn a16_2_the_office_settles_opinions_through_the_api(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    let reqs = asked(&t, &office, id, &["public-security", "tax"]).await;
    // A letter, its scan as the raw body and its finding in the query.
    let path = format!(
        "/api/v1/opinion-requests/{}/paper?adverse=false&answer=%E6%97%A0&filename=letter.pdf",
        reqs[0]
    );
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(&path)
        .header(axum::http::header::HOST, crate::common::HOST)
        .header(axum::http::header::CONTENT_TYPE, "application/pdf")
        .header(
            axum::http::header::COOKIE,
            format!("qaward_session={}", office.cookie),
        )
        .header("x-csrf-token", &office.csrf)
        .body(axum::body::Body::from(b"%PDF-1.7 api letter".to_vec()))
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let proceed = format!("/api/v1/opinion-requests/{}/proceed", reqs[1]);
    let early = t
        .api(
            Method::POST,
            &proceed,
            Some(&office),
            Some(serde_json::json!({ "reason": "逾期" })),
        )
        .await;
    assert_eq!(early.rule(), "A16.2");
    t.set_today("2026-11-30");
    let blank = t
        .api(
            Method::POST,
            &proceed,
            Some(&office),
            Some(serde_json::json!({})),
        )
        .await;
    assert_eq!(blank.error("field"), "reason");
    let done = t
        .api(
            Method::POST,
            &proceed,
            Some(&office),
            Some(serde_json::json!({ "reason": "逾期未复" })),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    let v = t
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}/opinions"),
            &office,
            None,
        )
        .await;
    assert_eq!(v["requests"][0]["scan_filename"], "letter.pdf");
    assert_eq!(v["requests"][1]["proceed_reason"], "逾期未复");
    let pass = t
        .api(
            Method::POST,
            &format!("/api/v1/applications/{id}/formal-review"),
            Some(&office),
            Some(serde_json::json!({ "decision": "pass" })),
        )
        .await;
    assert_eq!(pass.json()["state"], "formally-reviewed", "{}", pass.body);
    // The department reads its request through the API, the identity with it.
    let police = t.login("opinion-dept").await;
    let letter = t
        .call(
            Method::GET,
            &format!("/api/v1/opinion-requests/{}", reqs[0]),
            &police,
            None,
        )
        .await;
    assert_eq!(letter["identity"]["credit_code"], "91140900AY4CL12THD");
}
