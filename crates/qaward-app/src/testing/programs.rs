//! A second program beside the demo's city award, for the tests of several programs
//! (issue #13, item 4): added as the administrator adds one, under measures of its own
//! (the 2021 file under another id and name), staff accounts to work in it, and the
//! newest complaint of the first program.

use qaward_domain::ids::ProgramId;
use qaward_domain::permission::Grant;

use super::{POLICY, TestApp, d};
use crate::Principal;
use crate::accounts::{self, NewStaff};
use crate::policies::Document;
use crate::programs::{self, NewProgram};

/// The second program's code.
pub const SECOND: &str = "yuanping";
/// The second program's name, as its measures give it.
pub const SECOND_NAME: &str = "原平市市长质量奖";
/// The id of the second program's measures.
pub const SECOND_POLICY: &str = "yuanping-2021";

/// The second program's measures: the 2021 file under another id, title and name.
pub fn second_policy() -> String {
    POLICY
        .replacen(
            "id = \"xinzhou-2021\"",
            &format!("id = \"{SECOND_POLICY}\""),
            1,
        )
        .replacen(
            "title = \"忻州市市长质量奖管理办法（2021）\"",
            "title = \"原平市市长质量奖管理办法（2021）\"",
            1,
        )
        .replacen(
            "program = \"忻州市市长质量奖\"",
            &format!("program = \"{SECOND_NAME}\""),
            1,
        )
}

impl TestApp {
    /// The second program, added at the console under its own measures.
    pub async fn second_program(&self) -> ProgramId {
        programs::add_at_console(
            &self.app,
            &NewProgram {
                code: SECOND.into(),
                source: second_policy(),
                document: Document {
                    number: "原政发〔2021〕1号".into(),
                    date: d("2021-11-30"),
                },
            },
        )
        .await
        .expect("the second program is added")
    }

    /// The id of the newest complaint filed to the first program.
    pub async fn newest_complaint(&self) -> i64 {
        let home = programs::home(&self.app).await.expect("the first program");
        self.app
            .store
            .complaints(&[home.id])
            .await
            .expect("the complaints are read")
            .first()
            .expect("a complaint was filed")
            .id
    }

    /// A staff account holding `grants`, created by the administrator, logged in.
    pub async fn staff(&self, username: &str, grants: Vec<Grant>) -> Principal {
        let admin = self.as_user("admin").await;
        accounts::create_staff(
            &self.app,
            &admin,
            &NewStaff {
                username: username.into(),
                display_name: username.into(),
                password: crate::demo::PASSWORD.into(),
                email: None,
                grants,
                service: false,
            },
        )
        .await
        .expect("the account is created");
        self.as_user(username).await
    }
}
