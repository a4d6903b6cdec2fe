//! Every relative link and image in README.md and docs/ points to a file that exists, so the
//! manual never sends a newcomer to a page that moved.

use std::path::{Path, PathBuf};

/// The targets of Markdown links and images (`[text](target)`, `![alt](target)`) in `text`,
/// outside fenced code blocks, without any `#fragment`.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            targets.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    targets
}

fn is_relative(target: &str) -> bool {
    !(target.contains("://") || target.starts_with('#') || target.starts_with("mailto:"))
}

fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

#[test]
fn every_relative_link_in_readme_and_docs_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in markdown_files(&root) {
        let text = std::fs::read_to_string(&file).expect("readable Markdown");
        let folder = file.parent().expect("a file has a folder");
        for target in link_targets(&text).into_iter().filter(|t| is_relative(t)) {
            let path = target.split('#').next().unwrap_or_default();
            if path.is_empty() {
                continue;
            }
            checked += 1;
            if !folder.join(path).exists() {
                broken.push(format!("{}: {target}", file.display()));
            }
        }
    }
    assert!(
        checked >= 12,
        "the README's manual index alone has 12 links; found {checked}"
    );
    assert!(
        broken.is_empty(),
        "links to missing files:\n{}",
        broken.join("\n")
    );
}

#[test]
fn link_targets_finds_links_and_images_but_not_code() {
    let text = "see [a](docs/a.md) and ![pic](img/p.svg#x)\n```\n[no](skip.md)\n```\n[b](http://x)";
    assert_eq!(
        link_targets(text),
        vec!["docs/a.md", "img/p.svg#x", "http://x"]
    );
    assert!(!is_relative("http://x"));
}
