//! A successor to the 2021 measures, for the tests of versions (issue #13, items 1 and
//! 2): the hypothetical 2027 file, in which every number differs from 2021 and articles
//! 14 to 34 are renumbered, adopted by the Office with its document, and a cycle opened
//! under it beside the demo's running one.

use qaward_domain::cycle::Timeline;
use qaward_domain::ids::CycleId;
use qaward_domain::subject::CycleRef;

use super::{TestApp, d};
use crate::policies::{self, Document};

/// The successor's file.
pub const SUCCESSOR: &str =
    include_str!("../../../qaward-domain/tests/data/hypothetical-2027.toml");

/// The document that issues the successor.
pub fn successor_document() -> Document {
    Document {
        number: "忻政办发〔2026〕99号".into(),
        date: d("2026-11-26"),
    }
}

impl TestApp {
    /// The successor adopted by the Office, and cycle 3 (2028) opened under it; the
    /// demo's cycle runs on under 2021.
    pub async fn successor_with_a_cycle(&self) -> CycleId {
        let office = self.as_user("office").await;
        policies::adopt(&self.app, &office, SUCCESSOR, &successor_document())
            .await
            .expect("the successor is adopted");
        crate::cycles::open_cycle(
            &self.app,
            &office,
            CycleRef {
                ordinal: 3,
                year: 2028,
            },
            Timeline {
                application_opens: d("2028-03-01"),
                application_closes: d("2028-06-30"),
                channel_review_due: d("2028-07-31"),
                formal_review_due: d("2028-08-31"),
            },
        )
        .await
        .expect("cycle 3 opens under the successor")
    }
}
