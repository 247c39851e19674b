//! Versions of the measures (A33, A34; issue #13 item 1): a cycle keeps the version it
//! opened under after a successor is adopted; loading a successor shows what it changes
//! and needs its issuing document; a start refuses a missing or altered version.

use std::sync::Arc;

use qaward_app::AppError;
use qaward_app::policies::{self, Document, Policies};
use qaward_app::testing::versions::{SUCCESSOR, successor_document};
use qaward_app::testing::{POLICY, TestApp, d};
use qaward_domain::policy::diff::Item;
use qaward_domain::policy::{Level, NoticeKind, Policy};
use qaward_store::Backend;

async fn a33_a_running_cycle_keeps_its_version_after_a_successor(backend: Backend) {
    let t = TestApp::new(backend).await;
    let running = qaward_app::home::current_cycle(&t.app, None)
        .await
        .unwrap()
        .expect("the demo's cycle");
    // An application of the running cycle, its in-unit notice recorded before.
    let applicant = t.as_user("applicant-org").await;
    let id = t.prepared(&applicant).await;
    let new = t.successor_with_a_cycle().await;
    assert_eq!(t.app.policy().await.unwrap().id, "xinzhou-2027-test");
    // Side by side in one database: each cycle by its own version's numbers.
    let old = t.app.policy_of(&running).await.unwrap();
    let next = t.app.policy_of_cycle(new).await.unwrap();
    assert_eq!(old.level(Level::Award).quota.value, 3);
    assert_eq!(next.level(Level::Award).quota.value, 5);
    assert_eq!(next.notice_min(NoticeKind::InUnit).unwrap().value.get(), 7);
    // Corrected after the successor came, the running cycle's notice still runs 2021's
    // five working days (2026-11-16 to 20), not the successor's seven (to the 24th)...
    t.on_day("2026-11-16", async || {
        qaward_app::applications::draft::record_in_unit_notice(
            &t.app,
            &applicant,
            id,
            d("2026-11-16"),
            None,
        )
        .await
        .unwrap()
    })
    .await;
    let row = t.app.store.application(id).await.unwrap();
    assert_eq!(row.cycle_id, running.id);
    assert_eq!(
        row.in_unit_notice,
        Some((d("2026-11-16"), d("2026-11-20"))),
        "the running cycle's A14.1 is 2021's"
    );
    // ...while an application of the new cycle runs the successor's seven.
    let person = t.as_user("applicant-person").await;
    let later = t.prepared(&person).await;
    let row = t.app.store.application(later).await.unwrap();
    assert_eq!(row.cycle_id, new);
    assert_eq!(row.in_unit_notice, Some((d("2026-11-16"), d("2026-11-24"))));
    let entries =
        qaward_store::audit::recent(&t.app.store, 10, Some(("policy", "xinzhou-2027-test")))
            .await
            .unwrap();
    assert!(
        entries.iter().any(|e| e.action == "policy.adopt"),
        "the adoption is audited"
    );
}

/// One enterprise, founded four and a half years ago, applies in both cycles: the running
/// cycle asks three years of operation (2021), the successor's five, so the same subject
/// meets A10.1 in one and not in the other, side by side in one database.
async fn a10_1_each_cycle_counts_operating_years_by_its_own_version(backend: Backend) {
    use qaward_app::applications::{self, draft};
    let t = TestApp::new(backend).await;
    let org = t.registered("side-by-side", "2022-06-01").await;
    let subject = org.user.subject_id.expect("an applicant");
    let office = t.as_user("office").await;
    qaward_app::registrations::confirm(&t.app, &office, subject, "营业执照")
        .await
        .expect("confirmed");
    let in_running = draft::start(&t.app, &org)
        .await
        .expect("started under 2021");
    t.successor_with_a_cycle().await;
    let in_new = draft::start(&t.app, &org)
        .await
        .expect("started under the successor");
    let a10_1 = |v: &applications::ApplicationView| {
        v.unmet
            .iter()
            .any(|u| u.message.key == "organization-too-young")
    };
    let running = applications::view(&t.app, &org, in_running).await.unwrap();
    let new = applications::view(&t.app, &org, in_new).await.unwrap();
    assert_ne!(running.row.cycle_id, new.row.cycle_id);
    assert!(!a10_1(&running), "three years are met: {:?}", running.unmet);
    assert!(a10_1(&new), "five are not: {:?}", new.unmet);
}

