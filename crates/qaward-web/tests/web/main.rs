//! The web application in process, one test binary: every demo account, the route walk
//! against the permission table, the application's steps over the API and through the
//! pages, bad input, the throttles and the confirmation of registrations — each test that
//! touches storage on SQLite and on PostgreSQL.

mod acceptance;
mod accounts;
mod applications;
mod cache;
mod calendar;
mod commendation;
mod common;
mod complaints;
mod cycles;
mod directory;
mod evaluation;
mod evaluation_pages;
mod fixtures;
mod forms;
mod frame;
mod http;
mod inputs;
mod limits;
mod login_next;
mod metrics;
mod obligations;
mod opinions;
mod pages;
mod policies;
mod programs;
mod public;
mod queries;
mod registrations;
mod review;
mod revocations;
mod signup;
mod steps;
mod throttling;
mod tracker;
mod uploads;
mod walk;
