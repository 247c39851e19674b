//! Score arithmetic (DESIGN.md §5): item percentages in 5% steps, score sheets, stage
//! aggregation by mean, trimmed mean or median, stage weights, spread flags and ranking
//! with ties.
//!
//! Points are [`Decimal`], never floating point, so that every platform and database
//! computes the same number; results are rounded once, at the end, to two decimal places
//! with halves away from zero ([`round_points`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize};

use crate::application::Stage;
use crate::message::Term;
use crate::rubric::Rubric;
use crate::rule::{self, Refusal};
use crate::text::Vocabulary;

/// A score as a percentage of an item's points: 0 to 100 in steps of 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Percent(u8);

impl Percent {
    pub fn new(p: u32) -> Result<Self, String> {
        if p > 100 || !p.is_multiple_of(5) {
            Err(format!("{p}% is not a score: use 0 to 100 in steps of 5"))
        } else {
            Ok(Self(p as u8))
        }
    }

    pub fn get(self) -> u32 {
        u32::from(self.0)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Percent::new(u32::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// How a stage's expert totals become one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    Mean,
    /// The mean after dropping one highest and one lowest total.
    TrimmedMean,
    Median,
}

/// A problem with scores: which sheet and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("the score sheet has no score for item {0}")]
    MissingItem(String),
    #[error("the rubric has no item {0}")]
    UnknownItem(String),
    #[error("no score sheets to aggregate")]
    Empty,
    #[error(
        "a trimmed mean drops the highest and the lowest score, so it needs at least 3 sheets; there are {0}"
    )]
    TooFewForTrimmedMean(usize),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

/// One expert's scores for one application in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreSheet {
    pub stage: Stage,
    /// Item code → percentage.
    pub items: BTreeMap<String, Percent>,
}

/// The points an item earns at a percentage.
pub fn item_points(points: u32, p: Percent) -> Decimal {
    Decimal::from(points) * Decimal::from(p.get()) / Decimal::ONE_HUNDRED
}

/// The total of a complete sheet under `rubric`.
pub fn sheet_total(rubric: &Rubric, sheet: &ScoreSheet) -> Result<Decimal, ScoringError> {
    if let Some(code) = sheet.items.keys().find(|c| rubric.item(c).is_none()) {
        return Err(ScoringError::UnknownItem(code.clone()));
    }
    rubric
        .items()
        .map(|item| {
            sheet
                .items
                .get(&item.code)
                .map(|p| item_points(item.points, *p))
                .ok_or_else(|| ScoringError::MissingItem(item.code.clone()))
        })
        .sum()
}

/// Aggregates expert totals by `rule`.
pub fn aggregate(values: &[Decimal], rule: Aggregation) -> Result<Decimal, ScoringError> {
    if values.is_empty() {
        return Err(ScoringError::Empty);
    }
    let mut v = values.to_vec();
    v.sort();
    let mean = |s: &[Decimal]| s.iter().sum::<Decimal>() / Decimal::from(s.len());
    Ok(match rule {
        Aggregation::Mean => mean(&v),
        Aggregation::TrimmedMean => {
            if v.len() < 3 {
                return Err(ScoringError::TooFewForTrimmedMean(v.len()));
            }
            mean(&v[1..v.len() - 1])
        }
        Aggregation::Median => {
            let n = v.len();
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / Decimal::TWO
            }
        }
    })
}

/// Rounds a result for display and ranking: two places, halves away from zero.
pub fn round_points(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The evaluation plan's numbers (DESIGN.md §5), declared before scoring opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Each stage's weight in percent; the three stages of A17.2, adding up to 100.
    pub weights: BTreeMap<Stage, u32>,
    pub aggregation: Aggregation,
    /// Items where experts' percentages differ by more than this are flagged.
    pub spread: Percent,
    /// No proposal below this final score (A4.4).
    pub threshold: Decimal,
}

