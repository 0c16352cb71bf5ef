//! Files other tools keep in their content folder that are no pages and
//! must not be published as they are: Jekyll's settings and layouts, HTML
//! pages with front matter, Mintlify's snippets.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// An MDX file in `content/snippets/`: Mintlify keeps there what its
/// pages import (`export const Counter = …`, a shared `<Note>`), never a
/// page; read as pages, each was an error. Markdown files there are pages.
pub(super) fn is_mintlify_snippet(rel: &Path) -> bool {
    let mut parts = rel.components().skip(1);
    parts
        .next()
        .is_some_and(|folder| folder.as_os_str() == "snippets")
        && rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("mdx"))
}

/// The kinds of text file Jekyll and Eleventy run through their template
/// engine when they start with front matter (`feed.xml`, `style.scss`,
/// Eleventy's `blog.njk`). Without front matter, a template is a file a
/// page may offer for download (`nginx.conf.j2`).
const TEMPLATED_TEXT: [&str; 25] = [
    "html",
    "htm",
    "xml",
    "rss",
    "atom",
    "json",
    "txt",
    "css",
    "scss",
    "sass",
    "js",
    "webmanifest",
    "njk",
    "nunjucks",
    "liquid",
    "hbs",
    "handlebars",
    "mustache",
    "ejs",
    "pug",
    "haml",
    "webc",
    "jinja",
    "j2",
    "twig",
];

/// A web text file (HTML, XML, CSS…) that starts with `---` front matter:
/// another tool's page or template, not a file to publish as it is. (A
/// YAML file's `---` starts its document: it is not one.)
pub(super) fn is_text_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let templated = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEMPLATED_TEXT.iter().any(|t| e.eq_ignore_ascii_case(t)));
    let mut start = [0u8; 7];
    let read = templated
        .then(|| {
            std::fs::File::open(path)
                .and_then(|mut f| f.read(&mut start))
                .ok()
        })
        .flatten()
        .unwrap_or(0);
    let text = &start[..read];
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    text.starts_with(b"---\n") || text.starts_with(b"---\r\n")
}

/// What is said of a text file with front matter, which is left out.
pub(super) fn templated_file_left_out(rel: &Path) -> Diagnostic {
    let html = rel
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if html {
        return Diagnostic::warning(
            rel,
            "an HTML file with front matter (a Jekyll or Hugo page): published as it is, it would show its fields, draft or not; it is not published",
        )
        .at_line(1)
        .with_help("write the page as Markdown (a .md file; HTML may stand in it as it is)");
    }
    Diagnostic::warning(
        rel,
        "a file with front matter (a Jekyll or Eleventy template, such as feed.xml): published as it is, it would show its fields and template tags; it is not published",
    )
    .at_line(1)
    .with_help("dunav makes the feeds, the sitemap and the search index itself; keep other tools' templates outside content/")
}

/// Pages in the formats Hugo and Pelican render with other programs
/// (AsciiDoc, reStructuredText, Org, Pandoc's Markdown): published as
/// files they would show their source, a draft's too. Its format's name.
pub(super) fn unrendered_page_format(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "adoc" | "asciidoc" | "ad" => "AsciiDoc",
        "rst" => "reStructuredText",
        "org" => "Org",
        "pandoc" | "pdc" => "Pandoc",
        _ => return None,
    })
}

/// The top-level Jekyll folders (`_docs`) whose name without `_` a folder
/// or page of the content has too (`docs/`, `docs.md`): they keep their
/// `_` in the site's addresses, where the two would share one; and a
/// warning that says so.
pub fn underscore_folders_taken(
    markdown: &[std::path::PathBuf],
    assets: &[std::path::PathBuf],
) -> (std::collections::BTreeSet<String>, Option<Diagnostic>) {
    let mut names = std::collections::HashSet::new();
    let mut underscored = std::collections::BTreeSet::new();
    for path in markdown.iter().chain(assets) {
        let mut parts = path
            .components()
            .skip(1)
            .filter_map(|c| c.as_os_str().to_str());
        let (Some(first), is_folder) = (parts.next(), parts.next().is_some()) else {
            continue;
        };
        if is_folder && first.starts_with('_') {
            underscored.insert(first.to_string());
        } else {
            let name = if is_folder {
                first
            } else {
                first.split('.').next().unwrap_or(first)
            };
            names.insert(name.to_lowercase());
        }
    }
    underscored.retain(|u| names.contains(&u.trim_start_matches('_').to_lowercase()));
    let warning = underscored.first().map(|first| {
        let plain = first.trim_start_matches('_');
        Diagnostic::warning(
            Path::new(crate::content::loader::CONTENT_DIR).join(first),
            format!("published at /{first}/, with its `_`: the site has a page or folder \"{plain}\" at /{plain}/"),
        )
        .with_help(format!("rename one of the two to publish the folder at /{plain}/, as Jekyll would"))
    });
    (underscored, warning)
}

/// One warning for the pages of [`unrendered_page_format`]s, which are left out.
pub(super) fn unrendered_pages_left_out(
    pages: &[(std::path::PathBuf, &'static str)],
) -> Option<Diagnostic> {
    let (first, format) = pages.first()?;
    let more = match pages.len() {
        1 => String::new(),
        n => format!(
            " (and {} more page(s) in formats dunav does not render)",
            n - 1
        ),
    };
    Some(
        Diagnostic::warning(
            first,
            format!(
                "a page in {format}{more}: dunav renders Markdown, and published as it is the file would show its source, draft or not; not published"
            ),
        )
        .with_help("convert it to Markdown (e.g. `pandoc -t gfm`), or keep it outside content/"),
    )
}

/// Other generators' files that a site moved into `content/` brings along
/// and that are no pages: Jekyll's settings (which may hold keys), data
/// (which may hold people's addresses), layouts and last build; Hugo's
/// content adapters (`_content.gotmpl`); Eleventy's data files
/// (`posts.11tydata.js`). Their tools never publish them; published as
/// files, they were.
pub(super) fn is_other_tools_file(name: &std::ffi::OsStr) -> bool {
    const FOLDERS: [&str; 6] = [
        "_data",
        "_includes",
        "_layouts",
        "_sass",
        "_site",
        "_plugins",
    ];
    let name = name.to_string_lossy();
    let eleventy_data = [
        ".11tydata.js",
        ".11tydata.cjs",
        ".11tydata.mjs",
        ".11tydata.json",
    ];
    FOLDERS.contains(&name.as_ref())
        || (name.starts_with("_config")
            && [".yml", ".yaml", ".toml"].iter().any(|e| name.ends_with(e)))
        || name.ends_with(".gotmpl")
        || eleventy_data.iter().any(|e| name.ends_with(e))
}
