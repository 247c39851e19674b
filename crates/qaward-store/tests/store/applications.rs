//! Applications in storage, on both backends: one per subject and cycle, materials that
//! read back with their class, states written against the state read (a stale one is a
//! conflict) with their history as codes, and queues of one channel.

use chrono::NaiveDate;
use qaward_domain::application::{ActionKind, Channel, State};
use qaward_domain::cycle::Timeline;
use qaward_domain::ids::{ApplicationId, CreditCode, CycleId, SubjectId};
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::notice::ObjectionState;
use qaward_domain::subject::{CycleRef, OrgKind, Organization, Subject};
use qaward_store::audit::Actor;
use qaward_store::subjects::Contact;
use qaward_store::testing::TestDb;
use qaward_store::{Backend, Store, StoreError};

qaward_store::on_both!(
    an_application_is_one_per_subject_and_cycle,
    materials_read_back_with_their_class_and_objections,
    states_move_against_the_state_read_and_keep_their_history,
    a_channel_queue_holds_only_its_own_applications,
);

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A program with one cycle, and 甲公司 of 忻府区 with a draft in it.
async fn a_draft(s: &Store) -> (CycleId, SubjectId, ApplicationId) {
    let t = Timeline {
        application_opens: day("2026-03-01"),
        application_closes: day("2026-06-30"),
        channel_review_due: day("2026-07-31"),
        formal_review_due: day("2026-08-31"),
    };
    let org = Subject::Organization(Organization {
        name: "甲公司".into(),
        credit_code: CreditCode::parse("91140900AY4CL12THD").unwrap(),
        kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        founded: day("2010-05-01"),
        industry: None,
        legal_representative: None,
    });
    let contact = Contact {
        name: "联系人".into(),
        phone: "0350-1234567".into(),
        email: None,
    };
    let mut tx = s.write().await.unwrap();
    let p = qaward_store::testing::program(&mut tx, "xinzhou", "忻州市市长质量奖", "xinzhou-2021")
        .await;
    let first = CycleRef {
        ordinal: 1,
        year: 2026,
    };
    let c = tx.create_cycle(p, first, "xinzhou-2021", &t).await.unwrap();
    let subj = tx.create_subject(&org, &contact).await.unwrap();
    let id = tx
        .create_application(c, subj, day("2026-03-01"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (c, subj, id)
}

/// Moves a draft through its in-unit notice to submission at 忻府区.
async fn submit(s: &Store, id: ApplicationId) {
    let mut tx = s.write().await.unwrap();
    let to_notice = ActionKind::OpenInUnitNotice;
    tx.set_state(
        id,
        State::Draft,
        State::InUnitNotice,
        to_notice,
        &Actor::system(),
        None,
    )
    .await
    .unwrap();
    tx.set_channel(id, &Channel::County("xinfu".into()), day("2026-03-10"))
        .await
        .unwrap();
    let submit = ActionKind::Submit;
    tx.set_state(
        id,
        State::InUnitNotice,
        State::Submitted,
        submit,
        &Actor::system(),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn an_application_is_one_per_subject_and_cycle(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = &db.store;
    let (c, subj, id) = a_draft(s).await;
    // On PostgreSQL a failed statement ends the transaction: try the duplicate in its own.
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.create_application(c, subj, day("2026-03-01")).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    assert_eq!(s.application_of(c, subj).await.unwrap().unwrap().id, id);
    assert!(matches!(
        s.application(ApplicationId(999)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn materials_read_back_with_their_class_and_objections(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = &db.store;
    let (_, _, id) = a_draft(s).await;
    let mut tx = s.write().await.unwrap();
    tx.save_section(id, "4.1", "领导：初稿").await.unwrap();
    tx.save_section(id, "4.1", "领导：定稿").await.unwrap();
    let declared = [qaward_domain::rule::A10_1, qaward_domain::rule::A10_2].into();
    tx.set_application_declarations(id, &declared, true, false)
        .await
        .unwrap();
    tx.set_in_unit_notice(id, day("2026-03-02"), day("2026-03-06"), None)
        .await
        .unwrap();
    let hash = "b".repeat(64);
    tx.record_blob(&hash, 9, "application/pdf").await.unwrap();
    let (name, pdf, secret) = ("年报.pdf", "application/pdf", Confidentiality::TradeSecret);
    tx.add_attachment(
        id,
        Purpose::Section,
        Some("4.1"),
        &hash,
        name,
        pdf,
        9,
        secret,
    )
    .await
    .unwrap();
    let o = tx
        .add_in_unit_objection(id, day("2026-03-03"), "对质量数据有疑问")
        .await
        .unwrap();
    assert!(tx.settle_in_unit_objection(id, o, "已核实").await.unwrap());
    assert!(
        !tx.settle_in_unit_objection(id, o + 1, "none")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let a = s.application(id).await.unwrap();
    assert!(a.authenticity_committed && !a.no_state_secrets_confirmed);
    assert_eq!(a.declarations.len(), 2);
    assert_eq!(a.in_unit_notice.unwrap().1, day("2026-03-06"));
    assert_eq!(
        s.sections(id).await.unwrap(),
        [("4.1".into(), "领导：定稿".into())]
    );
    let attached = &s.attachments(id).await.unwrap()[0];
    assert_eq!(
        (attached.purpose, attached.confidentiality),
        (Purpose::Section, secret)
    );
    let objection = &s.in_unit_objections(id).await.unwrap()[0];
    assert_eq!(
        (objection.status, objection.settlement.as_deref()),
        (ObjectionState::Open, Some("已核实"))
    );
}

async fn states_move_against_the_state_read_and_keep_their_history(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = &db.store;
    let (_, _, id) = a_draft(s).await;
    submit(s, id).await;
    // A stale state is a conflict, and nothing is written.
    let mut tx = s.write().await.unwrap();
    let stale = tx
        .set_state(
            id,
            State::Draft,
            State::Withdrawn,
            ActionKind::Withdraw,
            &Actor::system(),
            None,
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    drop(tx);
    let a = s.application(id).await.unwrap();
    assert_eq!(a.state, State::Submitted);
    assert_eq!(a.channel, Some(Channel::County("xinfu".into())));
    assert!(a.submitted_at.is_some());
    let history: Vec<_> = s
        .transitions(id)
        .await
        .unwrap()
        .iter()
        .map(|t| (t.from_state, t.action, t.to_state))
        .collect();
    assert_eq!(
        history,
        [
            (
                State::Draft,
                ActionKind::OpenInUnitNotice,
                State::InUnitNotice
            ),
            (State::InUnitNotice, ActionKind::Submit, State::Submitted)
        ]
    );
    // The state is stored as its code.
    let stored: String = sqlx::query_scalar("SELECT state FROM applications WHERE id = $1")
        .bind(id.0)
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(stored, "submitted");
}

async fn a_channel_queue_holds_only_its_own_applications(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = &db.store;
    let (_, _, id) = a_draft(s).await;
    submit(s, id).await;
    let program = s.programs().await.unwrap()[0].id;
    let xinfu = Channel::County("xinfu".into());
    let queue = s
        .applications_at_channel(program, &xinfu, &[State::Submitted])
        .await
        .unwrap();
    assert_eq!((queue.len(), queue[0].1.as_str()), (1, "甲公司"));
    assert!(
        s.applications_at_channel(program, &xinfu, &[State::ChannelPassed])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.applications_at_channel(program, &xinfu, &[])
            .await
            .unwrap()
            .is_empty()
    );
    let yuanping = Channel::County("yuanping".into());
    assert!(
        s.applications_at_channel(program, &yuanping, &[State::Submitted])
            .await
            .unwrap()
            .is_empty()
    );
    // Another program's channel of the same name holds none of this program's.
    let other = qaward_domain::ids::ProgramId(program.0 + 1);
    assert!(
        s.applications_at_channel(other, &xinfu, &[State::Submitted])
            .await
            .unwrap()
            .is_empty()
    );
}
