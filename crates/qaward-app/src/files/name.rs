//! File names as they are stored and offered back for download. A name comes from the
//! uploader's browser and goes to every reader's, so it must not be able to lie:
//! `invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf` where the bidi override is obeyed.
//! Control, format and direction characters are removed, path separators and characters
//! Windows forbids become `_`, and the name always ends with an extension of the kind the
//! content was judged to be (appended when it ends otherwise), so that no name can make a
//! reader's system treat a document as a program.

use super::kind::{Kind, PROGRAMS};

/// The longest name kept, in characters (before the extension that may be appended).
const MAX_CHARS: usize = 200;

/// Characters that change how text is shown without being seen: direction marks,
/// embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069),
/// zero-width and invisible characters, the byte-order mark, interlinear annotations and
/// tags.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Device names Windows will not open as files, whatever the extension.
const DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A name safe to store and to offer back: its last path component, without control,
/// format or direction characters, with `_` for characters Windows forbids, without
/// leading or trailing dots and spaces (Windows drops the trailing ones, a leading dot
/// hides the file), at most 200 characters. May be empty.
pub fn clean(raw: &str) -> String {
    // Old browsers send the whole path of the file on the uploader's disk.
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !invisible(*c))
        .map(|c| if ":*?\"<>|".contains(c) { '_' } else { c })
        .collect();
    let trimmed = kept.trim_matches(|c: char| c.is_whitespace() || c == '.');
    let mut name: String = trimmed.chars().take(MAX_CHARS).collect();
    let stem = name.split('.').next().unwrap_or("").trim_end();
    if DEVICES.iter().any(|d| stem.eq_ignore_ascii_case(d)) {
        name.insert(0, '_');
    }
    name
}

/// `name` (already [`clean`]) as stored for content of `kind`: unchanged when it ends with
/// one of the kind's extensions, else with the usual one appended (`setup.exe` holding a
/// PDF is stored as `setup.exe.pdf`; an empty name becomes `file.pdf`).
pub fn for_kind(name: &str, kind: Kind) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if kind.extensions().contains(&ext.as_str()) {
        return name.to_owned();
    }
    let stem = if name.is_empty() { "file" } else { name };
    format!("{stem}.{}", kind.extensions()[0])
}

/// The name and content type a stored attachment is offered back with: the name cleaned
/// again (names stored before these rules may hold anything) and ending as its kind's,
/// and the content type of an accepted kind, or `application/octet-stream` for content
/// stored before the structure was checked (whose name, if it ends like a program's, gets
/// `.bin` appended).
pub fn download(filename: &str, content_type: &str) -> (String, &'static str) {
    let name = clean(filename);
    match Kind::of_content_type(content_type) {
        Some(kind) => (for_kind(&name, kind), kind.content_type()),
        None => {
            let lower = name.to_ascii_lowercase();
            let name = if name.is_empty() {
                "file.bin".to_owned()
            } else if PROGRAMS.iter().any(|p| lower.ends_with(p)) {
                format!("{name}.bin")
            } else {
                name
            };
            (name, "application/octet-stream")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_and_invisible_characters_are_removed() {
        // "invoice" RLO "fdp.exe" shows as "invoiceexe.pdf" where the override is obeyed.
        assert_eq!(clean("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        for c in [
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{200B}',
            '\u{FEFF}',
            '\u{0000}',
            '\u{001B}',
            '\u{0085}',
            '\u{2028}',
            '\u{E0041}',
        ] {
            assert_eq!(
                clean(&format!("年报{c}.pdf")),
                "年报.pdf",
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn paths_reserved_characters_dots_and_devices_are_made_harmless() {
        assert_eq!(clean(r"C:\Users\王\Desktop\年报.pdf"), "年报.pdf");
        assert_eq!(clean("../../etc/passwd"), "passwd");
        assert_eq!(clean("a<b>c:d\"e|f?g*.pdf"), "a_b_c_d_e_f_g_.pdf");
        assert_eq!(clean("  .hidden.pdf. . "), "hidden.pdf");
        assert_eq!(clean("con.pdf"), "_con.pdf");
        assert_eq!(clean("LPT1"), "_LPT1");
        assert_eq!(clean("console.pdf"), "console.pdf");
        assert_eq!(clean(&"长".repeat(300)).chars().count(), 200);
        assert_eq!(clean("\u{202E}"), "");
    }

    #[test]
    fn a_stored_name_ends_as_its_content() {
        assert_eq!(for_kind("年报.pdf", Kind::Pdf), "年报.pdf");
        assert_eq!(for_kind("年报.PDF", Kind::Pdf), "年报.PDF");
        assert_eq!(for_kind("photo.jpeg", Kind::Jpeg), "photo.jpeg");
        assert_eq!(for_kind("setup.exe", Kind::Pdf), "setup.exe.pdf");
        assert_eq!(for_kind("photo.png", Kind::Jpeg), "photo.png.jpg");
        assert_eq!(for_kind("报告", Kind::Docx), "报告.docx");
        assert_eq!(for_kind("", Kind::Pdf), "file.pdf");
    }

    #[test]
    fn downloads_are_named_and_typed_from_what_was_judged() {
        assert_eq!(
            download("invoice\u{202E}fdp.exe", "application/pdf"),
            ("invoicefdp.exe.pdf".to_owned(), "application/pdf")
        );
        // Stored before the structure was checked: a generic type, a harmless name.
        assert_eq!(
            download("tool.jar", "application/zip"),
            ("tool.jar.bin".to_owned(), "application/octet-stream")
        );
        assert_eq!(
            download("old.docx", "application/zip"),
            ("old.docx".to_owned(), "application/octet-stream")
        );
        assert_eq!(
            download("", "text/html"),
            ("file.bin".to_owned(), "application/octet-stream")
        );
    }
}
