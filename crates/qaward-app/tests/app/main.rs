//! The use cases' suites, one test binary: the workflow kernel through the use cases, the
//! e-mail outbox, the confirmation of registrations, uploads and their quota, and text no
//! database can store, each test on SQLite and on PostgreSQL.

mod inputs;
mod mail;
mod moves;
mod recusal;
mod register;
mod registrations;
mod sealing;
mod uploads;
mod workflow;
