//! The storage conformance suite: every test runs on SQLite and on PostgreSQL, each in a
//! fresh database of its own (`qaward_store::testing::TestDb`).

use chrono::NaiveDate;
use qaward_domain::cycle::Timeline;
use qaward_domain::ids::{CreditCode, ResidentId, SubjectId};
use qaward_domain::permission::UserKind;
use qaward_domain::permission::{Grant, Role, Scope};
use qaward_domain::subject::{CycleRef, OrgKind, Organization, Person, Subject};
use qaward_store::audit::{self, Actor, NewEntry};
use qaward_store::subjects::Contact;
use qaward_store::testing::TestDb;
use qaward_store::users::NewUser;
use qaward_store::{Backend, StoreError};

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(&qaward_store::testing::TestDb::new(qaward_store::Backend::Sqlite).await).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(&qaward_store::testing::TestDb::new(qaward_store::Backend::Postgres).await).await; })*
        }
    };
}

conformance!(
    migrations_are_idempotent,
    users_grants_and_unique_usernames,
    sessions_expire_and_end_at_logout,
    login_failures_are_counted_per_account_and_address,
    api_tokens_are_found_by_hash_until_revoked,
    subjects_round_trip_with_masked_identity_numbers,
    programs_and_cycles_round_trip,
    a_dropped_transaction_writes_nothing,
    audit_chain_verifies,
    audit_detects_an_edited_entry,
    audit_detects_a_deleted_entry,
    audit_detects_deleted_newest_entries,
    audit_concurrent_appends_stay_one_chain,
    meta_values_upsert,
    audit_verify_while_entries_are_appended,
    service_accounts_tokens_expire_and_uploads_count,
    applications_move_state_by_state_and_keep_their_history,
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

fn entry(action: &str, id: i64) -> NewEntry {
    NewEntry {
        actor: Actor::system(),
        action: action.into(),
        object_type: "test".into(),
        object_id: id.to_string(),
        detail: serde_json::json!({ "after": { "n": id } }),
    }
}

async fn migrations_are_idempotent(db: &TestDb) {
    db.store.migrate().await.unwrap();
    db.store.migrate().await.unwrap();
    db.store.ping().await.unwrap();
}

async fn users_grants_and_unique_usernames(db: &TestDb) {
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    let u = tx.create_user(user("office")).await.unwrap();
    tx.add_grant(u.id, &Grant::new(Role::Office, Scope::Program).unwrap())
        .await
        .unwrap();
    tx.add_grant(
        u.id,
        &Grant::new(Role::CountyReviewer, Scope::County("xinfu".into())).unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = s.write().await.unwrap();
    match tx.create_user(user("office")).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("`office` is taken"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    drop(tx);
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.add_grant(u.id, &Grant::new(Role::Office, Scope::Program).unwrap())
            .await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let grants = s.grants(u.id).await.unwrap();
    assert_eq!(grants.len(), 2);
    assert_eq!(grants[1].scope, Scope::County("xinfu".into()));
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

async fn sessions_expire_and_end_at_logout(db: &TestDb) {
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

async fn login_failures_are_counted_per_account_and_address(db: &TestDb) {
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    for _ in 0..3 {
        tx.record_login_failure("office", "10.0.0.1").await.unwrap();
    }
    tx.record_login_failure("expert1", "10.0.0.1")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        s.login_failures_since("office", "10.0.0.1", "2000-01-01")
            .await
            .unwrap(),
        (3, 4)
    );
    assert_eq!(
        s.login_failures_since("office", "10.0.0.1", "2999-01-01")
            .await
            .unwrap(),
        (0, 0)
    );
    let mut tx = s.write().await.unwrap();
    tx.clear_login_failures("office").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        s.login_failures_since("office", "10.0.0.2", "2000-01-01")
            .await
            .unwrap(),
        (0, 0)
    );
}

async fn api_tokens_are_found_by_hash_until_revoked(db: &TestDb) {
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

fn contact() -> Contact {
    Contact {
        name: "张联系".into(),
        phone: "0350-1234567".into(),
        email: None,
    }
}

async fn subjects_round_trip_with_masked_identity_numbers(db: &TestDb) {
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
        Err(StoreError::Conflict(m)) => assert!(m.contains("91140900AY4CL12THD"), "{m}"),
        other => panic!("{other:?}"),
    }
    drop(tx);
    assert!(matches!(
        s.subject(SubjectId(9999)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn programs_and_cycles_round_trip(db: &TestDb) {
    let s = &db.store;
    let t = Timeline {
        application_opens: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        application_closes: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        channel_review_due: NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(),
        formal_review_due: NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
    };
    let mut tx = s.write().await.unwrap();
    let p = tx
        .create_program("xinzhou", "忻州市市长质量奖", "xinzhou-2021", "id = \"x\"")
        .await
        .unwrap();
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
    let p = tx
        .create_program("xinzhou", "忻州市市长质量奖", "xinzhou-2021", "id = \"x\"")
        .await
        .unwrap();
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

async fn a_dropped_transaction_writes_nothing(db: &TestDb) {
    let s = &db.store;
    let mut tx = s.write().await.unwrap();
    tx.create_user(user("ghost")).await.unwrap();
    audit::append(&mut tx, entry("user.create", 1))
        .await
        .unwrap();
    drop(tx);
    assert_eq!(s.count_users().await.unwrap(), 0);
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 0);
}

async fn append_n(db: &TestDb, n: i64) {
    for i in 1..=n {
        let mut tx = db.store.write().await.unwrap();
        assert_eq!(
            audit::append(&mut tx, entry("test.step", i)).await.unwrap(),
            i
        );
        tx.commit().await.unwrap();
    }
}

async fn audit_chain_verifies(db: &TestDb) {
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 0);
    append_n(db, 5).await;
    let v = audit::verify(&db.store).await.unwrap().unwrap();
    assert_eq!(v.entries, 5);
    assert_eq!(v.algorithm, "SM3");
    let recent = audit::recent(&db.store, 2, Some(("test", "5")))
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(
        recent[0].prev_hash,
        audit::recent(&db.store, 5, None).await.unwrap()[1].hash
    );
}

async fn audit_detects_an_edited_entry(db: &TestDb) {
    append_n(db, 5).await;
    sqlx::query("UPDATE audit_log SET detail = '{\"after\":{\"n\":999}}' WHERE seq = 3")
        .execute(db.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&db.store).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 3);
    assert!(broken.to_string().contains("edited"), "{broken}");
}

async fn audit_detects_a_deleted_entry(db: &TestDb) {
    append_n(db, 5).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(db.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&db.store).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 2);
    assert!(broken.to_string().contains("missing"), "{broken}");
}

async fn audit_detects_deleted_newest_entries(db: &TestDb) {
    append_n(db, 5).await;
    sqlx::query("DELETE FROM audit_log WHERE seq >= 4")
        .execute(db.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&db.store).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 4);
    // Rewriting a whole entry with a fresh hash still breaks the next link.
    let db2_seq = {
        sqlx::query("UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1")
            .execute(db.store.pool())
            .await
            .unwrap();
        audit::verify(&db.store).await.unwrap().map(|v| v.entries)
    };
    assert_eq!(
        db2_seq,
        Ok(3),
        "a consistent truncation is only visible against a copy of the head"
    );
}

async fn audit_concurrent_appends_stay_one_chain(db: &TestDb) {
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..5 {
                let mut tx = store.write().await.unwrap();
                audit::append(&mut tx, entry("test.concurrent", i * 10 + j))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 40);
}

async fn meta_values_upsert(db: &TestDb) {
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

async fn audit_verify_while_entries_are_appended(db: &TestDb) {
    append_n(db, 20).await;
    let writer = {
        let store = db.store.clone();
        tokio::spawn(async move {
            for i in 0..50 {
                let mut tx = store.write().await.unwrap();
                audit::append(&mut tx, entry("test.during-verify", i))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        })
    };
    for _ in 0..10 {
        let v = audit::verify(&db.store).await.unwrap();
        assert!(
            v.is_ok(),
            "a running server's appends are not tampering: {v:?}"
        );
    }
    writer.await.unwrap();
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 70);
}

async fn service_accounts_tokens_expire_and_uploads_count(db: &TestDb) {
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

async fn applications_move_state_by_state_and_keep_their_history(db: &TestDb) {
    use qaward_domain::application::{ActionKind, Channel, State};
    use qaward_domain::material::Confidentiality;
    let s = &db.store;
    let t = Timeline {
        application_opens: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        application_closes: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        channel_review_due: NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(),
        formal_review_due: NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
    };
    let org = Subject::Organization(Organization {
        name: "甲公司".into(),
        credit_code: CreditCode::parse("91140900AY4CL12THD").unwrap(),
        kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        founded: NaiveDate::from_ymd_opt(2010, 5, 1).unwrap(),
        industry: None,
        legal_representative: None,
    });
    let mut tx = s.write().await.unwrap();
    let p = tx
        .create_program("xinzhou", "忻州市市长质量奖", "xinzhou-2021", "x")
        .await
        .unwrap();
    let c = tx
        .create_cycle(
            p,
            CycleRef {
                ordinal: 1,
                year: 2026,
            },
            "xinzhou-2021",
            &t,
        )
        .await
        .unwrap();
    let subj = tx.create_subject(&org, &contact()).await.unwrap();
    let id = tx.create_application(c, subj).await.unwrap();
    tx.commit().await.unwrap();
    // On PostgreSQL a failed statement ends the transaction: try the duplicate in its own.
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.create_application(c, subj).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let mut tx = s.write().await.unwrap();
    tx.save_section(id, "4.1", "领导：初稿").await.unwrap();
    tx.save_section(id, "4.1", "领导：定稿").await.unwrap();
    tx.set_application_declarations(
        id,
        &[qaward_domain::rule::A10_1, qaward_domain::rule::A10_2].into(),
        true,
        false,
    )
    .await
    .unwrap();
    tx.set_in_unit_notice(
        id,
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        None,
    )
    .await
    .unwrap();
    tx.record_blob(&"b".repeat(64), 9, "application/pdf")
        .await
        .unwrap();
    tx.add_attachment(
        id,
        qaward_domain::material::Purpose::Section,
        Some("4.1"),
        &"b".repeat(64),
        "年报.pdf",
        "application/pdf",
        9,
        Confidentiality::TradeSecret,
    )
    .await
    .unwrap();
    let o = tx
        .add_in_unit_objection(
            id,
            NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            "对质量数据有疑问",
        )
        .await
        .unwrap();
    assert!(
        tx.settle_in_unit_objection(id, o, false, "已核实，数据属实")
            .await
            .unwrap()
    );
    assert!(
        !tx.settle_in_unit_objection(id, o, true, "again")
            .await
            .unwrap()
    );
    tx.set_state(
        id,
        State::Draft,
        State::InUnitNotice,
        ActionKind::OpenInUnitNotice,
        &Actor::system(),
        None,
    )
    .await
    .unwrap();
    tx.set_channel(id, &Channel::County("xinfu".into()))
        .await
        .unwrap();
    tx.set_state(
        id,
        State::InUnitNotice,
        State::Submitted,
        ActionKind::Submit,
        &Actor::system(),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // A stale state is a conflict, and nothing is written.
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.set_state(
            id,
            State::Draft,
            State::Withdrawn,
            ActionKind::Withdraw,
            &Actor::system(),
            None
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let a = s.application(id).await.unwrap();
    assert_eq!(a.state, State::Submitted);
    assert_eq!(a.channel, Some(Channel::County("xinfu".into())));
    assert!(a.authenticity_committed && !a.no_state_secrets_confirmed);
    assert_eq!(a.declarations.len(), 2);
    assert_eq!(
        a.in_unit_notice.unwrap().1,
        NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()
    );
    assert!(a.submitted_at.is_some());
    assert_eq!(s.application_of(c, subj).await.unwrap().unwrap().id, id);
    assert_eq!(
        s.sections(id).await.unwrap(),
        vec![("4.1".to_string(), "领导：定稿".to_string())]
    );
    assert_eq!(
        s.attachments(id).await.unwrap()[0].confidentiality,
        Confidentiality::TradeSecret
    );
    assert_eq!(
        s.in_unit_objections(id).await.unwrap()[0].status,
        qaward_domain::notice::ObjectionState::Dismissed
    );
    let history = s.transitions(id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|t| (t.from_state, t.action, t.to_state))
            .collect::<Vec<_>>(),
        [
            (
                State::Draft,
                ActionKind::OpenInUnitNotice,
                State::InUnitNotice
            ),
            (State::InUnitNotice, ActionKind::Submit, State::Submitted)
        ]
    );
    let queue = s
        .applications_at_channel(&Channel::County("xinfu".into()), &[State::Submitted])
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].1, "甲公司");
    assert!(
        s.applications_at_channel(&Channel::County("yuanping".into()), &[State::Submitted])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        s.application(qaward_domain::ids::ApplicationId(999)).await,
        Err(StoreError::NotFound(_))
    ));
}
