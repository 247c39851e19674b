//! From the results to the candidate list (A18.1) and the background opinions asked on
//! each candidate (A18.2).
//!
//! The Office proposes the candidate list from the ranked results, per level. The score
//! decides what a proposal may be: never a level the score does not reach (A4.4); a lower
//! level than the score reaches, no place at all, or a place above a candidate of the
//! same level with a higher score is the Office's to choose, with a written reason.

use rust_decimal::Decimal;

use crate::ids::ApplicationId;
use crate::message::Term;
use crate::msg;
use crate::policy::{Level, OpinionDept, Policy};
use crate::rule::{self, Refusal};
use crate::subject::{OrgKind, Subject};

/// An evaluated application as the ranking knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub id: ApplicationId,
    pub name: String,
    pub score: Decimal,
    /// The highest level the score reaches under the plan's thresholds.
    pub reaches: Option<Level>,
}

/// The Office's choice for one evaluated application: a level (its place in the list is
/// its order among the choices of that level) or none, and the reason where one is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: ApplicationId,
    pub level: Option<Level>,
    pub reason: String,
}

/// How high a level stands: none below the Nomination Award below the Award.
fn height(level: Option<Level>) -> u8 {
    match level {
        None => 0,
        Some(Level::Nomination) => 1,
        Some(Level::Award) => 2,
    }
}

/// Checks the Office's candidate list against the ranking: every evaluated application
/// chosen once (a choice of one not evaluated is left to the kernel, which refuses it by
/// its state), no level above what its score reaches (A4.4), and a written reason for
/// each one moved down or placed above a higher score (A18.1). Returns every refusal,
/// each with the application it concerns, so that the Office fixes them in one visit.
pub fn check_list(ranked: &[Ranked], choices: &[Choice]) -> Vec<(ApplicationId, Refusal)> {
    let mut out = Vec::new();
    for r in ranked {
        if !choices.iter().any(|c| c.id == r.id) {
            out.push((
                r.id,
                Refusal::new(
                    rule::A18_1,
                    msg!("candidate-list-incomplete", name = r.name.as_str()),
                ),
            ));
        }
    }
    for (i, c) in choices.iter().enumerate() {
        // An application that is not evaluated is the kernel's to refuse, by its state.
        let Some(r) = ranked.iter().find(|r| r.id == c.id) else {
            continue;
        };
        if choices[..i].iter().any(|o| o.id == c.id) {
            out.push((
                c.id,
                Refusal::new(
                    rule::A18_1,
                    msg!("candidate-chosen-twice", name = r.name.as_str()),
                ),
            ));
            continue;
        }
        if height(c.level) > height(r.reaches) {
            let level = c.level.unwrap_or(Level::Nomination);
            out.push((
                c.id,
                Refusal::new(
                    rule::A4_4,
                    msg!(
                        "candidate-level-above-score",
                        name = r.name.as_str(),
                        level = Term::of(level),
                        score = r.score.to_string()
                    ),
                ),
            ));
            continue;
        }
        if !c.reason.trim().is_empty() {
            continue;
        }
        if height(c.level) < height(r.reaches) {
            out.push((
                c.id,
                Refusal::new(
                    rule::A18_1,
                    msg!("candidate-moved-down", name = r.name.as_str()),
                ),
            ));
            continue;
        }
        // Placed above a candidate of the same level whose score is higher.
        let overtaken = choices[i + 1..]
            .iter()
            .filter(|o| c.level.is_some() && o.level == c.level)
            .filter_map(|o| ranked.iter().find(|r| r.id == o.id))
            .find(|o| o.score > r.score);
        if let Some(o) = overtaken {
            out.push((
                c.id,
                Refusal::new(
                    rule::A18_1,
                    msg!(
                        "candidate-moved-up",
                        name = r.name.as_str(),
                        other = o.name.as_str()
                    ),
                ),
            ));
        }
    }
    out
}

