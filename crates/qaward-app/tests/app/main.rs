//! The use cases' suites, one test binary: the workflow kernel through the use cases, the
//! e-mail outbox and the confirmation of registrations, each test on SQLite and on
//! PostgreSQL.

mod mail;
mod moves;
mod recusal;
mod registrations;
mod workflow;
