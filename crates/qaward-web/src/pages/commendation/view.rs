//! The commendation desk's page model and the public pages' models, in the reader's
//! words, built from the use cases' [`Desk`], background queue, verification and honour
//! roll.

use askama::Template;
use askama_web::WebTemplate;
use qaward_app::commendation::Desk;
use qaward_app::commendation::candidates::BackgroundItem;
use qaward_app::commendation::public::{Certificate, Honour, Verified};
use qaward_domain::application::State as AppState_;
use qaward_domain::policy::Level;

use super::super::forms::{Refill, RefusedForm};
use super::super::{Chrome, chrome, csrf};
use crate::i18n::{CmTr, Lang, Law, day, label};
use crate::session::Viewer;

/// A choice of a row's level select.
pub(crate) struct LevelChoice {
    pub value: &'static str,
    pub text: &'static str,
}

/// An award's delivery on the desk (A21.1).
pub(crate) struct DeliveryRow {
    pub id: i64,
    pub subject: String,
    pub level: String,
    pub prize: String,
    /// The prize due, as the payment form's preset amount; empty when none is due.
    pub due: String,
    pub paid: String,
    pub handed: String,
    pub pay_open: bool,
    pub hand_open: bool,
}

/// One evaluated application on the desk.
pub(crate) struct Line {
    pub id: i64,
    pub rank: usize,
    pub subject: String,
    pub county: String,
    pub score: String,
    pub reaches: &'static str,
    /// The level the score reaches, as the select's value (`award`, `nomination`, `none`).
    pub reaches_code: &'static str,
    pub state: &'static str,
    pub candidate: String,
    /// Where its background opinions stand (A18.2), for a candidate.
    pub opinions: String,
    pub reason: String,
    pub outcome: String,
    pub certificate: String,
    pub code: String,
    pub evaluated: bool,
    pub is_candidate: bool,
    pub proposed: bool,
    /// The proposed level's code, for the decision's preselection.
    pub proposed_code: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "commendation.html")]
pub(crate) struct DeskPage {
    pub chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    pub law: crate::i18n::Law,
    pub csrf: String,
    pub has_cycle: bool,
    pub lines: Vec<Line>,
    pub levels: Vec<LevelChoice>,
    pub notices: Vec<(i64, String, String)>,
    pub vacancies: Vec<String>,
    pub report: Vec<(String, String)>,
    pub report_filed: bool,
    pub report_cosigned: bool,
    pub decision: Vec<(String, String)>,
    /// The signed decision's file name, once attached (A20.2).
    pub signed: Option<String>,
    pub deliveries: Vec<DeliveryRow>,
    pub deliver: bool,
    pub today: String,
    pub propose: bool,
    pub deliberate: bool,
    pub cosign: bool,
    pub decide: bool,
    /// The notice steps of the cycle's version (a successor may drop one).
    pub candidates_notice: bool,
    pub proposed_notice: bool,
    pub refused: Option<(String, Refill)>,
}

impl DeskPage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    /// What was typed in `field` of `form` when refused; else `shown`.
    fn typed<'a>(&'a self, form: &str, field: &str, shown: &'a str) -> &'a str {
        match &self.refused {
            Some((k, r)) if k == form => r.typed(field),
            _ => shown,
        }
    }

    /// A row's field as typed when `form` was refused; else `shown`.
    fn row<'a>(&'a self, form: &str, field: &str, id: &i64, shown: &'a str) -> &'a str {
        self.typed(form, &format!("{field}.{id}"), shown)
    }

    fn any(&self, f: impl Fn(&Line) -> bool) -> bool {
        self.lines.iter().any(f)
    }

    fn any_evaluated(&self) -> bool {
        self.any(|l| l.evaluated)
    }

    fn any_candidate(&self) -> bool {
        self.candidates_notice && self.any(|l| l.is_candidate)
    }

    fn any_proposed(&self) -> bool {
        self.proposed_notice && self.any(|l| l.proposed)
    }
}

fn level_code(level: Option<Level>) -> &'static str {
    level.map_or("none", |l| l.code())
}

fn level_text(lang: Lang, t: &CmTr, level: Option<Level>) -> &'static str {
    level.map_or(t.none, |l| label(lang, l))
}

/// The levels a row may take, the Award first.
pub(crate) fn levels(lang: Lang) -> Vec<LevelChoice> {
    let t = lang.tr().cm;
    vec![
        LevelChoice {
            value: "award",
            text: label(lang, Level::Award),
        },
        LevelChoice {
            value: "nomination",
            text: label(lang, Level::Nomination),
        },
        LevelChoice {
            value: "none",
            text: t.none,
        },
    ]
}

