//! The store's modules import each other one way. This test reads every source file of the
//! store that is not a test, finds its `super::…` and `crate::store::…` references (in `use`
//! lines and in code; comments and strings left out), and fails on a circle between modules,
//! naming it, or on a reference to a module that is not in a line above its own in the order
//! `mod.rs`'s doc comment writes down. A name `mod.rs` re-exports counts as its module's;
//! what `mod.rs` defines itself (`Store`, `Tx`, errors, dates) is shared by all. Methods of
//! `Store` and `Tx` are called, not imported, so they are not seen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn store_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/store")
}

/// `text` with comments and the contents of string and character literals blanked out, so
/// that only code is searched (line breaks kept).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, bytes: &[u8]| {
        for &c in bytes {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(rest.len(), |e| e + 4);
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest[0] == b'r' && rest.get(1).is_some_and(|&c| c == b'"' || c == b'#') {
            // A raw string: r"…", r#"…"#.
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let start = 1 + hashes + 1;
            let end = text[i + start..]
                .find(&close)
                .map_or(rest.len(), |e| start + e + close.len());
            out.push_str("r\"");
            blank(&mut out, &rest[2..end]);
            i += end;
        } else if rest[0] == b'"' {
            let mut end = 1;
            while end < rest.len() && rest[end] != b'"' {
                end += if rest[end] == b'\\' { 2 } else { 1 };
            }
            out.push('"');
            blank(&mut out, &rest[1..end.min(rest.len())]);
            i += end + 1;
            if i <= b.len() {
                out.push('"');
            }
        } else if rest[0] == b'\'' && (rest.get(2) == Some(&b'\'') || rest.get(1) == Some(&b'\\')) {
            // A character literal ('x', '\n', '\''), not a lifetime.
            let end = if rest[1] == b'\\' {
                2 + rest[2..].iter().position(|&c| c == b'\'').unwrap_or(0) + 1
            } else {
                3
            };
            blank(&mut out, &rest[..end]);
            i += end;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `code` without its inline test modules (`#[cfg(test)] mod name { … }`).
fn without_tests(code: &str) -> String {
    let mut code = code.to_owned();
    while let Some(at) = code.find("#[cfg(test)]") {
        let after = code[at + 12..].trim_start();
        let Some(open) = after
            .strip_prefix("mod ")
            .and_then(|m| m.find('{').filter(|&o| !m[..o].contains(';')))
        else {
            // An attribute on something else (a `mod name;` is left out by `modules`).
            code.replace_range(at..at + 12, "");
            continue;
        };
        let start = code.len() - after.len() + 4 + open;
        let mut depth = 0;
        let mut end = code.len();
        for (i, c) in code[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        code.replace_range(at..end, "");
    }
    code
}

/// The modules a file declares (`mod name;`), but those for tests only.
fn declared(code_with_attributes: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut for_tests = false;
    for line in code_with_attributes.lines().map(str::trim) {
        let name = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub(super) "))
            .or_else(|| line.strip_prefix("pub "))
            .unwrap_or(line)
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'));
        if let Some(name) = name.filter(|_| !for_tests) {
            found.push(name.to_owned());
        }
        if !line.is_empty() {
            for_tests = line == "#[cfg(test)]";
        }
    }
    found
}

/// A source file of the store, and the path of its module below the store (`mod.rs`: none).
struct Source {
    file: PathBuf,
    module: Vec<String>,
    code: String,
}

/// Every source file of the store that is not a test, from `mod.rs` down its `mod` lines.
fn sources() -> Vec<Source> {
    let mut found = Vec::new();
    let mut to_read = vec![(store_dir().join("mod.rs"), Vec::new(), store_dir())];
    while let Some((file, module, children)) = to_read.pop() {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = code_only(&text);
        for name in declared(&code) {
            let mut path = module.clone();
            path.push(name.clone());
            let flat = children.join(format!("{name}.rs"));
            let (child, dir) = match flat.exists() {
                true => (flat, children.join(&name)),
                false => (children.join(&name).join("mod.rs"), children.join(&name)),
            };
            to_read.push((child, path, dir));
        }
        found.push(Source {
            file,
            module,
            code: without_tests(&code),
        });
    }
    found
}

/// The paths a `use` tree or a path in code starting at `at` names, each as its segments
/// (a group `{a, b::c}` gives one path per item).
fn paths_at(code: &str, at: usize) -> Vec<Vec<String>> {
    fn tree(b: &[u8], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        let mut path = prefix;
        loop {
            while *i < b.len() && b[*i].is_ascii_whitespace() {
                *i += 1;
            }
            if *i < b.len() && b[*i] == b'{' {
                *i += 1;
                loop {
                    tree(b, i, path.clone(), out);
                    while *i < b.len() && b[*i].is_ascii_whitespace() {
                        *i += 1;
                    }
                    match b.get(*i) {
                        Some(b',') => *i += 1,
                        _ => break,
                    }
                    while *i < b.len() && b[*i].is_ascii_whitespace() {
                        *i += 1;
                    }
                    if b.get(*i) == Some(&b'}') {
                        break;
                    }
                }
                *i += 1;
                return;
            }
            let start = *i;
            while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_') {
                *i += 1;
            }
            if start < *i {
                path.push(String::from_utf8_lossy(&b[start..*i]).into_owned());
            }
            if b[*i..].starts_with(b"::") {
                *i += 2;
            } else {
                out.push(path);
                return;
            }
        }
    }
    let mut out = Vec::new();
    let mut i = at;
    tree(code.as_bytes(), &mut i, Vec::new(), &mut out);
    out
}

/// The store's modules each file refers to (its own and `mod.rs`'s items left out): module ->
/// (module it refers to -> a file that does).
fn references(
    sources: &[Source],
    modules: &BTreeSet<String>,
) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let root = sources.iter().find(|s| s.module.is_empty()).unwrap();
    // What `mod.rs` re-exports, by name: `pub use module::{Name, …};`.
    let mut reexported = BTreeMap::new();
    for (at, _) in root.code.match_indices("pub use ") {
        for path in paths_at(&root.code, at + 8) {
            if let [module, .., name] = path.as_slice() {
                reexported.insert(name.clone(), module.clone());
            }
        }
    }
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for source in sources.iter().filter(|s| !s.module.is_empty()) {
        let from = &source.module[0];
        let code = &source.code;
        let starts = (code.match_indices("super::").map(|(at, _)| at))
            .chain(code.match_indices("crate::store::").map(|(at, _)| at))
            .filter(|&at| {
                at == 0 || !matches!(code.as_bytes()[at - 1], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b':')
            });
        for at in starts {
            for path in paths_at(code, at) {
                // `super` is the parent of the file's module, `x.rs` or `x/mod.rs` alike.
                let (base, rest): (&[String], &[String]) = if path[0] == "crate" {
                    (&[], &path[2..])
                } else {
                    let ups = path.iter().take_while(|s| *s == "super").count();
                    let depth = source.module.len().saturating_sub(ups);
                    (&source.module[..depth], &path[ups..])
                };
                let full: Vec<&String> = base.iter().chain(rest).collect();
                let to = match full.first() {
                    Some(first) if modules.contains(*first) => (*first).clone(),
                    Some(name) => match reexported.get(*name) {
                        Some(module) => module.clone(),
                        None => continue,
                    },
                    None => continue,
                };
                if to != *from {
                    let seen = graph.entry(from.clone()).or_default();
                    seen.entry(to).or_insert_with(|| source.file.clone());
                }
            }
        }
    }
    graph
}

/// A circle of references, as `a -> b -> a`.
fn circle(graph: &BTreeMap<String, BTreeMap<String, PathBuf>>) -> Option<String> {
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeMap<String, PathBuf>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_owned());
            return Some(circle.join(" -> "));
        }
        if !done.insert(module.to_owned()) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flat_map(BTreeMap::keys) {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// The order `mod.rs`'s doc comment writes down: a line `//! N. `a`, `b`` per layer, lowest
/// first; each module's layer.
fn written_order() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(store_dir().join("mod.rs")).unwrap();
    let mut layers = BTreeMap::new();
    for line in text.lines().filter_map(|l| l.strip_prefix("//! ")) {
        let Some((number, names)) = line.split_once(". ") else {
            continue;
        };
        let Ok(layer) = number.trim().parse::<usize>() else {
            continue;
        };
        for name in names.split(',').map(|n| n.trim().trim_matches('`')) {
            assert!(
                layers.insert(name.to_owned(), layer).is_none(),
                "`{name}` is written twice in mod.rs's order"
            );
        }
    }
    layers
}

