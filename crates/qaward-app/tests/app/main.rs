//! The use cases' suites, one test binary: the workflow kernel through the use cases, the
//! e-mail outbox, the confirmation of registrations and the audited reads of people's
//! data, each test on SQLite and on PostgreSQL.

mod mail;
mod moves;
mod reads;
mod registrations;
mod workflow;
