//! A revocation made public (A28.2, 并向社会公布): every award the Government revoked is
//! announced (公告) in its name — who, which award, the cause of A28.1, the decision with its
//! number, what follows (plaque and certificate taken back, the prize recovered) and the
//! A28.3 ban with its last year as frozen at the decision. The announcement is composed
//! from what the decision records, as a notice is: the verified finding and the evidence
//! stay internal (they may name people and documents the public has no claim to), the
//! cause's category is what is published. Anyone reads it, on a page, as a Word document
//! in the layout of a government document, and in the list of notices.

use chrono::NaiveDate;
use qaward_docs::docx::{self, GovDocument};
use qaward_domain::application::RevocationCause;
use qaward_domain::policy::Level;
use qaward_store::revocations::RevocationRow;
use serde::Serialize;

use crate::commendation::documents::{DOCX, Document, award_name, chinese, failed, ordinal};
use crate::{App, AppError};

/// A revocation as published (A28.2): who, which award, the decision, the cause.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// The request's number: its announcement is `announcement(id)`.
    pub id: i64,
    /// The announcement's title, in Chinese as it is issued.
    pub title: String,
    pub subject_name: String,
    pub level: Level,
    pub cycle_ordinal: i64,
    pub cycle_year: i64,
    pub certificate_number: String,
    pub cause: RevocationCause,
    pub decision_number: String,
    pub decided_on: Option<NaiveDate>,
}

/// The award as the announcement names it: 第二届忻州市市长质量奖, by the names of the
/// version of the measures its cycle ran under.
async fn award(app: &App, r: &RevocationRow) -> Result<String, AppError> {
    Ok(format!(
        "第{}届{}",
        ordinal(u32::try_from(r.cycle_ordinal).unwrap_or(0)),
        award_name(&*app.policy_version(&r.policy_id).await?, r.level)
    ))
}

/// What is published of decided request `r`, whose award reads `award`.
fn published_of(r: RevocationRow, award: &str) -> Published {
    Published {
        title: format!("关于撤销{}{award}的公告", r.subject_name),
        id: r.id,
        subject_name: r.subject_name,
        level: r.level,
        cycle_ordinal: r.cycle_ordinal,
        cycle_year: r.cycle_year,
        certificate_number: r.certificate_number,
        cause: r.cause,
        decision_number: r.decision_number.unwrap_or_default(),
        decided_on: r.decided_on,
    }
}

/// Every decided revocation, newest first (anyone): the revocation made public.
pub async fn published(app: &App) -> Result<Vec<Published>, AppError> {
    let mut out = Vec::new();
    // The versions are kept parsed once read: no query per row.
    for r in app.store.revocations_decided().await? {
        let award = award(app, &r).await?;
        out.push(published_of(r, &award));
    }
    Ok(out)
}

/// A revocation's announcement: what was decided, and its text in Chinese as the Word
/// document prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Announcement {
    #[serde(flatten)]
    pub revocation: Published,
    /// The decision's day (`revocation.decided_on`, known to be there).
    #[serde(skip)]
    pub decided_on: NaiveDate,
    /// The last year of the A28.3 ban, frozen with the decision.
    pub ban_until_year: Option<i64>,
    /// The text under the title (`revocation.title`), in Chinese.
    pub paragraphs: Vec<String>,
    /// Who announces it: the Municipal Government, which decided (A28.1).
    pub issuer: String,
    /// The award program's name, as the award's version of the measures gives it.
    #[serde(skip)]
    pub program: String,
}

/// The announcement of revocation request `id` (anyone); "not found" unless the
/// Government revoked the award on it.
pub async fn announcement(app: &App, id: i64) -> Result<Announcement, AppError> {
    let r = app
        .store
        .revocation_decided(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("revocation {id}")))?;
    let decided_on = r
        .decided_on
        .ok_or_else(|| AppError::Internal(format!("revocation {id} has no decision date")))?;
    let ban_until_year = r.ban_until_year;
    let award = award(app, &r).await?;
    // The award's cycle's version names the measures, the Government and the award.
    let policy = app.policy_version(&r.policy_id).await?;
    let p = published_of(r, &award);
    let subject = &p.subject_name;
    let mut paragraphs = vec![
        format!(
            "{subject}于{}年获得{award}（证书编号：{}）。经查证，{subject}存在“{}”的情形。",
            p.cycle_year,
            p.certificate_number,
            p.cause.label(qaward_domain::text::Lang::Zh)
        ),
        format!(
            "根据《{}》第{}条的规定，{}决定（{}）撤销{subject}所获{award}，收回奖牌、证书，追缴所获奖金。",
            policy.title,
            qaward_domain::text::chinese_number(policy.article_number(&qaward_domain::rule::A28_1)),
            policy.issuer,
            p.decision_number
        ),
    ];
    if let Some(last) = ban_until_year {
        paragraphs.push(format!(
            "自撤销奖项当年起至{last}年底，{subject}不得申报{}。",
            policy.program
        ));
    }
    paragraphs.push("特此公告。".into());
    Ok(Announcement {
        paragraphs,
        issuer: policy.issuer.clone(),
        program: policy.program.clone(),
        decided_on,
        ban_until_year,
        revocation: p,
    })
}

/// The announcement of revocation request `id` as a Word document (anyone).
pub async fn announcement_docx(app: &App, id: i64) -> Result<Document, AppError> {
    let a = announcement(app, id).await?;
    let doc = GovDocument {
        red_head: Some(a.issuer.clone()),
        number: Some(a.revocation.decision_number.clone()),
        title: a.revocation.title.clone(),
        paragraphs: a.paragraphs.clone(),
        table: None,
        signer: a.issuer.clone(),
        date: chinese(a.decided_on),
    };
    Ok(Document {
        filename: format!("{}.docx", a.revocation.title),
        content_type: DOCX,
        bytes: docx::government_document(&doc).map_err(failed)?,
    })
}
