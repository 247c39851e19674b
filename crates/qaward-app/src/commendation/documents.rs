//! The documents the Office works with (issue #11, item 9): the PDF certificate of each
//! award (A21.1, A31), the commendation decision and every notice as Word documents in the
//! layout of a government document, and the lists as Excel workbooks with Chinese headers.
//! The documents are made from what is recorded, each time they are asked for.

use qaward_docs::docx::GovDocument;
use qaward_docs::xlsx::{Cell, Sheet};
use qaward_docs::{chinese_date, docx, pdf, xlsx};
use qaward_domain::application::State;
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Target};
use qaward_domain::policy::{Level, Policy};
use qaward_domain::text::Lang;
use qaward_store::commendation::Line;
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::workflow;
use crate::{App, AppError, Principal, check};

/// A file to hand out.
#[derive(Debug, Clone)]
pub struct Document {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PDF: &str = "application/pdf";

pub(crate) fn failed(e: qaward_docs::DocError) -> AppError {
    AppError::Internal(e.to_string())
}

pub(crate) fn chinese(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    chinese_date(d.year(), d.month(), d.day())
}

/// 2 → 二, 12 → 十二: the cycle's ordinal as the certificate writes it.
pub(crate) fn ordinal(n: u32) -> String {
    // chinese_date writes days 1–31 in words; an ordinal past 31 keeps its digits.
    if (1..=31).contains(&n) {
        let s = chinese_date(2000, 1, n);
        s.trim_start_matches("二〇〇〇年一月")
            .trim_end_matches('日')
            .to_owned()
    } else {
        n.to_string()
    }
}

/// The award's full name: 忻州市市长质量奖, or its Nomination Award.
pub(crate) fn award_name(policy: &Policy, level: Level) -> String {
    match level {
        Level::Award => policy.program.clone(),
        Level::Nomination => format!("{}提名奖", policy.program),
    }
}

fn office_name(policy: &Policy) -> String {
    policy.office.clone()
}

/// The certificate of award `id` as a PDF: for the Office, which issues it, and for the
/// winner itself. `verify_base` is the installation's public address, for the QR code.
pub async fn certificate(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    verify_base: &str,
) -> Result<Document, AppError> {
    let a = workflow::load(app, by, id, Perm::ViewApplication).await?;
    let issues = check(Some(by), Perm::RecordAwardDelivery, &a.target).is_ok();
    let own = check(Some(by), Perm::EditApplication, &a.target).is_ok();
    if !issues && !own {
        return Err(AppError::NotFound(format!("certificate of {id}")));
    }
    // Those entitled to the certificate learn why there is none.
    if !matches!(a.row.state, State::Awarded(_)) {
        return Err(AppError::Refused(qaward_domain::rule::Refusal::new(
            qaward_domain::rule::A21_1,
            msg!(
                "award-not-made",
                state = qaward_domain::message::Term::of(a.row.state)
            ),
        )));
    }
    let lines = app.store.commendation_lines(a.cycle.id).await?;
    let award = lines
        .iter()
        .find(|l| l.row.id == id)
        .and_then(|l| l.award.clone())
        .ok_or_else(|| AppError::NotFound(format!("certificate of {id}")))?;
    let decision = app
        .store
        .decision(a.cycle.id)
        .await?
        .ok_or_else(|| AppError::Internal("an award without its decision".into()))?;
    let font = std::fs::read(&app.settings.cjk_font).map_err(|e| AppError::Unavailable {
        message: msg!("certificate-font-missing"),
        detail: format!("{}: {e}", app.settings.cjk_font.display()),
    })?;
    let year: String =
        chinese(chrono::NaiveDate::from_ymd_opt(a.cycle.cycle.year, 1, 1).unwrap_or_default())
            .split('年')
            .next()
            .unwrap_or_default()
            .to_owned();
    let policy = app.policy_of(&a.cycle).await?;
    let c = pdf::Certificate {
        recipient: a.subject.subject.name().to_owned(),
        award: award_name(&policy, award.level),
        cycle: format!(
            "第{}届（{year}年度）{}",
            ordinal(a.cycle.cycle.ordinal),
            policy.program
        ),
        issuer: policy.issuer.clone(),
        date: chinese(decision.dated),
        decision_number: decision.number,
        certificate_number: award.certificate_number.clone(),
        verification_code: award.verification_code.clone(),
        verify_url: format!(
            "{}/verify?code={}",
            verify_base.trim_end_matches('/'),
            award.verification_code
        ),
    };
    let bytes = pdf::certificate(&c, &font).map_err(|e| match e {
        qaward_docs::DocError::Font { reason, .. } => AppError::Unavailable {
            message: msg!("certificate-font-missing"),
            detail: format!("{}: {reason}", app.settings.cjk_font.display()),
        },
        other => failed(other),
    })?;
    Ok(Document {
        filename: format!("{}.pdf", award.certificate_number),
        content_type: PDF,
        bytes,
    })
}

/// Whether `by` works on the commendation desk of `cycle`.
pub(crate) async fn on_desk(app: &App, by: &Principal, cycle: CycleId) -> Result<(), AppError> {
    let t = workflow::cycle_target(app, cycle).await?;
    let any = [
        Perm::ProposeCandidates,
        Perm::Deliberate,
        Perm::CoSignJointReport,
        Perm::DecideAwards,
    ]
    .into_iter()
    .any(|p| check(Some(by), p, &t).is_ok());
    if any {
        Ok(())
    } else {
        check(Some(by), Perm::ProposeCandidates, &t)
    }
}

fn level_text(level: Option<Level>) -> String {
    level.map_or_else(|| "不列入".to_owned(), |l| l.label(Lang::Zh).to_owned())
}

/// The commendation's lists of `cycle` as one workbook: the results with the candidate
/// list, the proposed winners, the winners, the prizes. Reading scores is recorded.
pub async fn lists(app: &App, by: &Principal, cycle: CycleId) -> Result<Document, AppError> {
    let desk = super::desk(app, by, cycle).await?;
    let policy = app.policy_of_cycle(cycle).await?;
    let text = |s: &str| Cell::Text(s.to_owned());
    let lines: Vec<&Line> = desk.lines.iter().map(|r| &r.line).collect();
    let results = Sheet {
        name: "评审结果与候选名单".into(),
        headers: [
            "名次",
            "申报主体",
            "所在地",
            "最终得分",
            "得分达到",
            "候选等级",
            "排序",
            "理由",
            "状态",
        ]
        .map(String::from)
        .to_vec(),
        rows: desk
            .lines
            .iter()
            .map(|r| {
                let l = &r.line;
                vec![
                    Cell::Number(r.rank as f64),
                    text(&l.subject_name),
                    text(&county_name(&policy, &l.county)),
                    Cell::Number(l.score.to_string().parse().unwrap_or(0.0)),
                    text(&level_text(l.reaches)),
                    text(
                        &l.candidate
                            .as_ref()
                            .map(|c| level_text(Some(c.level)))
                            .unwrap_or_default(),
                    ),
                    l.candidate
                        .as_ref()
                        .map_or(text(""), |c| Cell::Number(c.position as f64)),
                    text(
                        &l.candidate
                            .as_ref()
                            .map(|c| c.reason.clone())
                            .unwrap_or_default(),
                    ),
                    text(l.row.state.label(Lang::Zh)),
                ]
            })
            .collect(),
    };
    let proposed = Sheet {
        name: "拟获奖名单".into(),
        headers: ["申报主体", "所在地", "拟授奖项", "审议会议"]
            .map(String::from)
            .to_vec(),
        rows: lines
            .iter()
            .filter_map(|l| {
                let d = l.deliberation.as_ref()?;
                let level = d.outcome?;
                Some(vec![
                    text(&l.subject_name),
                    text(&county_name(&policy, &l.county)),
                    text(&award_name(&policy, level)),
                    text(&d.meeting),
                ])
            })
            .collect(),
    };
    let decision = desk
        .decision
        .as_ref()
        .map(|d| d.number.clone())
        .unwrap_or_default();
    let winners = Sheet {
        name: "获奖名单".into(),
        headers: ["获奖者", "所在地", "奖项", "证书编号", "表彰决定文号"]
            .map(String::from)
            .to_vec(),
        rows: lines
            .iter()
            .filter_map(|l| {
                let w = l.award.as_ref()?;
                Some(vec![
                    text(&l.subject_name),
                    text(&county_name(&policy, &l.county)),
                    text(&award_name(&policy, w.level)),
                    text(&w.certificate_number),
                    text(&decision),
                ])
            })
            .collect(),
    };
    let prizes = Sheet {
        name: "奖牌证书与奖金".into(),
        headers: [
            "获奖者",
            "奖项",
            "应发奖金（元）",
            "实发奖金（元）",
            "发放日期",
            "付款凭证号",
            "奖牌证书颁发日期",
        ]
        .map(String::from)
        .to_vec(),
        rows: desk
            .deliveries
            .iter()
            .filter_map(|x| {
                let l = lines
                    .iter()
                    .find(|l| l.row.id == x.delivery.application_id)?;
                let w = l.award.as_ref()?;
                let d = &x.delivery;
                Some(vec![
                    text(&l.subject_name),
                    text(&award_name(&policy, w.level)),
                    Cell::Number(x.prize_yuan as f64),
                    d.amount_yuan.map_or(text(""), |a| Cell::Number(a as f64)),
                    text(&d.paid_on.map(|x| x.to_string()).unwrap_or_default()),
                    text(d.voucher.as_deref().unwrap_or("")),
                    text(&d.handed_on.map(|x| x.to_string()).unwrap_or_default()),
                ])
            })
            .collect(),
    };
    let bytes = xlsx::workbook(&[results, proposed, winners, prizes]).map_err(failed)?;
    audit::record(
        app,
        by,
        AuditAction::ListExport,
        Object::Cycle(cycle),
        json!({ "list": "commendation", "applications": lines.len() }),
    )
    .await?;
    Ok(Document {
        filename: format!("第{}届表彰名单.xlsx", desk.ordinal),
        content_type: XLSX,
        bytes,
    })
}

fn county_name(policy: &Policy, id: &str) -> String {
    policy
        .county(id)
        .map_or_else(|| id.to_owned(), |c| c.name.clone())
}

/// The commendation decision of `cycle` as a Word document (表彰决定).
pub async fn decision_docx(
    app: &App,
    by: &Principal,
    cycle: CycleId,
) -> Result<Document, AppError> {
    on_desk(app, by, cycle).await?;
    let c = app.store.cycle(cycle).await?;
    let d = app.store.decision(cycle).await?.ok_or_else(|| {
        AppError::Refused(qaward_domain::rule::Refusal::new(
            qaward_domain::rule::A20_2,
            msg!("decision-not-made"),
        ))
    })?;
    let lines = app.store.commendation_lines(cycle).await?;
    let mut winners: Vec<&Line> = lines.iter().filter(|l| l.award.is_some()).collect();
    winners.sort_by_key(|l| l.award.as_ref().map(|w| w.certificate_number.clone()));
    let policy = app.policy_of(&c).await?;
    let program = &policy.program;
    let doc = GovDocument {
        red_head: Some(policy.issuer.clone()),
        number: Some(d.number.clone()),
        title: format!(
            "{}关于表彰第{}届{}获奖组织和个人的决定",
            policy.issuer,
            ordinal(c.cycle.ordinal),
            program
        ),
        paragraphs: vec![
            format!(
                "根据《{}》，经组织申报、资格审查、专家评审、社会公示和领导小组审议，市人民政府研究决定，授予下列组织和个人{}或{}提名奖。",
                policy.title, program, program
            ),
            "希望受到表彰的组织和个人珍惜荣誉，发挥示范引领作用，持续提升质量水平。".into(),
        ],
        table: Some((
            ["序号", "获奖者", "奖项", "证书编号"]
                .map(String::from)
                .to_vec(),
            winners
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    let w = l.award.as_ref()?;
                    Some(vec![
                        (i + 1).to_string(),
                        l.subject_name.clone(),
                        award_name(&policy, w.level),
                        w.certificate_number.clone(),
                    ])
                })
                .collect(),
        )),
        signer: policy.issuer.clone(),
        date: chinese(d.dated),
    };
    Ok(Document {
        filename: format!("{}.docx", d.number),
        content_type: DOCX,
        bytes: docx::government_document(&doc).map_err(failed)?,
    })
}