impl Plan {
    /// Checks the plan: every stage of A17.2 weighted, weights adding up to 100, a
    /// threshold within the rubric's total.
    pub fn check(&self, rubric: &Rubric) -> Result<(), Refusal> {
        let missing: Vec<Term> = Stage::ALL
            .iter()
            .filter(|s| !self.weights.contains_key(s))
            .map(|&s| Term::of(s))
            .collect();
        if !missing.is_empty() {
            return Err(Refusal::new(
                rule::A17_2,
                crate::msg!("plan-stages-unweighted", stages = missing),
            ));
        }
        let sum: u32 = self.weights.values().sum();
        if sum != 100 {
            return Err(Refusal::new(
                rule::A17_1,
                crate::msg!("plan-weights-not-100", sum = sum),
            ));
        }
        if self.threshold < Decimal::ZERO || self.threshold > Decimal::from(rubric.total) {
            return Err(Refusal::new(
                rule::A4_4,
                crate::msg!(
                    "plan-threshold-out-of-range",
                    threshold = self.threshold.to_string(),
                    total = rubric.total
                ),
            ));
        }
        Ok(())
    }

    /// Changes the plan; refused once scoring has opened (DESIGN.md §5: frozen).
    pub fn amend(
        &mut self,
        new: Plan,
        scoring_opened: bool,
        rubric: &Rubric,
    ) -> Result<(), Refusal> {
        if scoring_opened {
            return Err(Refusal::new(rule::A17_1, crate::msg!("plan-frozen")));
        }
        new.check(rubric)?;
        *self = new;
        Ok(())
    }
}

/// How one application's final score was derived, stage by stage, so that every number
/// can be shown with its derivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derivation {
    /// Stage → (each sheet's total, the aggregate).
    pub stages: BTreeMap<Stage, (Vec<Decimal>, Decimal)>,
    /// Σ weight × stage score / 100, rounded.
    pub final_score: Decimal,
}

/// The final score of one application from all its sheets.
pub fn final_score(
    plan: &Plan,
    rubric: &Rubric,
    sheets: &[ScoreSheet],
) -> Result<Derivation, ScoringError> {
    plan.check(rubric)?;
    let mut stages = BTreeMap::new();
    let mut total = Decimal::ZERO;
    for (&stage, &weight) in &plan.weights {
        let totals = sheets
            .iter()
            .filter(|s| s.stage == stage)
            .map(|s| sheet_total(rubric, s))
            .collect::<Result<Vec<_>, _>>()?;
        let agg = aggregate(&totals, plan.aggregation)?;
        total += agg * Decimal::from(weight) / Decimal::ONE_HUNDRED;
        stages.insert(stage, (totals, agg));
    }
    Ok(Derivation {
        stages,
        final_score: round_points(total),
    })
}

/// An item on which the experts of one stage differ by more than the plan's spread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpreadFlag {
    pub stage: Stage,
    pub item: String,
    pub low: Percent,
    pub high: Percent,
}

/// Items to discuss for consensus before the scores are locked.
pub fn spread_flags(plan: &Plan, sheets: &[ScoreSheet]) -> Vec<SpreadFlag> {
    let mut by_item: BTreeMap<(Stage, &str), (Percent, Percent)> = BTreeMap::new();
    for s in sheets {
        for (code, p) in &s.items {
            by_item
                .entry((s.stage, code.as_str()))
                .and_modify(|(lo, hi)| {
                    *lo = (*lo).min(*p);
                    *hi = (*hi).max(*p);
                })
                .or_insert((*p, *p));
        }
    }
    by_item
        .into_iter()
        .filter(|(_, (lo, hi))| hi.get() - lo.get() > plan.spread.get())
        .map(|((stage, item), (low, high))| SpreadFlag {
            stage,
            item: item.to_owned(),
            low,
            high,
        })
        .collect()
}

