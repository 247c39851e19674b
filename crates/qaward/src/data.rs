//! The data files shipped inside the binary, so that it runs with no files beside it:
//! the 2021 Xinzhou policy, the working-day calendar and the rubrics. A file given on the
//! command line or in configuration replaces the embedded one.

use std::path::Path;

use anyhow::Context;
use qaward_domain::calendar::WorkingCalendar;
use qaward_domain::policy::Policy;

pub const POLICY_XINZHOU_2021: (&str, &str) = (
    "policy/xinzhou-2021.toml (embedded)",
    include_str!("../../../policy/xinzhou-2021.toml"),
);
pub const CALENDAR: (&str, &str) = (
    "calendar/cn-working-days.toml (embedded)",
    include_str!("../../../calendar/cn-working-days.toml"),
);

/// Reads a text file, naming it in the error.
pub fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The calendar from `path`, or the embedded one.
pub fn calendar(path: Option<&Path>) -> anyhow::Result<WorkingCalendar> {
    let cal = match path {
        Some(p) => WorkingCalendar::from_toml(&p.display().to_string(), &read(p)?)?,
        None => WorkingCalendar::from_toml(CALENDAR.0, CALENDAR.1)?,
    };
    Ok(cal)
}

/// The policy from `path`, or the embedded 2021 Xinzhou measures.
pub fn policy(path: Option<&Path>) -> anyhow::Result<Policy> {
    let policy = match path {
        Some(p) => Policy::from_toml(&p.display().to_string(), &read(p)?)?,
        None => Policy::from_toml(POLICY_XINZHOU_2021.0, POLICY_XINZHOU_2021.1)?,
    };
    Ok(policy)
}

pub const RUBRIC_ORGANIZATION: (&str, &str) = (
    "rubrics/org-gbt19580-2012.toml (embedded)",
    include_str!("../../../rubrics/org-gbt19580-2012.toml"),
);
pub const RUBRIC_INDIVIDUAL: (&str, &str) = (
    "rubrics/individual-provisional.toml (embedded)",
    include_str!("../../../rubrics/individual-provisional.toml"),
);

/// The rubrics from files, or the embedded ones; each must be for the right subjects.
pub fn rubrics(
    organization: Option<&Path>,
    individual: Option<&Path>,
) -> anyhow::Result<qaward_app::Rubrics> {
    use qaward_domain::rubric::{AppliesTo, Rubric};
    let load = |path: Option<&Path>,
                (origin, text): (&str, &str),
                want: AppliesTo|
     -> anyhow::Result<Rubric> {
        let r = match path {
            Some(p) => Rubric::from_toml(&p.display().to_string(), &read(p)?)?,
            None => Rubric::from_toml(origin, text)?,
        };
        if r.applies_to != want {
            anyhow::bail!(
                "{}: the rubric is for {:?}, expected {:?}",
                r.id,
                r.applies_to,
                want
            );
        }
        Ok(r)
    };
    Ok(qaward_app::Rubrics {
        organization: load(organization, RUBRIC_ORGANIZATION, AppliesTo::Organization)?,
        individual: load(individual, RUBRIC_INDIVIDUAL, AppliesTo::Individual)?,
    })
}
