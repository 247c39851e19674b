//! What the operators watch (`/metrics`, issue #14 item 6): the figures only the database
//! knows — the database pool's connections, the audit chain's length and the notices
//! running today. The web layer adds its own (requests, latency, uploads in flight).
//! Reading them is the administrator's ([`Perm::ReadMetrics`]); they hold no one's data,
//! so the read is not audited (a scrape every fifteen seconds would drown the log).

use qaward_domain::permission::{Perm, Target};

use crate::{App, AppError, Principal, check};

/// The database's figures at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauges {
    /// Connections the pool holds open, and how many of them are idle.
    pub pool_open: u32,
    pub pool_idle: usize,
    /// Entries in the audit chain.
    pub audit_entries: i64,
    /// Notices whose period includes today.
    pub notices_open: i64,
}

/// The database's figures, for someone who may read the metrics.
pub async fn gauges(app: &App, by: &Principal) -> Result<Gauges, AppError> {
    check(Some(by), Perm::ReadMetrics, &Target::default())?;
    let (pool_open, pool_idle) = app.store.pool_connections();
    let (audit_entries, notices_open) = app.store.gauges(app.today()).await?;
    Ok(Gauges {
        pool_open,
        pool_idle,
        audit_entries,
        notices_open,
    })
}
