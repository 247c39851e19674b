//! A notice as it stands dated in a cycle: a public notice of the Office or an
//! applicant's in-unit notice, with the days it was given. A calendar load lists those
//! whose earliest end it moves.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, CycleId};
use crate::policy::NoticeKind;

/// What a dated notice is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DatedKind {
    /// A public notice of the Office (acceptance list, candidates, proposed winners).
    Public { id: i64, kind: NoticeKind },
    /// An applicant's in-unit notice (A14.1).
    InUnit { application: ApplicationId },
}

/// A notice with the dates it was given: its title (or the applicant's name), its cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedNotice {
    #[serde(flatten)]
    pub kind: DatedKind,
    pub cycle: CycleId,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DatedNotice {
    /// Which notice of the measures it is.
    pub fn notice_kind(&self) -> NoticeKind {
        match &self.kind {
            DatedKind::Public { kind, .. } => *kind,
            DatedKind::InUnit { .. } => NoticeKind::InUnit,
        }
    }
}
