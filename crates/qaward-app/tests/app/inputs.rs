//! The use cases refuse text PostgreSQL cannot store (U+0000) by themselves, naming the
//! field, for callers other than the web layer (which refuses it first), on both backends.

use qaward_app::accounts::{self, OrgRegistration, Registration};
use qaward_app::applications::draft::{self, DraftInput};
use qaward_app::testing::TestApp;
use qaward_app::{AppError, auth};
use qaward_store::Backend;

qaward_store::on_both!(a_nul_is_refused_by_the_use_cases_naming_the_field);

fn field(r: Result<impl std::fmt::Debug, AppError>) -> String {
    match r {
        Err(AppError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    }
}

async fn a_nul_is_refused_by_the_use_cases_naming_the_field(backend: Backend) {
    let t = TestApp::new(backend).await;
    let login = auth::login(&t.app, "off\0ice", "x", "test").await;
    assert_eq!(field(login.map(|_| ())), "username");
    let org = OrgRegistration {
        name: "新\0公司".into(),
        ..OrgRegistration::default()
    };
    let r = accounts::register(&t.app, Registration::Organization(&org), "192.0.2.7").await;
    assert_eq!(field(r.map(|_| ())), "name");
    let applicant = t.as_user("applicant-org").await;
    let id = t.prepared(&applicant).await;
    let input = DraftInput {
        sections: [("4.1".to_owned(), "领导\0作用".to_owned())].into(),
        ..DraftInput::default()
    };
    let r = draft::save_draft(&t.app, &applicant, id, &input).await;
    assert_eq!(field(r), "sections.4.1");
}
