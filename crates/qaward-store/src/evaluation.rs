//! The evaluation's storage (A17, A26, A29): the expert pool and exclusion requests
//! ([`pool`]), the plan, stages and observations ([`plans`]), panels with their draws and
//! members ([`panels`]), and score sheets, consensus, sessions and results ([`sheets`]).

pub mod panels;
pub mod plans;
pub mod pool;
pub mod sheets;
