//! What every page's frame shows around its content: the language, the logged-in person
//! and the header menu. The menu's places come from [`qaward_app::menu::menu`], decided
//! once from the person's grants; here they only get their label and address, and the
//! one the reader is on is marked (`aria-current="page"`), so that a screen reader says
//! where they are and sighted readers see it underlined. After a form, the frame says
//! once what it did ([`super::done`]).

use qaward_app::menu::{self, Place};

use crate::i18n::{Lang, Tr};
use crate::session::Viewer;

/// The logged-in user as the page header shows them.
pub struct UserBar {
    pub name: String,
    pub csrf: String,
    /// The programs they may switch between, the one they work in marked; empty when
    /// there is no choice (issue #13, item 4).
    pub programs: Vec<ProgramOption>,
}

/// A program of the header's switcher.
pub struct ProgramOption {
    pub id: i64,
    pub name: String,
    pub current: bool,
}

/// A link of the header menu.
pub struct MenuLink {
    pub label: &'static str,
    pub href: &'static str,
    /// The reader is on this page, or on one beneath it.
    pub current: bool,
}

/// What every page's frame needs.
pub struct Chrome {
    pub tr: &'static Tr,
    pub lang: &'static str,
    pub user: Option<UserBar>,
    /// The pages everyone may read, then the logged-in person's own.
    pub menu: Vec<MenuLink>,
    /// What the form that led here did, in the reader's language (see [`super::done`]).
    pub done: Option<&'static str>,
}

impl Chrome {
    /// Whether the reader's menu leads to `href`: a page may link there only then.
    pub fn leads_to(&self, href: &str) -> bool {
        self.menu.iter().any(|m| m.href == href)
    }

    /// The reader's language as the domain's vocabularies know it.
    fn text_lang(&self) -> qaward_domain::text::Lang {
        if self.lang == "en" {
            qaward_domain::text::Lang::En
        } else {
            qaward_domain::text::Lang::Zh
        }
    }

    /// The kinds of interest (A29) as a form's options: code and label.
    pub fn interest_kinds(&self) -> Vec<(&'static str, &'static str)> {
        use qaward_domain::text::Vocabulary;
        let lang = self.text_lang();
        qaward_domain::evaluation::conflict::InterestKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect()
    }
}

fn place(tr: &'static Tr, p: Place) -> (&'static str, &'static str) {
    match p {
        Place::MyApplication => (tr.my_application, "/applications/mine"),
        Place::ChannelQueue => (tr.queue, "/queue"),
        Place::Registrations => (tr.menu_registrations, "/registrations"),
        Place::OfficeQueue => (tr.menu_office, "/office"),
        Place::Opinions => (tr.opinion_queue, "/opinions"),
        Place::Objections => (tr.objection_queue, "/objections"),
        Place::Cycles => (tr.menu_cycles, "/cycles"),
        Place::Policies => (tr.pol.menu, "/policies"),
        Place::Calendar => (tr.cal.menu, "/calendar"),
        Place::Evaluation => (tr.menu_evaluation, "/evaluation"),
        Place::Experts => (tr.menu_experts, "/experts"),
        Place::Tasks => (tr.menu_tasks, "/evaluation/tasks"),
        Place::Commendation => (tr.cm.desk_title, "/commendation"),
        Place::Background => (tr.cm.background_title, "/commendation/background"),
        Place::Complaints => (tr.cp.queue_title, "/supervision/complaints"),
        Place::SupervisionRequests => (tr.cp.requests_title, "/supervision/requests"),
        Place::Obligations => (tr.ob.title, "/obligations"),
        Place::Revocations => (tr.rv.title, "/revocations"),
        Place::AuditLog => (tr.audit_log, "/audit"),
        Place::Interests => (tr.interests, "/interests"),
        Place::Accounts => (tr.users, "/admin/users"),
        Place::Outbox => (tr.outbox, "/admin/outbox"),
    }
}

/// Whether a reader on `path` is at `href`: the home page only itself, the others with
/// the pages beneath them (`/notices/3` is under 公示公告). An application's page is
/// under 我的申报 for nobody: staff reach it from their queues too.
fn is_at(path: &str, href: &str) -> bool {
    if href == "/" {
        return path == "/";
    }
    path == href
        || path
            .strip_prefix(href)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub(crate) fn chrome(lang: Lang, viewer: &Viewer) -> Chrome {
    let tr = lang.tr();
    let path = viewer.path.as_str();
    let mut links: Vec<(&'static str, &'static str)> =
        vec![(tr.home, "/"), (tr.notices, "/notices")];
    if viewer.principal().is_none() {
        links.push((tr.cp.public_link, "/complaints"));
    }
    let user = viewer.principal().map(|p| {
        links.extend(menu::menu(p).into_iter().map(|pl| place(tr, pl)));
        let working = p
            .program
            .or_else(|| p.first_program())
            .map(|x| x.0)
            .or_else(|| viewer.programs.first().map(|(id, _)| *id));
        UserBar {
            name: p.user.display_name.clone(),
            csrf: p.csrf.clone().unwrap_or_default(),
            programs: viewer
                .programs
                .iter()
                .map(|(id, name)| ProgramOption {
                    id: *id,
                    name: name.clone(),
                    current: Some(*id) == working,
                })
                .collect(),
        }
    });
    // One link is current: the longest that matches (`/admin/outbox`, not `/admin/users`).
    let current = links
        .iter()
        .filter(|(_, href)| is_at(path, href))
        .map(|(_, href)| href.len())
        .max();
    let menu = links
        .into_iter()
        .map(|(label, href)| MenuLink {
            label,
            href,
            current: is_at(path, href) && Some(href.len()) == current,
        })
        .collect();
    Chrome {
        done: viewer.done.map(|d| d.label(tr.done)),
        tr,
        lang: lang.code(),
        user,
        menu,
    }
}

#[cfg(test)]
mod tests {
    use super::is_at;

    #[test]
    fn the_current_page_is_the_page_or_one_beneath_it() {
        assert!(is_at("/", "/"));
        assert!(!is_at("/notices", "/"));
        assert!(is_at("/notices/3", "/notices"));
        assert!(!is_at("/noticesx", "/notices"));
        assert!(is_at("/audit/verify", "/audit"));
    }
}