/// The successor numbers 2021's article 14 as 15: each application's refusal cites its
/// own cycle's version, in the kernel's steps and in a notice planned.
async fn a33_a_refusal_cites_the_articles_of_its_own_version(backend: Backend) {
    use qaward_app::applications::draft;
    use qaward_domain::application::Channel;
    use qaward_domain::text::Lang;
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let old = t.prepared(&org).await;
    t.successor_with_a_cycle().await;
    let person = t.as_user("applicant-person").await;
    let new = t.prepared(&person).await;
    let cited = |e: AppError| match e {
        AppError::Refused(r) => qaward_app::messages::refusal(Lang::Zh, &r),
        AppError::Unmet(rs) => rs
            .iter()
            .map(|r| qaward_app::messages::refusal(Lang::Zh, r))
            .collect::<Vec<_>>()
            .join("\n"),
        other => panic!("expected a refusal, got {other:?}"),
    };
    // A notice planned too short: two working days, of five and of seven.
    for (who, id, article) in [
        (&org, old, "第十四条（A14.1）"),
        (&person, new, "第十五条（A15.1）"),
    ] {
        let e = t
            .on_day("2026-11-16", async || {
                draft::record_in_unit_notice(
                    &t.app,
                    who,
                    id,
                    d("2026-11-16"),
                    Some(d("2026-11-17")),
                )
                .await
                .unwrap_err()
            })
            .await;
        let text = cited(e);
        assert!(
            text.starts_with(&format!("依据《管理办法》{article}")),
            "{text}"
        );
    }
    // A submission while the in-unit notice runs, through the kernel.
    let e = t
        .on_day("2026-11-18", async || {
            draft::submit(&t.app, &person, new, Channel::County("xinfu".into()))
                .await
                .unwrap_err()
        })
        .await;
    let text = cited(e);
    assert!(
        text.contains("第十五条（A15.1）") && !text.contains("第十四条"),
        "{text}"
    );
}

async fn a34_loading_a_successor_shows_its_changes_and_needs_its_document(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.as_user("office").await;
    let p = policies::preview(&t.app, &office, SUCCESSOR).await.unwrap();
    assert_eq!(
        (p.code.as_str(), p.in_force.as_str()),
        ("xinzhou-2027-test", "xinzhou-2021")
    );
    assert!(
        p.changes
            .iter()
            .any(|c| c.item == Item::Quota(Level::Award))
    );
    // Nothing is stored by a preview.
    assert_eq!(t.app.policy().await.unwrap().id, "xinzhou-2021");
    let broken = SUCCESSOR.replace("valid_years", "valid_yeers");
    let e = policies::preview(&t.app, &office, &broken)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "source"),
        "{e:?}"
    );
    let no_number = Document {
        number: "  ".into(),
        ..successor_document()
    };
    let e = policies::adopt(&t.app, &office, SUCCESSOR, &no_number)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "document_number"),
        "{e:?}"
    );
    let reviewer = t.as_user("county-reviewer").await;
    let e = policies::adopt(&t.app, &reviewer, SUCCESSOR, &successor_document())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    assert_eq!(
        t.app.policy().await.unwrap().id,
        "xinzhou-2021",
        "nothing adopted"
    );
    policies::adopt(&t.app, &office, SUCCESSOR, &successor_document())
        .await
        .unwrap();
    // A version is stored once; its text never changes.
    let e = policies::preview(&t.app, &office, SUCCESSOR)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    let listed = policies::versions(&t.app, &office).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].in_force && listed[0].code == "xinzhou-2027-test");
    assert_eq!(
        listed[0].document_number.as_deref(),
        Some("忻政办发〔2026〕99号")
    );
    assert_eq!(listed[1].cycles, 1, "the demo's cycle runs under 2021");
}

