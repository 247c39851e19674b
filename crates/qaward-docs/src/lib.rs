//! qaward's documents, from plain data: the Excel lists the Office works with
//! ([`xlsx`]), Word documents in the layout of a government document — the notices and
//! the commendation decision ([`docx`]) — and the PDF certificate with its verification
//! code and QR code ([`pdf`]). Nothing here reads the database or the clock: the caller
//! passes what the document says, so every document is reproducible from its inputs.

pub mod docx;
pub mod inspect;
pub mod pdf;
pub mod xlsx;

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The CJK font could not be read: the certificate needs one (configuration
    /// `documents.cjk_font`).
    #[error("the CJK font at {path} cannot be used: {reason}")]
    Font { path: String, reason: String },
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(String),
    #[error("the Word document could not be written: {0}")]
    Docx(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// A date as a government document writes it: 二〇二六年十二月二十一日.
pub fn chinese_date(year: i32, month: u32, day: u32) -> String {
    let y: String = year
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]))
        .collect();
    format!("{y}年{}月{}日", chinese_number(month), chinese_number(day))
}

/// 1–31 in Chinese numerals: 一, 十, 十二, 二十, 二十一, 三十一.
fn chinese_number(n: u32) -> String {
    let (tens, ones) = (n / 10, n % 10);
    let mut s = String::new();
    if tens > 1 {
        s.push_str(DIGITS[tens as usize]);
    }
    if tens > 0 {
        s.push('十');
    }
    if ones > 0 || tens == 0 {
        s.push_str(DIGITS[ones as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_a_government_document_writes_them() {
        assert_eq!(chinese_date(2026, 12, 21), "二〇二六年十二月二十一日");
        assert_eq!(chinese_date(2027, 1, 10), "二〇二七年一月十日");
        assert_eq!(chinese_date(2030, 10, 31), "二〇三〇年十月三十一日");
    }
}
