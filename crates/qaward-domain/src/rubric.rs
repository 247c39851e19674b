//! Evaluation rubrics as data (DESIGN.md §5): categories with points and their scored
//! items, versioned by standard edition.
//!
//! Organizations are evaluated on the GB/T 19580-2012 layout that DB 14/T 1463 follows
//! (`rubrics/org-gbt19580-2012.toml`); individuals on DB 14/T 1464, which the Office loads
//! as a file; until then `rubrics/individual-provisional.toml` is marked provisional and
//! every page that uses it must say so. Each item records whether its points were checked
//! against the standard's text.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::load::{self, LoadError};

/// Which subjects a rubric is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppliesTo {
    Organization,
    Individual,
}

/// One scored item (评分条款).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub code: String,
    pub name: String,
    pub points: u32,
    /// Whether the points were checked against the standard's own text.
    pub checked: bool,
}

/// One category with its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub points: u32,
    pub checked: bool,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

/// A rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub applies_to: AppliesTo,
    /// The standard and edition the rubric follows.
    pub standard: String,
    /// A provisional rubric stands in until the Office loads the real one.
    pub provisional: bool,
    /// What the file could and could not check, and why it is provisional.
    pub note: String,
    pub total: u32,
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
}

impl Rubric {
    /// Loads and checks a rubric: item points add up to their category, categories to the
    /// total, codes are unique, and a provisional rubric says why in its note.
    pub fn from_toml(origin: &str, text: &str) -> Result<Self, LoadError> {
        let r: Rubric = load::parse_toml(origin, text)?;
        let invalid = |field: String, problem: String| LoadError::Invalid {
            origin: origin.to_owned(),
            field,
            problem,
        };
        if r.id.trim().is_empty() {
            return Err(invalid("id".into(), "must not be empty".into()));
        }
        if r.note.trim().is_empty() {
            return Err(invalid(
                "note".into(),
                "say where the values come from".into(),
            ));
        }
        if r.categories.is_empty() {
            return Err(invalid(
                "category".into(),
                "list at least one category".into(),
            ));
        }
        let mut codes = BTreeSet::new();
        let mut sum = 0u32;
        for (i, c) in r.categories.iter().enumerate() {
            if !codes.insert(c.code.as_str()) {
                return Err(invalid(
                    format!("category[{i}].code"),
                    format!("`{}` appears twice", c.code),
                ));
            }
            if c.items.is_empty() {
                return Err(invalid(
                    format!("category[{i}].item"),
                    "list at least one item".into(),
                ));
            }
            let mut items = 0u32;
            for (j, it) in c.items.iter().enumerate() {
                if !codes.insert(it.code.as_str()) {
                    return Err(invalid(
                        format!("category[{i}].item[{j}].code"),
                        format!("`{}` appears twice", it.code),
                    ));
                }
                if it.points == 0 {
                    return Err(invalid(
                        format!("category[{i}].item[{j}].points"),
                        "must be at least 1".into(),
                    ));
                }
                items = items.saturating_add(it.points);
            }
            if items != c.points {
                return Err(invalid(
                    format!("category[{i}].points"),
                    format!(
                        "{} has {} points but its items add up to {items}",
                        c.code, c.points
                    ),
                ));
            }
            sum = sum.saturating_add(c.points);
        }
        if sum != r.total {
            return Err(invalid(
                "total".into(),
                format!("total is {} but the categories add up to {sum}", r.total),
            ));
        }
        Ok(r)
    }

    /// Every item, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.categories.iter().flat_map(|c| c.items.iter())
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items().find(|i| i.code == code)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn org() -> Rubric {
        Rubric::from_toml(
            "rubrics/org-gbt19580-2012.toml",
            include_str!("../../../rubrics/org-gbt19580-2012.toml"),
        )
        .unwrap()
    }

    fn individual() -> Rubric {
        Rubric::from_toml(
            "rubrics/individual-provisional.toml",
            include_str!("../../../rubrics/individual-provisional.toml"),
        )
        .unwrap()
    }

    #[test]
    fn a13_organization_rubric_has_the_gbt19580_categories() {
        let r = org();
        assert_eq!(r.applies_to, AppliesTo::Organization);
        assert!(!r.provisional);
        let points: Vec<(&str, u32)> = r
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.points))
            .collect();
        assert_eq!(
            points,
            [
                ("领导", 110),
                ("战略", 90),
                ("顾客与市场", 90),
                ("资源", 130),
                ("过程管理", 100),
                ("测量、分析与改进", 80),
                ("结果", 400)
            ]
        );
        assert_eq!(r.total, 1000);
        assert_eq!(r.items().count(), 23);
        assert_eq!(r.item("4.4.2").unwrap().points, 60);
    }

    #[test]
    fn a13_individual_rubric_is_labelled_provisional() {
        let r = individual();
        assert_eq!(r.applies_to, AppliesTo::Individual);
        assert!(r.provisional);
        assert!(r.note.contains("DB 14/T 1464"), "{}", r.note);
        assert!(
            r.title.contains("暂行") || r.title.contains("provisional"),
            "{}",
            r.title
        );
    }

    #[test]
    fn a_bad_rubric_names_the_field() {
        let text = include_str!("../../../rubrics/org-gbt19580-2012.toml");
        let e = Rubric::from_toml("r.toml", &text.replacen("points = 50", "points = 55", 1))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("category[0].points") && e.contains("add up to 115"),
            "{e}"
        );
        let e = Rubric::from_toml("r.toml", &text.replacen("total = 1000", "total = 999", 1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`total`"), "{e}");
        let e = Rubric::from_toml(
            "r.toml",
            &text.replacen("code = \"4.1.3\"", "code = \"4.1.2\"", 1),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("appears twice"), "{e}");
        let e = Rubric::from_toml(
            "r.toml",
            &text.replacen("\nchecked = false\n", "\nchecked = \"no\"\n", 1),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("checked"), "{e}");
    }
}
