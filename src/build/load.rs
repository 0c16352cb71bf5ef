//! Loading a site: site.toml, every content file (in parallel, reusing the
//! dev server's cache), the library, the template data and the theme; every
//! problem is collected before the load fails.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use crate::build::images;
use crate::build::prints::page_print;
use crate::build::{BuildCache, BuildOptions, Site};
use crate::config::SiteConfig;
use crate::content::cascade::Cascades;
use crate::content::library::LibraryInput;
use crate::content::links::content_key;
use crate::content::loader::{self, ContentFiles, FileRole, Loaded, LoadedFile};
use crate::content::{Library, Section, Selection};
use crate::diagnostics::{BuildFailed, Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::output;
use crate::render::context as ctx;
use crate::render::{self, SiteIndex};
use crate::timing::PhaseTimer;

/// The load's problems in order; an error among them fails the build with
/// the published images' problems too: those come to light as the images
/// are published, and one build should list every error.
fn every_problem(problems: Vec<Diagnostic>, library: &Library) -> Result<Diagnostics, BuildFailed> {
    let mut diagnostics = Diagnostics(problems);
    if diagnostics.has_errors()
        && let Some(pictures) = &library.pictures
    {
        diagnostics.extend(pictures.inspect(library.published.values().collect::<Vec<_>>()));
    }
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(BuildFailed(diagnostics));
    }
    Ok(diagnostics)
}

/// Reads site.toml, every content file and the theme; all problems together.
pub fn load(options: &BuildOptions) -> Result<Site, BuildFailed> {
    load_with(options, &mut BuildCache::default())
}

/// [`load`], reusing what `cache` holds from an earlier build.
pub fn load_with(options: &BuildOptions, cache: &mut BuildCache) -> Result<Site, BuildFailed> {
    let root = &options.root;
    let timer = PhaseTimer::start();
    let mut config = SiteConfig::load(root).map_err(|d| BuildFailed(Diagnostics(d)))?;
    if let Some(base) = &options.base_url {
        if let Some(message) = crate::config::base_url_problem(base) {
            let d = Diagnostic::error("--base-url", message);
            return Err(BuildFailed(Diagnostics(vec![d])));
        }
        config.base_url = base.clone();
    }
    let mut problems = Vec::new();
    let files = match cache.files.take() {
        Some(files) => files,
        None => loader::discover(root, &mut problems),
    };
    timer.lap("discover");
    keep_taken_underscores(&mut config, &files, &mut problems);
    let loaded = read_files(root, &config, &files, cache, &mut problems);
    mark_drafts_problems(&loaded, &mut problems, !options.drafts);
    timer.lap("read and parse front matter");
    let input = LibraryInput {
        unreadable: unreadable(&files.markdown, &loaded),
        loaded,
        root: root.clone(),
        assets: files.assets.clone(),
        static_files: static_file_map(root, &config, &mut problems),
        pictures: Some(Arc::new(images::pictures(root, &config))),
        reserved_ids: render::theme_ids(root, &config),
        selection: Selection {
            drafts: options.drafts,
            future: options.future,
            now: options.now,
            unpublished_links_fail: options.checking,
        },
    };
    let library = Library::build(input, &config, &mut cache.markdown, &mut problems);
    let default_image = images::default_share_image(&config, &library.published);
    let sharing_defaults = sharing_defaults(&config, default_image.as_ref());
    problems.extend(super::site_toml_links::check(&config, &library));
    timer.lap("library (Markdown, sections, taxonomies)");
    let steps = PhaseTimer::start();
    let (strings, strings_print) = render::interface_strings(root, &config).unwrap_or_else(|d| {
        problems.push(d);
        (HashMap::new(), 0)
    });
    let page_prints: Vec<u64> = library
        .pages
        .iter()
        .map(|p| page_print(p, options.now, library.links_fingerprint, &options.base_url))
        .collect();
    let summaries = page_summaries(&library, &page_prints, &config, options, cache);
    steps.lap("  page summaries");
    let related = crate::content::related::related_pages(&library.pages, &config.related);
    steps.lap("  related pages");
    let index = Arc::new(site_index(&config, &library, &summaries));
    steps.lap("  site index");
    let (tera, theme) = match render::load_templates(root, &config, index.clone()) {
        Ok((tera, theme)) => {
            problems.extend(missing_templates(&tera, &library));
            (tera, theme)
        }
        Err(d) => {
            problems.extend(d);
            (Arc::default(), render::ThemePrint::default())
        }
    };
    timer.lap("template data and templates");
    let diagnostics = every_problem(problems, &library)?;
    cache.files = Some(files);
    Ok(Site {
        record_prints: cache.keep,
        index,
        base_url_override: options.base_url.clone(),
        global_print: global_print(
            &config,
            &library,
            default_image.as_ref(),
            (&theme, strings_print, &page_prints, options.now),
        ),
        theme_looks_up: theme.looks_up,
        section_values: section_values(&library, &config),
        configs: config_values(&config, &library),
        page_prints,
        root: root.clone(),
        config,
        library,
        tera,
        now: options.now,
        summaries,
        related,
        default_image,
        sharing_defaults,
        strings,
        warnings: diagnostics,
    })
}

