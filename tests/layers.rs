//! The layers point one way: `cli` → `tui` → (`sync`, `interchange`, `demo`) → `insight` →
//! `store` → (`config`, `i18n`) → `domain`.
//!
//! This test reads every file under `src/` with its comments and literals blanked out, finds each
//! path into the crate (`use` lines, grouped or not, and paths written inline in code, through
//! `crate::` or `super::`), and fails on a module that uses one on its own layer or above. It
//! also fails on a circle of imports between the files of a directory in [`CHECKED_DIRS`].
//!
//! Test code (`#[cfg(test)]` items and the files declared under it) is left out: a store test may
//! build its fixture with the demo generator without the store depending on the demo.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every top-level module and its layer. A module may use the modules of lower layers only; two
/// modules on one layer may not use each other.
const LAYERS: &[(&str, u8)] = &[
    ("domain", 0),
    // Saying a message in two languages: the domain's words only.
    ("i18n", 1),
    // Reading config.toml: a leaf beside the store (neither uses the other).
    ("config", 2),
    ("store", 2),
    ("insight", 3),
    // The demo generator sits beside import and export: it writes through the store.
    ("sync", 4),
    ("interchange", 4),
    ("demo", 4),
    ("tui", 5),
    ("cli", 6),
];

/// Macros exported at the crate root, and the module that defines each.
const MACROS: &[(&str, &str)] = &[("texts", "i18n")];

/// Directories (module paths under `src/`; "" is `src/` itself, the top-level modules) whose files
/// and submodules must not import each other in a circle. The store has a stricter test of its
/// own (`store::module_order`: its modules import in the order its doc comment writes down).
const CHECKED_DIRS: &[&str] = &[
    "",
    "domain",
    "domain/money",
    "demo",
    "interchange",
    "sync",
    "cli",
    "tui",
    "tui/screens",
    "tui/screens/board",
    "tui/screens/dashboard",
    "tui/overlays",
    "tui/ui",
];