/// The desk without a cycle.
pub(crate) fn empty(lang: Lang, viewer: &Viewer, law: Law) -> DeskPage {
    DeskPage {
        law,
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        has_cycle: false,
        lines: vec![],
        levels: vec![],
        notices: vec![],
        vacancies: vec![],
        report: vec![],
        report_filed: false,
        report_cosigned: false,
        decision: vec![],
        signed: None,
        deliveries: vec![],
        deliver: false,
        today: String::new(),
        propose: false,
        deliberate: false,
        cosign: false,
        decide: false,
        candidates_notice: false,
        proposed_notice: false,
        refused: None,
    }
}

/// The desk of a cycle.
pub(crate) fn build(
    lang: Lang,
    viewer: &Viewer,
    law: Law,
    d: Desk,
    today: chrono::NaiveDate,
    refused: Option<(String, Refill)>,
) -> DeskPage {
    let t = lang.tr().cm;
    let deliveries = d
        .deliveries
        .iter()
        .filter_map(|x| {
            let line = d
                .lines
                .iter()
                .find(|r| r.line.row.id == x.delivery.application_id)?;
            let award = line.line.award.as_ref()?;
            let yuan = |n: u64| format!("{n} {}", t.yuan);
            Some(DeliveryRow {
                id: x.delivery.application_id.0,
                subject: line.line.subject_name.clone(),
                level: format!("{} {}", label(lang, award.level), award.certificate_number),
                prize: if x.prize_yuan == 0 {
                    t.no_prize.to_owned()
                } else {
                    yuan(x.prize_yuan)
                },
                due: if x.prize_yuan == 0 {
                    String::new()
                } else {
                    x.prize_yuan.to_string()
                },
                paid: match (
                    &x.delivery.amount_yuan,
                    &x.delivery.paid_on,
                    &x.delivery.voucher,
                ) {
                    (Some(a), Some(on), Some(v)) => {
                        format!("{} · {} · {v}", yuan(*a), day(lang, *on))
                    }
                    _ => String::new(),
                },
                handed: match (&x.delivery.handed_on, &x.delivery.handover_note) {
                    (Some(on), Some(n)) => format!("{} {n}", day(lang, *on)),
                    _ => String::new(),
                },
                pay_open: x.prize_yuan > 0 && x.delivery.amount_yuan.is_none(),
                hand_open: x.delivery.handed_on.is_none(),
            })
        })
        .collect();
    let lines = d
        .lines
        .into_iter()
        .map(|r| {
            let l = r.line;
            let state = l.row.state;
            Line {
                id: l.row.id.0,
                rank: r.rank,
                subject: l.subject_name,
                county: l.county,
                score: l.score.to_string(),
                reaches: l.reaches.map_or(t.below_thresholds, |v| label(lang, v)),
                reaches_code: level_code(l.reaches),
                state: label(lang, state),
                candidate: l
                    .candidate
                    .as_ref()
                    .map(|c| format!("{} {}", label(lang, c.level), c.position))
                    .unwrap_or_default(),
                opinions: d
                    .background
                    .get(&l.row.id)
                    .map(|o| {
                        t.opinions_line
                            .replace("{answered}", &o.answered.to_string())
                            .replace("{requested}", &o.requested.to_string())
                            .replace("{adverse}", &o.adverse.to_string())
                    })
                    .unwrap_or_default(),
                reason: l.candidate.map(|c| c.reason).unwrap_or_default(),
                outcome: l
                    .deliberation
                    .map(|d| format!("{}（{}）", level_text(lang, t, d.outcome), d.meeting))
                    .unwrap_or_default(),
                certificate: l
                    .award
                    .as_ref()
                    .map(|a| format!("{} {}", label(lang, a.level), a.certificate_number))
                    .unwrap_or_default(),
                code: l.award.map(|a| a.verification_code).unwrap_or_default(),
                evaluated: state == AppState_::Evaluated,
                is_candidate: state == AppState_::Candidate,
                proposed: matches!(state, AppState_::Proposed(_)),
                proposed_code: match state {
                    AppState_::Proposed(l) => l.code(),
                    _ => "none",
                },
            }
        })
        .collect();
    let vacancies = d
        .vacancies
        .iter()
        .map(|v| {
            t.vacancy_line
                .replace("{level}", label(lang, v.level))
                .replace("{quota}", &v.quota.to_string())
                .replace("{taken}", &v.taken.to_string())
                .replace("{vacant}", &v.vacant.to_string())
        })
        .collect();
    let notices = d
        .notices
        .iter()
        .map(|n| {
            (
                n.id,
                n.title.clone(),
                format!("{} – {}", day(lang, n.start), day(lang, n.end)),
            )
        })
        .collect();
    let names = |ids: &[qaward_domain::ids::ApplicationId]| -> String {
        ids.iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join("、")
    };
    let report = d
        .joint_report
        .as_ref()
        .map(|r| {
            vec![
                (t.number.to_owned(), r.number.clone()),
                (t.dated.to_owned(), day(lang, r.dated)),
                (t.subject.to_owned(), names(&r.applications)),
                (
                    t.cosign.to_owned(),
                    r.cosigned_by.clone().map_or_else(
                        || t.not_cosigned.to_owned(),
                        |b| format!("{} {b}", t.cosigned),
                    ),
                ),
            ]
        })
        .unwrap_or_default();
    let decision = d
        .decision
        .as_ref()
        .map(|x| {
            vec![
                (t.number.to_owned(), x.number.clone()),
                (t.dated.to_owned(), day(lang, x.dated)),
            ]
        })
        .unwrap_or_default();
    DeskPage {
        law,
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        has_cycle: true,
        lines,
        levels: levels(lang),
        notices,
        vacancies,
        report_filed: d.joint_report.is_some(),
        report_cosigned: d
            .joint_report
            .as_ref()
            .is_some_and(|r| r.cosigned_at.is_some()),
        report,
        decision,
        signed: d
            .decision
            .as_ref()
            .and_then(|x| x.signed.as_ref().map(|s| s.name.clone())),
        deliveries,
        deliver: d.may.deliver,
        today: today.to_string(),
        propose: d.may.propose,
        deliberate: d.may.deliberate,
        cosign: d.may.cosign,
        decide: d.may.decide,
        candidates_notice: d.candidates_notice,
        proposed_notice: d.proposed_notice,
        refused,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "background.html")]
