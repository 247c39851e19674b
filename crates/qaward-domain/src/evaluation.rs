//! The evaluation of accepted applications (A17, A13, A26, A29; DESIGN.md §5): conflicts
//! between experts and applicants, the reproducible panel draw, and the stages with their
//! sealed score sheets. The arithmetic of scores and the plan's numbers are in
//! [`crate::scoring`]; the rubrics in [`crate::rubric`].

pub mod conflict;
pub mod draw;
pub mod stage;
