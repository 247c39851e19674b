//! The use cases' suites, one test binary: the workflow kernel through the use cases and
//! the e-mail outbox, each test on SQLite and on PostgreSQL.

mod mail;
mod moves;
mod workflow;
