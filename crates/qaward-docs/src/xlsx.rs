//! Excel lists with Chinese headers: one sheet per list, the header row bold and frozen,
//! filters on, columns as wide as their text. Text is written as text, never as a formula,
//! so a name that begins with `=` stays a name.

use rust_xlsxwriter::{Format, Workbook};

use crate::DocError;

/// A cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

/// One list: its sheet's name, the headers, the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn err(e: rust_xlsxwriter::XlsxError) -> DocError {
    DocError::Xlsx(e.to_string())
}

/// How wide `s` shows: a CJK character takes two columns.
fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// The sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// A workbook of `sheets`.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, DocError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&sheet.name)).map_err(err)?;
        let mut widths: Vec<f64> = sheet.headers.iter().map(|h| width(h)).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let w = match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c as u16, t).map_err(err)?;
                        width(t)
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c as u16, *n).map_err(err)?;
                        width(&n.to_string())
                    }
                };
                if let Some(x) = widths.get_mut(c) {
                    *x = x.max(w);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (w + 2.0).min(60.0))
                .map_err(err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        if !sheet.headers.is_empty() {
            let last = sheet.rows.len() as u32;
            ws.autofilter(0, 0, last, sheet.headers.len() as u16 - 1)
                .map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn a_list_reads_back_with_its_chinese_headers_and_values() {
        let sheets = vec![Sheet {
            name: "获奖名单".into(),
            headers: vec!["获奖者".into(), "奖项".into(), "奖金（元）".into()],
            rows: vec![vec![
                "=忻州市喆玥有限公司".into(),
                "市长质量奖".into(),
                Cell::Number(200_000.0),
            ]],
        }];
        let bytes = workbook(&sheets).unwrap();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = x.worksheet_range("获奖名单").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("获奖者".into())));
        // A name that begins like a formula is text, not a formula.
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String("=忻州市喆玥有限公司".into()))
        );
        assert_eq!(range.get((1, 2)), Some(&Data::Float(200_000.0)));
    }
}
