//! The frame of every page: the header menu each role gets, built from its grants, with
//! the page the reader is on marked; no link in it leads to a refusal.

use crate::common::TestApp;
use qaward_app::testing::Backend;

qaward_app::testing::on_both!(each_role_has_its_menu_and_the_current_page_is_marked);

/// The header's menu: the part of the page between `<nav` and `</nav>`.
pub fn menu_of(page: &str) -> &str {
    let start = page.find("<nav").expect("a menu");
    let end = page[start..].find("</nav>").expect("the menu's end") + start;
    &page[start..end]
}

#[rustfmt::skip]
const MENUS: [(&str, &[&str], &[&str]); 9] = [
    ("applicant-org", &["/applications/mine", "/obligations"], &["/queue", "/office", "/audit", "/cycles", "/admin/users", "/interests", "/supervision/requests"]),
    ("applicant-person", &["/applications/mine"], &["/queue", "/office", "/registrations"]),
    ("county-reviewer", &["/queue", "/registrations"], &["/office", "/audit", "/applications/mine"]),
    ("county-government", &["/queue"], &["/registrations", "/office", "/audit"]),
    ("office", &["/office", "/cycles", "/registrations", "/obligations", "/supervision/requests"], &["/audit", "/admin/users", "/queue", "/interests"]),
    ("supervisor", &["/audit", "/interests", "/cycles"], &["/office", "/admin/users", "/objections", "/obligations", "/supervision/requests"]),
    ("leading-group", &["/objections", "/cycles"], &["/office", "/audit"]),
    ("opinion-dept", &["/opinions"], &["/office", "/queue", "/cycles"]),
    ("admin", &["/admin/users", "/admin/outbox"], &["/office", "/audit", "/cycles"]),
];

async fn each_role_has_its_menu_and_the_current_page_is_marked(backend: Backend) {
    let t = TestApp::new(backend).await;
    // Everyone reads the home page and the notices; the home page is marked as current.
    let public = t.page("/", None).await;
    let menu = menu_of(&public);
    assert!(menu.contains("href=\"/\" aria-current=\"page\""), "{menu}");
    assert!(menu.contains("href=\"/notices\">公示公告"), "{menu}");
    let notice = t.page("/notices", None).await;
    assert!(menu_of(&notice).contains("href=\"/notices\" aria-current=\"page\""));
    // A page that is not in the menu marks nothing.
    let status = t.page("/objections/status", None).await;
    assert!(!menu_of(&status).contains("aria-current"), "{status}");
    for (who, shown, hidden) in MENUS {
        let s = t.login(who).await;
        let home = t.page("/", Some(&s)).await;
        let menu = menu_of(&home);
        for href in shown {
            assert!(
                menu.contains(&format!("href=\"{href}\"")),
                "{who}: {href} in {menu}"
            );
            // The link works for them, and on its page it is the one marked current.
            let page = t.page(href, Some(&s)).await;
            let marked = format!("href=\"{href}\" aria-current=\"page\"");
            assert!(menu_of(&page).contains(&marked), "{who}: {href} is current");
            assert_eq!(
                menu_of(&page).matches("aria-current").count(),
                1,
                "{who} {href}"
            );
        }
        for href in hidden {
            assert!(
                !menu.contains(&format!("href=\"{href}\"")),
                "{who}: not {href} in {menu}"
            );
        }
    }
}
