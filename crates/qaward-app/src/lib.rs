//! qaward's use cases. Each one loads what it needs, asks the domain (the permission
//! function first), and writes the change together with its audit entry in one
//! transaction. The web layer and the command line call these and decide nothing; they
//! never touch the storage crate.
//!
//! - [`workflow`]: the kernel every step of the cycle goes through.
//! - [`applications`], [`review`], [`acceptance`], [`opinions`], [`objections`]: the
//!   cycle's steps, from the draft to acceptance.
//! - [`audit`]: the typed audit actions, and the log as supervisors read it.
//! - [`auth`]: passwords, login, sessions, API tokens; [`throttle`]: the limits on failed
//!   logins and registrations, by address and by account.
//! - [`accounts`]: staff accounts and grants; applicants' self-registration;
//!   [`registrations`]: organizations' registrations confirmed against their licences.
//! - [`revocation`]: the Office's request, the Government's decision and the recovery
//!   that follows (A28).
//! - [`complaints`]: complaints and reports to the supervision group (A27, A30), the
//!   reporter's identity sealed.
//! - [`subjects`]: reading the subject register (an audited read of personal data).
//! - [`cycles`], [`home`], [`notify`], [`mail`], [`files`], [`demo`]: cycles and their
//!   dashboard, what awaits whom, notifications and their e-mail, uploads, the demo.
//! - [`records`]: the stored records handed out as they are.
//! - [`testing`]: a demo installation on a fresh database, and the cycle's steps as
//!   scenario helpers, for the suites of this crate and those above it.

pub mod acceptance;
pub mod accounts;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod calendars;
pub mod commendation;
pub mod complaints;
pub mod cycles;
pub mod demo;
pub mod error;
pub mod evaluation;
pub mod files;
pub mod home;
pub mod limits;
pub mod mail;
pub mod menu;
pub mod messages;
pub mod notify;
pub mod objections;
pub mod obligations;
pub mod operations;
pub mod opinions;
pub mod policies;
pub mod programs;
pub mod records;
pub mod registrations;
pub mod review;
pub mod revocation;
pub mod subjects;
pub mod testing;
pub mod throttle;
pub mod workflow;

use std::sync::Arc;

use qaward_domain::permission::{Actor, Denial, Perm, Role, Target, permitted};
use qaward_domain::rubric::Rubric;
use qaward_store::Store;
use qaward_store::audit as store_audit;
use qaward_store::blobs::FsBlobStore;
use qaward_store::users::User;

pub use error::AppError;

/// A queue as its reader may see it: the items, and how many are hidden because the reader
/// declared an interest in their applicants (A29) — that something is hidden, never what.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Queue<T> {
    pub items: Vec<T>,
    pub hidden: usize,
}

impl<T> Queue<T> {
    /// Sorts `all`, each with its applicant, into what the reader sees and a count of the
    /// rest.
    pub fn without(
        all: Vec<(qaward_domain::ids::SubjectId, T)>,
        recused: &[qaward_domain::ids::SubjectId],
    ) -> Self {
        let before = all.len();
        let items: Vec<T> = all
            .into_iter()
            .filter(|(s, _)| !recused.contains(s))
            .map(|(_, t)| t)
            .collect();
        Queue {
            hidden: before - items.len(),
            items,
        }
    }
}
use qaward_domain::permission::Grant;
pub use throttle::Throttle;

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Uploads larger than this are refused.
    pub max_upload_bytes: u64,
    /// What one account may upload in all.
    pub max_account_upload_bytes: u64,
    /// How long a session lasts without logging in again.
    pub session_hours: i64,
    /// How many failed logins and registrations the throttles allow.
    pub throttle: Throttle,
    /// The CJK TrueType font the PDF certificates are set in (A21.1, A31).
    pub cjk_font: std::path::PathBuf,
    /// Where "today" comes from: the system clock, or a date fixed for tests (which must
    /// not depend on the day they run) and demonstrations.
    pub clock: Clock,
}

/// The source of "today". A fixed clock is shared by every clone of the settings, so a
/// test can move it forward while the server runs.
///
/// Every date a use case decides on (deadlines, notice ends, "not in the future") must come
/// from here, through [`App::today`], so that `--today` governs all of them. What stays on
/// real time, on purpose, are instants that measure elapsed time or record when something
/// happened rather than dates of the measures: session and API-token expiry and the
/// throttling windows (`auth`, `throttle`), and the store's `created_at`/`updated_at`/
/// `submitted_at`/audit timestamps. A demonstration that moves the date must not make
/// sessions or tokens outlive their real lifetime, and a record of when an action happened
/// must say when it really did.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<std::sync::RwLock<chrono::NaiveDate>>>,
}

impl Clock {
    /// A clock that always says `date` until it is [`Clock::set`].
    pub fn fixed(date: chrono::NaiveDate) -> Self {
        Self {
            fixed: Some(Arc::new(std::sync::RwLock::new(date))),
        }
    }

    pub fn today(&self) -> chrono::NaiveDate {
        match &self.fixed {
            Some(d) => *d.read().unwrap_or_else(|e| e.into_inner()),
            None => system_today(),
        }
    }

