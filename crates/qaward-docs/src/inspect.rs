//! Reading our documents back, for the tests that check what a generated file says (and
//! for anyone who must check one by hand): the text a certificate shows, the text of a Word
//! document, the strings of a workbook.

use std::collections::BTreeMap;
use std::io::Read;

use crate::DocError;

fn zip_entry(bytes: &[u8], name: &str) -> Result<String, DocError> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| DocError::Docx(e.to_string()))?;
    let mut s = String::new();
    z.by_name(name)
        .map_err(|e| DocError::Docx(e.to_string()))?
        .read_to_string(&mut s)
        .map_err(|e| DocError::Docx(e.to_string()))?;
    Ok(s)
}

/// The text between the tags of an XML document, each element's text on its own.
fn texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find("<t") {
        let after = &rest[open..];
        let Some(gt) = after.find('>') else { break };
        let tag = &after[..gt];
        // <t>, <t xml:space="preserve">, <w:t …>: the text elements of both formats.
        let is_text = tag == "<t" || tag.starts_with("<t ") || tag.starts_with("<t>");
        let body = &after[gt + 1..];
        let Some(close) = body.find("</") else { break };
        if is_text && !tag.ends_with('/') {
            out.push(unescape(&body[..close]));
        }
        rest = &body[close..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of a .docx, run by run.
pub fn docx_text(bytes: &[u8]) -> Result<String, DocError> {
    let xml = zip_entry(bytes, "word/document.xml")?;
    Ok(texts(&xml.replace("<w:t", "<t").replace("</w:t>", "</t>")).concat())
}

/// The strings of an .xlsx, in the order of its string table.
pub fn xlsx_strings(bytes: &[u8]) -> Result<Vec<String>, DocError> {
    let xml = zip_entry(bytes, "xl/sharedStrings.xml")?;
    Ok(texts(&xml))
}

/// The text a PDF of ours shows, in drawing order: the CJK runs decoded through the
/// font's ToUnicode map, the Helvetica runs as written.
pub fn pdf_text(bytes: &[u8]) -> Result<String, DocError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| DocError::Pdf(e.to_string()))?;
    let mut map: BTreeMap<u32, char> = BTreeMap::new();
    let mut pages = String::new();
    for obj in doc.objects.values() {
        let lopdf::Object::Stream(st) = obj else {
            continue;
        };
        let data = st
            .decompressed_content()
            .unwrap_or_else(|_| st.content.clone());
        let text = String::from_utf8_lossy(&data).into_owned();
        if text.contains("beginbfchar") {
            for line in text.lines() {
                let hex: Vec<u32> = line
                    .split(['<', '>'])
                    .filter(|p| !p.trim().is_empty())
                    .filter_map(|p| u32::from_str_radix(p, 16).ok())
                    .collect();
                if let [gid, cp] = hex[..]
                    && let Some(c) = char::from_u32(cp)
                {
                    map.insert(gid, c);
                }
            }
        } else if text.contains(" Tj") {
            pages.push_str(&text);
            pages.push('\n');
        }
    }
    let mut out = String::new();
    for line in pages.lines().filter(|l| l.ends_with("Tj")) {
        let body = line.trim_end_matches("Tj").trim();
        if let Some(hex) = body.strip_prefix('<').and_then(|b| b.strip_suffix('>')) {
            for i in (0..hex.len().saturating_sub(3)).step_by(4) {
                let gid = u32::from_str_radix(&hex[i..i + 4], 16).unwrap_or(0);
                out.push(map.get(&gid).copied().unwrap_or('?'));
            }
        } else if let Some(t) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            out.push_str(t);
        }
    }
    Ok(out)
}