/// Reads the Markdown files the cache does not hold (or holds read in
/// another role): the sections' own files first, whose `cascade` the pages
/// below them are read with.
fn read_missing(root: &Path, config: &SiteConfig, files: &ContentFiles, cache: &mut BuildCache) {
    use crate::content::paths::{listing_texts, parse_content_path};
    // A file whose path is wrong is read for its error, in no role.
    let (places, unplaced): (Vec<_>, Vec<_>) = files
        .markdown
        .par_iter()
        .map(|f| (f, parse_content_path(f, config).ok()))
        .partition(|(_, place)| place.is_some());
    let places: Vec<_> = places
        .into_iter()
        .filter_map(|(f, place)| Some((f, place?)))
        .collect();
    let listing_texts = listing_texts(&places);
    let (indexes, pages): (Vec<_>, Vec<_>) = places
        .iter()
        .partition(|(f, place)| place.is_index || listing_texts.contains(*f));
    let tz = config.time_zone();
    let cascades = read_listing_texts(root, config, &tz, cache, (&indexes, &listing_texts));
    let page_roles = pages.iter().map(|(f, place)| {
        let role = FileRole {
            inherited: cascades.inherited(&place.section, &place.lang),
            ..FileRole::default()
        };
        (*f, role)
    });
    let unplaced = unplaced.into_iter().map(|(f, _)| (f, FileRole::default()));
    read_in_roles(
        root,
        config,
        &tz,
        cache,
        page_roles.chain(unplaced).collect(),
    );
}

/// Reads the sections' own files, shallow sections first: a section's
/// listing is read with what the sections above it hand down, as Hugo's
/// cascade reaches sub-sections. Returns every section's `cascade`.
fn read_listing_texts(
    root: &Path,
    config: &SiteConfig,
    tz: &jiff::tz::TimeZone,
    cache: &mut BuildCache,
    (indexes, listing_texts): (
        &[&(&PathBuf, crate::content::paths::ContentPath)],
        &HashSet<PathBuf>,
    ),
) -> Cascades {
    let mut cascades = Cascades::default();
    // The section each listing text is of (an `index.md` may be its folder's).
    let listings: Vec<(&PathBuf, String, &str)> = indexes
        .iter()
        .map(|(f, place)| {
            let section = match listing_texts.contains(*f) {
                true => place.clone().as_listing_text().section,
                false => place.section.clone(),
            };
            (*f, section, place.lang.as_str())
        })
        .collect();
    let mut levels: Vec<_> = listings
        .iter()
        .map(|(_, section, _)| depth(section))
        .collect();
    levels.sort_unstable();
    levels.dedup();
    for level in levels {
        let level_indexes: Vec<_> = listings
            .iter()
            .filter(|(_, section, _)| depth(section) == level)
            .collect();
        let roles = level_indexes.iter().map(|(f, section, lang)| {
            let parent = section.rsplit_once('/').map_or("", |(parent, _)| parent);
            let role = FileRole {
                as_listing_text: listing_texts.contains(*f),
                inherited: match section.is_empty() {
                    true => Default::default(),
                    false => cascades.inherited_by_listing(parent, lang),
                },
            };
            (*f, role)
        });
        read_in_roles(root, config, tz, cache, roles.collect());
        cascades.add(level_indexes.iter().filter_map(|(f, _, _)| {
            match cache.loaded.get(*f)?.item.as_ref()? {
                Loaded::Index(index) => {
                    Some((index.section.as_str(), index.lang.as_str(), &index.meta))
                }
                Loaded::Page(_) => None,
            }
        }));
    }
    cascades
}