/// Ranks by score, highest first; equal scores share a rank and the next rank skips
/// (1, 2, 2, 4). Ties keep the input order among themselves.
pub fn rank<K: Clone>(entries: &[(K, Decimal)]) -> Vec<(K, u32, Decimal)> {
    let mut sorted: Vec<(usize, &(K, Decimal))> = entries.iter().enumerate().collect();
    sorted.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<(K, u32, Decimal)> = Vec::with_capacity(sorted.len());
    for (pos, (_, (k, score))) in sorted.into_iter().enumerate() {
        let rank = match out.last() {
            Some((_, r, s)) if s == score => *r,
            _ => pos as u32 + 1,
        };
        out.push((k.clone(), rank, *score));
    }
    out
}

/// The items a sheet has not scored yet, for a half-finished sheet.
pub fn unscored<'a>(rubric: &'a Rubric, sheet: &ScoreSheet) -> BTreeSet<&'a str> {
    rubric
        .items()
        .filter(|i| !sheet.items.contains_key(&i.code))
        .map(|i| i.code.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::tests::org;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn sheet(stage: Stage, p: u32) -> ScoreSheet {
        ScoreSheet {
            stage,
            items: org()
                .items()
                .map(|i| (i.code.clone(), Percent::new(p).unwrap()))
                .collect(),
        }
    }

    fn plan(aggregation: Aggregation) -> Plan {
        Plan {
            weights: [
                (Stage::Material, 40),
                (Stage::OnSite, 40),
                (Stage::Defense, 20),
            ]
            .into(),
            aggregation,
            spread: Percent::new(20).unwrap(),
            threshold: dec("600"),
        }
    }

    #[test]
    fn a17_1_percentages_are_in_five_percent_steps() {
        assert!(Percent::new(35).is_ok());
        assert!(Percent::new(100).is_ok());
        assert!(Percent::new(33).unwrap_err().contains("steps of 5"));
        assert!(Percent::new(105).is_err());
        assert!(serde_json::from_str::<Percent>("42").is_err());
    }

    #[test]
    fn item_points_are_exact_decimals() {
        assert_eq!(item_points(110, Percent::new(35).unwrap()), dec("38.5"));
        assert_eq!(item_points(15, Percent::new(5).unwrap()), dec("0.75"));
    }

    #[test]
    fn a_sheet_totals_every_item_and_refuses_gaps_and_strangers() {
        let r = org();
        assert_eq!(
            sheet_total(&r, &sheet(Stage::Material, 50)).unwrap(),
            dec("500")
        );
        let mut s = sheet(Stage::Material, 50);
        s.items.remove("4.4.3");
        assert_eq!(
            sheet_total(&r, &s),
            Err(ScoringError::MissingItem("4.4.3".into()))
        );
        assert_eq!(unscored(&r, &s).into_iter().collect::<Vec<_>>(), ["4.4.3"]);
        s.items.insert("9.9".into(), Percent::new(5).unwrap());
        assert_eq!(
            sheet_total(&r, &s),
            Err(ScoringError::UnknownItem("9.9".into()))
        );
    }

    #[test]
    fn aggregation_mean_trimmed_mean_and_median() {
        let v = [dec("700"), dec("650"), dec("800"), dec("600")];
        assert_eq!(aggregate(&v, Aggregation::Mean).unwrap(), dec("687.5"));
        assert_eq!(aggregate(&v, Aggregation::TrimmedMean).unwrap(), dec("675"));
        assert_eq!(aggregate(&v, Aggregation::Median).unwrap(), dec("675"));
        assert_eq!(aggregate(&v[..3], Aggregation::Median).unwrap(), dec("700"));
        assert_eq!(
            aggregate(&v[..2], Aggregation::TrimmedMean),
            Err(ScoringError::TooFewForTrimmedMean(2))
        );
        assert_eq!(aggregate(&[], Aggregation::Mean), Err(ScoringError::Empty));
    }

    #[test]
    fn a17_2_final_score_weights_the_three_stages() {
        let r = org();
        let sheets = [
            sheet(Stage::Material, 60),
            sheet(Stage::Material, 70),
            sheet(Stage::OnSite, 80),
            sheet(Stage::Defense, 55),
        ];
        let d = final_score(&plan(Aggregation::Mean), &r, &sheets).unwrap();
        // 650 × 40% + 800 × 40% + 550 × 20% = 260 + 320 + 110.
        assert_eq!(d.final_score, dec("690"));
        assert_eq!(
            d.stages[&Stage::Material],
            (vec![dec("600"), dec("700")], dec("650"))
        );
        // A stage with no sheet cannot be aggregated.
        assert_eq!(
            final_score(&plan(Aggregation::Mean), &r, &sheets[..3]),
            Err(ScoringError::Empty)
        );
    }

    #[test]
    fn a17_2_plan_must_weight_every_stage_to_one_hundred() {
        let r = org();
        let mut p = plan(Aggregation::Mean);
        assert!(p.check(&r).is_ok());
        p.weights.remove(&Stage::Defense);
        assert_eq!(p.check(&r).unwrap_err().rule, rule::A17_2);
        let mut p = plan(Aggregation::Mean);
        p.weights.insert(Stage::Defense, 30);
        assert_eq!(p.check(&r).unwrap_err().rule, rule::A17_1);
        let mut p = plan(Aggregation::Mean);
        p.threshold = dec("1001");
        assert_eq!(p.check(&r).unwrap_err().rule, rule::A4_4);
    }

    #[test]
    fn a17_1_plan_is_frozen_once_scoring_opens() {
        let r = org();
        let mut p = plan(Aggregation::Mean);
        assert!(p.amend(plan(Aggregation::Median), false, &r).is_ok());
        assert_eq!(p.aggregation, Aggregation::Median);
        assert_eq!(
            p.amend(plan(Aggregation::Mean), true, &r).unwrap_err().rule,
            rule::A17_1
        );
        assert_eq!(p.aggregation, Aggregation::Median);
    }

    #[test]
    fn spread_flags_items_where_experts_differ_too_much() {
        let mut a = sheet(Stage::OnSite, 50);
        let b = sheet(Stage::OnSite, 70);
        a.items.insert("4.7.2".into(), Percent::new(45).unwrap());
        let flags = spread_flags(&plan(Aggregation::Mean), &[a, b]);
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].item, "4.7.2");
        assert_eq!((flags[0].low.get(), flags[0].high.get()), (45, 70));
    }

    #[test]
    fn ranking_shares_ranks_on_ties() {
        let r = rank(&[
            ("a", dec("690")),
            ("b", dec("720.5")),
            ("c", dec("690")),
            ("d", dec("600")),
        ]);
        let got: Vec<(&str, u32)> = r.iter().map(|(k, n, _)| (*k, *n)).collect();
        assert_eq!(got, [("b", 1), ("a", 2), ("c", 2), ("d", 4)]);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_points(dec("690.125")), dec("690.13"));
        assert_eq!(round_points(dec("690.124")), dec("690.12"));
        assert_eq!(round_points(dec("2") / dec("3")), dec("0.67"));
    }

    proptest! {
        #[test]
        fn aggregates_lie_between_min_and_max(v in prop::collection::vec(0u32..=1000, 3..12), which in 0usize..3) {
            let v: Vec<Decimal> = v.into_iter().map(Decimal::from).collect();
            let rule = [Aggregation::Mean, Aggregation::TrimmedMean, Aggregation::Median][which];
            let a = aggregate(&v, rule).unwrap();
            prop_assert!(a >= *v.iter().min().unwrap() && a <= *v.iter().max().unwrap());
        }

        #[test]
        fn aggregation_ignores_the_order_of_sheets(mut v in prop::collection::vec(0u32..=1000, 3..12), which in 0usize..3) {
            let rule = [Aggregation::Mean, Aggregation::TrimmedMean, Aggregation::Median][which];
            let a = aggregate(&v.iter().copied().map(Decimal::from).collect::<Vec<_>>(), rule).unwrap();
            v.reverse();
            let b = aggregate(&v.iter().copied().map(Decimal::from).collect::<Vec<_>>(), rule).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}
