//! The use cases' suites, one test binary: the workflow kernel through the use cases, the
//! e-mail outbox, the confirmation of registrations, uploads and their quota, text no
//! database can store and the audited reads of people's data, each test on SQLite and on
//! PostgreSQL.

mod calendar;
mod commendation;
mod commendation_objections;
mod complaints;
mod detach;
mod evaluation;
mod inputs;
mod mail;
mod moves;
mod obligations;
mod office_requests;
mod opinions;
mod program_measures;
mod programs;
mod reads;
mod recusal;
mod register;
mod registrations;
mod revocation;
mod scoring;
mod sealing;
mod steps;
mod uploads;
mod versions;
mod vouchers;
mod workflow;