#[test]
fn layers_point_one_way() {
    let tree = read_src();
    assert!(tree.len() > 50, "only {} files read under src/", tree.len());
    let problems = layer_violations(&tree);
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn no_circle_between_the_files_of_a_directory() {
    let tree = read_src();
    let mut cycles = Vec::new();
    for dir in CHECKED_DIRS {
        assert!(
            children(&tree, &module_of_dir(dir)).len() > 1,
            "src/{dir} has no submodules to check"
        );
        cycles.extend(sibling_cycles(&tree, dir));
    }
    assert!(cycles.is_empty(), "\n{}\n", cycles.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The checks

/// `file:line: <layer> may not use <layer>` for each upward or sideways path.
fn layer_violations(tree: &[Source]) -> Vec<String> {
    let layer = |module: &str| LAYERS.iter().find(|(m, _)| *m == module).map(|l| l.1);
    let mut problems = BTreeSet::new();
    for file in tree {
        if let Some(line) = inline_module(&file.code) {
            // `super::` in it would name another module than the file's parent.
            problems.insert(format!(
                "src/{}:{line}: an inline module outside tests; give it a file",
                file.path
            ));
        }
        let Some(own) = file.module.first() else {
            continue; // lib.rs only declares the modules
        };
        let Some(own_layer) = layer(own) else {
            problems.insert(format!(
                "src/{}: module {own} has no layer in LAYERS",
                file.path
            ));
            continue;
        };
        for r in references(&file.code, &file.module) {
            let used = r.path.first().map(|used| {
                MACROS
                    .iter()
                    .find(|(name, _)| name == used)
                    .map_or(used.as_str(), |(_, module)| module)
            });
            let Some(used) = used.filter(|used| used != own) else {
                continue;
            };
            let problem = match layer(used) {
                None => format!(
                    "src/{}:{}: crate::{used} has no layer in LAYERS",
                    file.path, r.line
                ),
                Some(l) if l >= own_layer => {
                    format!("src/{}:{}: {own} may not use {used}", file.path, r.line)
                }
                Some(_) => continue,
            };
            problems.insert(problem);
        }
    }
    problems.into_iter().collect()
}

/// The line of the first `mod name {` in stripped code.
fn inline_module(code: &str) -> Option<usize> {
    let c: Vec<char> = code.chars().collect();
    (0..c.len()).find_map(|i| {
        let word = c[i..].starts_with(&['m', 'o', 'd']) && (i == 0 || !is_ident(c[i - 1]));
        let name = skip_space(&c, i + 3);
        let name_end = (name..c.len()).find(|&k| !is_ident(c[k]))?;
        let inline = word
            && name_end > name
            && name > i + 3
            && c.get(skip_space(&c, name_end)) == Some(&'{');
        inline.then(|| c[..i].iter().filter(|&&ch| ch == '\n').count() + 1)
    })
}

/// The circles of imports between the submodules of `dir` (a module path under `src/`, "" for
/// the top-level modules), through `super::x` and `crate::dir::x` paths and the names the
/// directory's own `mod.rs` re-exports. One line per circle, with where each of its imports is.
fn sibling_cycles(tree: &[Source], dir: &str) -> Vec<String> {
    let prefix = module_of_dir(dir);
    let depth = prefix.len();
    let nodes = children(tree, &prefix);
    // `pub use money::Lang` in domain/mod.rs: `crate::domain::Lang` is a use of `money`.
    let aliases: BTreeMap<String, String> = tree
        .iter()
        .filter(|f| f.module == prefix)
        .flat_map(|f| use_trees(&f.code, &f.module))
        .filter(|r| r.path.len() > depth + 1 && r.path.starts_with(&prefix))
        .map(|r| (r.name, r.path[depth].clone()))
        .collect();
    let mut edges: BTreeMap<(String, String), String> = BTreeMap::new();
    for file in tree
        .iter()
        .filter(|f| f.module.len() > depth && f.module.starts_with(&prefix))
    {
        let from = &file.module[depth];
        for r in references(&file.code, &file.module) {
            if r.path.len() <= depth || !r.path.starts_with(&prefix) {
                continue;
            }
            let name = &r.path[depth];
            let Some(to) = nodes.get(name).or_else(|| aliases.get(name)) else {
                continue;
            };
            if to != from {
                edges
                    .entry((from.clone(), to.clone()))
                    .or_insert_with(|| format!("src/{}:{}", file.path, r.line));
            }
        }
    }
    let reach = |start: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        while let Some(node) = todo.pop() {
            for (a, b) in edges.keys() {
                if *a == node && seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (n, reach(n))).collect();
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for node in &nodes {
        if done.contains(node) || !reached[node].contains(node) {
            continue;
        }
        let circle: BTreeSet<&String> = nodes
            .iter()
            .filter(|other| reached[node].contains(*other) && reached[*other].contains(node))
            .collect();
        let through: Vec<String> = edges
            .iter()
            .filter(|((a, b), _)| circle.contains(a) && circle.contains(b))
            .map(|((a, b), at)| format!("{a} uses {b} at {at}"))
            .collect();
        cycles.push(format!("circle in src/{dir}: {}", through.join("; ")));
        done.extend(circle.into_iter().cloned());
    }
    cycles
}

/// The submodules directly under `prefix` that have code.
fn children(tree: &[Source], prefix: &[String]) -> BTreeSet<String> {
    tree.iter()
        .filter(|f| f.module.len() > prefix.len() && f.module.starts_with(prefix))
        .map(|f| f.module[prefix.len()].clone())
        .collect()
}

fn module_of_dir(dir: &str) -> Vec<String> {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading the source

/// One source file as the checks read it.
struct Source {
    /// Path under `src/`, for messages.
    path: String,
    /// `tui/ui/board.rs` is `["tui", "ui", "board"]`, `tui/mod.rs` is `["tui"]`.
    module: Vec<String>,
    /// The code with comments, literals and test items blanked out (lines kept).
    code: String,
}

fn read_src() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    parse_tree(files)
}

/// The crate's files (path under `src/`, text), without the binary's `main.rs` and without test
/// code.
fn parse_tree(files: Vec<(String, String)>) -> Vec<Source> {
    let mut tests = BTreeSet::new();
    let mut tree = Vec::new();
    for (path, text) in files {
        let mut parts: Vec<String> = path.split('/').map(String::from).collect();
        let file = parts.pop().unwrap();
        match file.as_str() {
            "main.rs" if parts.is_empty() => continue,
            "lib.rs" if parts.is_empty() => {}
            "mod.rs" => {}
            _ => parts.push(file.trim_end_matches(".rs").to_owned()),
        }
        let (code, test_mods) = blank_tests(&strip(&text));
        for name in test_mods {
            let mut module = parts.clone();
            module.push(name);
            tests.insert(module);
        }
        tree.push(Source {
            path,
            module: parts,
            code,
        });
    }
    tree.retain(|f| !tests.iter().any(|t| f.module.starts_with(t)));
    tree.sort_by(|a, b| a.path.cmp(&b.path));
    tree
}

/// The text with comments, string literals and char literals replaced by spaces (newlines
/// kept, so line numbers stay right).
fn strip(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, chars: &[char]| {
        out.extend(chars.iter().map(|&ch| if ch == '\n' { '\n' } else { ' ' }));
    };
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(i + k).copied();
        let after_ident = i > 0 && is_ident(c[i - 1]);
        let end = if at(0) == Some('/') && at(1) == Some('/') {
            c[i..]
                .iter()
                .position(|&ch| ch == '\n')
                .map_or(c.len(), |p| i + p)
        } else if at(0) == Some('/') && at(1) == Some('*') {
            let (mut j, mut depth) = (i + 2, 1);
            while j < c.len() && depth > 0 {
                match (c[j], c.get(j + 1)) {
                    ('/', Some('*')) => (depth, j) = (depth + 1, j + 2),
                    ('*', Some('/')) => (depth, j) = (depth - 1, j + 2),
                    _ => j += 1,
                }
            }
            j
        } else if let Some(end) = (!after_ident).then(|| raw_string_end(&c, i)).flatten() {
            end
        } else if at(0) == Some('"') || (!after_ident && at(0) == Some('b') && at(1) == Some('"')) {
            let mut j = i + if at(0) == Some('b') { 2 } else { 1 };
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if at(0) == Some('\'') && at(1) == Some('\\') {
            // An escaped char: '\n', '\'', '\u{e9}'.
            let mut j = i + 3;
            while j < c.len() && c[j] != '\'' {
                j += 1;
            }
            j + 1
        } else if at(0) == Some('\'') && at(2) == Some('\'') {
            i + 3
        } else {
            // Anything else, a lifetime or a label included.
            out.push(c[i]);
            i += 1;
            continue;
        };
        let end = end.min(c.len());
        blank(&mut out, &c[i..end]);
        i = end;
    }
    out
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i` ends, if one does.
fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    let mut j = i + usize::from(c[i] == 'b');
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = c[j..].iter().take_while(|&&ch| ch == '#').count();
    j += hashes;
    if c.get(j) != Some(&'"') {
        return None; // a raw identifier such as r#type, or a plain name
    }
    let close: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    (j + 1..c.len())
        .find(|&k| c[k..].starts_with(&close))
        .map(|k| k + close.len())
        .or(Some(c.len()))
}

/// Blanks every item under `#[cfg(test)]` (or `#[cfg(all(test, …))]`) in stripped code;
/// returns the code and the modules declared there as files (`#[cfg(test)] mod tests;`).
fn blank_tests(code: &str) -> (String, Vec<String>) {
    let mut c: Vec<char> = code.chars().collect();
    let mut modules = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if !c[i..].starts_with(&['#', '[']) || !is_test_only(&c[i..group_end(&c, i + 1)]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = skip_space(&c, group_end(&c, i + 1));
        // Other attributes of the item.
        while c[j..].starts_with(&['#', '[']) {
            j = skip_space(&c, group_end(&c, j + 1));
        }
        // The item: up to its `;`, or the end of its body.
        let item_start = j;
        while j < c.len() {
            match c[j] {
                '(' | '[' | '{' => j = group_end(&c, j),
                ';' => {
                    let item: String = c[item_start..j].iter().collect();
                    if let [.., "mod", name] = item.split_whitespace().collect::<Vec<_>>()[..] {
                        modules.push(name.to_owned());
                    }
                    j += 1;
                    break;
                }
                _ => j += 1,
            }
            if c[j - 1] == '}' {
                break;
            }
        }
        for ch in &mut c[start..j] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
        i = j;
    }
    (c.into_iter().collect(), modules)
}

/// Whether an attribute is `#[cfg(test)]`, or `#[cfg(all(…))]` with `test` among its terms.
fn is_test_only(attribute: &[char]) -> bool {
    let text: String = attribute.iter().filter(|ch| !ch.is_whitespace()).collect();
    let Some(condition) = text
        .strip_prefix("#[cfg(")
        .and_then(|t| t.strip_suffix(")]"))
    else {
        return false;
    };
    let all = condition
        .strip_prefix("all(")
        .and_then(|t| t.strip_suffix(')'));
    condition == "test" || all.is_some_and(|terms| terms.split(',').any(|t| t == "test"))
}

/// Where the bracketed group opening at `i` ends (just after its closing bracket).
fn group_end(c: &[char], i: usize) -> usize {
    let mut depth = 0;
    for (j, ch) in c.iter().enumerate().skip(i) {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    c.len()
}

/// A path into the crate, as written at `line`.
#[derive(Debug, PartialEq)]
struct Reference {
    line: usize,
    /// From the crate root: `super::app::App` in `tui/update.rs` is `["tui", "app", "App"]`.
    path: Vec<String>,
    /// The name it is known by where it is imported (its `as` name, else its last segment).
    name: String,
}

/// Every `crate::…` and `super::…` path in stripped code of the module `module`, grouped
/// imports split into one path each.
fn references(code: &str, module: &[String]) -> Vec<Reference> {
    let c: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    for i in 0..c.len() {
        if !matches!(c[i], 'c' | 's') || (i > 0 && is_ident(c[i - 1])) {
            continue;
        }
        if let Some((base, at)) = path_start(&c, i, module, false) {
            tree_at(&c, at, base, &mut found);
        }
    }
    found
}

/// The paths of every `use` declaration of stripped code, relative ones included.
fn use_trees(code: &str, module: &[String]) -> Vec<Reference> {
    let c: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    for i in 0..c.len() {
        let word = c[i..].starts_with(&['u', 's', 'e'])
            && c.get(i + 3).is_some_and(|ch| ch.is_whitespace());
        if word && (i == 0 || !is_ident(c[i - 1])) {
            let at = skip_space(&c, i + 3);
            let (base, at) = path_start(&c, at, module, true).unwrap_or((module.to_vec(), at));
            tree_at(&c, at, base, &mut found);
        }
    }
    found
}

/// At `crate::`, `super::` (repeated) or, with `relative`, `self::`: the module it names and
/// where the rest of the path starts.
fn path_start(
    c: &[char],
    i: usize,
    module: &[String],
    relative: bool,
) -> Option<(Vec<String>, usize)> {
    let word = |at: usize, w: &str| {
        let w: Vec<char> = w.chars().collect();
        c[at..].starts_with(&w) && !c.get(at + w.len()).is_some_and(|&ch| is_ident(ch))
    };
    let colons = |at: usize| {
        let at = skip_space(c, at);
        (c[at..].starts_with(&[':', ':'])).then(|| skip_space(c, at + 2))
    };
    if word(i, "crate") {
        return colons(i + 5).map(|at| (Vec::new(), at));
    }
    if relative && word(i, "self") {
        return colons(i + 4).map(|at| (module.to_vec(), at));
    }
    let mut base = module.to_vec();
    let mut at = i;
    let mut found = false;
    while word(at, "super") {
        let next = colons(at + 5)?;
        base.pop()?;
        (at, found) = (next, true);
    }
    found.then_some((base, at))
}

/// Reads a path or a group of paths (`{a, b::c, self}`) at `i` under `base`; returns where it
/// ends.
fn tree_at(c: &[char], i: usize, base: Vec<String>, found: &mut Vec<Reference>) -> usize {
    let mut i = skip_space(c, i);
    let line = c[..i].iter().filter(|&&ch| ch == '\n').count() + 1;
    match c.get(i) {
        Some('{') => {
            i += 1;
            loop {
                i = skip_space(c, i);
                match c.get(i) {
                    None => return i,
                    Some('}') => return i + 1,
                    Some(',') => i += 1,
                    _ => {
                        let end = tree_at(c, i, base.clone(), found);
                        if end == i {
                            return i; // not a path after all
                        }
                        i = end;
                    }
                }
            }
        }
        Some('*') => {
            found.push(Reference {
                line,
                path: base,
                name: "*".into(),
            });
            i + 1
        }
        _ => {
            let start = i;
            while c.get(i).is_some_and(|&ch| is_ident(ch)) {
                i += 1;
            }
            if i == start {
                return i;
            }
            let ident: String = c[start..i].iter().collect();
            let mut path = base;
            if ident != "self" {
                path.push(ident);
            }
            let after = skip_space(c, i);
            if c[after..].starts_with(&[':', ':']) {
                let next = skip_space(c, after + 2);
                if c.get(next)
                    .is_some_and(|&ch| is_ident(ch) || ch == '{' || ch == '*')
                {
                    return tree_at(c, next, path, found);
                }
            }
            // `as name`
            let mut name = path.last().cloned().unwrap_or_default();
            if c[after..].starts_with(&['a', 's'])
                && c.get(after + 2).is_some_and(|ch| ch.is_whitespace())
            {
                let from = skip_space(c, after + 2);
                let to = (from..c.len())
                    .find(|&k| !is_ident(c[k]))
                    .unwrap_or(c.len());
                name = c[from..to].iter().collect();
                i = to;
            }
            found.push(Reference { line, path, name });
            i
        }
    }
}

fn skip_space(c: &[char], mut i: usize) -> usize {
    while c.get(i).is_some_and(|ch| ch.is_whitespace()) {
        i += 1;
    }
    i
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

// ---------------------------------------------------------------------------------------------
// The scanner on small examples

fn tree_of(files: &[(&str, &str)]) -> Vec<Source> {
    parse_tree(
        files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect(),
    )
}

#[test]
fn an_upward_import_is_found_in_any_form() {
    let tree = tree_of(&[
        ("tui/mod.rs", "use crate::cli::Context;\n"),
        (
            "store/mod.rs",
            "use crate::{domain::Stage,\n    insight::{self, Insight}};\nfn f() { crate::tui::run(); }\n",
        ),
        (
            "tui/ui/board.rs",
            "\n\nuse super::super::super::cli::Args;\n",
        ),
        (
            "sync/mod.rs",
            "fn f() -> crate :: interchange::Row { todo!() }\n",
        ),
        (
            "domain/mod.rs",
            "pub fn f() -> crate::store::Result<()> { Ok(()) }\n",
        ),
    ]);
    assert_eq!(
        layer_violations(&tree),
        [
            "src/domain/mod.rs:1: domain may not use store",
            "src/store/mod.rs:2: store may not use insight",
            "src/store/mod.rs:3: store may not use tui",
            "src/sync/mod.rs:1: sync may not use interchange",
            "src/tui/mod.rs:1: tui may not use cli",
            "src/tui/ui/board.rs:3: tui may not use cli",
        ]
    );
}

#[test]
fn comments_literals_and_test_code_are_not_imports() {
    let tree = tree_of(&[
        (
            "store/mod.rs",
            concat!(
                "//! Used by [`crate::cli`].\n",
                "/* crate::tui /* nested */ crate::cli */\n",
                "const A: &str = \"crate::cli \\\" crate::tui\";\n",
                "const B: &str = r##\"crate::cli \"# crate::tui\"##;\n",
                "const Q: char = '\"'; fn f<'a>(x: &'a str) -> &'a str { x }\n",
                "use crate::domain::Stage;\n",
                "#[cfg(test)]\nmod tests;\n",
                "#[cfg(test)]\n#[allow(unused)]\nmod more {\n    use crate::demo::generate;\n}\n",
                "#[cfg(all(unix, test))]\nmod unix {\n    use crate::tui::App;\n}\n",
            ),
        ),
        ("store/tests.rs", "use crate::demo::generate;\n"),
        ("store/tests/deep.rs", "use crate::cli::Context;\n"),
    ]);
    assert_eq!(layer_violations(&tree), Vec::<String>::new());
    // The same file is product code when it is not declared under `#[cfg(test)]`.
    let tree = tree_of(&[
        ("store/mod.rs", "mod tests;\n"),
        ("store/tests.rs", "use crate::demo::generate;\n"),
    ]);
    assert_eq!(
        layer_violations(&tree),
        ["src/store/tests.rs:1: store may not use demo"]
    );
    // Code for other builds than tests is code.
    let tree = tree_of(&[(
        "store/mod.rs",
        "#[cfg(not(test))]\nuse crate::demo::generate;\n",
    )]);
    assert_eq!(
        layer_violations(&tree),
        ["src/store/mod.rs:2: store may not use demo"]
    );
}

#[test]
fn an_inline_module_outside_tests_is_refused() {
    // `super::` inside it would be read as the file's parent.
    let tree = tree_of(&[("store/mod.rs", "\npub mod inner {\n    pub fn f() {}\n}\n")]);
    assert_eq!(
        layer_violations(&tree),
        ["src/store/mod.rs:2: an inline module outside tests; give it a file"]
    );
}

#[test]
fn a_circle_between_siblings_is_found_through_re_exports() {
    let files = [
        (
            "domain/mod.rs",
            "pub mod a;\npub mod b;\npub use a::Thing;\n",
        ),
        ("domain/a.rs", "use super::b::Other;\npub struct Thing;\n"),
        ("domain/b/mod.rs", "pub struct Other;\n"),
        (
            "domain/b/inner.rs",
            "fn f() -> crate::domain::Thing { todo!() }\n",
        ),
    ];
    let tree = tree_of(&files);
    assert_eq!(
        sibling_cycles(&tree, "domain"),
        [
            "circle in src/domain: a uses b at src/domain/a.rs:1; b uses a at src/domain/b/inner.rs:1"
        ]
    );
    let one_way = tree_of(&files[..3]);
    assert_eq!(sibling_cycles(&one_way, "domain"), Vec::<String>::new());
}