async fn a33_a_start_refuses_a_missing_or_altered_version(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.successor_with_a_cycle().await;
    let restarted = |source: &str, configured: bool| {
        let mut app = t.app.clone();
        let policy = Policy::from_toml("policy", source).unwrap();
        app.policies = Arc::new(Policies::new(policy, source, configured));
        app
    };
    // The file the installation was set up with, unchanged: it starts.
    policies::install(&restarted(POLICY, true)).await.unwrap();
    // The same id with other text: refused.
    let altered = format!("{POLICY}\n# edited\n");
    let e = policies::install(&restarted(&altered, true))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Conflict(m) if m.key == "policy-configured-differs"),
        "{e:?}"
    );
    // A configured file never loaded: refused, with how to load it.
    let other = POLICY.replace("id = \"xinzhou-2021\"", "id = \"xinzhou-2021-b\"");
    let e = policies::install(&restarted(&other, true))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Conflict(m) if m.key == "policy-configured-not-loaded"),
        "{e:?}"
    );
    // A cycle whose version is gone: refused.
    sqlx::query("DELETE FROM policy_versions WHERE code = 'xinzhou-2027-test'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let e = policies::install(&restarted(POLICY, false))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Conflict(m) if m.key == "policy-version-missing"),
        "{e:?}"
    );
}

async fn a34_the_office_is_warned_of_expiry_and_of_a_missing_calendar_year(backend: Backend) {
    use qaward_app::home::{self, Warning};
    let t = TestApp::new_at(backend, "2026-12-01").await;
    let warnings = |who: &'static str| {
        let t = &t;
        async move {
            let p = t.as_user(who).await;
            home::awaits(&t.app, &p).await.unwrap().1
        }
    };
    let office = warnings("office").await;
    assert!(
        office
            .iter()
            .any(|w| matches!(w, Warning::Measures(r) if r.rule.as_str() == "A34")),
        "{office:?}"
    );
    assert!(
        office
            .iter()
            .any(|w| matches!(w, Warning::Calendar(m) if m.key == "calendar-next-year-missing")),
        "{office:?}"
    );
    assert_eq!(warnings("admin").await.len(), 2);
    // Those who cannot load either are not told.
    assert!(warnings("applicant-org").await.is_empty());
    assert!(warnings("county-reviewer").await.is_empty());
    // Before November, with the measures in force, nothing.
    t.set_today("2026-08-03");
    assert!(warnings("office").await.is_empty());
    // A successor adopted: the expiry warning follows it (valid to 2032).
    t.set_today("2026-11-28");
    let office = t.as_user("office").await;
    policies::adopt(&t.app, &office, SUCCESSOR, &successor_document())
        .await
        .unwrap();
    let now = warnings("office").await;
    assert!(
        now.iter().all(|w| matches!(w, Warning::Calendar(_))),
        "{now:?}"
    );
}

async fn a33_two_instances_starting_at_once_store_the_first_version_once(backend: Backend) {
    let t = TestApp::new(backend).await;
    sqlx::query("DELETE FROM policy_versions")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let instance = || {
        let mut app = t.app.clone();
        let policy = Policy::from_toml("policy", POLICY).unwrap();
        app.policies = Arc::new(Policies::new(policy, POLICY, true));
        app
    };
    let (a, b) = (instance(), instance());
    let (ra, rb) = tokio::join!(policies::install(&a), policies::install(&b));
    ra.unwrap();
    rb.unwrap();
    assert_eq!(t.app.store.policy_versions().await.unwrap().len(), 1);
}

qaward_store::on_both!(
    a10_1_each_cycle_counts_operating_years_by_its_own_version,
    a33_a_refusal_cites_the_articles_of_its_own_version,
    a33_two_instances_starting_at_once_store_the_first_version_once,
    a34_the_office_is_warned_of_expiry_and_of_a_missing_calendar_year,
    a33_a_running_cycle_keeps_its_version_after_a_successor,
    a34_loading_a_successor_shows_its_changes_and_needs_its_document,
    a33_a_start_refuses_a_missing_or_altered_version,
);
