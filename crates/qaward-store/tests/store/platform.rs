//! Accounts, grants, sessions, throttling, tokens, subjects, programs and cycles, and
//! transactions, on both backends.

use chrono::NaiveDate;
use qaward_domain::cycle::Timeline;
use qaward_domain::ids::{CreditCode, ProgramId, ResidentId, SubjectId};
use qaward_domain::permission::UserKind;
use qaward_domain::permission::{Grant, Role, Scope};
use qaward_domain::subject::{CycleRef, OrgKind, Organization, Person, Subject};
use qaward_store::audit::{self};
use qaward_store::subjects::Contact;
use qaward_store::testing::TestDb;
use qaward_store::throttle::{AttemptCounts, AttemptKind};
use qaward_store::users::NewUser;
use qaward_store::{Backend, StoreError};

qaward_store::on_both!(
    users_grants_and_unique_usernames,
    sessions_expire_and_end_at_logout,
    attempts_are_counted_per_account_and_address_and_pair,
    api_tokens_are_found_by_hash_until_revoked,
    subjects_round_trip_with_masked_identity_numbers,
    a_registration_is_confirmed_once_and_leaves_the_waiting_list,
    programs_and_cycles_round_trip,
    a_dropped_transaction_writes_nothing,
    meta_values_upsert,
    service_accounts_tokens_expire_and_uploads_count,
);

fn user<'a>(name: &'a str) -> NewUser<'a> {
    NewUser {
        username: name,
        display_name: name,
        password_hash: "$argon2id$fake",
        kind: UserKind::Staff,
        subject_id: None,
        email: None,
        service: false,
    }
}

fn contact() -> Contact {
    Contact {
        name: "张联系".into(),
        phone: "0350-1234567".into(),
        email: None,
    }
}

