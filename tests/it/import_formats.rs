//! The OpenDocument, PDF and HTML importers on fixtures the tests write themselves: an .odt
//! made with the zip and XML crates, PDFs made with lopdf (as pdf-extract re-exports it):
//! a two-column page drawn row by row, a word hyphenated at a line end, a header and a
//! "Page N of M" footer on every page, and a scan with no text layer.

use std::io::Write;
use std::path::{Path, PathBuf};
use thematic::interop::import::{ImportError, read_transcript, read_transcript_file};
use thematic::model::transcript::PageMark;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

// ----- ODT -----

const ODT_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0""#;

fn odt(body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}><office:automatic-styles><style:style style:name="P1"><text:p>not text</text:p></style:style></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    let mut bytes = Vec::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.text")
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    bytes
}

#[test]
fn odt_paragraphs_headings_spaces_tabs_and_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"<text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h text:outline-level="1">Interview 8</text:h>
<text:p><text:span>Interviewer:</text:span> How do   the teams
  work?<office:annotation><text:p>a comment</text:p></office:annotation></text:p>
<text:p>Participant 8:<text:s text:c="2"/>Better &amp; faster.<text:tab/>Really.<text:line-break/>医生 too.<text:note><text:note-body><text:p>A footnote</text:p></text:note-body></text:note></text:p>
<text:list><text:list-item><text:p>one 👍</text:p></text:list-item></text:list>"#;
    let path = write(dir.path(), "p8.odt", &odt(body));
    assert_eq!(
        read_transcript_file(&path).unwrap(),
        "Interview 8\n\nInterviewer: How do the teams work?\n\nParticipant 8:  Better & faster.    Really.\n医生 too.\n\none 👍\n"
    );
}

#[test]
fn bad_odts_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let not_zip = write(dir.path(), "a.odt", b"PK nope");
    assert_eq!(
        read_transcript_file(&not_zip).unwrap_err().to_string(),
        format!(
            "{}: not a valid .odt (it is not a zip archive)",
            not_zip.display()
        )
    );
    let broken = write(dir.path(), "b.odt", &odt("<text:p>unclosed</text:span>"));
    let err = read_transcript_file(&broken).unwrap_err();
    assert!(matches!(err, ImportError::BadOdt { .. }), "{err}");
    assert!(err.to_string().contains("content.xml at byte"), "{err}");
}

#[test]
fn an_odt_that_expands_past_the_limit_is_refused() {
    // The same limit as .docx, given small here so the test is quick: a zip bomb of a
    // content.xml far larger than the archive.
    let body = format!("<text:p>{}</text:p>", "a".repeat(200_000));
    let bytes = odt(&body);
    assert!(bytes.len() < 20_000, "{}", bytes.len());
    let err = thematic::interop::odt::odt_text(&bytes, 100_000).unwrap_err();
    assert!(err.contains("more than allowed"), "{err}");
    assert!(thematic::interop::odt::odt_text(&bytes, 300_000).is_ok());
}

// ----- HTML -----

#[test]
fn html_body_text_keeps_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<html><head><title>Export</title><script>var x = '<p>no</p>';</script></head><body><h2>Interview 9</h2><p><strong>Interviewer:</strong> Where\n did it   start?</p><p>P9: In the caf\u{e9}<br/>on Monday.</p><table><tr><td>a</td><td>b</td></tr></table></body></html>";
    let path = write(dir.path(), "p9.htm", html.as_bytes());
    assert_eq!(
        read_transcript_file(&path).unwrap(),
        "Interview 9\n\nInterviewer: Where did it start?\n\nP9: In the caf\u{e9}\non Monday.\n\na   b\n"
    );
}

// ----- PDF -----

/// A line of text drawn at `x`, `top` points from the top of a US Letter page.
struct Line {
    x: f64,
    top: f64,
    size: f64,
    text: &'static [u8],
}

const fn line(x: f64, top: f64, text: &'static [u8]) -> Line {
    Line {
        x,
        top,
        size: 11.0,
        text,
    }
}