/// A public notice as a Word document, its entries as a table: anyone.
pub async fn notice_docx(app: &App, id: i64) -> Result<Document, AppError> {
    check(None, Perm::ReadNotices, &Target::default())?;
    let (n, entries) = crate::objections::notice(app, id).await?;
    let policy = app.policy_of_cycle(n.cycle_id).await?;
    let doc = GovDocument {
        red_head: Some(office_name(&policy)),
        number: None,
        title: n.title.clone(),
        paragraphs: vec![
            format!(
                "现将{}予以公示，公示期自{}至{}。",
                n.title,
                chinese(n.start),
                chinese(n.end)
            ),
            format!(
                "公示期间，任何单位和个人对公示对象有异议的，可以实名或匿名向{}提出，并提供必要的证据。联系方式：{}。",
                office_name(&policy),
                n.contact
            ),
        ],
        table: Some((
            ["序号", "名称", "所在地"].map(String::from).to_vec(),
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    vec![
                        (i + 1).to_string(),
                        e.subject_name.clone(),
                        county_name(&policy, &e.county),
                    ]
                })
                .collect(),
        )),
        signer: office_name(&policy),
        date: chinese(n.start),
    };
    Ok(Document {
        filename: format!("{}.docx", n.title),
        content_type: DOCX,
        bytes: docx::government_document(&doc).map_err(failed)?,
    })
}

