//! The storage suites, one test binary: every test that touches a database runs on SQLite
//! and on PostgreSQL, each in a fresh database of its own (`qaward_store::testing`).

mod applications;
mod audit;
mod audit_key;
mod blobs;
mod files;
mod migrations;
mod platform;
mod seal_key;