/// A PDF whose pages draw `pages`' lines in the order given, in Helvetica.
fn pdf(pages: &[Vec<Line>]) -> Vec<u8> {
    use pdf_extract::content::{Content, Operation};
    use pdf_extract::{Dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut font = Dictionary::new();
    font.set("Type", "Font");
    font.set("Subtype", "Type1");
    font.set("BaseFont", "Helvetica");
    font.set("Encoding", "WinAnsiEncoding");
    let font_id = doc.add_object(font);
    let mut fonts = Dictionary::new();
    fonts.set("F1", font_id);
    let mut resources = Dictionary::new();
    resources.set("Font", fonts);
    let resources_id = doc.add_object(resources);
    let media_box = || -> Object { vec![0.into(), 0.into(), 612.into(), 792.into()].into() };
    let mut kids: Vec<Object> = Vec::new();
    for page in pages {
        let mut operations = Vec::new();
        if page.is_empty() {
            // A scan: a picture (here a filled square), no text.
            operations.push(Operation::new(
                "re",
                vec![72.into(), 72.into(), 400.into(), 600.into()],
            ));
            operations.push(Operation::new("f", vec![]));
        }
        for l in page {
            operations.push(Operation::new("BT", vec![]));
            operations.push(Operation::new("Tf", vec!["F1".into(), l.size.into()]));
            operations.push(Operation::new(
                "Td",
                vec![l.x.into(), (792.0 - l.top).into()],
            ));
            operations.push(Operation::new("Tj", vec![Object::string_literal(l.text)]));
            operations.push(Operation::new("ET", vec![]));
        }
        let content = Content { operations }.encode().unwrap();
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
        let mut page = Dictionary::new();
        page.set("Type", "Page");
        page.set("Parent", pages_id);
        page.set("Contents", content_id);
        page.set("Resources", resources_id);
        page.set("MediaBox", media_box());
        kids.push(doc.add_object(page).into());
    }
    let mut tree = Dictionary::new();
    tree.set("Type", "Pages");
    tree.set("Count", kids.len() as i64);
    tree.set("Kids", kids);
    doc.objects.insert(pages_id, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", "Catalog");
    catalog.set("Pages", pages_id);
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

fn furniture(page: u32, lines: Vec<Line>) -> Vec<Line> {
    let footer: &'static [u8] =
        Box::leak(format!("Page {page} of 3").into_bytes().into_boxed_slice());
    let mut all = vec![line(
        72.0,
        40.0,
        b"Care transitions study - confidential transcript",
    )];
    all.extend(lines);
    all.push(line(280.0, 760.0, footer));
    all
}

fn interview_pdf() -> Vec<u8> {
    let mut title = line(72.0, 80.0, b"Interview 7");
    title.size = 16.0;
    let left = [
        line(72.0, 120.0, b"Interviewer: How did the organi-"),
        line(72.0, 134.0, b"sation of shifts change?"),
        line(72.0, 148.0, b"Participant 7: It was slow at"),
        line(72.0, 162.0, b"first, but the caf\xe9 helped."),
    ];
    let right = [
        line(320.0, 120.0, b"Interviewer: And later?"),
        line(320.0, 134.0, b"Participant 7: Later we had a"),
        line(320.0, 148.0, b"rota that everyone could read"),
        line(320.0, 162.0, b"on the wall."),
    ];
    // Drawn row by row across both columns, as many producers do: reading order must
    // still be the whole left column first.
    let mut page1 = vec![title];
    for (l, r) in left.into_iter().zip(right) {
        page1.push(l);
        page1.push(r);
    }
    let page2 = vec![
        line(72.0, 80.0, b"Participant 7: We also started to meet every"),
        line(72.0, 94.0, b"Monday, which made a real differ-"),
        line(72.0, 108.0, b"ence to the night staff."),
        line(72.0, 140.0, b"Interviewer: Thank you."),
    ];
    let page3 = vec![
        line(72.0, 80.0, b"Participant 7: One more thing: COVID-"),
        line(72.0, 94.0, b"19 changed it all."),
    ];
    pdf(&[
        furniture(1, page1),
        furniture(2, page2),
        furniture(3, page3),
    ])
}

#[test]
fn pdf_reading_order_dehyphenation_and_page_furniture() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "p7.pdf", &interview_pdf());
    let imported = read_transcript(&path).unwrap_or_else(|e| panic!("{e}"));
    let expected = "Interview 7\n\n\
        Interviewer: How did the organisation of shifts change?\n\n\
        Participant 7: It was slow at first, but the caf\u{e9} helped.\n\n\
        Interviewer: And later?\n\n\
        Participant 7: Later we had a rota that everyone could read on the wall.\n\n\
        Participant 7: We also started to meet every Monday, which made a real difference to the night staff.\n\n\
        Interviewer: Thank you.\n\n\
        Participant 7: One more thing: COVID-19 changed it all.\n";
    assert_eq!(imported.text, expected);
    let char_at = |needle: &str| expected[..expected.find(needle).unwrap()].chars().count();
    assert_eq!(
        imported.pages,
        vec![
            PageMark { at: 0, page: 1 },
            PageMark {
                at: char_at("Participant 7: We also"),
                page: 2
            },
            PageMark {
                at: char_at("Participant 7: One more"),
                page: 3
            },
        ]
    );
}

#[test]
fn a_pdf_without_a_text_layer_is_refused_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "scan.pdf", &pdf(&[vec![], vec![]]));
    let err = read_transcript_file(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the PDF has no text layer on any of its 2 page(s): it looks like a scan. Run it through OCR (for example `ocrmypdf in.pdf out.pdf`) and import the result",
            path.display()
        )
    );
}

