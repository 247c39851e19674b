//! The PDF certificate (A21.1, A31): A4 landscape, a double border, 荣誉证书, the
//! recipient, the award and its year, the issuer and the date in Chinese, the commendation
//! decision's number, the certificate number, the verification code and a QR code of the
//! public verification URL. Chinese text is set in the CJK font the installation names
//! (subset into the file); Latin letters and digits, which CJK fallback fonts often lack,
//! in the PDF's built-in Helvetica — so the number and the code are also plain text a
//! reader can copy.

use printpdf::{
    BuiltinFont, Color, FontId, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};
use qrcode::QrCode;

use crate::DocError;

/// What a certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub recipient: String,
    /// 忻州市市长质量奖 or 忻州市市长质量奖提名奖.
    pub award: String,
    /// 第二届（二〇二六年度）, as the text reads.
    pub cycle: String,
    /// 忻州市人民政府.
    pub issuer: String,
    /// The date in Chinese.
    pub date: String,
    pub decision_number: String,
    pub certificate_number: String,
    pub verification_code: String,
    /// The public verification page's address with the code.
    pub verify_url: String,
}

const WIDTH: f32 = 297.0;
const HEIGHT: f32 = 210.0;

/// The two fonts a line is set in.
struct Fonts {
    cjk: FontId,
}

/// Splits `text` into runs of ASCII and of other characters.
fn runs(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let ascii = c.is_ascii();
        match out.last_mut() {
            Some((a, s)) if *a == ascii => s.push(c),
            _ => out.push((ascii, c.to_string())),
        }
    }
    out
}

/// The width `text` takes at `size` points, in millimetres: a CJK character is square,
/// Helvetica's characters about half as wide.
fn width_mm(text: &str, size: f32) -> f32 {
    let pt: f32 = text
        .chars()
        .map(|c| if c.is_ascii() { size * 0.55 } else { size })
        .sum();
    pt * 25.4 / 72.0
}

/// One line of text at (`x`, `y`) mm, switching fonts between runs.
fn line(ops: &mut Vec<Op>, f: &Fonts, text: &str, x: f32, y: f32, size: f32) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetTextCursor {
        pos: Point::new(Mm(x), Mm(y)),
    });
    for (ascii, run) in runs(text) {
        let font = if ascii {
            PdfFontHandle::Builtin(BuiltinFont::Helvetica)
        } else {
            PdfFontHandle::External(f.cjk.clone())
        };
        ops.push(Op::SetFont {
            font,
            size: Pt(size),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(run)],
        });
    }
    ops.push(Op::EndTextSection);
}

fn centered(ops: &mut Vec<Op>, f: &Fonts, text: &str, y: f32, size: f32) {
    line(ops, f, text, (WIDTH - width_mm(text, size)) / 2.0, y, size);
}

fn right(ops: &mut Vec<Op>, f: &Fonts, text: &str, right_edge: f32, y: f32, size: f32) {
    line(ops, f, text, right_edge - width_mm(text, size), y, size);
}

