//! The use cases' suites, one test binary: the workflow kernel through the use cases,
//! the e-mail outbox, uploads and their quota, and text no database can store, each test
//! on SQLite and on PostgreSQL.

mod inputs;
mod mail;
mod uploads;
mod workflow;