/// The departments preselected for the background opinions on a candidate (A18.2): the
/// policy's list for the kind of organization, or of the person's employer. A person who
/// works for an enterprise is vetted as its head (HR and social security, ecology and
/// environment, …) only when `head` says so; otherwise public security alone, to which the
/// requesting body adds whom it needs.
pub fn background_departments<'p>(
    policy: &'p Policy,
    subject: &Subject,
    head: bool,
) -> Vec<&'p OpinionDept> {
    let kind = subject.opinion_kind();
    if subject.is_person() && kind == OrgKind::Enterprise && !head {
        return policy
            .opinion_depts
            .iter()
            .filter(|d| d.id == "public-security")
            .collect();
    }
    policy.opinion_depts_for(kind)
}

/// Whether a person's stated position reads as the head of their employer (法定代表人,
/// 董事长, 总经理, 厂长, 负责人…): the preselection's guess, which the requesting body
/// confirms or corrects.
pub fn reads_as_head(position: Option<&str>) -> bool {
    const HEADS: [&str; 8] = [
        "法定代表人",
        "董事长",
        "总经理",
        "厂长",
        "负责人",
        "院长",
        "校长",
        "总裁",
    ];
    position.is_some_and(|p| HEADS.iter().any(|h| p.contains(h)) && !p.contains("副"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: i64, score: i64, reaches: Option<Level>) -> Ranked {
        Ranked {
            id: ApplicationId(id),
            name: format!("单位{id}"),
            score: Decimal::new(score, 0),
            reaches,
        }
    }

    fn c(id: i64, level: Option<Level>, reason: &str) -> Choice {
        Choice {
            id: ApplicationId(id),
            level,
            reason: reason.into(),
        }
    }

    const A: Option<Level> = Some(Level::Award);
    const N: Option<Level> = Some(Level::Nomination);

    #[test]
    fn a18_1_the_list_by_the_scores_needs_no_reason() {
        let ranked = [r(1, 900, A), r(2, 700, N), r(3, 500, None)];
        let choices = [c(1, A, ""), c(2, N, ""), c(3, None, "")];
        assert!(check_list(&ranked, &choices).is_empty());
    }

    #[test]
    fn a18_1_moving_down_or_up_against_the_score_needs_a_reason() {
        let ranked = [r(1, 900, A), r(2, 850, A), r(3, 700, N)];
        // 1 moved down to the Nomination Award; 2 left off the list.
        let e = check_list(&ranked, &[c(1, N, ""), c(2, None, " "), c(3, N, "")]);
        let ids: Vec<i64> = e.iter().map(|(id, _)| id.0).collect();
        assert_eq!(ids, [1, 2]);
        assert!(e.iter().all(|(_, r)| r.rule == rule::A18_1));
        // 2 placed above 1 in the Award's list.
        let e = check_list(&ranked, &[c(2, A, ""), c(1, A, ""), c(3, N, "")]);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, ApplicationId(2));
        assert!(e[0].1.message.to_string().contains("单位1"), "{}", e[0].1);
        // With reasons, the same choices stand.
        assert!(
            check_list(
                &ranked,
                &[c(2, A, "现场评审发现"), c(1, A, ""), c(3, N, "")]
            )
            .is_empty()
        );
    }

    #[test]
    fn a4_4_no_level_above_what_the_score_reaches_even_with_a_reason() {
        let ranked = [r(1, 700, N), r(2, 500, None)];
        let e = check_list(&ranked, &[c(1, A, "理由"), c(2, N, "理由")]);
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|(_, r)| r.rule == rule::A4_4));
    }

    #[test]
    fn a18_1_every_evaluated_application_is_chosen_once() {
        let ranked = [r(1, 900, A), r(2, 700, N)];
        let e = check_list(&ranked, &[c(1, A, ""), c(1, A, ""), c(9, N, "")]);
        let ids: Vec<i64> = e.iter().map(|(id, _)| id.0).collect();
        assert_eq!(ids, [2, 1], "{e:?}");
    }

    #[test]
    fn a18_2_a_person_is_vetted_as_a_head_by_position() {
        assert!(reads_as_head(Some("董事长")));
        assert!(!reads_as_head(Some("副总经理")));
        assert!(!reads_as_head(Some("质量部部长")));
        assert!(!reads_as_head(None));
    }
}
