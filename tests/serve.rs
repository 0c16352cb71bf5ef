//! `dunav serve`: a real server on a free port, real file edits, live-reload
//! events read from the stream, and incremental output compared with a full build.

mod support;

use std::io::Read;
use std::process::Stdio;
use std::sync::mpsc::Receiver;

use support::http::{get, try_get};
use support::server::{Server, wait_event};
use support::{TestSite, md};

fn start(site: &TestSite) -> Server {
    let mut command = site.command(&["serve", "--port", "0"], &[]);
    command.stderr(Stdio::null());
    Server::start(command)
}

fn events(addr: &str) -> Receiver<(String, String)> {
    support::server::events(addr, "/__dunav/events")
}

fn news(title: &str, extra: &str) -> String {
    md(
        &format!("title: \"{title}\"\ndate: 2026-01-10T10:00:00\n{extra}"),
        "Текст на новината.",
    )
}

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "Добре дошли.")),
        ("content/news/_index.md", &md("title: Новини", "")),
        (
            "content/news/a.md",
            &news("Първа", "tags: [\"общо\"]\nsectors: [ict]"),
        ),
        ("content/news/b.md", &news("Втора", "draft: true")),
        ("static/файл.txt", "кирилица"),
    ])
}

#[test]
fn saving_a_news_file_updates_every_page_that_shows_it_and_reloads() {
    let site = site();
    let server = start(&site);
    let rx = events(&server.addr);
    let page = get(&server.addr, "/news/a/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("/__dunav/live.js"),
        "live reload script injected"
    );
    assert!(page.body.contains("Първа"));
    assert!(
        get(&server.addr, "/news/b/").body.contains("badge-draft"),
        "drafts shown, marked"
    );

    site.write(
        "content/news/a.md",
        &news(
            "Първа, обновена",
            "tags: [\"ново\"]\nsectors: [mechatronics]",
        ),
    );
    wait_event(&rx, "reload");
    assert!(
        get(&server.addr, "/news/a/")
            .body
            .contains("Първа, обновена")
    );
    assert!(get(&server.addr, "/news/").body.contains("Първа, обновена"));
    assert!(get(&server.addr, "/").body.contains("Първа, обновена"));
    assert!(
        get(&server.addr, "/tags/novo/")
            .body
            .contains("Първа, обновена")
    );
    assert!(
        get(&server.addr, "/sectors/mechatronics/")
            .body
            .contains("Първа, обновена")
    );
    assert!(
        !get(&server.addr, "/sectors/ict/").body.contains("Първа"),
        "gone from the old sector"
    );
    assert_eq!(
        get(&server.addr, "/tags/obshto/").status,
        404,
        "the old tag page is gone"
    );
    assert!(
        get(&server.addr, "/atom.xml")
            .body
            .contains("Първа, обновена")
    );
    assert!(!site.public().exists(), "serve never touches public/");
}

/// A `template` the theme lacks (another tool's) is warned of, as `build`
/// warns of it, and the page is shown with its default template.
#[test]
fn a_template_the_theme_lacks_shows_the_page_with_its_default() {
    let site = site();
    let server = start(&site);
    let rx = events(&server.addr);
    site.write(
        "content/news/a.md",
        // The same tags and sectors: an edit that keeps the page's place.
        &news(
            "Първа, с шаблон",
            "tags: [\"общо\"]\nsectors: [ict]\ntemplate: nyama.html",
        ),
    );
    wait_event(&rx, "reload");
    let page = get(&server.addr, "/news/a/");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<h1 class=\"p-name\">Първа, с шаблон</h1>"),
        "{}",
        page.body
    );
}

