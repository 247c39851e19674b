//! Hints that cite the measures, said by the version that governs what the reader sees
//! (issue #13, item 2): a successor renumbers articles, changes prizes, notice lengths
//! and the cycle's years, and a page under it must not quote 2021's.
//!
//! Such a hint is a [`Cited`] text, not a plain string: it has no `Display`, so a template
//! cannot print it without a [`Law`], and a page that shows one must have chosen the
//! version it speaks for. Its placeholders:
//!
//! - `{A14}` an article (第十四条 / Article 14), `{A10.4}` an item of one (第十条第四项 /
//!   Article 10(4)), both by the number the version gives the 2021 article;
//! - `{program}`, `{issuer}`, `{cycle_years}` from the version's header;
//! - `{days.in-unit}`, `{days.acceptance-list}`, `{days.candidates}`,
//!   `{days.proposed-winners}` the notice's least length in working days;
//! - `{delivery}` what each level's winners receive (A21), with the prizes.
//!
//! A test renders every `Cited` literal of the catalogs and finds no placeholder left.

use std::sync::Arc;

use qaward_app::{App, AppError};
use qaward_domain::ids::CycleId;
use qaward_domain::policy::{Level, NoticeKind, Policy};
use qaward_domain::text::chinese_number;

use super::Lang;
use crate::session::Viewer;

/// A text that cites the measures; print it with [`Law::say`].
#[derive(Debug, Clone, Copy)]
pub struct Cited(pub &'static str);

/// The version a page speaks for, in the reader's language.
#[derive(Clone)]
pub struct Law {
    policy: Arc<Policy>,
    lang: Lang,
}

impl Law {
    pub fn new(policy: Arc<Policy>, lang: Lang) -> Self {
        Law { policy, lang }
    }

    /// The version of the reader's current cycle (the newest of the program they work
    /// in), or the version in force when no cycle is open yet.
    pub async fn current(app: &App, viewer: &Viewer, lang: Lang) -> Result<Self, AppError> {
        Ok(Law::new(
            app.policy_of_current_cycle(viewer.principal()).await?,
            lang,
        ))
    }

    /// The version the cycle `id` was opened under.
    pub async fn of_cycle(app: &App, id: CycleId, lang: Lang) -> Result<Self, AppError> {
        Ok(Law::new(app.policy_of_cycle(id).await?, lang))
    }

    /// `text` with its placeholders filled in; an unknown placeholder stays as written
    /// (the catalog test finds it).
    pub fn say(&self, text: &Cited) -> String {
        let mut out = String::with_capacity(text.0.len() + 16);
        let mut rest = text.0;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let token = &after[..close];
                    match self.fill(token) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('{');
                            out.push_str(token);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn fill(&self, token: &str) -> Option<String> {
        let p = &*self.policy;
        let zh = self.lang == Lang::Zh;
        if let Some(rule) = token.strip_prefix('A') {
            return self.article(rule);
        }
        if let Some(kind) = token.strip_prefix("days.") {
            let kind = match kind {
                "in-unit" => NoticeKind::InUnit,
                "acceptance-list" => NoticeKind::AcceptanceList,
                "candidates" => NoticeKind::Candidates,
                "proposed-winners" => NoticeKind::ProposedWinners,
                _ => return None,
            };
            // A version without this notice shows no form for it; the in-unit notice's
            // length is the nearest sensible figure should a page still ask.
            let days = p
                .notice_min(kind)
                .or_else(|| p.notice_min(NoticeKind::InUnit))
                .map_or(0, |c| c.value.get());
            return Some(days.to_string());
        }
        Some(match token {
            "program" if zh => p.program.clone(),
            "program" => p.level(Level::Award).name_en.clone(),
            "issuer" => p.issuer.clone(),
            "cycle_years" => p.cycle_years.value.to_string(),
            "delivery" => self.delivery(),
            _ => return None,
        })
    }

    /// `14` → 第十四条 / Article 14; `10.4` → 第十条第四项 / Article 10(4); renumbered as
    /// the version says.
    fn article(&self, rule: &str) -> Option<String> {
        let (article, item) = match rule.split_once('.') {
            Some((a, i)) => (a.parse::<u32>().ok()?, Some(i.parse::<u32>().ok()?)),
            None => (rule.parse::<u32>().ok()?, None),
        };
        let n = self
            .policy
            .renumber
            .get(&article)
            .copied()
            .unwrap_or(article);
        Some(match (self.lang, item) {
            (Lang::Zh, None) => format!("第{}条", chinese_number(n)),
            (Lang::Zh, Some(i)) => format!("第{}条第{}项", chinese_number(n), chinese_number(i)),
            (Lang::En, None) => format!("Article {n}"),
            (Lang::En, Some(i)) => format!("Article {n}({i})"),
        })
    }

    /// What the winners of each level receive (A21), e.g. 获奖组织颁发奖牌、证书和奖金
    /// 20万元, with the level's name as the version gives it.
    fn delivery(&self) -> String {
        let t = self.lang.tr().cm;
        let levels: Vec<String> = [Level::Award, Level::Nomination]
            .into_iter()
            .filter_map(|l| self.policy.levels.get(&l))
            .map(|l| {
                let name = if self.lang == Lang::Zh {
                    &l.name
                } else {
                    &l.name_en
                };
                let (org, person) = (
                    l.prize_organization_yuan.value,
                    l.prize_individual_yuan.value,
                );
                if org == 0 && person == 0 {
                    return t.delivery_plain.replace("{level}", name);
                }
                let part = |yuan: u64, with: &str, without: &str| {
                    if yuan == 0 {
                        without.to_owned()
                    } else {
                        with.replace("{yuan}", &self.money(yuan))
                    }
                };
                t.delivery_level
                    .replace("{level}", name)
                    .replace(
                        "{organization}",
                        &part(org, t.delivery_organization_prize, t.delivery_organization),
                    )
                    .replace(
                        "{individual}",
                        &part(person, t.delivery_individual_prize, t.delivery_individual),
                    )
            })
            .collect();
        levels.join(t.delivery_separator)
    }

    /// An amount as people say it: 20万元, 1.5万元, 800元; 200,000 yuan.
    fn money(&self, yuan: u64) -> String {
        match self.lang {
            Lang::Zh if yuan >= 10_000 && yuan.is_multiple_of(1_000) => {
                let wan = yuan / 10_000;
                let rest = (yuan % 10_000) / 1_000;
                if rest == 0 {
                    format!("{wan}万元")
                } else {
                    format!("{wan}.{rest}万元")
                }
            }
            Lang::Zh => format!("{yuan}元"),
            Lang::En => {
                let digits = yuan.to_string();
                let mut s = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i).is_multiple_of(3) {
                        s.push(',');
                    }
                    s.push(c);
                }
                format!("{s} yuan")
            }
        }
    }
}

#[cfg(test)]
mod tests;
