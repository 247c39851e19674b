//! What a successor version of the measures changes (A33, A34), for the person who loads
//! it: every number, list and name that differs from the version in force, each with the
//! article it now comes from, in the order the measures give them. The labels are the
//! domain's vocabularies, so that the page and the command line say it in Chinese first.

use serde::Serialize;

use super::{Cited, Level, NoticeKind, Policy};
use crate::rule::RuleId;
use crate::subject::OrgKind;
use crate::text::{Lang, Vocabulary};

/// What one change is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "item", content = "of", rename_all = "kebab-case")]
pub enum Item {
    Title,
    Program,
    Issuer,
    Office,
    Effective,
    ValidYears,
    Repeals,
    CycleYears,
    Quota(Level),
    PrizeOrganization(Level),
    PrizeIndividual(Level),
    NoticeDays(NoticeKind),
    OperatingYears,
    AccidentYears,
    QualityWorkYears,
    AwardBanCycles,
    RevocationBanCycles,
    Fee,
    ChannelArticle,
    /// A county-level unit, by its id.
    County(String),
    /// A municipal industry department, by its id.
    Industry(String),
    OpinionArticle,
    /// A department asked for opinions, by its id.
    OpinionDept(String),
    /// Which departments give opinions on a subject of this kind.
    OpinionsFor(OrgKind),
    /// The number of an article of 2021 (the rule IDs' numbering) in the version.
    ArticleNumber(u32),
}

impl Item {
    /// The label in `lang`, with its unit where it has one.
    pub fn label(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
        match self {
            Item::Title => pick("办法名称", "Title of the measures"),
            Item::Program => pick("奖项名称", "Name of the award"),
            Item::Issuer => pick("发布机关", "Issuing authority"),
            Item::Office => pick("领导小组办公室", "The Office"),
            Item::Effective => pick("施行日期", "In force from"),
            Item::ValidYears => pick("有效期（年）", "Valid for (years)"),
            Item::Repeals => pick("同时废止的文件", "Repeals"),
            Item::CycleYears => pick("评选周期（年）", "Cycle length (years)"),
            Item::Quota(l) => pick(
                &format!("{}名额（个）", l.label(lang)),
                &format!("{} quota", l.label(lang)),
            ),
            Item::PrizeOrganization(l) => pick(
                &format!("{}组织奖金（元）", l.label(lang)),
                &format!("{} prize, organization (yuan)", l.label(lang)),
            ),
            Item::PrizeIndividual(l) => pick(
                &format!("{}个人奖金（元）", l.label(lang)),
                &format!("{} prize, individual (yuan)", l.label(lang)),
            ),
            Item::NoticeDays(k) => pick(
                &format!("{}最短期限（工作日）", k.label(lang)),
                &format!("{} minimum (working days)", k.label(lang)),
            ),
            Item::OperatingYears => pick("组织正常经营年限（年）", "Years of normal operation"),
            Item::AccidentYears => pick("无重大事故的回溯年限（年）", "Accident look-back (years)"),
            Item::QualityWorkYears => pick("个人从事质量工作年限（年）", "Years of quality work"),
            Item::AwardBanCycles => pick("获奖后不得申报的届数", "Cycles barred after an Award"),
            Item::RevocationBanCycles => {
                pick("撤销后不得申报的届数", "Cycles barred after a revocation")
            }
            Item::Fee => pick("评审费用（元）", "Fee (yuan)"),
            Item::ChannelArticle => pick("申报渠道的依据", "Article for the channels"),
            Item::County(id) => pick(
                &format!("县级单位 {id}"),
                &format!("County-level unit {id}"),
            ),
            Item::Industry(id) => pick(
                &format!("市级行业主管部门 {id}"),
                &format!("Industry department {id}"),
            ),
            Item::OpinionArticle => pick("征求意见的依据", "Article for opinion requests"),
            Item::OpinionDept(id) => pick(
                &format!("征求意见部门 {id}"),
                &format!("Opinion department {id}"),
            ),
            Item::OpinionsFor(k) => pick(
                &format!("征求意见部门（{}）", k.label(lang)),
                &format!("Opinion departments ({})", k.label(lang)),
            ),
            Item::ArticleNumber(n) => pick(
                &format!(
                    "条文编号（2021年版第{}条）",
                    crate::text::chinese_number(*n)
                ),
                &format!("Article number (Art. {n} of 2021)"),
            ),
        }
    }
}

