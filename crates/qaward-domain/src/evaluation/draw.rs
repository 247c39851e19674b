//! The reproducible panel draw (A17.1, DESIGN.md §5).
//!
//! A draw is made in three moves so that neither the Office nor anyone else can choose the
//! panel: the Office fixes the pool snapshot and commits to a seed it holds by publishing
//! the seed's SM3 hash ([`commitment`]); the supervision group then contributes a value of
//! its own, which the Office could not know when it committed; finally the Office reveals
//! the seed and the panel is drawn from seed and contribution together ([`draw`]). The
//! finished [`DrawRecord`] is everything needed to run the draw again: [`verify`] checks
//! the seed against the commitment and recomputes the same panel, which is what
//! `qaward draw verify RECORD` does for anyone holding the record.
//!
//! The algorithm (`sm3-fisher-yates-v1`): the eligible experts sorted by account id; a
//! stream of 64-bit words from SM3 over `qaward-draw-v1 ‖ 0 ‖ seed ‖ 0 ‖ contribution ‖ 0 ‖
//! block number`; a Fisher–Yates shuffle of the first `size` places, each index drawn
//! without modulo bias by rejection. SM3 (GB/T 32905) is the hash the audit log uses.

use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use crate::ids::UserId;
use crate::msg;
use crate::rule::{self, Refusal};

/// The name of the only algorithm so far; a record names the one it was drawn with.
pub const ALGORITHM: &str = "sm3-fisher-yates-v1";

/// Why an expert of the pool could not be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    /// Marked unavailable in the pool.
    Unavailable,
    /// An interest in an applicant of the panel, declared, upheld on request or detected
    /// from the register (A29); the record does not say which applicant.
    Conflict,
    /// Already on the panel (a replacement draw).
    OnPanel,
    /// Declined a seat on this panel.
    Declined,
}

crate::vocabulary!(Exclusion, "DrawExclusion", {
    Exclusion::Unavailable => ("unavailable", "暂不可参评", "Unavailable"),
    Exclusion::Conflict => ("conflict", "存在利害关系", "Conflict of interest"),
    Exclusion::OnPanel => ("on-panel", "已在评审组", "Already on the panel"),
    Exclusion::Declined => ("declined", "已谢绝", "Declined"),
});

/// One expert of the pool snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolEntry {
    pub expert: UserId,
    /// The expert's fields (专业领域).
    pub fields: Vec<String>,
    /// Why the expert cannot be drawn, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<Exclusion>,
}

/// A draw, from the commitment to the panel drawn: what `qaward draw verify` reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawRecord {
    pub algorithm: String,
    /// The field the panel is drawn for.
    pub field: String,
    /// How many experts are drawn.
    pub size: u32,
    /// The pool as fixed before the commitment.
    pub pool: Vec<PoolEntry>,
    /// Hex SM3 of the seed, published before the contribution.
    pub commitment: String,
    /// The supervision group's value, given after the commitment.
    #[serde(default)]
    pub contribution: Option<String>,
    /// The Office's seed, revealed at the draw.
    #[serde(default)]
    pub seed: Option<String>,
    /// The experts drawn, in the order drawn.
    #[serde(default)]
    pub drawn: Vec<UserId>,
}

/// The commitment to `seed`: its SM3 hash in lower-case hex.
pub fn commitment(seed: &str) -> String {
    hex::encode(Sm3::digest(seed.as_bytes()))
}

