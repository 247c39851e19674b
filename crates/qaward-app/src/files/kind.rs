//! What an uploaded file is, judged by its content, never by its name or by what the
//! browser says: PDF, PNG and JPEG by their first bytes; Office documents by their
//! structure, because their first bytes only say "ZIP" or "OLE compound file", which a
//! Java archive or a Windows installer says as well.
//!
//! - An Office Open XML package (`.docx`, `.xlsx`, `.pptx`) must be a ZIP with a
//!   `[Content_Types].xml` that declares a Word, Excel or PowerPoint main part under
//!   `word/`, `xl/` or `ppt/`, present in the archive. Any macro-enabled or VBA or ActiveX
//!   content type refuses it (Office finds macros through the content types, whatever the
//!   part is called), and so does any part named like a program.
//! - An OLE compound file (`.doc`, `.xls`, `.ppt`) must have a `WordDocument`,
//!   `Workbook`/`Book` or `PowerPoint Document` stream at its root and no VBA storage
//!   (`Macros`, `_VBA_PROJECT_CUR`, `VBA`) anywhere.
//!
//! Only `[Content_Types].xml` is decompressed, within a bound, so a crafted archive
//! cannot make the check expensive.

use std::io::Read;

use qaward_domain::message::Message;
use qaward_domain::msg;
use qaward_store::blobs::ReadSeek;

/// The kinds of file applicants may upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Pptx,
    Doc,
    Xls,
    Ppt,
}

const ALL: [Kind; 9] = [
    Kind::Pdf,
    Kind::Png,
    Kind::Jpeg,
    Kind::Docx,
    Kind::Xlsx,
    Kind::Pptx,
    Kind::Doc,
    Kind::Xls,
    Kind::Ppt,
];

impl Kind {
    /// The content type stored and served for it.
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Kind::Doc => "application/msword",
            Kind::Xls => "application/vnd.ms-excel",
            Kind::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    /// The name endings of its files, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Pdf => &["pdf"],
            Kind::Png => &["png"],
            Kind::Jpeg => &["jpg", "jpeg"],
            Kind::Docx => &["docx"],
            Kind::Xlsx => &["xlsx"],
            Kind::Pptx => &["pptx"],
            Kind::Doc => &["doc"],
            Kind::Xls => &["xls"],
            Kind::Ppt => &["ppt"],
        }
    }

    /// The kind a stored content type names; none for types no longer accepted (files
    /// stored before the structure was checked were recorded as plain ZIP or OLE).
    pub fn of_content_type(content_type: &str) -> Option<Kind> {
        ALL.into_iter().find(|k| k.content_type() == content_type)
    }
}

/// The refusals, as message keys of the catalog.
const ACCEPTED: Message = Message::key("file-kind-not-accepted");
const MACROS: Message = Message::key("file-has-macros");
/// `[Content_Types].xml` is a short list; one much longer is not an Office document's.
const MAX_CONTENT_TYPES: u64 = 1024 * 1024;
/// Name endings of programs and scripts, which no part of a document has.
pub(super) const PROGRAMS: &[&str] = &[
    ".exe", ".dll", ".com", ".scr", ".pif", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".wsh", ".hta", ".msi", ".msp", ".jar", ".class", ".lnk", ".sh", ".cpl",
];

/// Judges a complete upload: the kind it is, or why it is refused (a message for the
/// applicant).
pub fn judge(content: &mut dyn ReadSeek, size: u64) -> Result<Kind, Message> {
    if size == 0 {
        return Err(msg!("file-empty"));
    }
    let mut head = [0u8; 8];
    let n = read_up_to(content, &mut head)?;
    let head = &head[..n];
    content.rewind().map_err(unreadable)?;
    if head.starts_with(b"%PDF-") {
        Ok(Kind::Pdf)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(Kind::Png)
    } else if head.starts_with(b"\xff\xd8\xff") {
        Ok(Kind::Jpeg)
    } else if head.starts_with(b"PK\x03\x04") {
        ooxml(content)
    } else if head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        ole(content)
    } else {
        Err(ACCEPTED)
    }
}

/// The content type of an accepted upload, for the blob store's check.
pub fn accept(content: &mut dyn ReadSeek, size: u64) -> Result<&'static str, Message> {
    judge(content, size).map(Kind::content_type)
}

fn unreadable(e: std::io::Error) -> Message {
    msg!("file-unreadable", detail = e.to_string())
}