#[test]
fn a_broken_file_shows_an_error_and_recovery_clears_it() {
    let site = site();
    // A warning of another page's, which the terminal only counts.
    site.write(
        "content/news/c.md",
        &md("title: В\ndate: 2026-01-10", "![](x.png)"),
    );
    site.write_bytes("content/news/x.png", &support::plain_png(8, 8));
    let log = tempfile::NamedTempFile::new().expect("a log file");
    let mut command = site.command(&["serve", "--port", "0"], &[]);
    command.stderr(log.reopen().expect("the log file"));
    let server = Server::start(command);
    let rx = events(&server.addr);
    site.write(
        "content/news/a.md",
        &md("title: Първа\ndate: 2026-01-10\ntags: 5", "x"),
    );
    let error = wait_event(&rx, "build-error");
    assert!(
        error.contains("content/news/a.md:4: `tags`: expected a list of strings"),
        "{error}"
    );
    assert!(
        error.starts_with("\"error: ") && !error.contains("warning:"),
        "the overlay shows the errors, the warnings only counted: {error}"
    );
    assert!(
        get(&server.addr, "/news/a/").body.contains("Първа"),
        "the last good version stays served"
    );
    // The terminal, too, shows the error and counts the warnings.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let terminal = loop {
        let text = std::fs::read_to_string(log.path()).unwrap_or_default();
        if text.contains("stays served") || std::time::Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let after_start = terminal.split("stays served").next().unwrap_or_default();
    assert!(
        after_start.contains("content/news/a.md:4: `tags`")
            && after_start.contains(" warning(s) besides: `dunav check` lists them")
            && !after_start.contains("warning: content/news/c.md"),
        "{terminal}"
    );
    let fresh = events(&server.addr);
    drop(fresh);
    site.write("content/news/a.md", &news("Поправена", ""));
    wait_event(&rx, "reload");
    assert!(get(&server.addr, "/news/a/").body.contains("Поправена"));
    let rx2 = events(&server.addr);
    drop(rx2);
}

#[test]
fn files_folders_templates_config_and_static_are_picked_up() {
    let site = site();
    let server = start(&site);
    // A tab showing /news/c/: after a template change it is rendered first.
    let rx = support::server::events(&server.addr, "/__dunav/events?path=%2Fnews%2Fc%2F");

    site.write(
        "content/events/fresh/e.md",
        &md("title: Ново събитие\nstart: 2099-01-01T10:00:00", "x"),
    );
    wait_event(&rx, "reload");
    assert_eq!(
        get(&server.addr, "/events/fresh/e/").status,
        200,
        "a new folder and file"
    );

    std::fs::rename(
        site.root().join("content/news/a.md"),
        site.root().join("content/news/c.md"),
    )
    .unwrap();
    wait_event(&rx, "reload");
    assert_eq!(get(&server.addr, "/news/a/").status, 404);
    assert_eq!(get(&server.addr, "/news/c/").status, 200);

    std::fs::remove_dir_all(site.root().join("content/events")).unwrap();
    wait_event(&rx, "reload");
    assert_eq!(
        get(&server.addr, "/events/fresh/e/").status,
        404,
        "a deleted folder"
    );

    let base =
        std::fs::read_to_string(site.root().join("themes/dunav/templates/base.html")).unwrap();
    site.write(
        "themes/dunav/templates/base.html",
        &base.replace("<body>", "<body data-edited=\"yes\">"),
    );
    wait_event(&rx, "reload");
    assert!(
        get(&server.addr, "/news/c/")
            .body
            .contains("data-edited=\"yes\""),
        "template change re-renders"
    );
    assert!(
        get(&server.addr, "/news/")
            .body
            .contains("data-edited=\"yes\""),
        "and so does every page no tab shows"
    );

    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("title = \"Тестов сайт\"", "title = \"Преименуван сайт\""),
    );
    wait_event(&rx, "reload");
    assert!(get(&server.addr, "/").body.contains("Преименуван сайт"));

    site.write("static/extra.css", "body { color: red }");
    wait_event(&rx, "css");
    assert!(get(&server.addr, "/extra.css").body.contains("color: red"));

    // A source folder removed and made again is watched again.
    let static_files = site.root().join("static");
    let kept = site.root().join("static-kept");
    std::fs::rename(&static_files, &kept).unwrap();
    wait_event(&rx, "reload");
    assert_eq!(get(&server.addr, "/extra.css").status, 404);
    std::fs::create_dir(&static_files).unwrap();
    wait_event(&rx, "reload");
    site.write("static/again.txt", "first");
    wait_event(&rx, "reload");
    site.write("static/again.txt", "second");
    wait_event(&rx, "reload");
    assert_eq!(get(&server.addr, "/again.txt").body, "second");
    std::fs::remove_dir_all(&static_files).unwrap();
    std::fs::rename(&kept, &static_files).unwrap();
    wait_event(&rx, "reload");

    let encoded = "/%D1%84%D0%B0%D0%B9%D0%BB.txt";
    let r = get(&server.addr, encoded);
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "кирилица"),
        "percent-encoded Cyrillic paths"
    );
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(
        get(&server.addr, "/news").status,
        308,
        "folders get their slash"
    );
}