/// One difference: the value before and after (absent where the thing is added or
/// removed), and the articles they cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub item: Item,
    pub before: Option<String>,
    pub after: Option<String>,
    pub article_before: Option<RuleId>,
    pub article_after: Option<RuleId>,
}

struct Diff(Vec<Change>);

impl Diff {
    fn text(&mut self, item: Item, a: &str, b: &str) {
        if a != b {
            self.0.push(Change {
                item,
                before: Some(a.to_owned()),
                after: Some(b.to_owned()),
                article_before: None,
                article_after: None,
            });
        }
    }

    fn cited<T: ToString + PartialEq>(&mut self, item: Item, a: &Cited<T>, b: &Cited<T>) {
        if a.value != b.value || a.article != b.article {
            self.0.push(Change {
                item,
                before: Some(a.value.to_string()),
                after: Some(b.value.to_string()),
                article_before: Some(a.article.clone()),
                article_after: Some(b.article.clone()),
            });
        }
    }

    fn rule(&mut self, item: Item, a: &RuleId, b: &RuleId) {
        if a != b {
            self.0.push(Change {
                item,
                before: Some(a.to_string()),
                after: Some(b.to_string()),
                article_before: Some(a.clone()),
                article_after: Some(b.clone()),
            });
        }
    }

    /// Entries of a list keyed by id: added, removed, or described differently.
    fn keyed<T>(
        &mut self,
        a: &[T],
        b: &[T],
        id: impl Fn(&T) -> &str,
        describe: impl Fn(&T) -> String,
        item: impl Fn(String) -> Item,
    ) {
        for x in a {
            let before = describe(x);
            let after = b.iter().find(|y| id(y) == id(x)).map(&describe);
            if after.as_deref() != Some(before.as_str()) {
                self.0.push(Change {
                    item: item(id(x).to_owned()),
                    before: Some(before),
                    after,
                    article_before: None,
                    article_after: None,
                });
            }
        }
        for y in b.iter().filter(|y| !a.iter().any(|x| id(x) == id(y))) {
            self.0.push(Change {
                item: item(id(y).to_owned()),
                before: None,
                after: Some(describe(y)),
                article_before: None,
                article_after: None,
            });
        }
    }
}

