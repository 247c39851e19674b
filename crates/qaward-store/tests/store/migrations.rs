//! The migrations: they run twice without harm, the two backends end with the same tables
//! and columns, migration 0008 turns the states stored before it into codes, and the
//! awards recorded before 0022 get their bars frozen at the first start.

use chrono::NaiveDate;
use qaward_domain::application::{ActionKind, ReturnTo, State};
use qaward_domain::cycle::Timeline;
use qaward_domain::ids::CreditCode;
use qaward_domain::policy::Level;
use qaward_domain::subject::{CycleRef, OrgKind, Organization, Subject};
use qaward_store::subjects::Contact;
use qaward_store::testing::TestDb;
use qaward_store::{Backend, Store};
use sqlx::Row;

qaward_store::on_both!(
    migrations_are_idempotent,
    migrations_0008_and_0011_rewrite_what_was_stored_the_old_way,
    a12_1_a28_3_awards_recorded_before_migration_0022_are_frozen_at_the_first_start,
);

async fn migrations_are_idempotent(backend: Backend) {
    let db = TestDb::new(backend).await;
    db.store.migrate().await.unwrap();
    db.store.migrate().await.unwrap();
    db.store.ping().await.unwrap();
}

/// Every `table.column` of the schema, sqlx's own bookkeeping left out.
async fn columns(s: &Store) -> Vec<String> {
    let sql = match s.backend() {
        Backend::Sqlite => {
            "SELECT m.name || '.' || p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'"
        }
        Backend::Postgres => {
            "SELECT table_name || '.' || column_name AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'"
        }
    };
    let mut out: Vec<String> = sqlx::query(sql)
        .fetch_all(s.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("c").unwrap())
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_the_same_tables_and_columns() {
    let sqlite = TestDb::new(Backend::Sqlite).await;
    let postgres = TestDb::new(Backend::Postgres).await;
    let (a, b) = (columns(&sqlite.store).await, columns(&postgres.store).await);
    assert!(a.len() > 50, "read only {} columns", a.len());
    let only = |x: &[String], y: &[String]| -> Vec<String> {
        x.iter().filter(|c| !y.contains(c)).cloned().collect()
    };
    assert!(
        a == b,
        "only in SQLite: {:?}; only in PostgreSQL: {:?}",
        only(&a, &b),
        only(&b, &a)
    );
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Two applications written as the schema before 0008 held them: one returned to its
/// channel, one proposed for the Award, with their history in English text.
async fn stored_the_old_way(s: &Store) -> (i64, i64) {
    let t = Timeline {
        application_opens: day("2023-03-01"),
        application_closes: day("2023-06-30"),
        channel_review_due: day("2023-07-31"),
        formal_review_due: day("2023-08-31"),
    };
    // Written directly: the versions table comes with a later migration.
    let p: i64 = sqlx::query_scalar(
        "INSERT INTO programs (code, name, policy_id, policy_toml, created_at) \
         VALUES ('x', 'x', 'x', 'x', '2023-01-01T00:00:00Z') RETURNING id",
    )
    .fetch_one(s.pool())
    .await
    .unwrap();
    let mut tx = s.write().await.unwrap();
    let first = CycleRef {
        ordinal: 1,
        year: 2023,
    };
    let c = tx
        .create_cycle(qaward_domain::ids::ProgramId(p), first, "x", &t)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Written as the schema of 0007 had them, not through today's store.
    let mut subjects = Vec::new();
    for (name, code) in [("甲", "91140900AY4CL12THD"), ("乙", "91140900MA0L4A0C66")] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO subjects (kind, name, credit_code, org_kind, county, founded, contact_name, contact_phone, created_at) \
             VALUES ('organization', $1, $2, 'enterprise', 'xinfu', '2010-05-01', '联系人', '0350-1234567', '2026-03-01T00:00:00Z') RETURNING id",
        )
        .bind(name)
        .bind(code)
        .fetch_one(s.pool())
        .await
        .unwrap();
        subjects.push(qaward_domain::ids::SubjectId(id));
    }
    let mut ids = Vec::new();
    for s_id in subjects {
        let id: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO applications (cycle_id, subject_id, state, created_at, updated_at) \
             VALUES ({}, {}, 'draft', '2026-03-01T17:30:00.000Z', '2026-03-01T17:30:00.000Z') RETURNING id",
            c.0, s_id.0
        ))
        .fetch_one(s.pool())
        .await
        .unwrap();
        ids.push(id);
    }
    let (returned, proposed) = (ids[0], ids[1]);
    for sql in [
        format!(
            "UPDATE applications SET state = 'returned', return_to = 'channel' WHERE id = {returned}"
        ),
        format!(
            "UPDATE applications SET state = 'proposed', level = 'award' WHERE id = {proposed}"
        ),
        format!(
            "INSERT INTO transitions (application_id, from_state, to_state, action, actor_name, actor_role, at) \
             VALUES ({returned}, 'submitted', 'returned to the Channel', 'return', 'r', 'county-reviewer', 'x'), \
             ({proposed}, 'candidate', 'proposed (award)', 'deliberate', 'l', 'leading-group', 'x')"
        ),
    ] {
        sqlx::query(&sql).execute(s.pool()).await.unwrap();
    }
    (returned, proposed)
}

