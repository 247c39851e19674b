//! Small files of each kind an applicant may upload, and of the kinds that only look like
//! them (a Java archive, a macro-enabled document, an installer), built in memory for the
//! tests of the upload checks ([`crate::files::kind`]).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

const WORD_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const EXCEL_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
const WORD_MACRO_MAIN: &str = "application/vnd.ms-word.document.macroEnabled.main+xml";

/// A ZIP archive of `(name, content)` entries.
pub fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        w.start_file(*name, SimpleFileOptions::default())
            .expect("a zip entry");
        w.write_all(content.as_bytes()).expect("zip content");
    }
    w.finish().expect("a zip archive").into_inner()
}

/// `[Content_Types].xml` declaring `main` as the content type of `part`.
fn content_types(part: &str, main: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="{part}" ContentType="{main}"/>{extra}</Types>"#
    )
}

/// A Word document (`.docx`).
pub fn docx() -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            &content_types("/word/document.xml", WORD_MAIN, ""),
        ),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", "<w:document/>"),
    ])
}

/// An Excel workbook (`.xlsx`).
pub fn xlsx() -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            &content_types("/xl/workbook.xml", EXCEL_MAIN, ""),
        ),
        ("xl/workbook.xml", "<workbook/>"),
    ])
}

/// A macro-enabled Word document (`.docm`): its VBA project declared by content type,
/// under a name that does not say so.
pub fn docm() -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            &content_types(
                "/word/document.xml",
                WORD_MACRO_MAIN,
                r#"<Override PartName="/word/code.bin" ContentType="application/vnd.ms-office.vbaProject"/>"#,
            ),
        ),
        ("word/document.xml", "<w:document/>"),
        ("word/code.bin", "Attribute VB_Name"),
    ])
}

/// A Java archive (`.jar`): a ZIP without content types.
pub fn jar() -> Vec<u8> {
    zip_of(&[
        ("META-INF/MANIFEST.MF", "Main-Class: Evil\n"),
        ("Evil.class", "\u{00ca}\u{00fe}"),
    ])
}

/// An OLE compound file with the streams (and storages, names ending in `/`) given.
pub fn ole_of(entries: &[&str]) -> Vec<u8> {
    let mut f = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("a compound file");
    for e in entries {
        match e.strip_suffix('/') {
            Some(storage) => f.create_storage(storage).expect("a storage"),
            None => {
                let mut s = f.create_stream(e).expect("a stream");
                s.write_all(b"content").expect("stream content");
            }
        }
    }
    f.flush().expect("flushed");
    f.into_inner().into_inner()
}

/// A Word 97–2003 document (`.doc`).
pub fn doc() -> Vec<u8> {
    ole_of(&["WordDocument", "1Table"])
}

/// A Word 97–2003 document with a VBA project.
pub fn doc_with_macros() -> Vec<u8> {
    ole_of(&["WordDocument", "Macros/", "Macros/VBA/", "Macros/VBA/dir"])
}

/// A Windows installer (`.msi`): an OLE file of other streams.
pub fn msi() -> Vec<u8> {
    ole_of(&["\u{4840}\u{3f3f}Tables", "SummaryInformation"])
}
