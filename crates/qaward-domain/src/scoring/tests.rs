//! The score arithmetic's unit tests: steps, totals, aggregation, the plan, consensus.

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
        nomination_threshold: dec("500"),
        panel_size: 5,
    }
}

#[test]
fn a13_percentages_are_in_five_percent_steps() {
    assert!(Percent::new(35).is_ok());
    assert!(Percent::new(100).is_ok());
    let r = Percent::new(33).unwrap_err();
    assert_eq!((r.rule, r.message.key), (rule::A13, "score-not-in-steps"));
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
    let d = final_score(&plan(Aggregation::Mean), &r, &sheets, &[]).unwrap();
    // 650 × 40% + 800 × 40% + 550 × 20% = 260 + 320 + 110.
    assert_eq!(d.final_score, dec("690"));
    assert_eq!(
        d.stages[&Stage::Material],
        (vec![dec("600"), dec("700")], dec("650"))
    );
    // A stage with no sheet cannot be aggregated.
    assert_eq!(
        final_score(&plan(Aggregation::Mean), &r, &sheets[..3], &[]),
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
    let p = plan(Aggregation::Mean);
    let new = plan(Aggregation::Median);
    assert!(p.check_amendment(&new, false, None, &r).is_ok());
    let refused = p.check_amendment(&new, true, None, &r).unwrap_err();
    assert_eq!(
        (refused.rule, refused.message.key),
        (rule::A17_1, "plan-frozen")
    );
    assert!(p.check_amendment(&new, true, Some(" "), &r).is_err());
    // The Office may insist, with a reason that is then kept.
    assert!(
        p.check_amendment(&new, true, Some("专家组人数不足"), &r)
            .is_ok()
    );
}

#[test]
fn a4_4_the_plan_sets_a_threshold_for_each_level() {
    let p = plan(Aggregation::Mean);
    use crate::policy::Level;
    assert_eq!(p.level_for(dec("600")), Some(Level::Award));
    assert_eq!(p.level_for(dec("599.99")), Some(Level::Nomination));
    assert_eq!(p.level_for(dec("499.99")), None);
    let mut q = plan(Aggregation::Mean);
    q.nomination_threshold = dec("650");
    assert_eq!(q.check(&org()).unwrap_err().rule, rule::A4_4);
}

#[test]
fn a17_2_a_consensus_score_stands_for_every_experts_score_of_its_item() {
    let r = org();
    let mut a = sheet(Stage::Material, 50);
    a.items.insert("4.1.2".into(), Percent::new(90).unwrap());
    let sheets = [
        a,
        sheet(Stage::Material, 50),
        sheet(Stage::OnSite, 50),
        sheet(Stage::Defense, 50),
    ];
    let agreed = Consensus {
        stage: Stage::Material,
        item: "4.1.2".into(),
        percent: Percent::new(60).unwrap(),
    };
    let d = final_score(
        &plan(Aggregation::Mean),
        &r,
        &sheets,
        std::slice::from_ref(&agreed),
    )
    .unwrap();
    // 4.1.2 is worth 50 points: both material sheets count it at 60 %, 5 points more.
    assert_eq!(d.stages[&Stage::Material].1, dec("505"));
    assert_eq!(d.consensus, vec![agreed]);
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