async fn users_grants_and_unique_usernames(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    let u = tx.create_user(user("office")).await.unwrap();
    let (p1, p2) = (ProgramId(1), ProgramId(2));
    let office = |p| {
        Grant::new(Role::Office, Scope::Program)
            .unwrap()
            .in_program(p)
    };
    tx.add_grant(u.id, &office(p1)).await.unwrap();
    tx.add_grant(
        u.id,
        &Grant::new(Role::CountyReviewer, Scope::County("xinfu".into()))
            .unwrap()
            .in_program(p1),
    )
    .await
    .unwrap();
    // The same role in another program is another grant.
    tx.add_grant(u.id, &office(p2)).await.unwrap();
    tx.commit().await.unwrap();
    // A role bound to a program is never stored without one.
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.add_grant(u.id, &Grant::new(Role::Supervisor, Scope::Program).unwrap())
            .await,
        Err(StoreError::Corrupt(_))
    ));
    drop(tx);

    let mut tx = s.write().await.unwrap();
    match tx.create_user(user("office")).await {
        Err(StoreError::Conflict(m)) => assert!(m.to_string().contains("username: office"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    drop(tx);
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.add_grant(u.id, &office(p1)).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let grants = s.grants(u.id).await.unwrap();
    assert_eq!(grants.len(), 3);
    assert_eq!(grants[1].scope, Scope::County("xinfu".into()));
    assert_eq!(
        grants.iter().map(|g| g.program).collect::<Vec<_>>(),
        [Some(p1), Some(p1), Some(p2)]
    );
    let (found, hash) = s.user_for_login("office").await.unwrap().unwrap();
    assert_eq!(found, u);
    assert_eq!(hash, "$argon2id$fake");
    assert!(s.user_for_login("nobody").await.unwrap().is_none());
    assert_eq!(s.count_users().await.unwrap(), 1);
    assert!(matches!(
        s.user(qaward_domain::ids::UserId(999)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn sessions_expire_and_end_at_logout(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    let u = tx.create_user(user("a")).await.unwrap();
    tx.create_session("h1", u.id, "csrf1", "2099-01-01T00:00:00.000Z")
        .await
        .unwrap();
    tx.create_session("h2", u.id, "csrf2", "2000-01-01T00:00:00.000Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let now = qaward_store::now_text();
    let live = s.session("h1", &now).await.unwrap().unwrap();
    assert_eq!((live.user.id, live.csrf_token.as_str()), (u.id, "csrf1"));
    assert!(s.session("h2", &now).await.unwrap().is_none(), "expired");
    assert!(s.session("nope", &now).await.unwrap().is_none());
    let mut tx = s.write().await.unwrap();
    assert!(tx.delete_session("h1").await.unwrap());
    tx.commit().await.unwrap();
    assert!(s.session("h1", &now).await.unwrap().is_none());
    s.sweep(&now, &now).await.unwrap();
}

async fn attempts_are_counted_per_account_and_address_and_pair(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    let office = tx.create_user(user("office")).await.unwrap().id;
    let expert = tx.create_user(user("expert1")).await.unwrap().id;
    let failure = AttemptKind::LoginFailure;
    for _ in 0..3 {
        tx.record_attempt(failure, Some(office), "10.0.0.1")
            .await
            .unwrap();
    }
    tx.record_attempt(failure, Some(office), "10.0.0.2")
        .await
        .unwrap();
    tx.record_attempt(failure, Some(expert), "10.0.0.1")
        .await
        .unwrap();
    // A name that is no account counts against the address only.
    tx.record_attempt(failure, None, "10.0.0.1").await.unwrap();
    tx.record_attempt(AttemptKind::Registration, None, "10.0.0.1")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let counts = |user, address, since| s.attempts_since(failure, user, address, since);
    let (pair, address, account) = (3, 5, 4);
    assert_eq!(
        counts(Some(office), "10.0.0.1", "2000-01-01")
            .await
            .unwrap(),
        AttemptCounts {
            pair,
            address,
            account
        }
    );
    assert_eq!(
        counts(None, "10.0.0.1", "2000-01-01").await.unwrap(),
        AttemptCounts {
            address,
            ..AttemptCounts::default()
        }
    );
    assert_eq!(
        counts(Some(office), "10.0.0.1", "2999-01-01")
            .await
            .unwrap(),
        AttemptCounts::default()
    );
    // The owner logging in from one address forgets that address's failures only.
    let mut tx = s.write().await.unwrap();
    tx.clear_attempts(failure, office, "10.0.0.1")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after = counts(Some(office), "10.0.0.1", "2000-01-01")
        .await
        .unwrap();
    assert_eq!((after.pair, after.address, after.account), (0, 2, 1));
    assert_eq!(s.count_attempts().await.unwrap(), 4);
}

async fn api_tokens_are_found_by_hash_until_revoked(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    let u = tx.create_user(user("bot")).await.unwrap();
    let id = tx
        .create_token(
            u.id,
            "nightly export",
            "hash-of-token",
            "2999-01-01T00:00:00.000Z",
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let now = qaward_store::now_text();
    assert_eq!(
        s.token_user("hash-of-token", &now)
            .await
            .unwrap()
            .map(|(u, t)| (u.username, t)),
        Some(("bot".into(), id))
    );
    assert_eq!(s.token_owner(id).await.unwrap(), Some(u.id));
    let mut tx = s.write().await.unwrap();
    assert!(tx.revoke_token(id).await.unwrap());
    assert!(!tx.revoke_token(id).await.unwrap());
    tx.commit().await.unwrap();
    assert!(s.token_user("hash-of-token", &now).await.unwrap().is_none());
}

async fn subjects_round_trip_with_masked_identity_numbers(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let org = Subject::Organization(Organization {
        name: "忻州市示例精密机械有限公司".into(),
        credit_code: CreditCode::parse("91140900AY4CL12THD").unwrap(),
        kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        founded: NaiveDate::from_ymd_opt(2010, 5, 1).unwrap(),
        industry: Some("装备制造".into()),
        legal_representative: Some("王示例".into()),
    });
    let person = Subject::Person(Person {
        name: "李质量".into(),
        resident_id: ResidentId::parse("14090219850615009X").unwrap(),
        employer: "示例公司".into(),
        employer_kind: OrgKind::Enterprise,
        county: "yuanping".into(),
        position: None,
        quality_work_since: NaiveDate::from_ymd_opt(2012, 7, 1).unwrap(),
    });
    let mut tx = s.write().await.unwrap();
    let a = tx.create_subject(&org, &contact()).await.unwrap();
    let b = tx.create_subject(&person, &contact()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.subject(a).await.unwrap().subject, org);
    assert_eq!(s.subject(b).await.unwrap().subject, person);
    let masked: Option<String> =
        sqlx::query_scalar("SELECT resident_id_masked FROM subjects WHERE id = $1")
            .bind(b.0)
            .fetch_one(s.pool())
            .await
            .unwrap();
    assert_eq!(masked.as_deref(), Some("1409**********009X"));
    let mut tx = s.write().await.unwrap();
    match tx.create_subject(&org, &contact()).await {
        // The refusal names neither the code nor whose it is (A30).
        Err(StoreError::Conflict(m)) => assert!(
            !m.to_string().contains("91140900AY4CL12THD") && m.key == "registration-impossible-org",
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
    drop(tx);
    assert!(matches!(
        s.subject(SubjectId(9999)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn a_registration_is_confirmed_once_and_leaves_the_waiting_list(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let org = |code: &str, county: &str| {
        Subject::Organization(Organization {
            name: format!("示例{code}"),
            credit_code: CreditCode::parse(code).unwrap(),
            kind: OrgKind::Enterprise,
            county: county.into(),
            founded: NaiveDate::from_ymd_opt(2010, 5, 1).unwrap(),
            industry: None,
            legal_representative: None,
        })
    };
    let mut tx = s.write().await.unwrap();
    let a = tx
        .create_subject(&org("91140900AY4CL12THD", "xinfu"), &contact())
        .await
        .unwrap();
    let b = tx
        .create_subject(&org("91140902123456789G", "yuanping"), &contact())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Each organization awaits confirmation in its own county, and only once.
    let xinfu = ["xinfu".to_owned()];
    let waiting = s.unconfirmed_organizations(&xinfu).await.unwrap();
    assert_eq!(waiting.iter().map(|u| u.subject).collect::<Vec<_>>(), [a]);
    let by = audit::Actor {
        user_id: None,
        name: "county-reviewer".into(),
        role: "county-reviewer".into(),
    };
    let mut tx = s.write().await.unwrap();
    let licence = "营业执照 91140900AY4CL12THD";
    assert!(tx.confirm_registration(a, licence, &by).await.unwrap());
    assert!(!tx.confirm_registration(a, "again", &by).await.unwrap());
    tx.commit().await.unwrap();
    let c = s.registration_confirmation(a).await.unwrap().unwrap();
    assert_eq!(
        (c.document.as_str(), c.confirmed_by.as_str()),
        (licence, "county-reviewer")
    );
    assert!(
        s.unconfirmed_organizations(&xinfu)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.registration_confirmation(b).await.unwrap().is_none());
    let both = ["xinfu".to_owned(), "yuanping".to_owned()];
    assert_eq!(s.unconfirmed_organizations(&both).await.unwrap().len(), 1);
}

async fn programs_and_cycles_round_trip(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let t = Timeline {
        application_opens: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        application_closes: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        channel_review_due: NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(),
        formal_review_due: NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
    };
    let mut tx = s.write().await.unwrap();
    let p = qaward_store::testing::program(&mut tx, "xinzhou", "忻州市市长质量奖", "xinzhou-2021")
        .await;
    let c = tx
        .create_cycle(
            p,
            CycleRef {
                ordinal: 2,
                year: 2026,
            },
            "xinzhou-2021",
            &t,
        )
        .await
        .unwrap();
    assert!(matches!(
        tx.create_cycle(
            p,
            CycleRef {
                ordinal: 2,
                year: 2026
            },
            "xinzhou-2021",
            &t
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    assert!(s.programs().await.unwrap().is_empty(), "rolled back");
    let mut tx = s.write().await.unwrap();
    let p = qaward_store::testing::program(&mut tx, "xinzhou", "忻州市市长质量奖", "xinzhou-2021")
        .await;
    tx.create_cycle(
        p,
        CycleRef {
            ordinal: 2,
            year: 2026,
        },
        "xinzhou-2021",
        &t,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let cycles = s.cycles(p).await.unwrap();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].timeline, t);
    assert_eq!(
        cycles[0].cycle,
        CycleRef {
            ordinal: 2,
            year: 2026
        }
    );
    let _ = c;
}

async fn a_dropped_transaction_writes_nothing(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    tx.create_user(user("ghost")).await.unwrap();
    audit::append(&mut tx, super::audit::entry("user.create", 1))
        .await
        .unwrap();
    drop(tx);
    assert_eq!(s.count_users().await.unwrap(), 0);
    // The one entry is the key's creation.
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 1);
}

async fn meta_values_upsert(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let mut tx = db.store.write().await.unwrap();
    tx.set_meta("demo", "false").await.unwrap();
    tx.set_meta("demo", "true").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        db.store.meta("demo").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(db.store.meta("none").await.unwrap(), None);
}

async fn service_accounts_tokens_expire_and_uploads_count(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    let svc = tx
        .create_user(NewUser {
            service: true,
            ..user("nightly")
        })
        .await
        .unwrap();
    tx.create_session("svc-session", svc.id, "c", "2999-01-01T00:00:00.000Z")
        .await
        .unwrap();
    tx.create_token(svc.id, "old", "expired-hash", "2000-01-01T00:00:00.000Z")
        .await
        .unwrap();
    tx.record_blob(&"a".repeat(64), 10, "application/pdf")
        .await
        .unwrap();
    tx.record_upload(svc.id, &"a".repeat(64), 10).await.unwrap();
    tx.record_upload(svc.id, &"a".repeat(64), 10).await.unwrap();
    tx.commit().await.unwrap();
    assert!(svc.service);
    let now = qaward_store::now_text();
    assert!(
        s.session("svc-session", &now).await.unwrap().is_none(),
        "service accounts have no sessions"
    );
    assert!(
        s.token_user("expired-hash", &now).await.unwrap().is_none(),
        "expired"
    );
    assert_eq!(s.uploaded_bytes(svc.id).await.unwrap(), 20);
    assert_eq!(
        s.uploaded_bytes(qaward_domain::ids::UserId(999))
            .await
            .unwrap(),
        0
    );
}

#[test]
fn database_urls_choose_the_backend_or_say_why_not() {
    assert_eq!(
        Backend::from_url("sqlite:///var/lib/qaward/qaward.db").unwrap(),
        Backend::Sqlite
    );
    assert_eq!(
        Backend::from_url("postgres://postgres@127.0.0.1:5432/test").unwrap(),
        Backend::Postgres
    );
    let e = Backend::from_url("mysql://root@localhost/q")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unsupported database URL scheme `mysql:`"),
        "{e}"
    );
}