pub(crate) struct BackgroundPage {
    pub chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    pub law: crate::i18n::Law,
    pub csrf: String,
    pub items: Vec<BackgroundItem>,
    pub due: String,
    pub refused: Option<(String, Refill)>,
}

impl BackgroundPage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    /// Whether department `d` of candidate `id` is ticked: as sent when its form was
    /// refused, else as the policy preselects it.
    fn ticked(&self, id: &qaward_domain::ids::ApplicationId, d: &str, chosen: &bool) -> bool {
        match &self.refused {
            Some((k, r)) if *k == format!("background-{id}") => {
                r.values.iter().any(|(f, v)| f == "departments" && v == d)
            }
            _ => *chosen,
        }
    }

    fn typed_due<'a>(&'a self, id: &qaward_domain::ids::ApplicationId) -> &'a str {
        match &self.refused {
            Some((k, r)) if *k == format!("background-{id}") => r.typed("due"),
            _ => &self.due,
        }
    }
}

/// What the verification page says.
pub(crate) struct Verdict {
    pub status: &'static str,
    pub text: &'static str,
    pub facts: Vec<(&'static str, String)>,
    /// The announcement that made a revocation public (A28.2).
    pub announcement: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "verify.html")]
pub(crate) struct VerifyPage {
    pub chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    pub law: crate::i18n::Law,
    pub code: String,
    pub verdict: Option<Verdict>,
}

/// The verdict on `v` in the reader's words.
pub(crate) fn verdict(lang: Lang, v: Verified) -> Verdict {
    let t = lang.tr().cm;
    let facts = |c: &Certificate| {
        vec![
            (t.recipient, c.recipient.clone()),
            (t.award, label(lang, c.level).to_owned()),
            (t.year, c.cycle_year.to_string()),
            (t.certificate, c.certificate_number.clone()),
            (t.decision_number, c.decision_number.clone()),
        ]
    };
    match v {
        Verified::Valid(c) => Verdict {
            status: "valid",
            text: t.valid,
            facts: facts(&c),
            announcement: None,
        },
        Verified::Revoked(c) => Verdict {
            status: "revoked",
            text: t.revoked,
            facts: facts(&c),
            announcement: c.announcement,
        },
        Verified::Unknown => Verdict {
            status: "unknown",
            text: t.unknown,
            facts: vec![],
            announcement: None,
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "honours.html")]
pub(crate) struct HonoursPage {
    pub chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    pub law: crate::i18n::Law,
    pub honours: Vec<(String, String, String, String)>,
}

/// The honour roll's lines: cycle, year, recipient, award.
pub(crate) fn honour_lines(lang: Lang, list: Vec<Honour>) -> Vec<(String, String, String, String)> {
    list.into_iter()
        .map(|h| {
            (
                match lang {
                    Lang::Zh => format!("第{}届", h.cycle_ordinal),
                    Lang::En => format!("Cycle {}", h.cycle_ordinal),
                },
                h.cycle_year.to_string(),
                h.recipient,
                label(lang, h.level).to_owned(),
            )
        })
        .collect()
}