/// How many folders deep a section is: 0 for the site's root.
fn depth(section: &str) -> usize {
    match section {
        "" => 0,
        _ => section.matches('/').count() + 1,
    }
}

/// Reads, in parallel, the files the cache does not hold in their role.
fn read_in_roles(
    root: &Path,
    config: &SiteConfig,
    tz: &jiff::tz::TimeZone,
    cache: &mut BuildCache,
    files: Vec<(&PathBuf, FileRole)>,
) {
    let missing: Vec<(&PathBuf, FileRole)> = files
        .into_iter()
        .filter(|(f, role)| cache.loaded.get(*f).is_none_or(|kept| kept.role != *role))
        .collect();
    let fresh: Vec<(PathBuf, LoadedFile)> = missing
        .into_par_iter()
        .map(|(rel, role)| (rel.clone(), loader::load_one(root, rel, config, tz, &role)))
        .collect();
    cache.loaded.extend(fresh);
}

/// A draft's problems are marked as a draft's; when the build leaves drafts
/// out they are warnings, and fail nothing (`dunav check` and `serve`, which
/// show drafts, still count them as errors). Hugo sites keep untitled
/// snippet pages under a `cascade` of `build: {render: never}`, which failed
/// every build.
fn mark_drafts_problems(loaded: &[Loaded], problems: &mut [Diagnostic], left_out: bool) {
    let drafts: HashSet<&Path> = loaded
        .iter()
        .filter_map(|item| match item {
            Loaded::Page(page) if page.meta.draft => Some(page.file.as_path()),
            _ => None,
        })
        .collect();
    for problem in problems
        .iter_mut()
        .filter(|p| drafts.contains(p.path.as_path()))
    {
        problem.note = problem
            .note
            .or(Some(crate::diagnostics::Unpublished::Draft));
        if left_out {
            problem.severity = crate::diagnostics::Severity::Warning;
        }
    }
}