    /// Moves a fixed clock to `date`; a system clock is not moved (returns false).
    pub fn set(&self, date: chrono::NaiveDate) -> bool {
        match &self.fixed {
            Some(d) => {
                *d.write().unwrap_or_else(|e| e.into_inner()) = date;
                true
            }
            None => false,
        }
    }
}

/// The one place these settings' defaults live: the binary's configuration starts from
/// `Settings::default()` and `qaward config print-default` prints these values.
impl Default for Settings {
    fn default() -> Self {
        Self {
            max_upload_bytes: 20 * 1024 * 1024,
            max_account_upload_bytes: 1024 * 1024 * 1024,
            session_hours: 12,
            throttle: Throttle::default(),
            // Debian's fonts-droid-fallback: a TrueType font with the CJK characters of
            // names (喆, 玥, 堃…) and 〇; the project's set-up and CI install it.
            cjk_font: "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf".into(),
            clock: Clock::default(),
        }
    }
}

/// The evaluation rubrics in force: one for organizations, one for individuals.
#[derive(Debug, Clone)]
pub struct Rubrics {
    pub organization: Rubric,
    pub individual: Rubric,
}

/// Everything a use case works with.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub blobs: FsBlobStore,
    /// The versions of the measures: [`App::policy`] for new cycles, [`App::policy_of`]
    /// for a cycle's own.
    pub policies: Arc<policies::Policies>,
    /// The working-day calendar: [`App::calendar`] is the one in use.
    pub calendars: Arc<calendars::Calendars>,
    pub rubrics: Arc<Rubrics>,
    pub settings: Settings,
}

impl App {
    /// Today in Asia/Shanghai, or the fixed day of the settings.
    pub fn today(&self) -> chrono::NaiveDate {
        self.settings.clock.today()
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }
}

/// Someone logged in: the account and its grants.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub grants: Vec<Grant>,
    /// The session's CSRF token; `None` for an API token, which carries no cookie.
    pub csrf: Option<String>,
    /// The API token used, if any: named in the audit log.
    pub token_id: Option<i64>,
    /// The program this person chose to work in, among those they may
    /// ([`programs::choose`]); `None`: their first.
    pub program: Option<qaward_domain::ids::ProgramId>,
}

impl Principal {
    /// The actor the permission function sees.
    pub fn actor(&self) -> Actor {
        Actor {
            user: Some(self.user.id),
            grants: self.grants.clone(),
        }
    }

    /// The programs in which this person holds `role` (a role bound to programs), the
    /// chosen one first.
    pub fn programs_as(&self, role: Role) -> Vec<qaward_domain::ids::ProgramId> {
        let mut programs: Vec<_> = self
            .program
            .filter(|p| {
                self.grants
                    .iter()
                    .any(|g| g.role == role && g.program == Some(*p))
            })
            .into_iter()
            .collect();
        for g in self.grants.iter().filter(|g| g.role == role) {
            if let Some(p) = g.program
                && !programs.contains(&p)
            {
                programs.push(p);
            }
        }
        programs
    }

    /// Every program in which this person holds a role bound to one, the chosen one first.
    pub fn programs(&self) -> Vec<qaward_domain::ids::ProgramId> {
        let mut programs: Vec<_> = self
            .program
            .filter(|p| self.grants.iter().any(|g| g.program == Some(*p)))
            .into_iter()
            .collect();
        for p in self.grants.iter().filter_map(|g| g.program) {
            if !programs.contains(&p) {
                programs.push(p);
            }
        }
        programs
    }

    /// The program this person works in: the one chosen, else the first in which they
    /// hold a role bound to one, if any.
    pub fn first_program(&self) -> Option<qaward_domain::ids::ProgramId> {
        self.programs().first().copied()
    }

    /// The roles held, each once, in the order of the grants.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = Vec::new();
        for g in &self.grants {
            if !roles.contains(&g.role) {
                roles.push(g.role);
            }
        }
        roles
    }

    /// Who to name in the audit log.
    pub fn audit_actor(&self) -> store_audit::Actor {
        let roles = self
            .roles()
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(",");
        let name = match self.token_id {
            Some(t) => format!("{} (token {t})", self.user.username),
            None => self.user.username.clone(),
        };
        store_audit::Actor {
            user_id: Some(self.user.id.0),
            name,
            role: if roles.is_empty() {
                "none".into()
            } else {
                roles
            },
        }
    }
}

/// Asks the one permission function, for a principal or the public.
pub fn check(principal: Option<&Principal>, perm: Perm, target: &Target) -> Result<(), AppError> {
    let actor = principal
        .map(Principal::actor)
        .unwrap_or_else(Actor::public);
    permitted(&actor, perm, target).map_err(|d| match d {
        Denial::NotLoggedIn => AppError::Unauthenticated,
        other => AppError::Forbidden(other),
    })
}

/// Today in Asia/Shanghai, the measures' time zone (DESIGN.md §3), by the system clock.
/// Private: use cases read the date through [`App::today`], so that a fixed clock (`--today`)
/// governs every decision; a direct call here would silently ignore it.
fn system_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}
