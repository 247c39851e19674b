//! What the web tests fill in: registration fields that are valid and different each call
//! (credit codes, resident IDs), their JSON and pair forms, and a service account.

use std::sync::atomic::{AtomicU32, Ordering};

use qaward_domain::ids::UserId;
use serde_json::json;

use crate::common::TestApp;

static COUNTER: AtomicU32 = AtomicU32::new(1);

fn next() -> u32 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// A valid unified social credit code, different each call.
pub fn credit_code() -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let body = format!(
        "91140902{:09}",
        next() as u64 * 7919 + std::process::id() as u64 % 1000
    );
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| A.iter().position(|&a| a == b).unwrap() as u32 * w)
        .sum();
    format!("{body}{}", A[((31 - sum % 31) % 31) as usize] as char)
}

/// A valid resident identity number, different each call.
fn resident_id() -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("14090219900101{:03}", next() % 1000);
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

pub fn org_fields(username: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", format!("测试企业{username}")),
        ("credit_code", credit_code()),
        ("kind", "enterprise".into()),
        ("county", "dingxiang".into()),
        ("industry", "".into()),
        ("founded", "2015-03-01".into()),
        ("legal_representative", "赵测试".into()),
        ("contact_name", "钱联系".into()),
        ("contact_phone", "0350-7000000".into()),
        ("contact_email", "".into()),
        ("username", username.into()),
        ("password", "correct-horse-1".into()),
    ]
}

pub fn person_fields(username: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "孙测试".into()),
        ("resident_id", resident_id()),
        ("employer", "测试单位".into()),
        ("employer_kind", "public-institution".into()),
        ("county", "wutai".into()),
        ("position", "".into()),
        ("quality_work_since", "2015-01-01".into()),
        ("contact_phone", "13900000000".into()),
        ("contact_email", "".into()),
        ("username", username.into()),
        ("password", "correct-horse-1".into()),
    ]
}

pub fn as_json(fields: &[(&str, String)]) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .iter()
            .map(|(k, v)| ((*k).into(), json!(v)))
            .collect(),
    )
}

pub fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A service account (API tokens only) with a supervisor grant.
pub async fn service_account(t: &TestApp, name: &str) -> UserId {
    use qaward_domain::permission::{Grant, Role, Scope};
    let staff = qaward_app::accounts::NewStaff {
        username: name.into(),
        display_name: name.into(),
        password: String::new(),
        email: None,
        grants: vec![Grant::new(Role::Supervisor, Scope::Program).unwrap()],
        service: true,
    };
    qaward_app::accounts::create_staff_at_console(&t.app, &staff)
        .await
        .unwrap()
        .0
        .id
}
