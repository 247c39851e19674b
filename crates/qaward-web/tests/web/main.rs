//! The web application in process, one test binary: every demo account, the route walk
//! against the permission table, the application's steps over the API and through the
//! pages, and bad input — each test that touches storage on SQLite and on PostgreSQL.

mod acceptance;
mod applications;
mod common;
mod http;
mod inputs;
mod pages;
mod uploads;
mod walk;
