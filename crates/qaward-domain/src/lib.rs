//! The measures of a government quality award as pure rules.
//!
//! This crate is the heart of qaward: the Xinzhou Mayor's Quality Award measures of 2021
//! (and any later version, loaded as data) turned into types and functions that decide.
//! It does no I/O, knows no database, no HTTP and no async runtime: callers read files and
//! rows, pass the facts in, and get decisions out, each refusal naming its rule
//! ([`rule::Refusal`]).
//!
//! - [`policy`]: the numbers and lists of one version of the measures.
//! - [`calendar`]: working days under the State Council's holiday schedules.
//! - [`ids`]: credit codes and resident ID numbers.
//! - [`subject`], [`eligibility`]: who applies and whether they may.
//! - [`cycle`]: a cycle and its timeline.
//! - [`application`]: the application state machine with its guards.
//! - [`notice`]: public notices and objections; [`complaint`]: complaints to the
//!   supervision group (A27).
//! - [`quota`]: per-cycle award quotas and vacancy; [`award`]: prizes and revocation;
//!   [`revocation`]: the Office's request, the Government's decision, recovery (A28).
//! - [`material`]: confidentiality classes of attachments.
//! - [`permission`]: roles, scopes and the one permission function.
//! - [`rubric`], [`scoring`]: evaluation rubrics and score arithmetic.
//! - [`evaluation`]: conflicts, the reproducible panel draw, stages and score sheets.
//! - [`text`]: the machine codes and human labels of every closed vocabulary.

pub mod application;
pub mod award;
pub mod calendar;
pub mod commendation;
pub mod complaint;
pub mod cycle;
pub mod eligibility;
pub mod evaluation;
pub mod ids;
pub mod load;
pub mod material;
pub mod message;
pub mod notice;
pub mod obligation;
pub mod permission;
pub mod policy;
pub mod quota;
pub mod revocation;
pub mod rubric;
pub mod rule;
pub mod scoring;
pub mod subject;
pub mod text;