#[test]
fn a_port_in_use_gives_a_clear_message_and_ctrl_c_stops_cleanly() {
    let site = site();
    let server = start(&site);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    let out = site.run(&["serve", "--port", &port]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("port {port} on 127.0.0.1 is in use"))
    );
    // Hugo's `--bind` and the common `--host` name the interface too.
    for (flag, host) in [("--bind", "127.0.0.1"), ("--host", "localhost")] {
        let out = site.run(&["serve", "--port", &port, flag, host]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("is in use"), "{flag}: {stderr}");
    }

    let mut server = server;
    // An open tab's event stream must not keep the server from stopping.
    let _tab = events(&server.addr);
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut rest = String::new();
    let _ = server
        .child
        .stdout
        .take()
        .map(|mut s| s.read_to_string(&mut rest));
}

/// The served site after many kinds of edits equals a fresh full build.
#[test]
fn incremental_rebuilds_equal_a_full_build() {
    use dunav::serve::ServeState;
    use dunav::serve::rebuild::{Changes, RebuildPath, Rebuilder};
    let site = site();
    site.write(
        "content/news/d.md",
        &news("Четвърта", "tags: [\"общо\", \"друго\"]"),
    );
    site.write("content/news/d.en.md", &news("Fourth", "tags: [\"other\"]"));
    site.write(
        "content/events/e.md",
        &md(
            "title: Събитие\nstart: 2099-05-01T10:00:00",
            "[новина](../news/d.md)",
        ),
    );
    site.write("content/about.md", &md("title: За нас", "Текст."));
    let base = "http://127.0.0.1:1111";
    let state = ServeState::new();
    let mut rebuilder = Rebuilder::new(site.root());
    let full = |c: Changes, r: &mut Rebuilder| r.rebuild(&c, &state, base).unwrap().path;
    let _ = full(
        Changes {
            config: true,
            ..Default::default()
        },
        &mut rebuilder,
    );

    let edit = |path: &str, text: &str, structural: bool, r: &mut Rebuilder| {
        site.write(path, text);
        full(
            Changes {
                paths: vec![path.into()],
                structural,
                ..Default::default()
            },
            r,
        )
    };
    // Edits that keep each page in its place take the patch path.
    let path = edit(
        "content/news/d.en.md",
        &md(
            "title: \"Fourth\"\ndate: 2026-01-10T10:00:00\ntags: [\"other\"]",
            "A new body, [linking](../events/e.md).",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Patched, "an edit in place is patched");
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after: an edit in place is patched");
    let path = edit(
        "content/news/d.md",
        &md(
            "title: \"Четвърта\"\ndate: 2026-01-10T10:00:00\ntags: [\"общо\", \"друго\"]\nsummary: Ново резюме",
            "Друго тяло.",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Patched, "an edit in place is patched");
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after: an edit in place is patched");
    let path = edit(
        "content/events/e.md",
        &md(
            "title: Събитие\nstart: 2099-05-01T10:00:00\nlocation: Русе",
            "Ново описание.",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Patched, "an edit in place is patched");
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after: an edit in place is patched");
    // A new title keeps a page with a date of its own in its place: every
    // page that shows the title (listings, the news that links to it,
    // feeds, the calendar) is rendered again from the patched site.
    let path = edit(
        "content/events/e.md",
        &md(
            "title: Събитие с ново име\nstart: 2099-05-01T10:00:00\nlocation: Русе",
            "Ново описание.",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Patched, "a title alone is patched");
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after: a title alone is patched");
    for shown_in in ["events/index.html", "events/calendar.ics", "index.html"] {
        let served = state.served.read().unwrap();
        let bytes = served.files[shown_in].bytes().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("Събитие с ново име"), "{shown_in}: {text}");
    }
    // An editor that saves by writing a new file and renaming it over the
    // old one: the watcher calls it structural, but the files are the same.
    let saved = site.root().join("content/events/e.md.new");
    std::fs::write(
        &saved,
        md(
            "title: Събитие с ново име\nstart: 2099-05-01T10:00:00\nlocation: Русе",
            "Описание, записано с преименуване.",
        ),
    )
    .unwrap();
    std::fs::rename(&saved, site.root().join("content/events/e.md")).unwrap();
    let path = full(
        Changes {
            paths: vec![
                "content/events/e.md".into(),
                "content/events/e.md.new".into(),
            ],
            structural: true,
            ..Default::default()
        },
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Patched, "a save by rename is an edit");
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after: a save by rename is an edit");
    // The search bundle is served from disk, and only the last two are kept there.
    let kept = site.root().join(".dunav-cache/serve-search");
    assert!(matches!(
        &state.served.read().unwrap().files["pagefind/pagefind.js"],
        dunav::output::Stored::OnDisk(file) if file.starts_with(&kept)
    ));
    let bundles = std::fs::read_dir(&kept).unwrap().count();
    assert!((1..=2).contains(&bundles), "{bundles} bundles kept");
    // News of the same date and language are ordered by title: a reload.
    let path = edit(
        "content/news/d.md",
        &md(
            "title: \"Четвърта нова\"\ndate: 2026-01-10T10:00:00\ntags: [\"общо\", \"друго\"]\nsummary: Ново резюме",
            "Друго тяло.",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Reloaded, "a title among equal dates");
    // Its translation's date is shared only across languages.
    let path = edit(
        "content/news/d.en.md",
        &md(
            "title: \"A fourth\"\ndate: 2026-01-10T10:00:00\ntags: [\"other\"]",
            "A new body, [linking](../events/e.md).",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(path, RebuildPath::Patched, "dates shared across languages");
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after: dates shared across languages");
    let path = edit(
        "content/news/a.md",
        &news(
            "Първа с ново заглавие",
            "tags: [\"друго\"]\nsectors: [cleantech]",
        ),
        false,
        &mut rebuilder,
    );
    assert_eq!(
        path,
        RebuildPath::Reloaded,
        "a new title moves the page in listings"
    );
    edit(
        "content/news/d.md",
        &md(
            "title: Четвърта\ndate: 2025-01-01T10:00:00\nslug: chetvarta",
            "Нов текст.",
        ),
        false,
        &mut rebuilder,
    );
    edit(
        "content/news/b.md",
        &news("Втора", "draft: false\nweight: 1"),
        false,
        &mut rebuilder,
    );
    edit(
        "content/news/new.md",
        &news("Съвсем нова", "tags: [\"общо\"]"),
        true,
        &mut rebuilder,
    );
    edit(
        "content/about.md",
        &md("title: За хъба", "Друг текст."),
        false,
        &mut rebuilder,
    );
    std::fs::remove_file(site.root().join("content/news/a.md")).unwrap();
    let _ = full(
        Changes {
            paths: vec!["content/news/a.md".into()],
            structural: true,
            ..Default::default()
        },
        &mut rebuilder,
    );
    edit("static/style-extra.css", "a{}", true, &mut rebuilder);
    rebuilder.wait_for_search();

    served_equals_full_build(&site, &state, base, "after every edit");
}

/// The dev server's files equal those of `dunav build` run now.
fn served_equals_full_build(
    site: &TestSite,
    state: &dunav::serve::ServeState,
    base: &str,
    when: &str,
) {
    let served = state.served.read().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("full");
    let status = site
        .command(
            &[
                "build",
                "--drafts",
                "--future",
                "--base-url",
                base,
                "--output",
                out.to_str().unwrap(),
            ],
            &[],
        )
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let full_files = support::paths_in(&out, false);
    let mut served_files: Vec<String> = served.files.keys().cloned().collect();
    served_files.sort();
    assert_eq!(served_files, full_files, "the same set of files {when}");
    for path in full_files {
        let expected = std::fs::read(out.join(&path)).unwrap();
        assert!(
            served.files[&path].bytes().unwrap().as_ref() == expected.as_slice(),
            "{path} differs from a full build {when}"
        );
    }
}

#[test]
fn the_newsletter_preview_needs_no_sender_identity() {
    let site = site();
    site.write(
        "content/newsletter/2026-02.md",
        &md(
            "title: Бюлетин за февруари\ndate: 2026-02-01T09:00:00",
            "Здравейте.",
        ),
    );
    let server = start(&site);
    let page = get(&server.addr, "/__dunav/newsletter/2026-02");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Бюлетин за февруари"));
    assert!(page.body.contains("unsubscribe?token=PREVIEW"));
}

/// A title edited in place reaches every page that shows it: the pages
/// beside it, the pages that list it as related, its translation.
#[test]
fn a_patched_title_reaches_neighbours_related_pages_and_translations() {
    use dunav::serve::rebuild::{Changes, RebuildPath};
    let item = |title: &str, day: u32, tags: &str| {
        md(
            &format!("title: \"{title}\"\ndate: 2026-01-{day:02}T10:00:00\ntags: [{tags}]"),
            "Текст.",
        )
    };
    let shared = "\"общо\"";
    let site = TestSite::new(&[
        ("content/news/_index.md", &md("title: Новини", "")),
        // n1 is beside n2 only, n4 related to it only, n3 both.
        ("content/news/n1.md", &item("Едно", 1, "")),
        ("content/news/n2.md", &item("Две", 2, shared)),
        ("content/news/n2.en.md", &item("Two", 2, "")),
        ("content/news/n3.md", &item("Три", 3, shared)),
        ("content/news/n4.md", &item("Четири", 20, shared)),
        // In a year folder, listed in /news/ between n3 and n4.
        ("content/news/2026/n5.md", &item("Пет", 5, "")),
    ]);
    let base = "http://127.0.0.1:1111";
    let (state, mut rebuilder) = first_rebuild(&site, base);
    site.write("content/news/n2.md", &item("Две и половина", 2, shared));
    let edit = Changes {
        paths: vec!["content/news/n2.md".into()],
        ..Default::default()
    };
    let outcome = rebuilder.rebuild(&edit, &state, base).unwrap();
    assert_eq!(outcome.path, RebuildPath::Patched);
    for shows_it in [
        "news/n1/index.html",
        "news/n3/index.html",
        "news/n4/index.html",
    ] {
        let served = state.served.read().unwrap();
        let html = String::from_utf8_lossy(&served.files[shows_it].bytes().unwrap()).into_owned();
        assert!(html.contains("Две и половина"), "{shows_it}: {html}");
    }
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after a patched title");
    site.write("content/news/2026/n5.md", &item("Пет и половина", 5, ""));
    let edit = Changes {
        paths: vec!["content/news/2026/n5.md".into()],
        ..Default::default()
    };
    assert_eq!(
        rebuilder.rebuild(&edit, &state, base).unwrap().path,
        RebuildPath::Patched
    );
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after a title in a year folder");
}

/// A template change touches every output: the pages open in tabs are
/// rendered in a first pass, the rest is put off and rendered by a second
/// pass from the first one's prints; together they are exactly the changed
/// outputs, each once, and gone outputs are found in the first pass.
#[test]
fn a_change_to_every_page_renders_the_open_pages_first_then_the_rest() {
    use dunav::build::{BuildCache, BuildOptions, load_with};
    use dunav::output::MemorySink;
    use std::collections::{BTreeSet, HashSet};

    let site = site();
    site.write("content/news/c.md", &news("Трета", ""));
    let options = BuildOptions {
        drafts: true,
        future: true,
        ..BuildOptions::new(site.root())
    };
    let mut cache = BuildCache::keeping();
    let written =
        |sink: MemorySink| -> BTreeSet<String> { sink.into_files().into_keys().collect() };
    let before = load_with(&options, &mut cache).unwrap();
    let full = MemorySink::default();
    let all = before.render_changed(&full, None, None);
    let every_output = written(full);

    let base = site.read_source("themes/dunav/templates/base.html");
    site.write(
        "themes/dunav/templates/base.html",
        &base.replace("<body>", "<body data-edited=\"yes\">"),
    );
    site.remove("content/news/c.md");
    let mut cache = BuildCache::keeping();
    let after = load_with(&options, &mut cache).unwrap();
    let viewed: HashSet<String> = ["news/a/index.html".to_string()].into();
    let first_sink = MemorySink::default();
    let first = after.render_viewed_first(&first_sink, &all.prints, &viewed);
    assert!(!first.problems.has_errors(), "{}", first.problems);
    assert_eq!(
        written(first_sink),
        BTreeSet::from(["news/a/index.html".to_string()]),
        "only the open page is rendered first"
    );
    assert!(first.removed.contains(&"news/c/index.html".to_string()));
    let put_off: BTreeSet<String> = first.put_off.iter().cloned().collect();
    assert_eq!(
        put_off.len(),
        first.put_off.len(),
        "each output put off once"
    );
    assert!(put_off.contains("news/index.html") && put_off.contains("news/b/index.html"));
    assert!(
        !put_off.contains("файл.txt"),
        "an unchanged static file is not put off"
    );

    let second_sink = MemorySink::default();
    let second = after.render_changed(&second_sink, Some(&first.prints), None);
    assert!(second.removed.is_empty() && second.put_off.is_empty());
    let second_files = second_sink.into_files();
    assert_eq!(
        second_files.keys().cloned().collect::<BTreeSet<_>>(),
        put_off,
        "the second pass renders exactly what was put off"
    );

    // A page asked for while the second pass runs is rendered alone, as that
    // pass renders it; a file asked for is left to the pass (a photo's
    // renditions are made there, and its original cleaned of metadata).
    let asked: HashSet<String> = ["news/b/index.html", "news/index.html", "файл.txt"]
        .map(String::from)
        .into();
    let ahead_sink = MemorySink::default();
    let ahead = after.render_requested(&ahead_sink, &asked);
    assert!(!ahead.problems.has_errors(), "{}", ahead.problems);
    assert!(ahead.prints.is_empty() && ahead.removed.is_empty() && ahead.put_off.is_empty());
    let ahead_files = ahead_sink.into_files();
    assert_eq!(
        ahead_files.keys().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from(["news/b/index.html", "news/index.html"].map(String::from)),
        "only the pages asked for are rendered"
    );
    for (path, stored) in &ahead_files {
        assert_eq!(
            stored.bytes().unwrap(),
            second_files[path].bytes().unwrap(),
            "{path} as the second pass renders it"
        );
    }
    let fresh = after.render_changed(
        &MemorySink::default(),
        Some(&dunav::build::OutputPrints::default()),
        None,
    );
    assert!(
        second.prints == fresh.prints,
        "the two passes end where one full pass does"
    );
    let now: BTreeSet<String> = fresh.prints.keys().cloned().collect();
    let gone: BTreeSet<String> = first.removed.iter().cloned().collect();
    assert_eq!(
        gone,
        &every_output - &now,
        "the first pass finds every gone output"
    );
}

/// While a second pass renders what a template change put off, a request
/// for one of those pages is answered beside it: here the pass itself waits
/// for the page, so it finishes only if the page was rendered without it.
#[test]
fn a_page_asked_for_during_the_second_pass_is_rendered_ahead_of_it() {
    use dunav::build::{BuildCache, BuildOptions, load_with};
    use dunav::output::Stored;
    use dunav::serve::ServeState;
    use dunav::serve::requests::answering_requests;

    let site = site();
    let base = site.read_source("themes/dunav/templates/base.html");
    site.write(
        "themes/dunav/templates/base.html",
        &base.replace("<body>", "<body data-edited=\"yes\">"),
    );
    let options = BuildOptions {
        drafts: true,
        ..BuildOptions::new(site.root())
    };
    let after = load_with(&options, &mut BuildCache::keeping()).unwrap();
    let page = "news/a/index.html".to_string();
    let state = ServeState::new();
    {
        let mut served = state.served.write().unwrap();
        served
            .files
            .insert(page.clone(), Stored::Plain("before the change".into()));
        served.put_off.insert(page.clone());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let served_in_time = answering_requests(&state, &after, None, || {
        state.requests.ask([page.clone()]);
        let rendered = async {
            loop {
                let settled = state.settled.notified();
                if !state.served.read().unwrap().put_off.contains(&page) {
                    return;
                }
                settled.await;
            }
        };
        let limit = std::time::Duration::from_secs(60);
        runtime
            .block_on(async { tokio::time::timeout(limit, rendered).await })
            .is_ok()
    });
    assert!(served_in_time, "the page was not rendered beside the pass");
    let served = state.served.read().unwrap();
    let html = served.files[&page].bytes().unwrap();
    assert!(
        String::from_utf8_lossy(&html).contains("data-edited=\"yes\""),
        "the page is served as the new template renders it"
    );
    assert_eq!(served.files.len(), 1, "nothing else was rendered");
}

/// A theme that looks pages up by itself shows an edited page on pages
/// that do not list it: the edit is not patched into its own page only.
#[test]
fn an_edit_under_a_theme_that_looks_pages_up_reaches_every_page() {
    use dunav::serve::rebuild::{Changes, RebuildPath};
    let site = site();
    site.write("content/about.md", &md("title: За нас", "Текст."));
    site.add_to_content(
        "page.html",
        "{% set p = get_page(path=\"news/a.md\") %}<i>{{ p.summary | safe }}</i>",
    );
    let base = "http://127.0.0.1:1111";
    let (state, mut rebuilder) = first_rebuild(&site, base);
    site.write(
        "content/news/a.md",
        &md(
            "title: \"Първа\"\ndate: 2026-01-10T10:00:00\ntags: [\"общо\"]\nsectors: [ict]",
            "Съвсем нов текст.",
        ),
    );
    let edit = Changes {
        paths: vec!["content/news/a.md".into()],
        ..Default::default()
    };
    let path = rebuilder.rebuild(&edit, &state, base).unwrap().path;
    assert_ne!(path, RebuildPath::Patched);
    rebuilder.wait_for_search();
    served_equals_full_build(&site, &state, base, "after a page a template looks up");
    let served = state.served.read().unwrap();
    let about = served.files["about/index.html"].bytes().unwrap();
    assert!(String::from_utf8_lossy(&about).contains("Съвсем нов текст."));
}

/// A dev server's state after its first, full build of `site`.
fn first_rebuild(
    site: &TestSite,
    base: &str,
) -> (
    std::sync::Arc<dunav::serve::ServeState>,
    dunav::serve::rebuild::Rebuilder,
) {
    use dunav::serve::rebuild::{Changes, Rebuilder};
    let state = dunav::serve::ServeState::new();
    let mut rebuilder = Rebuilder::new(site.root());
    let everything = Changes {
        config: true,
        ..Default::default()
    };
    rebuilder.rebuild(&everything, &state, base).unwrap();
    (state, rebuilder)
}

/// A template loop that never ends held serve for good (a render cannot be
/// stopped): past `DUNAV_RENDER_TIMEOUT` serve starts itself again on its
/// port, and serves the template as the editor has fixed it.
#[test]
fn a_render_that_never_ends_restarts_serve_which_then_serves_the_fix() {
    let site = site();
    let news = "themes/dunav/templates/news.html";
    let fixed = site.read_source(news);
    let looping =
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        probe.local_addr().expect("its address").port()
    };
    let log = tempfile::NamedTempFile::new().expect("a log file");
    let port_arg = port.to_string();
    let mut command = site.command(
        &["serve", "--port", &port_arg],
        &[("DUNAV_RENDER_TIMEOUT", "1")],
    );
    command.stderr(log.reopen().expect("the log file"));
    let server = Server::start(command);
    // Saved while serve runs: a first build that never ends would never serve.
    let block = "{% block content %}";
    assert!(fixed.contains(block));
    site.write(
        news,
        &fixed.replacen(block, &format!("{block}{looping}"), 1),
    );
    let said = |text: &str| std::fs::read_to_string(log.path()).is_ok_and(|log| log.contains(text));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !said("serve starts again") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(said(
        "has run for 1 s; does a loop in the template never end?"
    ));
    site.write(news, &fixed);
    // While it starts again, a request may be refused or cut off.
    let served = |page: &std::io::Result<support::http::Response>| {
        page.as_ref().is_ok_and(|page| page.body.contains("Първа"))
    };
    let page = loop {
        let page = try_get(&server.addr, "/news/a/", std::time::Duration::from_secs(2));
        if served(&page) || std::time::Instant::now() > deadline {
            break page;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(served(&page), "{page:?}");
}

/// A page that is a symbolic link shows its target's edits: the watcher
/// reports the target, never the link.
#[cfg(unix)]
#[test]
fn a_linked_page_follows_its_targets_edits() {
    let site = site();
    site.write("content/arhiv/a.md", &news("Архив", ""));
    std::os::unix::fs::symlink("../arhiv/a.md", site.root().join("content/news/vrazka.md"))
        .expect("a link");
    let server = start(&site);
    assert!(get(&server.addr, "/news/vrazka/").body.contains("Архив"));
    let rx = events(&server.addr);
    site.write("content/arhiv/a.md", &news("Обновен архив", ""));
    wait_event(&rx, "reload");
    let page = get(&server.addr, "/news/vrazka/").body;
    assert!(page.contains("Обновен архив"), "{page}");
}

/// A scheduled time that comes while serve runs (a page becomes due, an
/// event ends) renders again what it changes, as a build then would.
#[test]
fn a_scheduled_time_that_comes_renders_again_what_it_changes() {
    let site = site();
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    site.write(
        "content/news/c.md",
        &news("Скоро", &format!("publish_date: {soon}")),
    );
    let mut command = site.command(&["serve", "--port", "0"], &[]);
    command
        .env_remove(dunav::env::NOW.name)
        .stderr(Stdio::null());
    let server = Server::start(command);
    let badge = "Предстои публикуване";
    let rx = events(&server.addr);
    let page = get(&server.addr, "/news/c/").body;
    if jiff::Timestamp::now() < soon {
        assert!(page.contains(badge), "{page}");
    }
    wait_event(&rx, "reload");
    let page = get(&server.addr, "/news/c/").body;
    assert!(!page.contains(badge), "{page}");
}

/// Pages read again from disk while serving (a cached page rendered anew
/// after a page is added) are read as a build reads them: a page without
/// front matter takes its `# Heading` as its title, once, and an `.mdx`
/// page's `import` lines stay out.
#[test]
fn pages_read_again_while_serving_are_read_as_a_build_reads_them() {
    let site = site();
    site.write("content/docs/bez.md", "# Без заглавие\n\nТекст.\n");
    site.write(
        "content/docs/komp.mdx",
        "---\nsidebar_position: 1\n---\nimport Tabs from '@theme/Tabs';\n\n# Компонент\n\nТекст.\n",
    );
    let server = start(&site);
    let rx = events(&server.addr);
    site.write("content/docs/nova.md", "# Нова\n\nТекст.\n");
    wait_event(&rx, "reload");
    for (url, title) in [("/docs/bez/", "Без заглавие"), ("/docs/komp/", "Компонент")]
    {
        let page = get(&server.addr, url);
        assert_eq!(page.status, 200, "{url}: {}", page.body);
        assert_eq!(
            page.body.matches(&format!("{title}</h1>")).count(),
            1,
            "{}",
            page.body
        );
        assert!(!page.body.contains("import Tabs"), "{}", page.body);
    }
}
