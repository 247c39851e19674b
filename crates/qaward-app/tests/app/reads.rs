//! Reads of people's data that the audit log records, on both backends: the objectors'
//! names and contacts in the Leading Group's queue (sealed at rest), the e-mail outbox, the declarations
//! of interest, a person's resident ID (whole only for the person and the Office, A30).
//! Each read writes one typed entry; a count on the home page writes none.

use qaward_app::audit::AuditAction;
use qaward_app::objections::{self, NewObjection};
use qaward_app::testing::{TestApp, d};
use qaward_app::{acceptance, applications, home, notify, subjects};
use qaward_domain::text::Vocabulary;
use qaward_store::Backend;
use qaward_store::audit::{self as store_audit, Entry};

qaward_store::on_both!(
    a30_objectors_identities_are_sealed_at_rest_and_each_reading_is_recorded,
    audit_reading_the_outbox_is_recorded,
    audit_reading_the_declarations_of_interest_is_recorded,
    a30_a_full_resident_id_is_read_only_by_the_person_and_the_office_and_each_read_is_audited,
);

/// The newest entry of the log.
async fn newest(t: &TestApp) -> Entry {
    store_audit::recent(&t.db.store, 1, None)
        .await
        .unwrap()
        .remove(0)
}

fn action(e: &Entry) -> Option<AuditAction> {
    AuditAction::from_code(&e.action)
}

async fn a30_objectors_identities_are_sealed_at_rest_and_each_reading_is_recorded(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let notice =
        acceptance::publish_acceptance_list(&t.app, &office, &[id], d("2026-11-27"), None, "0350")
            .await
            .unwrap();
    let objection = |name: Option<&str>, contact: Option<&str>| NewObjection {
        application: id,
        name: name.map(str::to_owned),
        contact: contact.map(str::to_owned),
        content: "质量数据与实际不符".into(),
        evidence: None,
    };
    objections::raise_objection(&t.app, notice, &objection(None, None), "192.0.2.1")
        .await
        .unwrap();
    let lg = t.as_user("leading-group").await;
    // Anonymous objections only: nobody's identity is read, nothing is recorded.
    let before = newest(&t).await.seq;
    assert_eq!(
        objections::objection_queue(&t.app, &lg)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(newest(&t).await.seq, before);
    objections::raise_objection(
        &t.app,
        notice,
        &objection(Some("王某"), Some("139")),
        "192.0.2.1",
    )
    .await
    .unwrap();
    // Sealed at rest (A30): the rows hold neither the name nor the contact.
    use sqlx::Row;
    let rows = sqlx::query("SELECT objector_name, objector_contact FROM objections")
        .fetch_all(t.db.store.pool())
        .await
        .unwrap();
    for r in &rows {
        for c in ["objector_name", "objector_contact"] {
            if let Some(v) = r.get::<Option<String>, _>(c) {
                assert!(
                    qaward_store::seal::is_sealed(&v) && !v.contains("王某"),
                    "{v}"
                );
            }
        }
    }
    // The Leading Group reads them opened.
    let queue = objections::objection_queue(&t.app, &lg).await.unwrap();
    let named = queue
        .items
        .iter()
        .find(|o| o.objector_name.is_some())
        .unwrap();
    assert_eq!(
        (
            named.objector_name.as_deref(),
            named.objector_contact.as_deref()
        ),
        (Some("王某"), Some("139"))
    );
    let named = named.id;
    let e = newest(&t).await;
    assert_eq!(action(&e), Some(AuditAction::ObjectionIdentitiesRead));
    assert_eq!(
        (e.actor_name.as_str(), e.object_type.as_str()),
        ("leading-group", "objection")
    );
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
    assert_eq!(detail["objections"], serde_json::json!([named]));
    // The home page counts the queue without reading anyone's name.
    home::awaits(&t.app, &lg).await.unwrap();
    assert_eq!(newest(&t).await.seq, e.seq);
}

async fn audit_reading_the_outbox_is_recorded(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.as_user("admin").await;
    let mails = notify::outbox(&t.app, &admin).await.unwrap();
    let e = newest(&t).await;
    assert_eq!(action(&e), Some(AuditAction::OutboxRead));
    assert_eq!(
        (e.actor_name.as_str(), e.object_type.as_str()),
        ("admin", "outbox")
    );
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
    assert_eq!(detail["count"], mails.len());
}

async fn audit_reading_the_declarations_of_interest_is_recorded(backend: Backend) {
    let t = TestApp::new(backend).await;
    let reviewer = t.as_user("county-reviewer").await;
    let org = t.subject_of("applicant-org").await;
    subjects::declare_interest(
        &t.app,
        &reviewer,
        org,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "亲属在该企业任职",
    )
    .await
    .unwrap();
    let supervisor = t.as_user("supervisor").await;
    let list = subjects::interests(&t.app, &supervisor).await.unwrap();
    assert_eq!(list.len(), 1);
    let e = newest(&t).await;
    assert_eq!(action(&e), Some(AuditAction::InterestsRead));
    assert_eq!(
        (e.actor_name.as_str(), e.object_type.as_str()),
        ("supervisor", "interest")
    );
}

/// A person's resident ID as a reader gets it, with what the newest audit entry says of
/// the read: its action and whether the full number was shown.
async fn id_read(t: &TestApp, shown: String) -> (String, Option<AuditAction>, serde_json::Value) {
    let e = newest(t).await;
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
    (shown, action(&e), detail["full_resident_id"].clone())
}

async fn a30_a_full_resident_id_is_read_only_by_the_person_and_the_office_and_each_read_is_audited(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let person = t.as_user("applicant-person").await;
    let id = t.submitted(&person, "county:xinfu").await;
    let subject = t.subject_of("applicant-person").await;
    let full = "14090219850615009X".to_owned();
    let masked = "1409**********009X".to_owned();
    // The channel's reviewer checks the applicant against a masked number.
    let reviewer = t.as_user("county-reviewer").await;
    let v = applications::view(&t.app, &reviewer, id).await.unwrap();
    assert_eq!(
        id_read(&t, v.identity.resident_id.unwrap()).await,
        (masked, Some(AuditAction::ApplicationView), false.into())
    );
    // The person reads their own number whole, and the read is recorded as such.
    let v = applications::view(&t.app, &person, id).await.unwrap();
    assert_eq!(
        id_read(&t, v.identity.resident_id.unwrap()).await,
        (
            full.clone(),
            Some(AuditAction::ApplicationView),
            true.into()
        )
    );
    // So does the Office, on the register.
    let office = t.as_user("office").await;
    let v = subjects::view(&t.app, &office, subject).await.unwrap();
    assert_eq!(
        id_read(&t, v.identifier).await,
        (full, Some(AuditAction::SubjectView), true.into())
    );
}
