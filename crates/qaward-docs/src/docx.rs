//! Word documents in the layout of a government document (GB/T 9704 in spirit): an
//! optional red head (红头) with the document number, the title in 宋体 二号, the body in
//! 仿宋 三号 with a two-character first-line indent, a table of the entries where there is
//! one, and the issuer (落款) with the date in Chinese at the right.

use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableCell, TableRow,
};

use crate::DocError;

/// A government document's content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GovDocument {
    /// The issuing body's name printed in red at the head, if any (红头).
    pub red_head: Option<String>,
    /// The document number (文号), under the red head.
    pub number: Option<String>,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// A table: headers and rows.
    pub table: Option<(Vec<String>, Vec<Vec<String>>)>,
    /// The issuer (落款).
    pub signer: String,
    /// The date in Chinese (二〇二六年十二月二十一日).
    pub date: String,
}

const SONG: &str = "宋体";
const FANGSONG: &str = "仿宋";

fn run(text: &str, font: &str, half_points: usize) -> Run {
    Run::new()
        .add_text(text)
        .size(half_points)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

fn centered(r: Run) -> Paragraph {
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

/// The document as a .docx file.
pub fn government_document(d: &GovDocument) -> Result<Vec<u8>, DocError> {
    // Sizes in half-points: 小初 36 pt, 二号 22 pt, 三号 16 pt, 四号 14 pt.
    let mut doc = Docx::new();
    if let Some(head) = &d.red_head {
        doc = doc.add_paragraph(centered(run(head, SONG, 72).bold().color("FF0000")));
    }
    if let Some(n) = &d.number {
        doc = doc.add_paragraph(centered(run(n, FANGSONG, 32)));
    }
    doc = doc.add_paragraph(centered(run(&d.title, SONG, 44).bold()));
    for p in &d.paragraphs {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(p, FANGSONG, 32)).indent(
            None,
            Some(SpecialIndentType::FirstLine(640)),
            None,
            None,
        ));
    }
    if let Some((headers, rows)) = &d.table {
        let cell = |t: &str, bold: bool| {
            let r = run(t, FANGSONG, 28);
            TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
                r.bold()
            } else {
                r
            }))
        };
        let mut table_rows = vec![TableRow::new(
            headers.iter().map(|h| cell(h, true)).collect(),
        )];
        table_rows.extend(
            rows.iter()
                .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
        );
        doc = doc.add_table(Table::new(table_rows));
    }
    for line in [&d.signer, &d.date] {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(line, FANGSONG, 32))
                .align(AlignmentType::Right),
        );
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| DocError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The text of the document's body, as Word stores it.
    pub(crate) fn body_xml(bytes: &[u8]) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn a_notice_reads_back_with_its_head_title_entries_and_date() {
        let d = GovDocument {
            red_head: Some("忻州市标准化和质量强市领导小组办公室".into()),
            number: Some("忻质奖办〔2026〕9号".into()),
            title: "第2届候选名单公示".into(),
            paragraphs: vec!["现将候选名单公示如下。".into()],
            table: Some((
                vec!["序号".into(), "名称".into()],
                vec![vec!["1".into(), "忻州市喆玥有限公司".into()]],
            )),
            signer: "忻州市标准化和质量强市领导小组办公室".into(),
            date: crate::chinese_date(2026, 12, 7),
        };
        let bytes = government_document(&d).unwrap();
        let xml = body_xml(&bytes);
        assert!(xml.contains("FF0000"), "the red head is red");
        let text = crate::inspect::docx_text(&bytes).unwrap();
        for s in [
            "忻质奖办〔2026〕9号",
            "第2届候选名单公示",
            "忻州市喆玥有限公司",
            "二〇二六年十二月七日",
        ] {
            assert!(text.contains(s), "{s} missing from {text}");
        }
    }
}
