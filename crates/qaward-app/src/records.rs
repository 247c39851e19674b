//! The stored records the use cases hand out as they are: plain data with typed fields
//! (states, classes, dates), re-exported here so that callers name them through the use
//! cases and never depend on the storage crate. Pages and the API map them to their own
//! models; they never render a record directly.

pub use qaward_store::applications::{ApplicationRow, Attachment, InUnitObjection, Transition};
pub use qaward_store::audit::ALGORITHM as AUDIT_ALGORITHM;
pub use qaward_store::complaints::{ComplaintRow, EventRow as ComplaintEvent};
pub use qaward_store::notices::{NoticeEntry, NoticeRow};
pub use qaward_store::notifications::{Notification, OutboxMail};
pub use qaward_store::objections::ObjectionRow;
pub use qaward_store::opinions::OpinionRequest;
pub use qaward_store::programs::{Cycle, Program};
pub use qaward_store::register::{AccidentRecord, Recorded};
pub use qaward_store::registrations::{Confirmation, Unconfirmed};
pub use qaward_store::reviews::Review;
pub use qaward_store::subjects::{Interest, RecordedAward};
pub use qaward_store::users::{TokenRow, User};