async fn migrations_0008_and_0011_rewrite_what_was_stored_the_old_way(backend: Backend) {
    let db = TestDb::unmigrated(backend).await;
    db.store.migrate_up_to(7).await.unwrap();
    let (returned, proposed) = stored_the_old_way(&db.store).await;
    db.store.migrate().await.unwrap();
    let s = &db.store;
    let state = |id| async move {
        s.application(qaward_domain::ids::ApplicationId(id))
            .await
            .unwrap()
            .state
    };
    assert_eq!(state(returned).await, State::Returned(ReturnTo::Channel));
    assert_eq!(state(proposed).await, State::Proposed(Level::Award));
    let h = s
        .transitions(qaward_domain::ids::ApplicationId(returned))
        .await
        .unwrap();
    assert_eq!(
        (h[0].to_state, h[0].action),
        (State::Returned(ReturnTo::Channel), ActionKind::Return)
    );
    let h = s
        .transitions(qaward_domain::ids::ApplicationId(proposed))
        .await
        .unwrap();
    assert_eq!(h[0].to_state, State::Proposed(Level::Award));
    // 0011 dates the applications by China Standard Time: 17:30 UTC is the next morning.
    let a = s
        .application(qaward_domain::ids::ApplicationId(returned))
        .await
        .unwrap();
    assert_eq!(
        (a.started_on, a.submitted_on),
        (Some(day("2026-03-02")), None)
    );
}

async fn a12_1_a28_3_awards_recorded_before_migration_0022_are_frozen_at_the_first_start(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let s = &db.store;
    let org = Subject::Organization(Organization {
        name: "忻州市示例精密机械有限公司".into(),
        credit_code: CreditCode::parse("91140900AY4CL12THD").unwrap(),
        kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        founded: NaiveDate::from_ymd_opt(2010, 5, 1).unwrap(),
        industry: None,
        legal_representative: None,
    });
    let contact = Contact {
        name: "王".into(),
        phone: "0350".into(),
        email: None,
    };
    let mut tx = s.write().await.unwrap();
    let subject = tx.create_subject(&org, &contact).await.unwrap();
    tx.commit().await.unwrap();
    // As an earlier version stored them: no frozen years.
    for (ordinal, year, level, revoked) in [
        (1, 2014, "award", Some("2020-07-01")),
        (2, 2017, "nomination", None),
        (3, 2020, "award", None),
    ] {
        sqlx::query(
            "INSERT INTO subject_awards (subject_id, cycle_ordinal, cycle_year, level, revoked_on, reference, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, 'x', 'office', '2020-01-01T00:00:00Z')",
        )
        .bind(subject.0)
        .bind(ordinal)
        .bind(year)
        .bind(level)
        .bind(revoked)
        .execute(s.pool())
        .await
        .unwrap();
    }
    let policy = qaward_domain::policy::Policy::from_toml(
        "policy",
        include_str!("../../../../policy/xinzhou-2021.toml"),
    )
    .unwrap();
    assert_eq!(s.freeze_award_bars(&policy).await.unwrap(), 2);
    let bars: Vec<(Option<i32>, Option<i32>)> = s
        .award_history(subject)
        .await
        .unwrap()
        .iter()
        .map(|a| (a.record.barred_until, a.record.ban_until))
        .collect();
    // Three-year cycles: an Award's own cycle and two more; a revocation's year and
    // eight more; a Nomination Award bars nothing.
    assert_eq!(
        bars,
        [(Some(2022), Some(2028)), (None, None), (Some(2028), None)]
    );
    assert_eq!(s.freeze_award_bars(&policy).await.unwrap(), 0);
}
