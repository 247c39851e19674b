//! What an administrator needs to find and choose (issue #9 item 13): accounts found by
//! name, the API tokens of the installation, and the scopes a grant may take, built from
//! the policy's counties, industries and opinion departments and the program's cycles, so
//! that no one types a scope.

use qaward_domain::permission::{Grant, Perm, Scope, ScopeKind, Target};
use qaward_store::users::{TokenRow, User};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::{App, AppError, Principal, check};

/// The accounts whose login name or display name contains `query` (case-insensitive;
/// blank finds every account), with their grants. The read is audited with the query.
pub async fn find_users(
    app: &App,
    by: &Principal,
    query: &str,
) -> Result<Vec<(User, Vec<Grant>)>, AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    let query = crate::limits::bounded("q", query, crate::limits::NAME)?;
    let needle = query.to_lowercase();
    let users: Vec<User> = app
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| {
            needle.is_empty()
                || u.username.to_lowercase().contains(&needle)
                || u.display_name.to_lowercase().contains(&needle)
        })
        .collect();
    audit::record(
        app,
        by,
        AuditAction::UsersList,
        Object::AllUsers,
        json!({ "count": users.len(), "query": query }),
    )
    .await?;
    let mut grants: std::collections::HashMap<_, Vec<Grant>> = std::collections::HashMap::new();
    for (user, g) in app.store.all_grants().await? {
        grants.entry(user).or_default().push(g);
    }
    Ok(users
        .into_iter()
        .map(|u| {
            let g = grants.remove(&u.id).unwrap_or_default();
            (u, g)
        })
        .collect())
}

/// Every API token of the installation, newest first: whose, what for, until when,
/// revoked or not (never the token). The read is audited.
pub async fn tokens(app: &App, by: &Principal) -> Result<Vec<TokenRow>, AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    let tokens = app.store.tokens().await?;
    audit::record(
        app,
        by,
        AuditAction::TokensList,
        Object::AllUsers,
        json!({ "count": tokens.len() }),
    )
    .await?;
    Ok(tokens)
}

/// A scope a grant may take, for a list to choose from.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeChoice {
    pub kind: ScopeKind,
    pub scope: Scope,
    /// The name people know it by: the county's, the department's, 第N届.
    pub name: String,
}

/// Every scope a staff grant may take: the program, the installation, each county,
/// industry department and opinion department of the policy, and each cycle of the
/// installation's programs.
pub async fn scope_choices(app: &App, by: &Principal) -> Result<Vec<ScopeChoice>, AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    let p = &*app.policy().await?;
    let mut out = vec![
        ScopeChoice {
            kind: ScopeKind::Program,
            scope: Scope::Program,
            name: p.program.clone(),
        },
        ScopeChoice {
            kind: ScopeKind::Installation,
            scope: Scope::Installation,
            name: String::new(),
        },
    ];
    let choice = |kind, scope, name: &str| ScopeChoice {
        kind,
        scope,
        name: name.to_owned(),
    };
    out.extend(
        p.counties
            .iter()
            .map(|c| choice(ScopeKind::County, Scope::County(c.id.clone()), &c.name)),
    );
    out.extend(
        p.industries
            .iter()
            .map(|i| choice(ScopeKind::Industry, Scope::Industry(i.id.clone()), &i.name)),
    );
    out.extend(p.opinion_depts.iter().map(|d| {
        choice(
            ScopeKind::OpinionDept,
            Scope::OpinionDept(d.id.clone()),
            &d.name,
        )
    }));
    for program in app.store.programs().await? {
        for c in app.store.cycles(program.id).await? {
            out.push(ScopeChoice {
                kind: ScopeKind::Cycles,
                scope: Scope::Cycles(vec![c.id]),
                name: format!(
                    "{}第{}届（{}年）",
                    program.name, c.cycle.ordinal, c.cycle.year
                ),
            });
        }
    }
    Ok(out)
}