fn read_up_to(r: &mut dyn ReadSeek, buf: &mut [u8]) -> Result<usize, Message> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]).map_err(unreadable)? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The main part's content type, the kind it makes and the folder it must be in.
const MAIN_PARTS: &[(&str, Kind, &str)] = &[
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        Kind::Docx,
        "/word/",
    ),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        Kind::Docx,
        "/word/",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        Kind::Xlsx,
        "/xl/",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        Kind::Xlsx,
        "/xl/",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        Kind::Pptx,
        "/ppt/",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
        Kind::Pptx,
        "/ppt/",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
        Kind::Pptx,
        "/ppt/",
    ),
];

/// Content types that carry code: macro-enabled main parts, VBA projects and their
/// signatures, ActiveX controls, programs.
fn carries_code(content_type: &str) -> bool {
    let t = content_type.to_ascii_lowercase();
    [
        "macroenabled",
        "vbaproject",
        "activex",
        "x-msdownload",
        "java-archive",
        "x-ms-installer",
    ]
    .iter()
    .any(|m| t.contains(m))
}

fn ooxml(content: &mut dyn ReadSeek) -> Result<Kind, Message> {
    let not_office = || msg!("file-zip-not-office");
    let mut zip = zip::ZipArchive::new(content).map_err(|_| not_office())?;
    if zip.index_for_name("[Content_Types].xml").is_none() {
        return Err(not_office());
    }
    for raw in zip.file_names_raw() {
        let name = String::from_utf8_lossy(raw);
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("vbaproject.bin") {
            return Err(MACROS);
        }
        if PROGRAMS.iter().any(|p| lower.ends_with(p)) {
            return Err(msg!("file-carries-program", name = name.into_owned()));
        }
    }
    let mut text = Vec::new();
    zip.by_name("[Content_Types].xml")
        .map_err(|_| not_office())?
        .take(MAX_CONTENT_TYPES + 1)
        .read_to_end(&mut text)
        .map_err(|_| msg!("file-damaged"))?;
    if text.len() as u64 > MAX_CONTENT_TYPES {
        return Err(not_office());
    }
    let text = String::from_utf8(text).map_err(|_| not_office())?;
    let declared = content_types(&text);
    if declared.iter().any(|d| carries_code(d.content_type)) {
        return Err(MACROS);
    }
    let main = declared.iter().find_map(|d| {
        let (_, kind, folder) = MAIN_PARTS.iter().find(|(t, ..)| *t == d.content_type)?;
        let part = d.part.filter(|p| p.starts_with(folder))?;
        Some((*kind, part))
    });
    let Some((kind, part)) = main else {
        return Err(not_office());
    };
    // The main part must be there: a declaration alone makes no document.
    if zip.index_for_name(part.trim_start_matches('/')).is_none() {
        return Err(not_office());
    }
    Ok(kind)
}

/// One `<Default>` or `<Override>` of `[Content_Types].xml`.
struct Declared<'a> {
    part: Option<&'a str>,
    content_type: &'a str,
}

/// The declarations of `[Content_Types].xml`. Its grammar is flat (a `Types` element of
/// empty `Default` and `Override` elements with quoted attributes), so a scan of its tags
/// reads it without an XML parser.
fn content_types(xml: &str) -> Vec<Declared<'_>> {
    xml.split('<')
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next().unwrap_or("");
            let name = tag.split(|c: char| c.is_whitespace() || c == '/').next()?;
            let local = name.rsplit(':').next().unwrap_or(name);
            if local != "Default" && local != "Override" {
                return None;
            }
            let attrs = attributes(&tag[name.len()..]);
            let get = |k: &str| attrs.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
            Some(Declared {
                part: get("PartName"),
                content_type: get("ContentType")?,
            })
        })
        .collect()
}

/// `k="v"` and `k='v'` pairs of a tag, after its name.
fn attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            break;
        };
        let value = &after[1..];
        let Some(end) = value.find(quote) else { break };
        out.push((key, &value[..end]));
        rest = &value[end + 1..];
    }
    out
}