/// A public notice's entries as an Excel list: anyone.
pub async fn notice_xlsx(app: &App, id: i64) -> Result<Document, AppError> {
    check(None, Perm::ReadNotices, &Target::default())?;
    let (n, entries) = crate::objections::notice(app, id).await?;
    let policy = app.policy_of_cycle(n.cycle_id).await?;
    let sheet = Sheet {
        name: "公示名单".into(),
        headers: ["序号", "名称", "所在地"].map(String::from).to_vec(),
        rows: entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![
                    Cell::Number((i + 1) as f64),
                    Cell::Text(e.subject_name.clone()),
                    Cell::Text(county_name(&policy, &e.county)),
                ]
            })
            .collect(),
    };
    Ok(Document {
        filename: format!("{}.xlsx", n.title),
        content_type: XLSX,
        bytes: xlsx::workbook(&[sheet]).map_err(failed)?,
    })
}

/// The channel's name: the county's market supervision department, or the industry
/// department.
fn channel_name(policy: &Policy, c: &qaward_domain::application::Channel) -> String {
    use qaward_domain::application::Channel;
    match c {
        Channel::County(id) => policy
            .county(id)
            .map_or_else(|| id.clone(), |c| c.reviewer.clone()),
        Channel::Industry(id) => policy
            .industry(id)
            .map_or_else(|| id.clone(), |i| i.name.clone()),
    }
}