/// Everything `new` changes from `old`, in the order of the measures.
pub fn compare(old: &Policy, new: &Policy) -> Vec<Change> {
    let mut d = Diff(Vec::new());
    d.text(Item::Title, &old.title, &new.title);
    d.text(Item::Program, &old.program, &new.program);
    d.text(Item::Issuer, &old.issuer, &new.issuer);
    d.text(Item::Office, &old.office, &new.office);
    d.cited(Item::Effective, &old.effective, &new.effective);
    d.cited(Item::ValidYears, &old.valid_years, &new.valid_years);
    match (&old.repeals, &new.repeals) {
        (Some(a), Some(b)) => d.cited(Item::Repeals, a, b),
        (a, b) if a != b => d.0.push(Change {
            item: Item::Repeals,
            before: a.as_ref().map(|c| c.value.clone()),
            after: b.as_ref().map(|c| c.value.clone()),
            article_before: a.as_ref().map(|c| c.article.clone()),
            article_after: b.as_ref().map(|c| c.article.clone()),
        }),
        _ => {}
    }
    d.cited(Item::CycleYears, &old.cycle_years, &new.cycle_years);
    for l in Level::ALL.iter().copied() {
        let (a, b) = (old.level(l), new.level(l));
        d.cited(Item::Quota(l), &a.quota, &b.quota);
        d.cited(
            Item::PrizeOrganization(l),
            &a.prize_organization_yuan,
            &b.prize_organization_yuan,
        );
        d.cited(
            Item::PrizeIndividual(l),
            &a.prize_individual_yuan,
            &b.prize_individual_yuan,
        );
    }
    for k in NoticeKind::ALL.iter().copied() {
        match (old.notice_min(k), new.notice_min(k)) {
            (Some(a), Some(b)) => d.cited(Item::NoticeDays(k), a, b),
            (None, None) => {}
            // A notice step added or dropped.
            (a, b) => d.0.push(Change {
                item: Item::NoticeDays(k),
                before: a.map(|c| c.value.to_string()),
                after: b.map(|c| c.value.to_string()),
                article_before: a.map(|c| c.article.clone()),
                article_after: b.map(|c| c.article.clone()),
            }),
        }
    }
    let (a, b) = (&old.eligibility, &new.eligibility);
    d.cited(
        Item::OperatingYears,
        &a.organization_operating_years,
        &b.organization_operating_years,
    );
    d.cited(
        Item::AccidentYears,
        &a.accident_lookback_years,
        &b.accident_lookback_years,
    );
    d.cited(
        Item::QualityWorkYears,
        &a.individual_quality_work_years,
        &b.individual_quality_work_years,
    );
    d.cited(
        Item::AwardBanCycles,
        &a.award_ban_cycles,
        &b.award_ban_cycles,
    );
    d.cited(
        Item::RevocationBanCycles,
        &a.revocation_ban_cycles,
        &b.revocation_ban_cycles,
    );
    d.cited(Item::Fee, &old.fee_yuan, &new.fee_yuan);
    d.rule(
        Item::ChannelArticle,
        &old.channel_article,
        &new.channel_article,
    );
    d.keyed(
        &old.counties,
        &new.counties,
        |c| &c.id,
        |c| format!("{}；审核：{}；推荐：{}", c.name, c.reviewer, c.government),
        Item::County,
    );
    d.keyed(
        &old.industries,
        &new.industries,
        |c| &c.id,
        |c| c.name.clone(),
        Item::Industry,
    );
    d.rule(
        Item::OpinionArticle,
        &old.opinion_article,
        &new.opinion_article,
    );
    d.keyed(
        &old.opinion_depts,
        &new.opinion_depts,
        |c| &c.id,
        |c| c.name.clone(),
        Item::OpinionDept,
    );
    for k in OrgKind::ALL.iter().copied() {
        let names = |p: &Policy| {
            p.opinion_depts_for(k)
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let (a, b) = (&old.opinions_by_kind[&k], &new.opinions_by_kind[&k]);
        let (na, nb) = (names(old), names(new));
        if na != nb || a.article != b.article {
            d.0.push(Change {
                item: Item::OpinionsFor(k),
                before: Some(na),
                after: Some(nb),
                article_before: Some(a.article.clone()),
                article_after: Some(b.article.clone()),
            });
        }
    }
    let renumbered: std::collections::BTreeSet<u32> = old
        .renumber
        .keys()
        .chain(new.renumber.keys())
        .copied()
        .collect();
    for n in renumbered {
        let (a, b) = (
            old.renumber.get(&n).copied().unwrap_or(n),
            new.renumber.get(&n).copied().unwrap_or(n),
        );
        if a != b {
            d.0.push(Change {
                item: Item::ArticleNumber(n),
                before: Some(a.to_string()),
                after: Some(b.to_string()),
                article_before: None,
                article_after: None,
            });
        }
    }
    d.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn successor() -> Policy {
        Policy::from_toml(
            "hypothetical-2027.toml",
            include_str!("../../tests/data/hypothetical-2027.toml"),
        )
        .unwrap()
    }

    #[test]
    fn a34_nothing_differs_from_itself() {
        let p = crate::policy::tests::xinzhou();
        assert!(compare(&p, &p).is_empty());
    }

    #[test]
    fn a34_a_successor_shows_its_numbers_and_departments() {
        let (old, new) = (crate::policy::tests::xinzhou(), successor());
        let changes = compare(&old, &new);
        let find = |i: &Item| changes.iter().find(|c| &c.item == i).cloned();
        let quota = find(&Item::Quota(Level::Award)).unwrap();
        assert_eq!(
            (quota.before.as_deref(), quota.after.as_deref()),
            (Some("3"), Some("5"))
        );
        assert_eq!(quota.article_after.unwrap().as_str(), "A4.3");
        let days = find(&Item::NoticeDays(NoticeKind::InUnit)).unwrap();
        assert_eq!(days.after.as_deref(), Some("7"));
        assert_eq!(find(&Item::CycleYears).unwrap().after.as_deref(), Some("2"));
        // An industry department the successor drops is listed as removed.
        let removed = find(&Item::Industry("agriculture".into())).unwrap();
        assert_eq!(removed.after, None);
        assert_eq!(removed.before.as_deref(), Some("忻州市农业农村局"));
        assert_eq!(
            Item::Quota(Level::Award).label(Lang::Zh),
            "市长质量奖名额（个）"
        );
    }
}