fn ole(content: &mut dyn ReadSeek) -> Result<Kind, Message> {
    let damaged = || msg!("file-ole-damaged");
    let file = cfb::CompoundFile::open(content).map_err(|_| damaged())?;
    if file.walk().any(|e| {
        let n = e.name();
        n == "Macros" || n == "VBA" || n.eq_ignore_ascii_case("_VBA_PROJECT_CUR")
    }) {
        return Err(MACROS);
    }
    let root: Vec<String> = file
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_owned())
        .collect();
    let has = |n: &str| root.iter().any(|r| r == n);
    if has("WordDocument") {
        Ok(Kind::Doc)
    } else if has("Workbook") || has("Book") {
        Ok(Kind::Xls)
    } else if has("PowerPoint Document") {
        Ok(Kind::Ppt)
    } else if has("EncryptedPackage") {
        Err(msg!("file-password-protected"))
    } else {
        Err(msg!("file-ole-not-office"))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::testing::samples;

    fn judged(bytes: &[u8]) -> Result<Kind, Message> {
        judge(&mut Cursor::new(bytes), bytes.len() as u64)
    }

    #[test]
    fn pdf_images_and_real_office_documents_are_accepted_as_what_they_are() {
        for (bytes, kind) in [
            (b"%PDF-1.4\n%%EOF".to_vec(), Kind::Pdf),
            (b"\x89PNG\r\n\x1a\n....".to_vec(), Kind::Png),
            (b"\xff\xd8\xff\xe0....".to_vec(), Kind::Jpeg),
            (samples::docx(), Kind::Docx),
            (samples::xlsx(), Kind::Xlsx),
            (samples::doc(), Kind::Doc),
            (samples::ole_of(&["Workbook"]), Kind::Xls),
            (
                samples::ole_of(&["PowerPoint Document", "Current User"]),
                Kind::Ppt,
            ),
        ] {
            assert_eq!(judged(&bytes), Ok(kind));
        }
    }

    #[test]
    fn what_only_looks_like_an_office_document_is_refused_saying_what_it_is() {
        let refused = |bytes: Vec<u8>, says: &str| {
            let m = judged(&bytes).unwrap_err().to_string();
            assert!(m.contains(says), "{says}: {m}");
        };
        refused(samples::jar(), "file-zip-not-office");
        refused(samples::msi(), "file-ole-not-office");
        refused(samples::docm(), "file-has-macros");
        refused(samples::doc_with_macros(), "file-has-macros");
        refused(
            samples::ole_of(&["EncryptedPackage"]),
            "file-password-protected",
        );
        refused(b"MZ\x90\x00 a program".to_vec(), "file-kind-not-accepted");
        refused(Vec::new(), "file-empty");
        // The head of a ZIP or OLE file and nothing behind it.
        refused(
            b"PK\x03\x04 and nothing more".to_vec(),
            "file-zip-not-office",
        );
        refused(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec(),
            "file-ole-damaged",
        );
        // A declared main part that is not in the archive, or outside its folder.
        let ct = |part: &str| {
            format!(
                r#"<Types><Override PartName="{part}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
            )
        };
        refused(
            samples::zip_of(&[("[Content_Types].xml", &ct("/word/document.xml"))]),
            "file-zip-not-office",
        );
        refused(
            samples::zip_of(&[
                ("[Content_Types].xml", &ct("/evil/document.xml")),
                ("evil/document.xml", "<w:document/>"),
            ]),
            "file-zip-not-office",
        );
        // A program riding in a real document's package, and a VBA project by name alone.
        let mut entries = vec![
            ("[Content_Types].xml".to_owned(), ct("/word/document.xml")),
            ("word/document.xml".to_owned(), "<w:document/>".to_owned()),
        ];
        entries.push(("word/embeddings/setup.exe".into(), "MZ".into()));
        let pairs: Vec<(&str, &str)> = entries
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        refused(samples::zip_of(&pairs), "file-carries-program");
        let mut pairs = pairs[..2].to_vec();
        pairs.push(("word/vbaProject.bin", "VBA"));
        refused(samples::zip_of(&pairs), "file-has-macros");
    }

    #[test]
    fn content_types_read_with_either_quote_and_a_prefix() {
        let d = content_types(
            "<?xml version='1.0'?><ct:Types><ct:Default Extension='xml' ContentType='application/xml'/>\
             <ct:Override ContentType=\"a/b\" PartName = \"/x\" /></ct:Types>",
        );
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].part, d[0].content_type), (None, "application/xml"));
        assert_eq!((d[1].part, d[1].content_type), (Some("/x"), "a/b"));
    }

    #[test]
    fn each_kind_is_found_again_by_its_content_type() {
        for k in ALL {
            assert_eq!(Kind::of_content_type(k.content_type()), Some(k));
        }
        assert_eq!(Kind::of_content_type("application/zip"), None);
    }
}
