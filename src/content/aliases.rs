//! A page's or listing's `aliases`: old addresses that redirect to it,
//! read from the site's root.

use std::path::Path;

use crate::config::{RelativeAliases, SiteConfig};
use crate::content::frontmatter::FrontMatter;
use crate::diagnostics::Diagnostic;

/// An alias without a leading `/` is beside the page, as in Hugo (`old`
/// on the page `/news/new/` is `/news/old/`), or from the root, as in Zola.
/// A page's aliases as addresses from the site's root, with another tool's
/// address for it (see [`super::page_slug::keep_former_url`]).
pub(super) fn page_aliases(
    rel: &Path,
    meta: &mut FrontMatter,
    (url, config): (&str, &SiteConfig),
    problems: &mut Vec<Diagnostic>,
) {
    // Obsidian's aliases are other names for a note (`Untitled alias`),
    // no addresses: a name with spaces and no `/` redirects nothing.
    let (names, aliases): (Vec<String>, Vec<String>) = std::mem::take(&mut meta.aliases)
        .into_iter()
        .partition(|alias| alias.contains(char::is_whitespace) && !alias.contains('/'));
    if let Some(first) = names.first() {
        problems.push(
            Diagnostic::warning(
                rel,
                format!(
                    "alias \"{first}\"{} is a name, not an address (as Obsidian's aliases are): no redirect is made",
                    if names.len() > 1 { " and the others with spaces" } else { "" }
                ),
            )
            .at_field("aliases")
            .at_line(meta.line_of("aliases"))
            .with_help("an alias is an old address of the page, e.g. `/old/path/`"),
        );
    }
    meta.aliases = aliases
        .into_iter()
        .map(|alias| from_site_root(alias, url, config.links.relative_aliases))
        .collect();
    super::page_slug::keep_former_url(rel, meta, url, problems);
}

fn from_site_root(alias: String, page_url: &str, relative: RelativeAliases) -> String {
    if alias.starts_with('/') {
        return alias;
    }
    if relative == RelativeAliases::Root {
        return format!("/{alias}");
    }
    let folder = page_url
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    // `./old` is `old`; `./` alone is the folder itself, which the clash
    // check then finds to be its listing's address. `../old` is beside the
    // folder, as Hugo reads it; above the site's root it stays as written,
    // which the alias check refuses.
    let mut path: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in alias.split('/').filter(|p| *p != ".") {
        match part {
            ".." if path.pop().is_none() => return alias,
            ".." => {}
            part => path.push(part),
        }
    }
    format!("/{}", path.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_alias_is_read_from_the_pages_folder_as_hugo_reads_it() {
        let beside =
            |alias: &str| from_site_root(alias.into(), "/docs/about/new/", RelativeAliases::Page);
        assert_eq!(beside("old"), "/docs/about/old");
        assert_eq!(beside("./old/"), "/docs/about/old/");
        assert_eq!(beside("../changelog"), "/docs/changelog");
        assert_eq!(beside("../../x/y/"), "/x/y/");
        assert_eq!(
            beside("../../../x"),
            "../../../x",
            "above the root: refused later"
        );
        assert_eq!(beside("/abs/"), "/abs/");
        assert_eq!(
            from_site_root("2016/z.html".into(), "/a/b/", RelativeAliases::Root),
            "/2016/z.html"
        );
    }
}
