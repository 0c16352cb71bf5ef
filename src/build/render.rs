//! Rendering a loaded site: every output kind in turn, in parallel within
//! each, skipping outputs whose fingerprint did not change.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::build::Site;
use crate::build::prints::{Carry, OutputPrints, Rendered, Scope};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::render;
use crate::render::context as ctx;
use crate::render::structured::{Crumb, SiteFacts};
use crate::timing::PhaseTimer;

/// How a template error names the output it was met in, on its first line.
const RENDERING: &str = "while rendering ";

/// One template error per template, place and message: a mistake in a
/// template every page uses failed every page the same way, one block each
/// (48 blocks for a site of 47 pages). The first output met stays named,
/// with how many others failed so.
fn merge_template_errors(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, usize)> = Vec::with_capacity(problems.len());
    let mut seen: std::collections::HashMap<(PathBuf, Option<usize>, String), usize> =
        Default::default();
    for d in problems {
        let cause = d
            .message
            .strip_prefix(RENDERING)
            .and_then(|m| m.split_once(":\n"))
            .map(|(_, cause)| cause.to_string());
        let Some(cause) = cause else {
            merged.push((d, 0));
            continue;
        };
        match seen.entry((d.path.clone(), d.line, cause)) {
            std::collections::hash_map::Entry::Occupied(first) => merged[*first.get()].1 += 1,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(merged.len());
                merged.push((d, 0));
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut d, others)| {
            if others > 0
                && let Some((output, cause)) = d.message.split_once(":\n")
            {
                let outputs = if others == 1 { "output" } else { "outputs" };
                d.message = format!("{output} and {others} other {outputs} the same way:\n{cause}");
            }
            d
        })
        .collect()
}

/// One page of HTML to render: which template, where, with what.
pub(super) struct Job {
    pub template: String,
    pub path: String,
    pub context: Context,
    /// The file the output comes from, for error messages.
    pub source: String,
}

/// The outputs rendered after the pages (listings, taxonomies, 404, search).
/// A listing's context is made by its closure on the worker that renders it:
/// made up front, on one thread, the 6,500 listing contexts of a
/// 10,000-page site were held all at once.
#[derive(Default)]
pub(super) struct Jobs<'a>(Vec<Box<dyn FnOnce() -> Job + Send + 'a>>);

impl<'a> Jobs<'a> {
    pub fn push(&mut self, job: Job) {
        self.0.push(Box::new(move || job));
    }

    pub fn push_lazy(&mut self, make: impl FnOnce() -> Job + Send + 'a) {
        self.0.push(Box::new(make));
    }
}

impl Site {
    /// Renders and writes every output; returns the problems met.
    pub fn render_all(&self, sink: &dyn Sink) -> Diagnostics {
        self.render_changed(sink, None, None).problems
    }

    /// Renders the outputs whose fingerprint differs from `previous` (all of them
    /// when there is none), and says which of the previous outputs are gone.
    /// `patched`: the pages edited in place since `previous` (see
    /// [`Site::patch_page`]); only pages that show them are looked at.
    pub fn render_changed(
        &self,
        sink: &dyn Sink,
        previous: Option<&OutputPrints>,
        patched: Option<&[usize]>,
    ) -> Rendered {
        let patched = patched.filter(|_| previous.is_some());
        let scope = match (previous, patched) {
            (Some(previous), Some(_)) => Scope::patching(previous),
            // A one-off build (no previous prints) need not record any.
            _ => Scope::new(previous, previous.is_some() || self.record_prints),
        };
        self.render_in(sink, scope, patched)
    }

    /// Renders into a new folder every output whose print differs from
    /// `previous` (the last build's), and has `carry` put the last build's
    /// file of every other there.
    pub(super) fn render_carrying(
        &self,
        sink: &dyn Sink,
        previous: &OutputPrints,
        carry: Carry<'_>,
    ) -> Rendered {
        self.render_in(sink, Scope::carrying(previous, carry), None)
    }

    /// Renders, of the outputs changed since `previous`, only those in
    /// `viewed` (what browsers have open), and lists the others as put off:
    /// [`Site::render_changed`] from the returned prints renders them.
    pub fn render_viewed_first(
        &self,
        sink: &dyn Sink,
        previous: &OutputPrints,
        viewed: &std::collections::HashSet<String>,
    ) -> Rendered {
        self.render_in(sink, Scope::viewed_first(previous, viewed), None)
    }

    /// Renders only `requested`, changed or not, recording no prints: pages
    /// a browser asked for that a running second pass has yet to reach.
    pub fn render_requested(
        &self,
        sink: &dyn Sink,
        requested: &std::collections::HashSet<String>,
    ) -> Rendered {
        self.render_in(sink, Scope::requested(requested), None)
    }

    fn render_in(&self, sink: &dyn Sink, scope: Scope<'_>, patched: Option<&[usize]>) -> Rendered {
        let timer = PhaseTimer::start();
        let theme = render::theme_dir(&self.root, &self.config);
        let run = |job: Job| self.run_job(job, sink, &theme);
        let mut problems = self.render_pages(sink, &scope, &theme, patched);
        timer.lap("pages");
        let mut jobs = Jobs::default();
        self.section_jobs(&mut jobs, &scope);
        self.taxonomy_jobs(&mut jobs, &scope);
        self.not_found_jobs(&mut jobs, &scope);
        self.search_page_jobs(&mut jobs, &scope);
        let rendered = jobs.0.into_par_iter().filter_map(|make| run(make()));
        problems.extend(rendered.collect::<Vec<_>>());
        self.index.partials.forget();
        timer.lap("listings");
        problems.extend(self.write_data_files(sink, &scope));
        timer.lap("feeds, calendars, sitemap");
        problems.extend(self.copy_files(sink, &scope));
        timer.lap("static files");
        let mut problems = Diagnostics(merge_template_errors(problems));
        problems.sort();
        scope.finish(problems)
    }