#[test]
fn broken_pdfs_get_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = interview_pdf();
    let cases: Vec<Vec<u8>> = vec![
        b"%PDF-1.5\nnot really".to_vec(),
        good[..good.len() / 2].to_vec(),
        good.iter()
            .map(|b| if *b == b'T' { b'X' } else { *b })
            .collect(),
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let path = write(dir.path(), &format!("bad{i}.pdf"), bytes);
        // Either text or a clear error; never a panic.
        if let Err(e) = read_transcript_file(&path) {
            assert!(
                e.to_string().starts_with(&path.display().to_string()),
                "{e}"
            );
        }
    }
}

/// Random damage (bytes overwritten, the file cut short) to each new format's fixture: each
/// result is text or an import error, never a panic or a hang. Deterministic (a fixed-seed
/// generator); THEMATIC_FUZZ_CASES sets how many cases per format (default 150).
#[test]
fn damaged_odt_pdf_and_html_never_panic() {
    let cases: usize = std::env::var("THEMATIC_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    let dir = tempfile::tempdir().unwrap();
    let seeds: [(&str, Vec<u8>); 3] = [
        ("x.pdf", interview_pdf()),
        (
            "x.odt",
            odt("<text:h>T</text:h><text:p>Interviewer: a<text:s text:c=\"3\"/>b</text:p>"),
        ),
        (
            "x.html",
            b"<html><body><p>I: hi<br>there</p><table><tr><td>a</td></tr></table></body></html>"
                .to_vec(),
        ),
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (name, seed) in &seeds {
        for _ in 0..cases {
            let mut bytes = seed.clone();
            for _ in 0..(next() % 8 + 1) {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            if next() % 4 == 0 {
                bytes.truncate((next() % bytes.len() as u64) as usize);
            }
            let path = write(dir.path(), name, &bytes);
            let _ = read_transcript(&path);
        }
    }
}

#[test]
fn a_pdf_bomb_is_refused_before_it_is_inflated() {
    // 17 streams of 64 MB of zeros, a few hundred KB in all: over 1 GB once inflated.
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&vec![0u8; 64 << 20]).unwrap();
    let stream = zlib.finish().unwrap();
    let mut bomb = b"%PDF-1.5\n".to_vec();
    for n in 1..=17 {
        bomb.extend_from_slice(
            format!("{n} 0 obj\n<< /Filter /FlateDecode >>\nstream\n").as_bytes(),
        );
        bomb.extend_from_slice(&stream);
        bomb.extend_from_slice(b"\nendstream\nendobj\n");
    }
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bomb.pdf", &bomb);
    let err = read_transcript_file(&path).unwrap_err().to_string();
    assert!(
        err.contains("expands beyond the 1073741824 bytes allowed"),
        "{err}"
    );
}
