//! The hints say what their own version says: 2021's articles and prizes under 2021, the
//! successor's under the successor (issue #13, item 2).

use std::sync::Arc;

use qaward_domain::policy::Policy;

use super::{Cited, Law};
use crate::i18n::Lang;

const Y2021: &str = include_str!("../../../../../policy/xinzhou-2021.toml");
const Y2027: &str = include_str!("../../../../qaward-domain/tests/data/hypothetical-2027.toml");

fn law(text: &str, lang: Lang) -> Law {
    let policy = Policy::parse("test.toml", text).expect("the test policy parses");
    Law::new(Arc::new(policy), lang)
}

#[test]
fn a34_a_successor_s_hints_cite_its_own_article_numbers() {
    let hint = Cited("（{A9}、{A14}、{A10.4}、{A28.3}）");
    assert_eq!(
        law(Y2021, Lang::Zh).say(&hint),
        "（第九条、第十四条、第十条第四项、第二十八条第三项）"
    );
    // The successor inserts an article after the thirteenth.
    assert_eq!(
        law(Y2027, Lang::Zh).say(&hint),
        "（第九条、第十五条、第十条第四项、第二十九条第三项）"
    );
    assert_eq!(
        law(Y2027, Lang::En).say(&Cited("({A14}, {A28.3})")),
        "(Article 15, Article 29(3))"
    );
}

#[test]
fn a21_the_delivery_hint_names_each_version_s_prizes() {
    let zh21 = law(Y2021, Lang::Zh).say(&Cited("{delivery}（{A21}）。"));
    assert_eq!(
        zh21,
        "忻州市市长质量奖：获奖组织颁发奖牌、证书和奖金20万元，获奖个人颁发奖牌、证书和奖金3万元；\
         忻州市市长质量奖提名奖：颁发奖牌和证书（第二十一条）。"
    );
    let zh27 = law(Y2027, Lang::Zh).say(&Cited("{delivery}（{A21}）。"));
    assert!(zh27.contains("30万元") && zh27.contains("4万元"), "{zh27}");
    assert!(
        !zh27.contains("20万元") && zh27.contains("第二十二条"),
        "{zh27}"
    );
    let en21 = law(Y2021, Lang::En).say(&Cited("{delivery} ({A21})."));
    assert!(
        en21.contains("200,000 yuan") && en21.contains("30,000 yuan"),
        "{en21}"
    );
}

#[test]
fn a4_2_a14_1_years_and_notice_lengths_come_from_the_version() {
    let text =
        Cited("每{cycle_years}年；{days.in-unit}、{days.candidates}、{days.proposed-winners}");
    assert_eq!(law(Y2021, Lang::Zh).say(&text), "每3年；5、5、5");
    assert_eq!(law(Y2027, Lang::Zh).say(&text), "每2年；7、6、7");
}

#[test]
fn amounts_read_as_people_write_them() {
    let l = law(Y2021, Lang::Zh);
    assert_eq!(l.money(200_000), "20万元");
    assert_eq!(l.money(15_000), "1.5万元");
    assert_eq!(l.money(800), "800元");
    assert_eq!(l.money(12_345), "12345元");
    assert_eq!(law(Y2021, Lang::En).money(1_200_000), "1,200,000 yuan");
}

#[test]
fn unknown_and_unclosed_placeholders_stay_as_written() {
    let l = law(Y2021, Lang::Zh);
    assert_eq!(
        l.say(&Cited("{nonsense} {A} {A1x} {")),
        "{nonsense} {A} {A1x} {"
    );
}

/// Every `Cited("…")` literal of the catalogs, read from their source so that none is
/// forgotten.
fn catalog_texts() -> Vec<&'static str> {
    let sources = [
        include_str!("../zh.rs"),
        include_str!("../en.rs"),
        include_str!("../commendation.rs"),
        include_str!("../complaints.rs"),
        include_str!("../obligations.rs"),
        include_str!("../policies.rs"),
    ];
    let mut out = Vec::new();
    for s in sources {
        // `Cited("…")`, or across lines as rustfmt writes a long one.
        for (i, _) in s.match_indices("Cited(") {
            let rest = s[i + 6..].trim_start();
            let Some(text) = rest.strip_prefix('"') else {
                continue;
            };
            let end = text.find('"').expect("a Cited literal ends");
            out.push(&text[..end]);
        }
    }
    out
}

#[test]
fn every_catalog_hint_fills_all_its_placeholders_under_both_versions() {
    let texts = catalog_texts();
    assert!(texts.len() >= 54, "found {} Cited texts", texts.len());
    for version in [Y2021, Y2027] {
        for lang in [Lang::Zh, Lang::En] {
            let l = law(version, lang);
            for t in &texts {
                let said = l.say(&Cited(t));
                assert!(!said.contains('{'), "left unfilled: {said}");
            }
        }
    }
}

#[test]
fn the_2021_hints_read_as_before() {
    let l = law(Y2021, Lang::Zh);
    let tr = Lang::Zh.tr();
    assert_eq!(
        l.say(&tr.no_fee),
        "评选不向申报组织和个人收取任何费用（第九条）。"
    );
    assert_eq!(
        l.say(&tr.public_intro),
        "忻州市市长质量奖是忻州市人民政府设立的质量管理领域最高荣誉，每3年评选一届。"
    );
}
