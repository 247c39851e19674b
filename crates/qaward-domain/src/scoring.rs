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
    /// A percentage of 0 to 100 in steps of 5, as the evaluation standards score (A13);
    /// anything else is refused with the value given.
    pub fn new(p: u32) -> Result<Self, Refusal> {
        if p > 100 || !p.is_multiple_of(5) {
            Err(Refusal::new(
                rule::A13,
                crate::msg!("score-not-in-steps", value = p),
            ))
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregation {
    Mean,
    /// The mean after dropping one highest and one lowest total.
    TrimmedMean,
    Median,
}

crate::vocabulary!(Aggregation, "Aggregation", {
    Aggregation::Mean => ("mean", "算术平均", "Mean"),
    Aggregation::TrimmedMean => ("trimmed-mean", "去掉一个最高分和一个最低分后平均", "Mean without the highest and the lowest"),
    Aggregation::Median => ("median", "中位数", "Median"),
});

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
    // Always two places, so that 600 reads "600.00" beside "599.95" in every list.
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// The evaluation plan's numbers (DESIGN.md §5), declared before scoring opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Each stage's weight in percent; the three stages of A17.2, adding up to 100.
    pub weights: BTreeMap<Stage, u32>,
    pub aggregation: Aggregation,
    /// Items where experts' percentages differ by more than this are flagged.
    pub spread: Percent,
    /// No proposal for the Award below this final score (A4.4).
    pub threshold: Decimal,
    /// No proposal for the Nomination Award below this final score (A4.4); at most the
    /// Award's threshold.
    pub nomination_threshold: Decimal,
    /// How many experts each panel draws (A17.1).
    pub panel_size: u32,
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
        if self.nomination_threshold < Decimal::ZERO || self.nomination_threshold > self.threshold {
            return Err(Refusal::new(
                rule::A4_4,
                crate::msg!(
                    "plan-nomination-threshold-out-of-range",
                    nomination = self.nomination_threshold.to_string(),
                    threshold = self.threshold.to_string()
                ),
            ));
        }
        let least = if self.aggregation == Aggregation::TrimmedMean {
            3
        } else {
            1
        };
        if self.panel_size < least || self.panel_size > 25 {
            return Err(Refusal::new(
                rule::A17_1,
                crate::msg!("plan-panel-size", size = self.panel_size, least = least),
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
    /// Whether `new` may replace the plan: before scoring opens, any valid plan; after,
    /// only when the Office insists with a reason, which is then recorded and shown to
    /// the supervision group (A17.1, A26).
    pub fn check_amendment(
        &self,
        new: &Plan,
        scoring_opened: bool,
        reason: Option<&str>,
        rubric: &Rubric,
    ) -> Result<(), Refusal> {
        if scoring_opened && reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(Refusal::new(rule::A17_1, crate::msg!("plan-frozen")));
        }
        new.check(rubric)
    }

    /// The level a final score may be proposed for (A4.4): the Award at or above the
    /// threshold, the Nomination Award at or above its own, none below.
    pub fn level_for(&self, score: Decimal) -> Option<crate::policy::Level> {
        if score >= self.threshold {
            Some(crate::policy::Level::Award)
        } else if score >= self.nomination_threshold {
            Some(crate::policy::Level::Nomination)
        } else {
            None
        }
    }
}

/// The consensus score the panel leader recorded for a flagged item of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consensus {
    pub stage: Stage,
    pub item: String,
    pub percent: Percent,
}

/// How a final score came about: each stage's expert totals (consensus applied) and their
/// aggregate, the consensus scores used, and the weighted sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derivation {
    pub stages: BTreeMap<Stage, (Vec<Decimal>, Decimal)>,
    pub consensus: Vec<Consensus>,
    pub final_score: Decimal,
}

/// The sheets with each consensus score standing for every expert's score of its item:
/// a flagged item counts at the panel's agreed value (DESIGN.md §5).
pub fn with_consensus(sheets: &[ScoreSheet], consensus: &[Consensus]) -> Vec<ScoreSheet> {
    sheets
        .iter()
        .map(|s| {
            let mut s = s.clone();
            for c in consensus.iter().filter(|c| c.stage == s.stage) {
                if let Some(p) = s.items.get_mut(&c.item) {
                    *p = c.percent;
                }
            }
            s
        })
        .collect()
}

/// The final score of an application: each stage's sheets totalled (consensus applied),
/// aggregated by the plan's rule, weighted and summed.
pub fn final_score(
    plan: &Plan,
    rubric: &Rubric,
    sheets: &[ScoreSheet],
    consensus: &[Consensus],
) -> Result<Derivation, ScoringError> {
    plan.check(rubric)?;
    let sheets = with_consensus(sheets, consensus);
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
        consensus: consensus.to_vec(),
        final_score: round_points(total),
    })
}

/// An item whose experts' percentages differ by more than the plan's spread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpreadFlag {
    pub stage: Stage,
    pub item: String,
    pub low: Percent,
    pub high: Percent,
}

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
mod tests;
