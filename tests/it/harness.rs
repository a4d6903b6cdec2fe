//! The harness's own rules, checked on its sources: every file in tests/it is a module of
//! the binary (a file left out would compile into nothing and its tests would never run),
//! and no module changes the process's environment or current folder, which every test in
//! the binary shares (see main.rs), except the one exception documented there.

use std::path::{Path, PathBuf};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it")
}

/// The modules directly in tests/it, by module name: NAME.rs files and NAME/ folders with a
/// mod.rs (a module split into files, such as tui/).
fn module_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder())
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().join("mod.rs").is_file() {
                return Some(name);
            }
            name.strip_suffix(".rs").map(str::to_string)
        })
        .filter(|name| name != "main")
        .collect();
    names.sort();
    names
}

/// The source of module `name`: its file, or every .rs file of its folder.
fn module_source(name: &str) -> String {
    let file = folder().join(format!("{name}.rs"));
    if file.is_file() {
        return std::fs::read_to_string(file).unwrap();
    }
    let mut parts: Vec<PathBuf> = std::fs::read_dir(folder().join(name))
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    parts.sort();
    parts
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect()
}

/// Where insta keeps snapshots: tests/it/snapshots for the modules that are one file, and
/// NAME/snapshots for a module split into a folder (insta looks beside the calling file).
fn snapshot_folders() -> Vec<PathBuf> {
    let mut folders = vec![folder().join("snapshots")];
    for name in module_files() {
        let inner = folder().join(&name).join("snapshots");
        if inner.is_dir() {
            folders.push(inner);
        }
    }
    folders
}

#[test]
fn every_file_in_the_folder_is_a_module_of_the_binary() {
    let main = std::fs::read_to_string(folder().join("main.rs")).unwrap();
    let declared: Vec<&str> = main
        .lines()
        .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let files = module_files();
    assert!(files.len() > 30, "found only {files:?}");
    let missing: Vec<&String> = files
        .iter()
        .filter(|name| !declared.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "add `mod NAME;` to tests/it/main.rs for {missing:?}, or their tests never run"
    );
    // The same one level down, for a module split into a folder (tui/): each of its files
    // is declared in its mod.rs.
    for name in files.iter().filter(|n| folder().join(n.as_str()).is_dir()) {
        let inner = folder().join(name);
        let declared = std::fs::read_to_string(inner.join("mod.rs")).unwrap();
        for entry in std::fs::read_dir(&inner).unwrap().flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some(part) = file.strip_suffix(".rs").filter(|p| *p != "mod") else {
                continue;
            };
            let listed = declared.lines().any(|line| {
                let line = line.trim_start_matches("pub ");
                line == format!("mod {part};")
            });
            assert!(listed, "add `mod {part};` to tests/it/{name}/mod.rs");
        }
    }
}

#[test]
fn no_module_changes_the_shared_process_environment_or_folder() {
    // Spelled in pieces, so that this file does not match itself.
    let calls = [
        ["env::", "set_var("].concat(),
        ["env::", "remove_var("].concat(),
        ["set_current", "_dir("].concat(),
    ];
    // margin.rs's pane-width test points THEMATIC_CONFIG_DIR at its own folder: it is the
    // only test here that reads the config in-process (see main.rs).
    let allowed = ["margin"];
    let mut found = Vec::new();
    for name in module_files() {
        let text = module_source(&name);
        for call in &calls {
            if text.contains(call.as_str()) && !allowed.contains(&name.as_str()) {
                found.push(format!("{name}.rs: {call}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a test that changes the process for every test in the binary: {found:?}; pass the \
         environment to the child (Command::env) or keep it in a binary of its own"
    );
}

/// insta looks for a module's snapshots in tests/it/snapshots/ (or, for a module split
/// into a folder, in that folder's snapshots/), named it__<module>__[<part>__]<name>.snap;
/// one anywhere else (the old tests/snapshots/, say, after a
/// merge) is never compared, and its test would write a new one instead.
#[test]
fn snapshots_are_where_insta_looks_for_them() {
    let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    assert!(
        !old.exists(),
        "move {} into tests/it/snapshots/ as it__<module>__<name>.snap",
        old.display()
    );
    let modules = module_files();
    let mut misnamed = Vec::new();
    let mut count = 0;
    for entry in snapshot_folders()
        .iter()
        .flat_map(|f| std::fs::read_dir(f).unwrap().flatten())
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        count += 1;
        let module = name
            .strip_prefix("it__")
            .and_then(|rest| rest.split_once("__"))
            .map(|(module, _)| module);
        if !name.ends_with(".snap") || !module.is_some_and(|m| modules.iter().any(|f| f == m)) {
            misnamed.push(name);
        }
    }
    assert!(count > 20, "found only {count} snapshots");
    assert!(
        misnamed.is_empty(),
        "not it__<module>__<name>.snap: {misnamed:?}"
    );
}
