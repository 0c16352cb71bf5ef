//! A build into a folder the last build wrote reuses the files whose inputs
//! did not change. After every kind of edit its output must equal a full
//! build's, byte for byte; and it must really reuse (the same file, not a
//! copy) what did not change.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::{TestSite, md, plain_png};

fn news(title: &str, date: &str, extra: &str, body: &str) -> String {
    md(&format!("title: \"{title}\"\ndate: {date}\n{extra}"), body)
}

fn site() -> TestSite {
    let site = TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "Добре дошли.")),
        ("content/_index.en.md", &md("title: Home", "Welcome.")),
        ("content/news/_index.md", &md("title: Новини", "")),
        ("content/news/_index.en.md", &md("title: News", "")),
        ("content/events/_index.md", &md("title: Събития", "")),
        ("content/about.md", &md("title: За нас", "Кои сме.")),
        ("content/about.en.md", &md("title: About", "Who we are.")),
        ("content/privacy.md", &md("title: Поверителност", "Данни.")),
        ("content/privacy.en.md", &md("title: Privacy", "Data.")),
        ("static/pagefind/custom.css", "mark { color: red }"),
        (
            "content/news/anim/index.md",
            &news(
                "Анимация",
                "2026-01-06T10:00:00",
                "image: anim.gif\nimage_alt: Икона",
                "Текст.",
            ),
        ),
        (
            "content/events/forum.md",
            &md(
                "title: Форум\nstart: 2099-05-01T10:00:00\nlocation:\n  name: Русе",
                "Програма.",
            ),
        ),
        (
            "content/news/photo/index.md",
            &news(
                "Снимка",
                "2026-01-07T10:00:00",
                "image: lead.png\nimage_alt: Залата",
                "С [форума](../../events/forum.md).\n\n![Залата отблизо](lead.png)",
            ),
        ),
    ]);
    for (i, tag) in ["Общо", "Общо", "ИИ", "Общо", "ИИ"].iter().enumerate() {
        site.write(
            &format!("content/news/n{i}.md"),
            &news(
                &format!("Новина {i}"),
                &format!("2026-01-0{}T10:00:00", i + 1),
                &format!("tags: [\"{tag}\"]\nsectors: [ict]"),
                &format!("Текст на новина {i}."),
            ),
        );
    }
    site.write(
        "content/news/n0.en.md",
        &news(
            "News 0",
            "2026-01-01T10:00:00",
            "tags: [\"General\"]",
            "Text.",
        ),
    );
    // In a year folder: listed in /news/ between n1 and n2.
    site.write(
        "content/news/2026/archived.md",
        &news("Архивна", "2026-01-02T12:00:00", "", "В папка за годината."),
    );
    site.write_bytes("content/news/photo/lead.png", &plain_png(800, 600));
    site.write_bytes("content/news/anim/anim.gif", &gif(40, 30));
    site
}

/// A GIF's header, all that is read of it: published as it is.
fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend(width.to_le_bytes());
    bytes.extend(height.to_le_bytes());
    bytes.extend(b"\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;");
    bytes
}

/// Every file of a folder, by path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (path.replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The site's own files copied to `to`, with their times (a calendar shows
/// a file's): not its output, nor anything a build kept (`.dunav-cache`) or
/// set aside (`.public.dunav-old-…`, being removed).
fn copy_site(from: &Path, to: &Path) {
    let skipped = |e: &walkdir::DirEntry| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 1 && (name == "public" || name.starts_with('.'))
    };
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| !skipped(e))
    {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            continue;
        }
        std::fs::copy(entry.path(), &target).unwrap();
        let modified = entry.metadata().unwrap().modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(&target)
            .and_then(|file| file.set_modified(modified))
            .unwrap();
    }
}