/// The experts of `pool` who may be drawn for `field`, by account id.
pub fn eligible(pool: &[PoolEntry], field: &str) -> Vec<UserId> {
    let mut v: Vec<UserId> = pool
        .iter()
        .filter(|e| e.excluded.is_none() && e.fields.iter().any(|f| f == field))
        .map(|e| e.expert)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Refuses a draw the pool cannot fill, saying how many experts are missing (A17.1).
pub fn check_enough(pool: &[PoolEntry], field: &str, size: u32) -> Result<(), Refusal> {
    let have = eligible(pool, field).len() as u32;
    if size == 0 {
        return Err(Refusal::new(rule::A17_1, msg!("draw-size-zero")));
    }
    if have < size {
        return Err(Refusal::new(
            rule::A17_1,
            msg!(
                "draw-too-few-experts",
                field = field,
                size = size,
                eligible = have,
                missing = size - have
            ),
        ));
    }
    Ok(())
}

/// The 64-bit words of the draw's stream.
struct Stream {
    prefix: Vec<u8>,
    block: u64,
    words: Vec<u64>,
}

impl Stream {
    fn new(seed: &str, contribution: &str) -> Self {
        let mut prefix = b"qaward-draw-v1\0".to_vec();
        prefix.extend_from_slice(seed.as_bytes());
        prefix.push(0);
        prefix.extend_from_slice(contribution.as_bytes());
        prefix.push(0);
        Self {
            prefix,
            block: 0,
            words: Vec::new(),
        }
    }

    fn next(&mut self) -> u64 {
        if self.words.is_empty() {
            let mut h = Sm3::new();
            h.update(&self.prefix);
            h.update(self.block.to_be_bytes());
            self.block += 1;
            let out = h.finalize();
            // Four words per block, taken in order (hence pushed in reverse for `pop`).
            self.words = out
                .chunks_exact(8)
                .rev()
                .map(|c| u64::from_be_bytes(c.try_into().unwrap_or([0; 8])))
                .collect();
        }
        self.words.pop().unwrap_or(0)
    }

    /// A uniform index below `n` (n ≥ 1), without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Draws `size` experts for `field` from `pool`, by `seed` and `contribution`.
pub fn draw(
    pool: &[PoolEntry],
    field: &str,
    size: u32,
    seed: &str,
    contribution: &str,
) -> Result<Vec<UserId>, Refusal> {
    check_enough(pool, field, size)?;
    let mut v = eligible(pool, field);
    let mut stream = Stream::new(seed, contribution);
    let n = v.len();
    for i in 0..size as usize {
        let j = i + stream.below((n - i) as u64) as usize;
        v.swap(i, j);
    }
    v.truncate(size as usize);
    Ok(v)
}

/// Runs a finished record again: the seed must match the commitment and the panel drawn
/// from it must be the one recorded. Returns that panel.
pub fn verify(record: &DrawRecord) -> Result<Vec<UserId>, Refusal> {
    let refuse = |m| Err(Refusal::new(rule::A17_1, m));
    if record.algorithm != ALGORITHM {
        return refuse(msg!(
            "draw-unknown-algorithm",
            algorithm = record.algorithm.as_str()
        ));
    }
    let (Some(seed), Some(contribution)) = (&record.seed, &record.contribution) else {
        return refuse(msg!("draw-not-finished"));
    };
    if commitment(seed) != record.commitment.to_ascii_lowercase() {
        return refuse(msg!("draw-seed-mismatch"));
    }
    let panel = draw(&record.pool, &record.field, record.size, seed, contribution)?;
    if panel != record.drawn {
        return refuse(msg!(
            "draw-result-differs",
            recorded = ids(&record.drawn),
            recomputed = ids(&panel)
        ));
    }
    Ok(panel)
}

fn ids(v: &[UserId]) -> String {
    v.iter()
        .map(|u| u.0.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool(n: i64) -> Vec<PoolEntry> {
        (1..=n)
            .map(|i| PoolEntry {
                expert: UserId(i),
                fields: vec![
                    if i % 2 == 0 { "制造" } else { "服务" }.into(),
                    "综合".into(),
                ],
                excluded: (i == 3).then_some(Exclusion::Conflict),
            })
            .collect()
    }

    fn record(seed: &str, contribution: &str) -> DrawRecord {
        let p = pool(12);
        let drawn = draw(&p, "综合", 5, seed, contribution).unwrap();
        DrawRecord {
            algorithm: ALGORITHM.into(),
            field: "综合".into(),
            size: 5,
            pool: p,
            commitment: commitment(seed),
            contribution: Some(contribution.into()),
            seed: Some(seed.into()),
            drawn,
        }
    }

    #[test]
    fn a17_1_the_commitment_is_the_seeds_sm3() {
        // GB/T 32905-2016 example 1: SM3("abc").
        assert_eq!(
            commitment("abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn a17_1_a_draw_rerun_from_its_record_gives_the_same_panel() {
        let r = record("office-seed-2026", "监督组 318207");
        assert_eq!(verify(&r).unwrap(), r.drawn);
        assert_eq!(r.drawn.len(), 5);
        assert!(
            !r.drawn.contains(&UserId(3)),
            "a conflicted expert is never drawn"
        );
    }

    #[test]
    fn a17_1_a_tampered_record_does_not_verify() {
        let mut r = record("s", "c");
        r.drawn.swap(0, 1);
        assert_eq!(verify(&r).unwrap_err().message.key, "draw-result-differs");
        let mut r = record("s", "c");
        r.seed = Some("other".into());
        assert_eq!(verify(&r).unwrap_err().message.key, "draw-seed-mismatch");
        let mut r = record("s", "c");
        r.contribution = None;
        assert_eq!(verify(&r).unwrap_err().message.key, "draw-not-finished");
        let mut r = record("s", "c");
        r.algorithm = "dice".into();
        assert_eq!(
            verify(&r).unwrap_err().message.key,
            "draw-unknown-algorithm"
        );
    }

    #[test]
    fn a17_1_the_contribution_changes_the_panel() {
        // With 11 eligible experts and 5 seats, two contributions giving the same ordered
        // panel would be a 1 in 55,440 coincidence.
        assert_ne!(record("s", "1").drawn, record("s", "2").drawn);
    }

    #[test]
    fn a17_1_too_few_eligible_experts_says_how_many_are_missing() {
        let p = pool(6);
        let e = draw(&p, "服务", 4, "s", "c").unwrap_err();
        assert_eq!(e.rule, rule::A17_1);
        assert_eq!(e.message.key, "draw-too-few-experts");
        // 1 and 5 are eligible in 服务; 3 is conflicted.
        assert_eq!(e.message.get("missing"), Some(&crate::message::Arg::Int(2)));
    }

    proptest! {
        #[test]
        fn a_draw_picks_distinct_eligible_experts(n in 1i64..40, size in 1u32..10, seed in ".{0,12}", c in ".{0,12}") {
            let p = pool(n);
            match draw(&p, "综合", size, &seed, &c) {
                Ok(panel) => {
                    let e = eligible(&p, "综合");
                    prop_assert_eq!(panel.len(), size as usize);
                    let mut sorted = panel.clone();
                    sorted.sort();
                    sorted.dedup();
                    prop_assert_eq!(sorted.len(), panel.len());
                    prop_assert!(panel.iter().all(|u| e.contains(u)));
                }
                Err(r) => prop_assert!((eligible(&p, "综合").len() as u32) < size, "{r}"),
            }
        }
    }
}