    /// The context every template gets for a language.
    pub fn base_context(&self, lang: &str, current_url: &str) -> Context {
        let mut c = Context::new();
        c.insert("lang", lang);
        c.insert("lang_dir", text_direction(lang));
        c.insert_value(
            "config",
            self.configs.get(lang).cloned().unwrap_or(Value::none()),
        );
        c.insert_value(
            "t",
            self.strings.get(lang).cloned().unwrap_or(Value::none()),
        );
        c.insert("current_url", current_url);
        // Pages and listings put their own; every other page switches to the homes.
        c.insert("language_switch", &self.language_switch(&[], None));
        c.insert("current_permalink", &self.config.absolute_url(current_url));
        c.insert("now", &self.now.to_string());
        // Made once per language at load: pages and listings put their own.
        c.insert_value(
            "sharing",
            self.sharing_defaults
                .get(lang)
                .cloned()
                .unwrap_or(Value::none()),
        );
        c.insert("structured_data", &Vec::<String>::new());
        c
    }

    /// What previews and search engines get in every output of a language.
    pub(super) fn facts<'a>(&'a self, lang: &'a str) -> SiteFacts<'a> {
        SiteFacts {
            config: &self.config,
            lang,
            default_image: self.default_image.as_ref(),
        }
    }

    /// The trail from the home page down to a section (`news`, then
    /// `news/2024`), the home page itself not included.
    pub(super) fn section_crumbs(&self, path: &str, lang: &str) -> Vec<Crumb> {
        path.match_indices('/')
            .map(|(at, _)| &path[..at])
            .chain((!path.is_empty()).then_some(path))
            .filter_map(|prefix| self.library.section(prefix, lang))
            .map(|s| (s.title.clone(), s.url.clone()))
            .collect()
    }

    /// A listing's preview title and breadcrumb trail (after the home page).
    pub(super) fn describe_listing(&self, context: &mut Context, lang: &str, crumbs: &[Crumb]) {
        let Some((title, _)) = crumbs.last() else {
            return;
        };
        let facts = self.facts(lang);
        let langs = self.config.language_codes();
        let title = format!("{title} · {}", self.config.title(lang));
        context.insert("sharing", &facts.website(&title, &langs));
        context.insert("structured_data", &vec![facts.breadcrumbs(crumbs)]);
    }

    pub(super) fn run_job(&self, job: Job, sink: &dyn Sink, theme: &Path) -> Option<Diagnostic> {
        // Rendered as bytes: the templates' text is UTF-8 already, and
        // checking every page's output again cost 3% of a build.
        let mut html = Vec::with_capacity(32 * 1024);
        let watched = render::watchdog::watch(|| {
            format!(
                "{} ({}) with the template {}",
                job.path, job.source, job.template
            )
        });
        let rendered = self.tera.render_to(&job.template, &job.context, &mut html);
        drop(watched);
        match rendered {
            Ok(()) => sink
                .write(&job.path, &html)
                .err()
                .map(|e| write_problem(&job.path, e)),
            Err(e) => {
                let mut d = render::template_error(&self.root, theme, &e);
                d.message = format!("{RENDERING}{} ({}):\n{}", job.path, job.source, d.message);
                Some(d)
            }
        }
    }

    /// The language switch: each language's version of the page (`translations`),
    /// else that language's `section` (if it has one), else its home page.
    pub(super) fn language_switch(
        &self,
        translations: &[ctx::TranslationLink],
        section: Option<&str>,
    ) -> Vec<ctx::SwitchLink> {
        self.config
            .language_codes()
            .into_iter()
            .map(|lang| {
                if let Some(t) = translations.iter().find(|t| t.lang == lang) {
                    return ctx::SwitchLink {
                        url: t.url.clone(),
                        translated: true,
                        lang,
                    };
                }
                let url = section
                    .and_then(|path| self.library.section(path, &lang))
                    .map(|s| s.url.clone())
                    .unwrap_or_else(|| format!("{}/", self.config.language_prefix(&lang)));
                ctx::SwitchLink {
                    url,
                    translated: false,
                    lang,
                }
            })
            .collect()
    }

    /// Puts a page's translations (for `hreflang`) and its language switch into a context.
    pub(super) fn insert_languages(
        &self,
        context: &mut Context,
        translations: &[ctx::TranslationLink],
        section: Option<&str>,
    ) {
        context.insert("translations", translations);
        context.insert(
            "language_switch",
            &self.language_switch(translations, section),
        );
    }

    pub(super) fn template_exists(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }
}

/// `rtl` for a language written from right to left (Arabic, Persian,
/// Hebrew, Urdu…), by its primary tag; else `ltr`.
fn text_direction(lang: &str) -> &'static str {
    const RIGHT_TO_LEFT: [&str; 12] = [
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi",
    ];
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase();
    match RIGHT_TO_LEFT.contains(&primary.as_str()) {
        true => "rtl",
        false => "ltr",
    }
}

/// A file that could not be written, named by its place in the output.
pub(super) fn write_problem(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        format!("public/{}", path.trim_start_matches('/')),
        format!("cannot write: {e}"),
    )
}