fn rect(x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Op {
    Op::DrawRectangle {
        rectangle: Rect {
            x: Mm(x).into(),
            y: Mm(y).into(),
            width: Mm(w).into(),
            height: Mm(h).into(),
            mode: Some(mode),
            winding_order: None,
        },
    }
}

fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// The QR code of `url` as dark squares, `size` mm wide, its lower left corner at (x, y).
fn qr(ops: &mut Vec<Op>, url: &str, x: f32, y: f32, size: f32) -> Result<(), DocError> {
    let code = QrCode::new(url.as_bytes()).map_err(|e| DocError::Pdf(e.to_string()))?;
    let n = code.width();
    let module = size / n as f32;
    ops.push(Op::SetFillColor {
        col: rgb(0.0, 0.0, 0.0),
    });
    for (i, c) in code.to_colors().into_iter().enumerate() {
        if c == qrcode::Color::Dark {
            let (col, row) = ((i % n) as f32, (i / n) as f32);
            ops.push(rect(
                x + col * module,
                y + size - (row + 1.0) * module,
                module,
                module,
                PaintMode::Fill,
            ));
        }
    }
    Ok(())
}

/// The certificate as a PDF, its Chinese text in the font of `cjk_font` (TrueType bytes).
pub fn certificate(c: &Certificate, cjk_font: &[u8]) -> Result<Vec<u8>, DocError> {
    let mut warnings = Vec::new();
    let font =
        ParsedFont::from_bytes(cjk_font, 0, &mut warnings).ok_or_else(|| DocError::Font {
            path: String::new(),
            reason: "not a TrueType or OpenType font".into(),
        })?;
    let mut doc = PdfDocument::new(&format!("荣誉证书 {}", c.certificate_number));
    let f = Fonts {
        cjk: doc.add_font(&font),
    };
    let red = rgb(0.72, 0.09, 0.09);
    let mut ops = vec![
        Op::SetOutlineColor { col: red.clone() },
        Op::SetOutlineThickness { pt: Pt(3.0) },
        rect(12.0, 12.0, WIDTH - 24.0, HEIGHT - 24.0, PaintMode::Stroke),
        Op::SetOutlineThickness { pt: Pt(0.8) },
        rect(17.0, 17.0, WIDTH - 34.0, HEIGHT - 34.0, PaintMode::Stroke),
        Op::SetFillColor { col: red },
    ];
    centered(&mut ops, &f, "荣誉证书", 160.0, 44.0);
    ops.push(Op::SetFillColor {
        col: rgb(0.0, 0.0, 0.0),
    });
    line(
        &mut ops,
        &f,
        &format!("{}：", c.recipient),
        45.0,
        128.0,
        22.0,
    );
    line(
        &mut ops,
        &f,
        &format!("在{}评选中，荣获", c.cycle),
        60.0,
        110.0,
        20.0,
    );
    centered(&mut ops, &f, &c.award, 92.0, 28.0);
    line(&mut ops, &f, "特发此证。", 60.0, 76.0, 20.0);
    right(&mut ops, &f, &c.issuer, 250.0, 58.0, 18.0);
    right(&mut ops, &f, &c.date, 250.0, 48.0, 16.0);
    let small = 9.0;
    line(
        &mut ops,
        &f,
        &format!("表彰决定：{}", c.decision_number),
        24.0,
        40.0,
        small,
    );
    line(
        &mut ops,
        &f,
        &format!("证书编号：{}", c.certificate_number),
        24.0,
        34.0,
        small,
    );
    line(
        &mut ops,
        &f,
        &format!("查验码：{}", c.verification_code),
        24.0,
        28.0,
        small,
    );
    line(
        &mut ops,
        &f,
        &format!("查验网址：{}", c.verify_url),
        24.0,
        22.0,
        small,
    );
    qr(&mut ops, &c.verify_url, 252.0, 20.0, 26.0)?;
    let page = PdfPage::new(Mm(WIDTH), Mm(HEIGHT), ops);
    let mut warnings = Vec::new();
    Ok(doc
        .with_pages(vec![page])
        .save(&PdfSaveOptions::default(), &mut warnings))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn font() -> Option<Vec<u8>> {
        std::fs::read("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf").ok()
    }

    pub(crate) fn text_of(bytes: &[u8]) -> String {
        crate::inspect::pdf_text(bytes).unwrap()
    }

    pub(crate) fn sample() -> Certificate {
        Certificate {
            recipient: "忻州市喆玥有限公司".into(),
            award: "忻州市市长质量奖".into(),
            cycle: "忻州市第二届（二〇二六年度）市长质量奖".into(),
            issuer: "忻州市人民政府".into(),
            date: crate::chinese_date(2026, 12, 21),
            decision_number: "忻政发〔2026〕30号".into(),
            certificate_number: "XZZLJ-2026-A01".into(),
            verification_code: "0123456789ABCDEF".into(),
            verify_url: "https://award.example/verify?code=0123456789ABCDEF".into(),
        }
    }

    #[test]
    fn a31_a_certificate_reads_back_with_its_recipient_number_and_code() {
        let Some(font) = font() else {
            panic!("the CJK font is missing: install fonts-droid-fallback (README, set-up)");
        };
        let bytes = certificate(&sample(), &font).unwrap();
        if let Ok(dir) = std::env::var("QAWARD_DOCS_OUT") {
            std::fs::write(format!("{dir}/certificate.pdf"), &bytes).unwrap();
        }
        assert!(bytes.starts_with(b"%PDF"));
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let text = text_of(&bytes);
        for s in [
            "荣誉证书",
            "忻州市喆玥有限公司",
            "忻州市市长质量奖",
            "二〇二六年十二月二十一日",
            "XZZLJ-2026-A01",
            "0123456789ABCDEF",
            "30",
        ] {
            assert!(text.contains(s), "{s} missing from {text}");
        }
        assert!(
            bytes.len() < 200_000,
            "the font is subset: {} bytes",
            bytes.len()
        );
    }

    #[test]
    fn a_font_that_is_not_one_is_a_clear_error() {
        let e = certificate(&sample(), b"not a font").unwrap_err();
        assert!(matches!(e, DocError::Font { .. }), "{e}");
    }

    #[test]
    fn runs_split_latin_from_chinese() {
        assert_eq!(
            runs("编号：XZ-1号"),
            vec![
                (false, "编号：".into()),
                (true, "XZ-1".into()),
                (false, "号".into())
            ]
        );
    }
}