/// Reads the Markdown files the cache does not hold, in parallel, and
/// returns every file's result in file order.
fn read_files(
    root: &Path,
    config: &SiteConfig,
    files: &ContentFiles,
    cache: &mut BuildCache,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Loaded> {
    read_missing(root, config, files, cache);
    let known: HashSet<&PathBuf> = files.markdown.iter().collect();
    cache.loaded.retain(|k, _| known.contains(k));
    let mut loaded = Vec::with_capacity(files.markdown.len());
    if !cache.keep {
        // A one-off build owns what it read: move it rather than copy it.
        let mut taken = std::mem::take(&mut cache.loaded);
        for rel in &files.markdown {
            if let Some(file) = taken.remove(rel) {
                problems.extend(file.problems);
                loaded.extend(file.item);
            }
        }
        return loaded;
    }
    for rel in &files.markdown {
        if let Some(file) = cache.loaded.get_mut(rel) {
            problems.extend(file.problems.iter().cloned());
            loaded.extend(file.item.clone());
            // This build's page has the Markdown; the cache keeps its HTML
            // (the Markdown cache), and a later build that must render it
            // again reads the file again: 75 MB less at 10,000 pages.
            if let Some(Loaded::Page(page)) = &mut file.item {
                page.body = None;
            }
        }
    }
    loaded
}

/// The content keys of the Markdown files that could not be read.
fn unreadable(markdown: &[PathBuf], loaded: &[Loaded]) -> HashSet<String> {
    let read: HashSet<&Path> = loaded.iter().map(Loaded::file).collect();
    markdown
        .iter()
        .filter(|rel| !read.contains(rel.as_path()))
        .map(|rel| crate::content::links::content_key(rel))
        .collect()
}

/// The Jekyll folders that keep their `_` in the site's addresses (see
/// [`crate::content::underscore_folders_taken`]), in the outputs' prints.
fn keep_taken_underscores(
    config: &mut SiteConfig,
    files: &ContentFiles,
    problems: &mut Vec<Diagnostic>,
) {
    let (kept, warning) = crate::content::underscore_folders_taken(&files.markdown, &files.assets);
    if !kept.is_empty() {
        config.source_print ^= crate::fingerprint::of(&kept);
        config.underscore_kept = kept;
    }
    problems.extend(warning);
}

/// A page's or section's `template` the theme does not have (a Zola or
/// MkDocs site's own, `theme.html`): a warning at the field, and the page
/// is shown with the template it would have without the field.
fn missing_templates(tera: &tera::Tera, library: &Library) -> Vec<Diagnostic> {
    let names: HashSet<&str> = tera.get_template_names().collect();
    let pages = library.pages.iter().map(|p| (&p.file, &p.meta));
    let sections = library
        .sections
        .iter()
        .filter_map(|s| Some((s.file.as_ref()?, &s.meta)));
    pages
        .chain(sections)
        .filter_map(|(file, meta)| {
            let template = meta.template.as_deref()?;
            (!names.contains(template)).then(|| {
                Diagnostic::warning(
                    file,
                    format!("the theme has no template \"{template}\": the default one shows it"),
                )
                .at_field("template")
                .at_line(meta.line_of("template"))
                .with_help("name a template in the theme's templates/ folder, or remove the field")
            })
        })
        .collect()
}

/// Every file under the theme's `static/` and the site's (which win), by site path.
fn static_file_map(
    root: &Path,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> HashMap<String, PathBuf> {
    let theme = render::theme_dir(root, config);
    // A theme linked in from elsewhere (a shared checkout) is the theme's own folder.
    let theme_boundary = loader::SiteBoundary::of(&theme);
    let site = loader::SiteBoundary::of(root);
    let mut outside = Vec::new();
    let files = output::static_files::list(&theme.join("static"), &theme_boundary, &mut outside)
        .into_iter()
        .chain(output::static_files::list(
            &root.join("static"),
            &site,
            &mut outside,
        ))
        .collect();
    problems.extend(
        outside
            .iter()
            .map(|link| loader::SiteBoundary::left(root, link)),
    );
    files
}

/// Each page's listing value, reused from the cache when its fingerprint is unchanged.
fn page_summaries(
    library: &Library,
    page_prints: &[u64],
    config: &SiteConfig,
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Vec<Value> {
    let links = ctx::TermLinks::default();
    let summaries: Vec<Value> = library
        .pages
        .par_iter()
        .zip(page_prints.par_iter())
        .map(|(p, print)| match cache.summaries.get(&p.file) {
            Some((key, value)) if key == print => value.clone(),
            _ => ctx::page_summary(p, config, options.now, &links),
        })
        .collect();
    cache.summaries = if cache.keep {
        library
            .pages
            .iter()
            .zip(page_prints)
            .zip(&summaries)
            .map(|((p, print), v)| (p.file.clone(), (*print, v.clone())))
            .collect()
    } else {
        HashMap::new()
    };
    summaries
}

/// What the template functions look up: pages by file, sections with their pages.
fn site_index(config: &SiteConfig, library: &Library, summaries: &[Value]) -> SiteIndex {
    let index = SiteIndex {
        default_lang: config.default_language.clone(),
        base_url: config.base().to_string(),
        prefixes: config
            .language_codes()
            .into_iter()
            .map(|l| (config.language_prefix(&l), l))
            .map(|(p, l)| (l, p))
            .collect(),
        published: library.published.clone(),
        pictures: library.pictures.clone(),
        ..SiteIndex::default()
    };
    if let Ok(mut pages) = index.pages.write() {
        for (page, summary) in library.pages.iter().zip(summaries) {
            pages.insert(content_key(&page.file), summary.clone());
        }
    }
    if let Ok(mut sections) = index.sections.write() {
        for section in &library.sections {
            sections.insert(
                (section.path.clone(), section.lang.clone()),
                section_with_pages(section, config, summaries),
            );
        }
    }
    index
}

/// A section's template value with its pages, for `get_section`.
pub(super) fn section_with_pages(
    section: &Section,
    config: &SiteConfig,
    summaries: &[Value],
) -> Value {
    let value = ctx::section_value(section, config);
    let Some(map) = value.as_map() else {
        return value;
    };
    let mut map = map.clone();
    let pages: Vec<Value> = section
        .pages
        .iter()
        .map(|&i| summaries[i].clone())
        .collect();
    map.insert("pages".into(), Value::from(pages));
    Value::from(map)
}

/// Changes with anything every output shows: site.toml, the menus, the
/// theme, the base URL, the sharing image, and any section: its `_index.md`
/// (the fields a template may show) and where it is (the language switch).
/// Made from what was loaded, never from the files read again: one saved
/// while the build ran would be printed as it is but rendered as it was.
fn global_print(
    config: &SiteConfig,
    library: &Library,
    default_image: Option<&crate::render::structured::SharedImage>,
    (theme, strings, page_prints, now): (&render::ThemePrint, u64, &[u64], jiff::Timestamp),
) -> u64 {
    // Template data holds hash maps, whose order is not stable: fingerprint the inputs instead.
    // What `config` finds in the content: the menus and the privacy page.
    let links: Vec<(Vec<ctx::Link>, Option<ctx::Link>)> = config
        .language_codes()
        .iter()
        .map(|l| {
            let privacy = ctx::resolve_entry(&config.newsletter.privacy_page, l, config, library);
            (ctx::menu_links(config, l, library), privacy)
        })
        .collect();
    let looked_up = theme.looks_up.then_some((page_prints, now));
    Fingerprint::new()
        .with(&config.source_print)
        .with(&links)
        .with(&theme.print)
        .with(&strings)
        .with(&looked_up)
        .with(&config.base_url)
        .with(&default_image)
        .with(&sections_print(library))
        .finish()
}

/// Of what templates see of every section, as loaded (its `extra` fields as JSON).
fn sections_print(library: &Library) -> u64 {
    let mut print = Fingerprint::new();
    for s in &library.sections {
        let extra = serde_json::to_string(&s.meta.extra).unwrap_or_default();
        print = print
            .with(&s.path)
            .with(&s.lang)
            .with(&s.url)
            .with(&s.title)
            .with(&s.description)
            .with(&s.content_html)
            .with(&s.subsections)
            .with(&extra);
    }
    print.finish()
}

fn section_values(library: &Library, config: &SiteConfig) -> HashMap<(String, String), Value> {
    library
        .sections
        .iter()
        .map(|s| {
            let key = (s.path.clone(), s.lang.clone());
            (key, ctx::section_value(s, config))
        })
        .collect()
}

fn config_values(config: &SiteConfig, library: &Library) -> HashMap<String, Value> {
    config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let v = ctx::config_value(config, &lang, library);
            (lang, v)
        })
        .collect()
}

/// Each language's preview values for outputs without their own: the site's.
fn sharing_defaults(
    config: &SiteConfig,
    default_image: Option<&crate::render::structured::SharedImage>,
) -> HashMap<String, tera::Value> {
    let langs = config.language_codes();
    langs
        .iter()
        .map(|lang| {
            let facts = crate::render::structured::SiteFacts {
                config,
                lang,
                default_image,
            };
            let sharing = facts.website(config.title(lang), &langs);
            (lang.clone(), tera::Value::from_serializable(&sharing))
        })
        .collect()
}