#[test]
fn store_modules_import_one_way_in_the_order_mod_rs_writes_down() {
    let sources = sources();
    let modules: BTreeSet<String> = (sources.iter())
        .filter(|s| s.module.len() == 1)
        .map(|s| s.module[0].clone())
        .collect();
    assert!(
        modules.contains("sums") && modules.contains("sync"),
        "{modules:?}"
    );
    let graph = references(&sources, &modules);
    assert!(
        graph
            .get("import")
            .is_some_and(|to| to.contains_key("sums")),
        "the references are read: {graph:?}"
    );
    if let Some(circle) = circle(&graph) {
        panic!("store modules import each other in a circle: {circle}");
    }
    let order = written_order();
    for module in &modules {
        assert!(
            order.contains_key(module),
            "`{module}` is not in the order written in mod.rs's doc comment"
        );
    }
    for (from, to) in &graph {
        for (to, file) in to {
            assert!(
                order[to] < order[from],
                "`{from}` ({}) refers to `{to}`, which is not in a line above its own in mod.rs's \
                 order",
                file.display()
            );
        }
    }
}

#[test]
fn references_are_read_from_use_trees_and_code_not_comments_or_strings() {
    let code = code_only(
        "use super::{a::X, b, c::{D, e::F}};\n// super::g\nlet s = \"super::h\";\nsuper::i::j();\n\
         let c = '\"'; crate::store::k::L;",
    );
    let found: Vec<Vec<String>> = (code.match_indices("super::").map(|(at, _)| at))
        .chain(code.match_indices("crate::store::").map(|(at, _)| at))
        .flat_map(|at| paths_at(&code, at))
        .collect();
    let names: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        names,
        [
            "super::a::X",
            "super::b",
            "super::c::D",
            "super::c::e::F",
            "super::i::j",
            "crate::store::k::L"
        ]
    );
    let without = without_tests(&code_only(
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { let x = \"}\"; }\n}\nfn c() {}\n",
    ));
    assert!(
        without.contains("fn a()") && without.contains("fn c()"),
        "{without}"
    );
    assert!(!without.contains("fn b()"), "{without}");
}
