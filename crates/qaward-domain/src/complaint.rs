//! Complaints and reports (投诉举报, A27): anyone may complain to the supervision group
//! about the evaluation, a winner or the use of the honour mark (A23, A31), by name or
//! anonymously, with evidence (A27.1); the group registers and investigates each, concludes
//! it and answers the reporter, whose identity it keeps confidential (A27.2).
//!
//! A complaint moves Received → Registered → Concluded → Answered; one outside the group's
//! remit is declined from Received, with the reason, and answered like any other. Notes
//! and evidence are added while it is open. A founded complaint about a winner is what an
//! Office's revocation request (A28.1) can cite.

use crate::message::Term;
use crate::msg;
use crate::rule::{self, Refusal};

/// What a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// The evaluation: a step, a reviewer, an expert, a notice (A26, A27.1).
    Evaluation,
    /// A winner: false materials, an accident, a violation (A28.1).
    Winner,
    /// The honour mark, plaques or certificates: misuse or forgery (A23, A31).
    HonourMark,
}

crate::vocabulary!(Topic, "Topic", {
    Topic::Evaluation => ("evaluation", "评选工作", "The evaluation"),
    Topic::Winner => ("winner", "获奖组织或个人", "A winner"),
    Topic::HonourMark => ("honour-mark", "荣誉标识、奖牌或证书的使用", "The honour mark, plaques or certificates"),
});

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Filed; the supervision group has not yet taken it up.
    Received,
    /// Taken up: assigned to a member, under investigation.
    Registered,
    /// Concluded (or declined), with findings.
    Concluded,
    /// The reporter has been answered.
    Answered,
}

crate::vocabulary!(Status, "ComplaintStatus", {
    Status::Received => ("received", "已收到，待受理", "Received"),
    Status::Registered => ("registered", "已受理，调查核实中", "Under investigation"),
    Status::Concluded => ("concluded", "已办结，待答复", "Concluded"),
    Status::Answered => ("answered", "已答复", "Answered"),
});

impl Status {
    /// Whether notes and evidence may still be added.
    pub fn open(self) -> bool {
        matches!(self, Status::Received | Status::Registered)
    }
}

/// Refuses what only an open complaint takes (a note, evidence) once it is concluded.
pub fn ensure_open(status: Status) -> Result<(), Refusal> {
    if status.open() {
        Ok(())
    } else {
        Err(Refusal::new(
            rule::A27_2,
            msg!("complaint-closed", status = Term::of(status)),
        ))
    }
}

/// How a complaint ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Not taken up: outside the group's remit, or nothing to investigate.
    Declined,
    /// Investigated; not borne out.
    Unfounded,
    /// Investigated; borne out, in whole or in part.
    Founded,
}

crate::vocabulary!(Outcome, "ComplaintOutcome", {
    Outcome::Declined => ("declined", "不予受理", "Declined"),
    Outcome::Unfounded => ("unfounded", "经核查不属实", "Unfounded"),
    Outcome::Founded => ("founded", "经核查属实", "Founded"),
});

/// What the supervision group does to a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Takes it up, assigning a member.
    Register,
    /// Does not take it up, with the reason.
    Decline { reason: String },
    /// Concludes the investigation.
    Conclude { outcome: Outcome, findings: String },
    /// Answers the reporter (read with the follow-up code).
    Answer { text: String },
}

impl Action {
    /// The action's stable code, for the history and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Decline { .. } => "decline",
            Action::Conclude { .. } => "conclude",
            Action::Answer { .. } => "answer",
        }
    }
}

/// The state `action` takes a complaint in `from` to, or the refusal naming A27.
pub fn transition(from: Status, action: &Action) -> Result<Status, Refusal> {
    let wrong = || {
        Refusal::new(
            rule::A27_2,
            msg!("complaint-wrong-status", status = Term::of(from)),
        )
    };
    let required = |text: &str, m: crate::message::Message| {
        if text.trim().is_empty() {
            Err(Refusal::new(rule::A27_2, m))
        } else {
            Ok(())
        }
    };
    match (from, action) {
        (Status::Received, Action::Register) => Ok(Status::Registered),
        (Status::Received, Action::Decline { reason }) => {
            required(reason, msg!("complaint-reason-required"))?;
            Ok(Status::Concluded)
        }
        (Status::Registered, Action::Conclude { outcome, findings }) => {
            if *outcome == Outcome::Declined {
                return Err(wrong());
            }
            required(findings, msg!("complaint-findings-required"))?;
            Ok(Status::Concluded)
        }
        (Status::Concluded, Action::Answer { text }) => {
            required(text, msg!("complaint-answer-required"))?;
            Ok(Status::Answered)
        }
        _ => Err(wrong()),
    }
}

/// Whether a complaint with `outcome` about `topic` can be cited by a revocation request
/// (A28.1): a founded one about a winner or the honour mark's misuse.
pub fn supports_revocation(topic: Topic, outcome: Option<Outcome>) -> bool {
    outcome == Some(Outcome::Founded) && matches!(topic, Topic::Winner | Topic::HonourMark)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a27_2_a_complaint_moves_received_registered_concluded_answered() {
        let s = transition(Status::Received, &Action::Register).unwrap();
        let s = transition(
            s,
            &Action::Conclude {
                outcome: Outcome::Founded,
                findings: "材料虚假".into(),
            },
        )
        .unwrap();
        let s = transition(
            s,
            &Action::Answer {
                text: "已核实".into(),
            },
        )
        .unwrap();
        assert_eq!(s, Status::Answered);
    }

    #[test]
    fn a27_2_steps_out_of_order_or_without_text_are_refused() {
        for (from, a) in [
            (Status::Received, Action::Answer { text: "x".into() }),
            (Status::Answered, Action::Register),
            (
                Status::Registered,
                Action::Conclude {
                    outcome: Outcome::Declined,
                    findings: "x".into(),
                },
            ),
            (Status::Received, Action::Decline { reason: " ".into() }),
            (
                Status::Registered,
                Action::Conclude {
                    outcome: Outcome::Founded,
                    findings: "".into(),
                },
            ),
        ] {
            let r = transition(from, &a).unwrap_err();
            assert_eq!(r.rule, rule::A27_2, "{from:?} {a:?}");
        }
    }

    #[test]
    fn only_a_founded_complaint_about_a_winner_supports_a_revocation() {
        assert!(supports_revocation(Topic::Winner, Some(Outcome::Founded)));
        assert!(supports_revocation(
            Topic::HonourMark,
            Some(Outcome::Founded)
        ));
        assert!(!supports_revocation(
            Topic::Evaluation,
            Some(Outcome::Founded)
        ));
        assert!(!supports_revocation(
            Topic::Winner,
            Some(Outcome::Unfounded)
        ));
        assert!(!supports_revocation(Topic::Winner, None));
    }
}