/// The submitted applications of the current cycle as an Excel list, for the Office;
/// those the reader is recused from are left out (A29). The export is recorded.
pub async fn applications_xlsx(app: &App, by: &Principal) -> Result<Document, AppError> {
    check(Some(by), Perm::FormalReview, &Target::default())?;
    let Some(cycle) = crate::home::current_cycle(app, Some(by)).await? else {
        return Err(AppError::NotFound("no cycle".into()));
    };
    check(
        Some(by),
        Perm::FormalReview,
        &workflow::target_of_cycle(&cycle),
    )?;
    let policy = app.policy_of(&cycle).await?;
    let recused = app.store.recusals_of(by.user.id).await?;
    let lines: Vec<_> = app
        .store
        .cycle_applications(cycle.id)
        .await?
        .into_iter()
        .filter(|l| l.row.channel.is_some() && !recused.contains(&l.row.subject_id))
        .collect();
    let text = |s: &str| Cell::Text(s.to_owned());
    let sheet = Sheet {
        name: "申报名单".into(),
        headers: ["序号", "申报主体", "所在地", "报送渠道", "状态", "报送日期"]
            .map(String::from)
            .to_vec(),
        rows: lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    Cell::Number((i + 1) as f64),
                    text(&l.subject_name),
                    text(&county_name(&policy, &l.county)),
                    text(
                        &l.row
                            .channel
                            .as_ref()
                            .map(|c| channel_name(&policy, c))
                            .unwrap_or_default(),
                    ),
                    text(l.row.state.label(Lang::Zh)),
                    text(
                        &l.row
                            .submitted_on
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
    };
    let bytes = xlsx::workbook(&[sheet]).map_err(failed)?;
    audit::record(
        app,
        by,
        AuditAction::ListExport,
        Object::Cycle(cycle.id),
        json!({ "list": "applications", "applications": lines.len() }),
    )
    .await?;
    Ok(Document {
        filename: format!("第{}届申报名单.xlsx", cycle.cycle.ordinal),
        content_type: XLSX,
        bytes,
    })
}