/// Builds reusing the last build, then checks the output against a full
/// build of a copy of the site that has nothing kept from earlier builds.
fn rebuild_equals_full_build(site: &TestSite, flags: &[&str], after: &str) {
    site.build(flags);
    let copy = tempfile::tempdir().unwrap();
    copy_site(site.root(), copy.path());
    let mut full = vec!["build", "--full"];
    full.extend_from_slice(flags);
    let out = site.run(&[&["--root", copy.path().to_str().unwrap()], &full[..]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (reused, fresh) = (tree(&site.public()), tree(&copy.path().join("public")));
    let missing: Vec<&String> = fresh.keys().filter(|k| !reused.contains_key(*k)).collect();
    let extra: Vec<&String> = reused.keys().filter(|k| !fresh.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "after {after}: missing {missing:?}, extra {extra:?}"
    );
    assert_eq!(
        support::paths_in(&site.public(), true),
        support::paths_in(&copy.path().join("public"), true),
        "after {after}: the folders"
    );
    for (path, bytes) in &fresh {
        assert!(
            reused[path] == *bytes,
            "after {after}: public/{path} differs from a full build:\n{}\n---- full build:\n{}",
            String::from_utf8_lossy(&reused[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    // Once more with nothing changed: every file is taken over, the same.
    site.build(flags);
    assert_eq!(
        tree(&site.public()),
        reused,
        "after {after}: a second build"
    );
}

#[cfg(unix)]
fn inode(site: &TestSite, path: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(site.public().join(path)).unwrap().ino()
}

/// The search bundle's result files by name, with their inodes.
#[cfg(unix)]
fn fragment_inodes(site: &TestSite) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(site.public().join("pagefind/fragment"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, entry.metadata().unwrap().ino())
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn unchanged_files_are_the_last_builds_and_changed_ones_are_new() {
    let site = site();
    site.build(&[]);
    let about = inode(&site, "about/index.html");
    let n1 = inode(&site, "news/n1/index.html");
    let bundle = inode(&site, "pagefind/pagefind-entry.json");
    let fragments = fragment_inodes(&site);
    site.write(
        "content/news/n1.md",
        &news(
            "Новина 1",
            "2026-01-02T10:00:00",
            "tags: [\"Общо\"]\nsectors: [ict]",
            "Нов текст.",
        ),
    );
    site.build(&[]);
    assert_eq!(inode(&site, "about/index.html"), about, "reused");
    assert_ne!(inode(&site, "news/n1/index.html"), n1, "rendered again");
    assert!(site.read("news/n1/index.html").contains("Нов текст."));
    assert_ne!(
        inode(&site, "pagefind/pagefind-entry.json"),
        bundle,
        "a changed page is indexed again"
    );
    // The other pages' search results are the last build's files.
    let now = fragment_inodes(&site);
    let kept: Vec<&String> = now
        .keys()
        .filter(|name| fragments.contains_key(*name))
        .collect();
    assert_eq!(kept.len() + 1, now.len(), "one page's result is new");
    for name in kept {
        assert_eq!(now[name], fragments[name], "{name} taken over");
    }
    let bundle = inode(&site, "pagefind/pagefind-entry.json");
    site.build(&[]);
    assert_eq!(
        inode(&site, "pagefind/pagefind-entry.json"),
        bundle,
        "the same pages: the same search bundle"
    );
    site.build(&["--full"]);
    assert_ne!(
        inode(&site, "about/index.html"),
        about,
        "--full reuses nothing"
    );
}

#[test]
fn a_rebuild_after_each_kind_of_edit_equals_a_full_build() {
    let site = site();
    // A field of a section's own that its pages show.
    site.add_to_content(
        "news.html",
        "<b>{{ section.extra.banner | default(value='') }}</b>",
    );
    rebuild_equals_full_build(&site, &[], "the first build");
    let edits: &[(&str, &str, &str)] = &[
        (
            "a body",
            "content/news/n2.md",
            &news(
                "Новина 2",
                "2026-01-03T10:00:00",
                "tags: [\"ИИ\"]\nsectors: [ict]",
                "Съвсем нов текст.",
            ),
        ),
        (
            "a title",
            "content/news/n3.md",
            &news(
                "Ново заглавие",
                "2026-01-04T10:00:00",
                "tags: [\"Общо\"]\nsectors: [ict]",
                "Текст.",
            ),
        ),
        (
            "a date that moves a page in its listing",
            "content/news/n0.md",
            &news(
                "Новина 0",
                "2026-02-01T10:00:00",
                "tags: [\"Общо\"]\nsectors: [ict]",
                "Текст.",
            ),
        ),
        (
            "a tag the other language has too",
            "content/news/n4.md",
            &news(
                "Новина 4",
                "2026-01-05T10:00:00",
                "tags: [\"General\"]\nsectors: [ict]",
                "Текст.",
            ),
        ),
        (
            "the title of a page in a year folder, a neighbour in /news/",
            "content/news/2026/archived.md",
            &news("Преименувана", "2026-01-02T12:00:00", "", "Текст."),
        ),
        (
            "a new page",
            "content/news/n9.md",
            &news("Девета", "2026-01-09T10:00:00", "tags: [\"ИИ\"]", "Нова."),
        ),
        (
            "a section's front page",
            "content/news/_index.md",
            &md("title: Всички новини\ndescription: Какво става", "Увод."),
        ),
        (
            "a field of a section that its pages show",
            "content/news/_index.md",
            &md(
                "title: Всички новини\ndescription: Какво става\nbanner: Горещо",
                "Увод.",
            ),
        ),
        (
            "an event's start (the sitemap shows its section's newest)",
            "content/events/forum.md",
            &md(
                "title: Форум\nstart: 2099-06-01T10:00:00\nlocation:\n  name: Русе",
                "Програма.",
            ),
        ),
        (
            "an event's place",
            "content/events/forum.md",
            &md(
                "title: Форум\nstart: 2099-06-01T10:00:00\nlocation:\n  name: Варна",
                "Програма.",
            ),
        ),
        (
            "site.toml",
            "site.toml",
            &support::SITE_TOML.replace("Тестов сайт", "Друг сайт"),
        ),
        (
            "the image widths in site.toml (search results show a width)",
            "site.toml",
            &format!(
                "{}\n[images]\nwidths = [300, 500]\n",
                support::SITE_TOML.replace("Тестов сайт", "Друг сайт")
            ),
        ),
    ];
    for (what, path, text) in edits {
        site.write(path, text);
        rebuild_equals_full_build(&site, &[], what);
    }

    // A calendar is stamped with its event's last change: the file's, when it has no date.
    let touched = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(site.root().join("content/events/forum.md"))
        .and_then(|file| file.set_modified(touched))
        .unwrap();
    rebuild_equals_full_build(&site, &[], "an event's file touched");

    site.write(
        "content/events/_index.en.md",
        &md("title: Events", "In English."),
    );
    rebuild_equals_full_build(&site, &[], "a section in another language");

    site.remove("content/news/n1.md");
    rebuild_equals_full_build(&site, &[], "a deleted page");

    site.write_bytes("content/news/photo/lead.png", &plain_png(400, 500));
    rebuild_equals_full_build(&site, &[], "a lead image of another size");
    site.write_bytes("content/news/anim/anim.gif", &gif(80, 20));
    rebuild_equals_full_build(&site, &[], "a GIF of another size");
    assert!(
        site.read("news/anim/index.html")
            .contains(r#"width="80" height="20""#)
    );

    site.remove("content/privacy.en.md");
    rebuild_equals_full_build(&site, &[], "the privacy page's translation deleted");
    let shown = site.read("news/photo/index.html");
    assert!(shown.contains(r#"width="400" height="500""#), "{shown}");

    let base = site.read_source("themes/dunav/templates/base.html");
    site.write(
        "themes/dunav/templates/base.html",
        &base.replace("</footer>", "<p>Нов ред</p></footer>"),
    );
    rebuild_equals_full_build(&site, &[], "a template");

    site.write(
        "content/about.md",
        &md("title: За нас", "## Контакти\n\nТук."),
    );
    rebuild_equals_full_build(&site, &[], "a heading");
    assert!(site.read("about/index.html").contains(r#"id="kontakti""#));
    let base = site.read_source("themes/dunav/templates/base.html");
    site.write(
        "themes/dunav/templates/base.html",
        &base.replace("</footer>", r#"<p id="kontakti">Тел.</p></footer>"#),
    );
    rebuild_equals_full_build(&site, &[], "a theme's id that a heading had");
    assert!(
        !site
            .read("about/index.html")
            .contains(r#"<h2 id="kontakti""#)
    );

    rebuild_equals_full_build(
        &site,
        &["--base-url", "https://preview.example.org"],
        "another base URL",
    );
    rebuild_equals_full_build(&site, &[], "the base URL back");

    site.write(
        "content/news/draft.md",
        &news("Чернова", "2026-01-08T10:00:00", "draft: true", "Скоро."),
    );
    rebuild_equals_full_build(&site, &["--drafts"], "drafts shown");
    rebuild_equals_full_build(&site, &[], "drafts left out");

    std::fs::remove_file(site.public().join("about/index.html")).unwrap();
    rebuild_equals_full_build(&site, &[], "an output file deleted by hand");
    std::fs::write(site.public().join("en/about/index.html"), "edited by hand").unwrap();
    rebuild_equals_full_build(&site, &[], "an output file changed by hand");
    std::fs::remove_file(site.public().join("pagefind/pagefind-entry.json")).unwrap();
    rebuild_equals_full_build(&site, &[], "a search file deleted by hand");

    // public/ put back from a copy made before an edit.
    let backup = site.root().join("backup");
    copy_site(&site.public(), &backup);
    site.write("content/about.md", &md("title: За нас", "Нов текст."));
    site.build(&[]);
    std::fs::remove_dir_all(site.public()).unwrap();
    std::fs::rename(&backup, site.public()).unwrap();
    rebuild_equals_full_build(&site, &[], "public/ put back from a copy");
}

/// A build starts from the output before the last (the spare): it must
/// replace what differs, remove what the site no longer has, and clear a
/// file where it now needs a folder, or a folder where it needs a file.
#[test]
fn a_build_from_the_spare_output_equals_a_full_build() {
    let site = site();
    rebuild_equals_full_build(&site, &[], "the first builds");
    let spare = site.root().join(".dunav-cache/spare-output");
    assert!(
        spare.join("about/index.html").exists(),
        "the output replaced is kept"
    );
    site.remove("content/about.md");
    site.write("static/about", "a file where a page's folder was");
    rebuild_equals_full_build(&site, &[], "a page's folder become a file");
    site.remove("static/about");
    site.write("content/about.md", &md("title: За нас", "Отново."));
    rebuild_equals_full_build(&site, &[], "the file a page's folder again");
    // Each of two builds in a row changes a page: the spare has neither's.
    for round in 0..3 {
        for page in ["n2", "n3"] {
            site.write(
                &format!("content/news/{page}.md"),
                &news(page, "2026-01-03T10:00:00", "", &format!("Кръг {round}.")),
            );
            rebuild_equals_full_build(&site, &[], &format!("{page} in round {round}"));
        }
    }
    // public/ removed by hand: what the spare has of it is taken over, but
    // not what was added to it by hand (the spare is that output).
    #[cfg(unix)]
    let unchanged = inode(&site, "about/index.html");
    site.write("public/news/by-hand.txt", "added by hand");
    std::fs::create_dir(site.public().join("news/empty-by-hand")).unwrap();
    site.build(&[]);
    std::fs::remove_dir_all(site.public()).unwrap();
    site.write(
        "content/news/n2.md",
        &news("n2", "2026-01-03T10:00:00", "", "Без public/."),
    );
    rebuild_equals_full_build(&site, &[], "public/ removed");
    #[cfg(unix)]
    assert_eq!(
        inode(&site, "about/index.html"),
        unchanged,
        "an unchanged page is the spare's file"
    );
    // A site's own file named as one of the search bundle's: the site's,
    // whether the bundle is made again or taken over.
    let own = "// the site's own worker";
    site.write("static/pagefind/pagefind-worker.js", own);
    rebuild_equals_full_build(&site, &[], "a static file named as a search file");
    rebuild_equals_full_build(&site, &[], "that file, nothing changed");
    assert_eq!(site.read("pagefind/pagefind-worker.js"), own);
    site.remove("static/pagefind/pagefind-worker.js");
    rebuild_equals_full_build(&site, &[], "that file removed");
    site.remove("content/news/n2.md");
    site.remove("content/news/n3.md");
    rebuild_equals_full_build(&site, &[], "two pages deleted");
    // The same file under another spelling: the record's is not removed.
    for (alias, what) in [
        ("/old//x/", "a double slash"),
        ("/old/x/", "the slash mended"),
    ] {
        site.write(
            "content/news/n4.md",
            &news(
                "Новина 4",
                "2026-01-05T10:00:00",
                &format!("aliases: [\"{alias}\"]"),
                "Текст.",
            ),
        );
        rebuild_equals_full_build(&site, &[], &format!("an alias with {what}"));
    }
    // A file the record cannot name: the output that has it is no spare.
    #[cfg(unix)]
    {
        site.write("static/dl/a\nb.txt", "x");
        rebuild_equals_full_build(&site, &[], "a file name with a line break");
        site.remove("static/dl/a\nb.txt");
        rebuild_equals_full_build(&site, &[], "that file removed");
        site.write("content/about.md", &md("title: За нас", "След това."));
        rebuild_equals_full_build(&site, &[], "a build after it");
    }
    let stray: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("dunav-old") || name.contains("dunav-tmp"))
        .collect();
    assert!(stray.is_empty(), "nothing set aside: {stray:?}");
}

/// Builds that run at the same time each swap in a whole output, and the
/// ones after them still equal a full build.
#[test]
fn builds_at_the_same_time_leave_an_output_a_full_build_equals() {
    let site = site();
    site.build(&[]);
    site.build(&[]);
    for round in 0..4 {
        site.write(
            "content/news/n2.md",
            &news(
                "Новина 2",
                "2026-01-03T10:00:00",
                "",
                &format!("Кръг {round}."),
            ),
        );
        let builds: Vec<_> = (0..2)
            .map(|_| {
                site.command(&["build"], &[])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut build in builds {
            assert!(build.wait().unwrap().success(), "round {round}");
        }
        rebuild_equals_full_build(&site, &[], &format!("two builds at once, round {round}"));
    }
}

/// A template that looks pages up by itself shows them wherever it is
/// used: every output depends on every page.
#[test]
fn a_theme_that_looks_pages_up_is_rendered_again_for_any_change() {
    let site = site();
    site.add_to_content(
        "page.html",
        "{% set news = get_section(path=\"news\") %}\
         {% for p in news.pages %}<i>{{ p.title }}</i>{% endfor %}",
    );
    site.build(&[]);
    assert!(site.read("about/index.html").contains("<i>Новина 3</i>"));
    site.write(
        "content/news/n3.md",
        &news(
            "Преименувана",
            "2026-01-04T10:00:00",
            "tags: [\"Общо\"]\nsectors: [ict]",
            "Текст.",
        ),
    );
    rebuild_equals_full_build(&site, &[], "a title a looked-up section shows");
    assert!(
        site.read("about/index.html")
            .contains("<i>Преименувана</i>")
    );
}

/// A build that fails after it took files over from the last one leaves
/// the last output as it was: a later step replaces a file, never writes
/// into it (it may be a link to the live output's).
#[test]
fn a_failed_build_leaves_the_last_output_as_it_was() {
    let site = site();
    site.build(&[]);
    let before = tree(&site.public());
    // robots.txt is written by dunav, then replaced by the site's own.
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.write(
        "content/about.md",
        &md("title: За нас\ntemplate: taxonomy_term.html", "Кои сме."),
    );
    site.build_fails(&[]);
    assert!(tree(&site.public()) == before, "the live output changed");
}

/// A page's body is kept between builds: its warnings, and those of the
/// images it shows, are still reported by every build.
#[test]
fn a_kept_bodys_warnings_are_reported_by_every_build() {
    let site = site();
    site.write(
        "content/news/photo/index.md",
        &news(
            "Снимка",
            "2026-01-07T10:00:00",
            "image: lead.png\nimage_alt: Залата",
            "Без описание:\n\n![](lead.png)\n\n![Сграда](house.png)",
        ),
    );
    // A GIF by its bytes: published as it is, not shown as a picture.
    site.write_bytes("content/news/photo/house.png", &gif(40, 30));
    for build in ["first", "second"] {
        let out = site.build(&[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        for warning in [
            "content/news/photo/index.md:10: an image has no alt text",
            "content/news/photo/house.png: its bytes are another image format",
        ] {
            assert!(stderr.contains(warning), "{build} build: {stderr}");
        }
    }
    assert!(site.exists("news/photo/house.png"));
}

/// What a build kept of a page's Markdown is only a cache: a damaged record
/// is rendered anew, and `--full` reads none of it.
#[test]
fn a_damaged_or_stale_kept_body_is_never_published() {
    let site = site();
    site.build(&[]);
    let about = site.read("about/index.html");
    assert!(about.contains("<p>Кои сме.</p>"), "{about}");
    let kept_path = site.root().join(".dunav-cache/markdown");
    let mut kept = std::fs::read(&kept_path).unwrap();
    // The last: the HTML comes after the fields (whose summary has it too).
    let at = kept
        .windows("<p>Кои".len())
        .rposition(|w| w == "<p>Кои".as_bytes())
        .expect("the body is kept");
    kept[at + 1] = b'b';
    std::fs::write(&kept_path, &kept).unwrap();
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build(&[]);
    assert_eq!(site.read("about/index.html"), about);

    // A GIF replaced by one of the same length, its time put back: only
    // reading the file again tells them apart, as `--full` does.
    let gif_path = site.root().join("content/news/anim/anim.gif");
    let modified = std::fs::metadata(&gif_path).unwrap().modified().unwrap();
    site.write_bytes("content/news/anim/anim.gif", &gif(80, 20));
    std::fs::File::options()
        .write(true)
        .open(&gif_path)
        .and_then(|file| file.set_modified(modified))
        .unwrap();
    site.build(&["--full"]);
    let anim = site.read("news/anim/index.html");
    assert!(anim.contains(r#"width="80" height="20""#), "{anim}");
}

/// Every file of the site written again, as a fresh checkout has it (a CI
/// runner's, with `.dunav-cache` restored): the same bytes, a new time and
/// a new inode.
fn check_out_again(site: &TestSite) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    for dir in ["content", "static"] {
        for entry in walkdir::WalkDir::new(site.root().join(dir)) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = std::fs::read(entry.path()).unwrap();
            std::fs::remove_file(entry.path()).unwrap();
            std::fs::write(entry.path(), &bytes).unwrap();
            std::fs::File::options()
                .write(true)
                .open(entry.path())
                .and_then(|file| file.set_modified(later))
                .unwrap();
        }
    }
}

/// A fresh checkout with the kept cache renders no page's Markdown again
/// (the kept bodies are not added to), yet an image that did change is
/// seen by the pages that show it.
#[test]
fn a_fresh_checkout_with_the_kept_cache_reuses_every_rendered_body() {
    let site = site();
    site.build(&[]);
    let kept_path = site.root().join(".dunav-cache/markdown");
    let kept = std::fs::read(&kept_path).unwrap();
    let photo = site.read("news/photo/index.html");
    assert!(photo.contains(r#"width="800" height="600""#), "{photo}");
    check_out_again(&site);
    std::fs::remove_dir_all(site.public()).unwrap();
    // dunav built again from the same source: the same bytes, a new file.
    let bin = tempfile::tempdir().unwrap();
    let copy = bin.path().join("dunav");
    std::fs::copy(env!("CARGO_BIN_EXE_dunav"), &copy).unwrap();
    let out = site.command_of(&copy, &["build"], &[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(&kept_path).unwrap() == kept,
        "a body was rendered again"
    );
    assert_eq!(site.read("news/photo/index.html"), photo);

    site.write_bytes("content/news/photo/lead.png", &plain_png(400, 300));
    rebuild_equals_full_build(&site, &[], "a photo replaced");
    let photo = site.read("news/photo/index.html");
    assert!(photo.contains(r#"width="400" height="300""#), "{photo}");
}

/// Fields a section's `cascade` hands down change what its pages' kept
/// bodies show (their image, their description): a build after the
/// cascade changes, with the last output or without it, equals a full one.
#[test]
fn a_cascade_changed_renders_the_pages_below_it_again() {
    let site = site();
    site.write_bytes("static/banner.png", &plain_png(300, 200));
    site.build(&[]);
    site.write(
        "content/news/_index.md",
        &md(
            "title: Новини\ncascade:\n  description: \"Обща анотация\"\n  image: /banner.png\n  image_alt: Банер",
            "",
        ),
    );
    rebuild_equals_full_build(&site, &[], "a cascade added");
    let page = site.read("news/n1/index.html");
    assert!(
        page.contains("Обща анотация") && page.contains("banner"),
        "{page}"
    );
    std::fs::remove_dir_all(site.public()).unwrap();
    site.write(
        "content/news/_index.md",
        &md(
            "title: Новини\ncascade:\n  description: \"Друга анотация\"",
            "",
        ),
    );
    rebuild_equals_full_build(&site, &[], "a cascade changed, no output kept");
    assert!(site.read("news/n1/index.html").contains("Друга анотация"));
}

/// `bytes` at `path` as a new file (a new inode) with the old file's time
/// of change put back, as `exiftool -P` or `touch -r` leave a photo.
fn replace_keeping_time(site: &TestSite, path: &str, bytes: &[u8]) {
    let target = site.root().join(path);
    let modified = std::fs::metadata(&target).unwrap().modified().unwrap();
    let aside = target.with_extension("new");
    std::fs::write(&aside, bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&aside)
        .and_then(|file| file.set_modified(modified))
        .unwrap();
    std::fs::rename(&aside, &target).unwrap();
}

/// A file replaced by one of the same size, its time put back, is read
/// again: a photo turned by its EXIF orientation shows its new size, and a
/// static file is published anew.
#[test]
fn a_file_replaced_with_its_size_and_time_kept_is_read_again() {
    let upright = support::photos::jpeg_with_metadata(800, 600, 1);
    let turned = support::photos::jpeg_with_metadata(800, 600, 6);
    assert_eq!(upright.len(), turned.len(), "the same size");
    let site = site();
    site.write(
        "content/news/turned/index.md",
        &news("Обърната", "2026-01-08T10:00:00", "", "![Кула](tower.jpg)"),
    );
    site.write_bytes("content/news/turned/tower.jpg", &upright);
    site.write("static/files/plan.txt", "old plan");
    site.build(&[]);
    assert!(
        site.read("news/turned/index.html")
            .contains(r#"width="800" height="600""#)
    );
    replace_keeping_time(&site, "content/news/turned/tower.jpg", &turned);
    replace_keeping_time(&site, "static/files/plan.txt", b"NEW plan");
    site.build(&[]);
    let page = site.read("news/turned/index.html");
    assert!(page.contains(r#"width="600" height="800""#), "{page}");
    assert_eq!(site.read("files/plan.txt"), "NEW plan");
    // Written in place, its inode kept too (`exiftool -P
    // -overwrite_original_in_place`): only its ctime tells.
    let photo = site.root().join("content/news/turned/tower.jpg");
    let modified = std::fs::metadata(&photo).unwrap().modified().unwrap();
    std::fs::write(&photo, &upright).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&photo)
        .and_then(|file| file.set_modified(modified))
        .unwrap();
    site.build(&[]);
    let page = site.read("news/turned/index.html");
    assert!(page.contains(r#"width="800" height="600""#), "{page}");
}
