//! The refusals that whole kinds of operation can answer, written into the OpenAPI document
//! in one place rather than beside each of some 160 operations (issue #14, item 4: the
//! fuzzing finds no status code the document does not list).
//!
//! - **401** on every operation: a call that sends an unknown, revoked or expired token is
//!   refused before its route is reached, whatever the route; a protected one also answers
//!   401 to nobody at all.
//! - **403** on every operation that asks for a session or a token: a role that may not.
//! - **400, 408, 413, 415, 422** on every operation with a request body: a body that is not
//!   JSON where JSON is asked (415), does not parse (400), stalls (408) or is too large
//!   (413); or is JSON whose fields are missing or wrong (422).
//! - **422** on every operation that reads a query string: a parameter of the wrong kind.
//! - **404** on every operation with an id in its path or a body: an id that is not a
//!   number, or names nothing this caller may see (the refused learn nothing, not even
//!   that the object exists).
//!
//! Each is answered with [`crate::error::ErrorBody`], its message in the reader's language.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

/// Adds the refusals above to every operation of `openapi` that does not list them.
pub fn document(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops.into_iter().flatten() {
            add(
                op,
                "401",
                "Not logged in, or the token is unknown, revoked or expired.",
            );
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add(op, "403", "The caller's role may not.");
            }
            if op.request_body.is_some() {
                add(op, "400", "The body could not be read.");
                add(op, "408", "The body stalled.");
                add(op, "413", "The body is too large.");
                add(op, "415", "The body is not of the type asked for.");
                add(op, "422", "A field is missing or wrong.");
            }
            if has_parameter(op, ParameterIn::Query) {
                add(op, "422", "A parameter is wrong.");
            }
            if has_parameter(op, ParameterIn::Path) || op.request_body.is_some() {
                add(op, "404", "Not found.");
            }
        }
    }
}

fn has_parameter(op: &Operation, place: ParameterIn) -> bool {
    op.parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == place)
}

fn add(op: &mut Operation, status: &str, description: &str) {
    if op.responses.responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build();
    op.responses
        .responses
        .insert(status.to_owned(), response.into());
}
