//! `dunav build`: every output of the content model, read back from disk.

mod support;

use support::{TestSite, md};

fn news(title: &str, date: &str, extra: &str) -> String {
    md(
        &format!("title: \"{title}\"\ndate: {date}\n{extra}"),
        "Първи абзац.\n\nВтори абзац.",
    )
}

fn basic_site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "Добре дошли.")),
        ("content/_index.en.md", &md("title: Home", "Welcome.")),
        ("content/news/_index.md", &md("title: Новини", "")),
        ("content/news/_index.en.md", &md("title: News", "")),
        ("content/about.md", &md("title: За нас", "Кои сме.")),
        ("content/about.en.md", &md("title: About", "Who we are.")),
        (
            "content/news/2026-01-05-parva.md",
            &news(
                "Първа новина",
                "2026-01-05T10:00:00",
                "tags: [\"Общо\"]\nsectors: [ict]",
            ),
        ),
        (
            "content/news/2026-01-05-parva.en.md",
            &news("First news", "2026-01-05T10:00:00", "tags: [\"General\"]"),
        ),
    ])
}

#[test]
fn an_editors_new_cyrillic_article_appears_everywhere() {
    let site = basic_site();
    site.build(&[]);
    site.write(
        "content/news/2026-12-01-nov-partnyor.md",
        &md(
            "title: \"Нов партньор в хъба\"\ndate: 2026-11-01T09:00:00\ntags: [\"Партньорства\", \"Мехатроника и роботи\"]\nsectors: [mechatronics]",
            "Хъбът има нов партньор.\n\n<!-- more -->\n\nПодробности.",
        ),
    );
    site.build(&[]);
    let url = "/news/nov-partnyor/";
    assert!(
        site.read("news/nov-partnyor/index.html")
            .contains("<h1 class=\"p-name\">Нов партньор в хъба</h1>")
    );
    assert!(site.read("index.html").contains(url), "home page lists it");
    assert!(
        site.read("news/index.html").contains(url),
        "news listing lists it"
    );
    assert!(site.read("tags/partnyorstva/index.html").contains(url));
    assert!(
        site.read("tags/mehatronika-i-roboti/index.html")
            .contains(url)
    );
    assert!(site.read("sectors/mechatronics/index.html").contains(url));
    let feed = site.read("atom.xml");
    assert!(feed.contains("<title>Нов партньор в хъба</title>"));
    assert!(feed.contains("https://example.org/news/nov-partnyor/"));
    assert!(site.read("news/atom.xml").contains("Нов партньор в хъба"));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/news/nov-partnyor/</loc>")
    );
}

#[test]
fn three_broken_files_give_three_located_errors_and_keep_the_last_good_build() {
    let site = basic_site();
    site.build(&[]);
    let before = site.read("news/parva/index.html");
    site.write(
        "content/news/a.md",
        &md("title: A\ndate: 2026-01-01\ntags: 5", "x"),
    );
    site.write(
        "content/news/b.md",
        &md("title: B\ndate: 2026-01-01\nsectors: [space]", "x"),
    );
    site.write("content/news/c.md", &md("title: C\ndate: not a date", "x"));
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/a.md:4: `tags`: expected a list of strings"),
        "{err}"
    );
    assert!(
        err.contains("content/news/b.md:4: `sectors`: unknown sector \"space\""),
        "{err}"
    );
    assert!(
        err.contains("known sectors: cleantech, ict, mechatronics"),
        "{err}"
    );
    assert!(
        err.contains("content/news/c.md:3: `date`: \"not a date\" is not a date"),
        "{err}"
    );
    assert_eq!(
        site.read("news/parva/index.html"),
        before,
        "the last good build stays"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("dunav-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");
}

/// The previous output is renamed aside and removed off the build's path;
/// whatever a build set aside is gone once the next build has swapped in.
#[test]
fn builds_in_a_row_leave_no_previous_output_behind() {
    let site = basic_site();
    let set_aside = || -> Vec<String> {
        std::fs::read_dir(site.root())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("dunav-old") || name.contains("dunav-tmp"))
            .collect()
    };
    // As if an earlier build's removal had been killed half-way.
    let killed = site.root().join(".public.dunav-old-999999");
    std::fs::create_dir_all(killed.join("news/old")).unwrap();
    std::fs::write(killed.join("news/old/index.html"), "old").unwrap();
    // And as if a build had been killed: its process is gone, its folder stays.
    let killed_build = site.root().join(".public.dunav-tmp-999999");
    std::fs::create_dir_all(killed_build.join("news/old")).unwrap();
    let mut seen = vec![".public.dunav-old-999999".to_string()];
    for round in 0..4 {
        site.write(
            "content/news/round.md",
            &md(
                &format!("title: Round {round}\ndate: 2026-01-0{}", round + 1),
                "x",
            ),
        );
        site.build(&[]);
        assert!(
            site.read("news/round/index.html")
                .contains(&format!("Round {round}"))
        );
        let now = set_aside();
        // Only this build's own set-aside output may still be being removed.
        assert!(now.len() <= 1, "round {round}: {now:?}");
        assert!(
            now.iter()
                .all(|n| n.contains("dunav-old") && !seen.contains(n)),
            "round {round}: an earlier build's folder is left: {now:?} (seen {seen:?})"
        );
        seen.extend(now);
        assert!(!killed_build.exists(), "a killed build's folder is removed");
    }
    // A kept folder of the previous output is what the hidden command removes, and nothing else.
    let kept = site.root().join(".public.dunav-old-1");
    std::fs::create_dir_all(kept.join("news/a")).unwrap();
    std::fs::write(kept.join("news/a/index.html"), "old").unwrap();
    let removed = site.run(&["remove-set-aside", kept.to_str().unwrap()]);
    assert!(removed.status.success(), "{removed:?}");
    assert!(!kept.exists());
    let content = site.root().join("content");
    let refused = site.run(&["remove-set-aside", content.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(content.join("news/round.md").exists());
}

/// A `public/` that is a link to a folder elsewhere is replaced by the
/// built folder; what it pointed at is left as it was.
#[cfg(unix)]
#[test]
fn a_public_link_is_replaced_and_what_it_pointed_at_is_kept() {
    let site = basic_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let kept = elsewhere.path().join("a/b/file");
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    std::fs::write(&kept, "keep").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.public()).unwrap();
    site.build(&[]);
    // The next build removes whatever the first set aside, if its background removal has not.
    site.build(&[]);
    assert!(site.public().join("index.html").exists());
    assert!(
        !std::fs::symlink_metadata(site.public())
            .unwrap()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "keep");
}

#[test]
fn each_bad_input_names_file_line_and_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "content/news/x.md",
            "title: X",
            "content/news/x.md:1: `date`: required field is missing",
        ),
        (
            "content/news/x.md",
            "date: 2026-01-01",
            "content/news/x.md:1: `title`: required field is missing",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\ndraft: \"yes\"",
            "content/news/x.md:4: `draft`: expected true or false",
        ),
        (
            "content/news/x.md",
            "title: ~\ndate: 2026-01-01",
            "content/news/x.md:2: `title`: required field is empty",
        ),
        (
            "content/news/x.md",
            "title: [a, b]\ndate: 2026-01-01",
            "content/news/x.md:2: `title`: expected a string",
        ),
        (
            "content/events/x.md",
            "title: X",
            "content/events/x.md:1: `start`: required field is missing",
        ),
        (
            "content/events/x.md",
            "title: X\nstart: 2026-05-02T10:00:00\nend: 2026-05-01T10:00:00",
            "content/events/x.md:4: `end`: ends",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\nimage: a.png",
            "content/news/x.md:4: `image_alt`: required when `image` is set",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\nweight: heavy",
            "content/news/x.md:4: `weight`: expected a whole number",
        ),
        (
            "content/projects/x.md",
            "title: X\nstatus: maybe",
            "content/projects/x.md:3: `status`: unknown status",
        ),
        (
            "content/events/x.md",
            "title: X\nstart: 2026-01-01\nregistration: not-a-url",
            "content/events/x.md:4: `registration`",
        ),
        (
            "content/tags.md",
            "title: Етикети",
            "content/tags.md:1: `slug`: has the URL /tags/ of a page the site makes",
        ),
        (
            "content/news/_index.md",
            "title: Новини\naliases: [\"/old/?p=1\"]",
            "content/news/_index.md:3: `aliases`: \"/old/?p=1\" has a query",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\naliases: [\"/q?p=12\"]",
            "content/news/x.md:4: `aliases`: \"/q?p=12\" has a query or fragment",
        ),
        (
            "content/news/🎉.md",
            "title: X\ndate: 2026-01-01",
            "content/news/🎉.md: the file name has no letters or digits",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\ntags: [\"!!!\"]",
            "content/news/x.md:4: `tags`: the tag \"!!!\" has no letters or digits",
        ),
        (
            "content/events/x.md",
            "title: X\nstart: 2026-01-01\nlocation:\n  online: \"javascript:alert(1)\"",
            "content/events/x.md:5: `location.online`",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\nslug: ../../etc",
            "content/news/x.md:4: `slug`",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\naliases: [\"../../outside\"]",
            "content/news/x.md:4: `aliases`",
        ),
        (
            "content/news/x.md",
            "title: \"unclosed\ndate: 2026-01-01",
            "content/news/x.md:2: invalid YAML front matter: unclosed quote",
        ),
        (
            "content/news/2024-02-30-x.md",
            "title: X",
            "content/news/2024-02-30-x.md:1: `date`: required field is missing for news, and the file name's date 2024-02-30 is no day of the calendar",
        ),
    ];
    for (path, fm, expected) in cases {
        let site = TestSite::new(&[(path, &md(fm, "Текст."))]);
        let err = site.build_fails(&[]);
        assert!(
            err.contains(expected),
            "for {fm:?} expected {expected:?} in:\n{err}"
        );
    }
}

/// An alias at an address the site has already (a listing, a feed, the
/// search bundle, the home page) yields, as Hugo lets its redirect go: a
/// warning at the field, and what is there stays.
#[test]
fn an_alias_where_the_site_has_something_yields_with_a_warning() {
    let cases = [
        (
            "content/x.md",
            "title: X\naliases: [\"/tags/\"]",
            "content/x.md:3: `aliases`: alias /tags/ is the URL of a page the site makes (a listing, a feed…); left out",
            "tags/index.html",
        ),
        (
            "content/x.md",
            "title: X\naliases: [\"./\"]",
            "content/x.md:3: `aliases`: alias / is the URL of a page the site makes",
            "index.html",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\naliases: [\"/atom.xml\"]",
            "content/news/x.md:4: `aliases`: alias /atom.xml",
            "atom.xml",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\naliases: [\"/index.html\"]",
            "alias /index.html is the URL of a page the site makes",
            "index.html",
        ),
        (
            "content/news/x.md",
            "title: X\ndate: 2026-01-01\naliases: [\"/pagefind/pagefind.js\"]",
            "alias /pagefind/pagefind.js is the path of a file the site publishes",
            "pagefind/pagefind.js",
        ),
    ];
    for (path, fm, expected, kept) in cases {
        let site = TestSite::new(&[(path, &md(fm, "Текст."))]);
        let out = site.build(&[]);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains(expected),
            "for {fm:?} expected {expected:?} in:\n{said}"
        );
        assert!(
            !site.read(kept).contains("http-equiv=\"refresh\""),
            "{kept} is no redirect"
        );
    }
}

#[test]
fn broken_links_and_duplicate_urls_are_errors() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &md(
                "title: A\ndate: 2026-01-01",
                "Текст.\n\n[липсва](../events/none.md)\n\n![снимка](/img/none.png)",
            ),
        ),
        (
            "content/news/b.md",
            &md("title: B\ndate: 2026-01-01\nslug: same", "x"),
        ),
        (
            "content/news/c.md",
            &md("title: C\ndate: 2026-01-01\nslug: same", "x"),
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/a.md:8: broken link `../events/none.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/a.md:10: broken link `/img/none.png`"),
        "{err}"
    );
    assert!(
        err.contains("/news/same/")
            && err.contains("content/news/b.md")
            && err.contains("content/news/c.md"),
        "{err}"
    );
}

#[test]
fn links_between_pages_files_and_static_resolve() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &md(
                "title: A\ndate: 2026-01-01",
                "[събитие](../events/e.md#map) [корен](/about.md) [pdf](plan.pdf) [статичен](/files/x.txt)",
            ),
        ),
        (
            "content/news/a.en.md",
            &md("title: A\ndate: 2026-01-01", "[event](../events/e.md)"),
        ),
        ("content/news/plan.pdf", "%PDF-1.4"),
        (
            "content/events/e.md",
            &md(
                "title: E\nstart: 2020-01-01T10:00:00",
                "## Карта {#map}\n\nx",
            ),
        ),
        (
            "content/events/e.en.md",
            &md("title: E\nstart: 2020-01-01T10:00:00", "x"),
        ),
        ("content/about.md", &md("title: За нас", "x")),
        ("static/files/x.txt", "static"),
    ]);
    site.build(&[]);
    let bg = site.read("news/a/index.html");
    assert!(bg.contains("href=\"/events/e/#map\""), "{bg}");
    assert!(bg.contains("href=\"/about/\""));
    assert!(bg.contains("href=\"/news/plan.pdf\""));
    assert!(bg.contains("href=\"/files/x.txt\""));
    assert!(
        site.read("en/news/a/index.html")
            .contains("href=\"/en/events/e/\""),
        "English page links to the English event"
    );
    assert_eq!(site.read("news/plan.pdf"), "%PDF-1.4");
    assert_eq!(site.read("files/x.txt"), "static");
}

#[test]
fn drafts_and_future_pages_are_left_out_unless_asked() {
    let site = TestSite::new(&[
        (
            "content/news/draft.md",
            &news("Чернова", "2026-01-01", "draft: true"),
        ),
        (
            "content/news/later.md",
            &news("По-късно", "2099-05-01T10:00:00", ""),
        ),
        ("content/news/now.md", &news("Сега", "2026-01-01", "")),
        // Other tools' ways to keep a page unpublished are drafts too.
        (
            "content/news/jekyll.md",
            &news("Скрита", "2026-01-01", "published: false"),
        ),
        (
            "content/news/hugo.md",
            &news("Скрита", "2026-01-01", "build:\n  render: never"),
        ),
        (
            "content/news/hugo-old.md",
            &news("Скрита", "2026-01-01", "_build:\n  render: false"),
        ),
        (
            "content/news/zola.md",
            "+++\ntitle = \"Скрита\"\ndate = 2026-01-01\nrender = false\n+++\nТекст.\n",
        ),
        (
            "content/news/eleventy.md",
            &news("Скрита", "2026-01-01", "permalink: false"),
        ),
        (
            "content/news/pelican.md",
            &news("Скрита", "2026-01-01", "Draft: true"),
        ),
    ]);
    let out = site.build(&[]);
    for hidden in ["jekyll", "hugo", "hugo-old", "zola", "eleventy", "pelican"] {
        assert!(
            !site.exists(&format!("news/{hidden}/index.html")),
            "{hidden}"
        );
    }
    assert!(!site.read("atom.xml").contains("Скрита"));
    assert!(!site.exists("news/draft/index.html"));
    assert!(!site.exists("news/later/index.html"));
    assert!(site.exists("news/now/index.html"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("next future page is due at 2099-05-01T07:00:00Z"),
        "{stdout}"
    );
    site.build(&["--drafts", "--future"]);
    assert!(site.read("news/draft/index.html").contains("Чернова"));
    assert!(site.read("news/later/index.html").contains("По-късно"));
}

#[test]
fn translations_link_to_each_other() {
    let site = basic_site();
    site.build(&[]);
    let bg = site.read("news/parva/index.html");
    assert!(bg.contains("<html lang=\"bg\">"));
    assert!(
        bg.contains("hreflang=\"en\" href=\"https://example.org/en/news/parva/\""),
        "{bg}"
    );
    assert!(
        bg.contains("href=\"/en/news/parva/\" hreflang=\"en\""),
        "language switch"
    );
    let en = site.read("en/news/parva/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("hreflang=\"bg\" href=\"https://example.org/news/parva/\""));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/news/parva/\"/>"));
    assert!(site.read("en/atom.xml").contains("First news"));
    assert!(!site.read("en/atom.xml").contains("Първа новина"));
}

#[test]
fn dates_are_shown_in_the_readers_language() {
    let site = TestSite::new(&[
        ("content/news/a.md", &news("А", "2026-11-25T10:00:00", "")),
        (
            "content/news/a.en.md",
            &news("A", "2026-11-25T10:00:00", ""),
        ),
    ]);
    site.build(&[]);
    assert!(
        site.read("news/a/index.html")
            .contains("25 ноември 2026 г.")
    );
    assert!(
        site.read("en/news/a/index.html")
            .contains("25 November 2026")
    );
}

#[test]
fn listings_are_paginated_with_labelled_navigation() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("content/news/n{i}.md"),
                news(
                    &format!("Новина {i}"),
                    &format!("2026-01-0{i}"),
                    "tags: [\"общо\"]",
                ),
            )
        })
        .collect();
    files.push(("content/news/_index.md".into(), md("title: Новини", "")));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = TestSite::new(&refs);
    site.build(&[]);
    let first = site.read("news/index.html");
    assert!(
        first.contains("Новина 5") && first.contains("Новина 4") && !first.contains("Новина 3"),
        "newest first, 2 per page"
    );
    assert!(first.contains("<nav class=\"pagination\" aria-label=\"Страници\">"));
    assert!(first.contains("href=\"/news/page/2/\" rel=\"next\""));
    assert!(first.contains("aria-current=\"page\" aria-label=\"Страница 1\""));
    assert!(site.read("news/page/3/index.html").contains("Новина 1"));
    assert!(
        site.read("tags/obshto/page/3/index.html")
            .contains("Новина 1")
    );
}

#[test]
fn events_split_into_upcoming_and_past_with_calendars() {
    let long = "Много дълго заглавие на събитие, което със сигурност ще трябва да бъде пренесено на няколко реда";
    let site = TestSite::new(&[
        ("content/events/_index.md", &md("title: Събития", "")),
        (
            "content/events/old.md",
            &md(
                "title: Минало; събитие, с запетаи\nstart: 2020-03-01T10:00:00\nend: 2020-03-01T12:00:00",
                "x",
            ),
        ),
        (
            "content/events/soon.md",
            &md(
                &format!(
                    "title: \"{long}\"\nstart: 2099-06-01T18:00:00\nlocation:\n  name: Зала\n  address: Русе"
                ),
                "x",
            ),
        ),
        (
            "content/events/allday.md",
            &md("title: Цял ден\nstart: 2099-07-01", "x"),
        ),
        // Front matter alone, as `dunav new` writes an event.
        (
            "content/events/bare.md",
            "---\ntitle: Само заглавие\nstart: 2099-08-01\n---\n",
        ),
    ]);
    site.build(&[]);
    let listing = site.read("events/index.html");
    let upcoming = listing.find("upcoming-title").unwrap();
    let past = listing.find("past-title").unwrap();
    let soon = listing.find("/events/soon/").unwrap();
    let old = listing.find("/events/old/").unwrap();
    assert!(
        upcoming < soon && soon < past && past < old,
        "upcoming first, then past"
    );
    assert!(
        listing.find("/events/soon/").unwrap() < listing.find("/events/allday/").unwrap(),
        "soonest first"
    );

    let ics = site.read("events/soon/soon.ics");
    assert!(
        ics.contains("\r\n") && !ics.replace("\r\n", "").contains('\n'),
        "CRLF line ends only"
    );
    assert!(
        ics.split("\r\n").all(|l| l.len() <= 75),
        "folded at 75 octets, the leading space included"
    );
    assert!(ics.contains("DTSTART:20990601T150000Z"), "{ics}");
    assert!(ics.contains("UID:events-soon@example.org"));
    // No description of its own: the page's address, with no blank lines before it.
    let bare = site.read("events/bare/bare.ics");
    assert!(
        bare.contains("DESCRIPTION:https://example.org/events/bare/\r\n"),
        "{bare}"
    );
    let calendar = site.read("events/calendar.ics");
    assert!(calendar.split("\r\n").all(|l| l.len() <= 75));
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 4);
    assert!(
        calendar.contains("SUMMARY:Минало\\; събитие\\, с запетаи"),
        "{calendar}"
    );
    assert!(
        calendar.contains("DTSTART;VALUE=DATE:20990701")
            && calendar.contains("DTEND;VALUE=DATE:20990702")
    );
    site.build(&[]);
    assert_eq!(
        site.read("events/calendar.ics"),
        calendar,
        "stable across builds"
    );
}

#[test]
fn feeds_sitemap_robots_404_and_aliases() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &news(
                "А & <б>",
                "2026-01-01T10:00:00",
                "aliases: [\"/old/a/\", \"stari.html\"]\nredirect_from: kopie.html",
            ),
        ),
        (
            "content/news/a.en.md",
            &news("A", "2026-01-01T10:00:00", ""),
        ),
    ]);
    site.build(&[]);
    let feed = site.read("atom.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"bg\">"));
    assert!(feed.contains("<title>А &amp; &lt;б&gt;</title>"));
    assert!(feed.contains("<published>2026-01-01T08:00:00Z</published>"));
    assert!(
        site.exists("news/atom.xml")
            && site.exists("en/news/atom.xml")
            && site.exists("en/atom.xml")
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
    assert!(site.read("404.html").contains("Страницата не е намерена"));
    let redirect = site.read("old/a/index.html");
    assert!(
        redirect.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/news/a/\">"
        )
    );
    // A relative alias is beside the page, as in Hugo; a relative
    // `redirect_from` is from the root, as in Jekyll.
    assert!(site.exists("news/stari.html"));
    assert!(site.exists("kopie.html"));
    // A site moving in from Zola reads them from the root.
    site.write(
        "site.toml",
        &format!(
            "{}\n[links]\nrelative_aliases = \"root\"\n",
            support::SITE_TOML
        ),
    );
    site.build(&[]);
    assert!(site.exists("stari.html"));
    assert!(!site.exists("news/stari.html"));
}

#[test]
fn markdown_features_render() {
    let body = "## Първи раздел\n\nТекст с бележка[^1] и ~~зачеркнато~~ и \"кавички\".\n\n### Под-раздел {#custom .wide}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] готово\n- [ ] предстои\n\n```toml\n[site]\ntitle = \"x\"\n```\n\n```rust\nfn main() {}\n```\n\n[^1]: Бележка.\n";
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news("А", "2026-01-01", "").replace("Първи абзац.\n\nВтори абзац.", body),
    )]);
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert!(
        html.contains(
            "<h2 id=\"parvi-razdel\">Първи раздел <a class=\"anchor\" href=\"#parvi-razdel\""
        ),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"custom\" class=\"wide\">"));
    assert!(html.contains("<del>зачеркнато</del>"));
    assert!(html.contains("„кавички“"));
    assert!(html.contains("<table>"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("class=\"footnote-definition\""));
    assert!(html.contains("<pre class=\"code\" data-lang=\"toml\"") && html.contains("hl-"));
    assert!(html.contains("<nav class=\"toc\""), "table of contents");
    let css = site.read("syntax.css");
    assert!(css.contains("prefers-color-scheme: dark") && css.contains(".hl-"));
}

#[test]
fn front_matter_is_escaped_in_html() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news(
            "<script>alert(1)</script>",
            "2026-01-01",
            "summary: \"\\\"><img src=x onerror=alert(1)>\"",
        ),
    )]);
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"));
}

#[test]
fn bom_crlf_and_unknown_fields_are_accepted() {
    let text = "\u{feff}---\r\ntitle: \"Windows\"\r\ndate: 2026-01-01\r\nvenue_floor: 3\r\n---\r\n\r\nТекст.\r\n";
    let site = TestSite::new(&[
        ("content/news/w.md", text),
        (
            "themes/dunav/templates/news.html",
            "{{ page.title }}|{{ page.extra.venue_floor }}",
        ),
    ]);
    site.build(&[]);
    assert_eq!(site.read("news/w/index.html"), "Windows|3");
}

/// Themes saved by Notepad, and themes that nest too deep: a byte order
/// mark is no text, and a chain of includes that would overflow the stack is
/// an error naming it (it aborted the build, and `serve`, naming nothing).
#[test]
fn a_theme_with_byte_order_marks_builds_and_one_nested_too_deep_is_named() {
    let site = TestSite::new(&[
        ("content/news/w.md", &news("А", "2026-01-01", "")),
        (
            "themes/dunav/templates/news.html",
            "\u{feff}{% extends \"base.html\" %}{% block content %}{% include \"partials/bom.html\" %}{% endblock content %}",
        ),
        (
            "themes/dunav/templates/partials/bom.html",
            "\u{feff}<p>{{ page.title }}</p>",
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/w/index.html");
    assert!(
        page.contains("<p>А</p>") && !page.contains('\u{feff}'),
        "{page}"
    );

    for i in 0..60 {
        site.write(
            &format!("themes/dunav/templates/chain/c{i}.html"),
            &format!("{{% include \"chain/c{}.html\" %}}", i + 1),
        );
    }
    site.write("themes/dunav/templates/chain/c60.html", "дъно");
    site.write(
        "themes/dunav/templates/partials/bom.html",
        "{% include \"chain/c0.html\" %}",
    );
    let err = site.build_fails(&[]);
    assert!(err.contains("includes and extends nest"), "{err}");
    assert!(err.contains("dunav renders at most 50"), "{err}");

    site.write(
        "themes/dunav/strings.toml",
        "[bg]\nok = \"да\"\nbad = \"не\n",
    );
    site.write("themes/dunav/templates/partials/bom.html", "x");
    let err = site.build_fails(&[]);
    assert!(err.contains("themes/dunav/strings.toml:3:"), "{err}");
}

/// A page whose file name was saved in an old code page (Windows-1251 from
/// an old archive) is refused for its name, never published as a file, even
/// a draft's.
#[cfg(unix)]
#[test]
fn a_page_named_in_another_encoding_is_refused_not_copied() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::new(&[("content/news/ok.md", &news("А", "2026-01-01", ""))]);
    // "тайна.md" in Windows-1251.
    let name = std::ffi::OsStr::from_bytes(b"\xf2\xe0\xe9\xed\xe0.md");
    std::fs::write(
        site.root().join("content/news").join(name),
        "---\ntitle: Secret\ndraft: true\n---\nSECRET DRAFT TEXT\n",
    )
    .unwrap();
    let err = site.build_fails(&[]);
    assert!(err.contains("the file name is not valid UTF-8"), "{err}");
    let check = site.run(&["check"]);
    assert!(!check.status.success());
}

#[test]
fn unreadable_content_is_an_error_not_a_panic() {
    let site = TestSite::new(&[("content/news/ok.md", &news("А", "2026-01-01", ""))]);
    std::fs::write(
        site.root().join("content/news/bad.md"),
        b"---\ntitle: \xff\xfe\n---\n",
    )
    .unwrap();
    site.write("content/news/x.fr.md", &news("Fr", "2026-01-01", ""));
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", site.root().join("content/news/loop")).unwrap();
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/bad.md:2: the file is not valid UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("content/news/x.fr.md: language `fr` is not in site.toml"),
        "{err}"
    );
    #[cfg(unix)]
    assert!(
        err.contains("content/news/loop: symbolic link loop"),
        "{err}"
    );
}

/// A file in `static/` or beside a page may not take the place of a page,
/// a listing, a feed or a listing's later page: each is an error at the
/// file. The site's own `robots.txt` and `404.html` are published instead of dunav's.
#[test]
fn published_files_never_replace_what_the_site_makes() {
    let site = basic_site();
    site.write("static/about/index.html", "<p>STATIC</p>");
    site.write("static/news/index.html", "<p>STATIC</p>");
    site.write("content/news/atom.xml", "BESIDE");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /private/\n");
    site.write("static/404.html", "<p>OUR OWN 404</p>");
    site.write(
        "content/news/page/2.md",
        &news("Втора страница", "2026-01-06T10:00:00", ""),
    );
    let err = site.build_fails(&[]);
    for said in [
        "static/about/index.html: is published at /about/, the URL of content/about.md",
        "static/news/index.html: is published at /news/, where the site makes a listing",
        "content/news/atom.xml: is published at /news/atom.xml, where the site makes",
        "content/news/page/2.md",
    ] {
        assert!(err.contains(said), "{said} in {err}");
    }
    assert!(
        err.contains("of page 2 of a listing the site makes"),
        "{err}"
    );
    for file in [
        "static/about/index.html",
        "static/news/index.html",
        "content/news/atom.xml",
        "content/news/page/2.md",
    ] {
        site.remove(file);
    }
    site.build(&[]);
    assert!(site.read("robots.txt").contains("Disallow: /private/"));
    // The site's own 404 page is the one hosts serve; other languages keep the theme's.
    assert_eq!(site.read("404.html"), "<p>OUR OWN 404</p>");
    assert!(site.read("en/404.html").contains("<html"));
}

/// An output folder that is a checkout of the published branch keeps its
/// version control through every build; what the site no longer makes goes.
#[test]
fn the_outputs_version_control_is_kept() {
    let site = basic_site();
    site.build(&[]);
    let public = site.public();
    std::fs::create_dir_all(public.join(".git/refs")).unwrap();
    std::fs::write(public.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(public.join(".gitkeep"), "").unwrap();
    std::fs::write(public.join("stray.html"), "old").unwrap();
    // An output that links to a folder elsewhere leaves that folder's alone.
    #[cfg(unix)]
    {
        let elsewhere = site.root().join("elsewhere");
        std::fs::create_dir_all(elsewhere.join(".git")).unwrap();
        std::fs::write(elsewhere.join(".git/HEAD"), "x").unwrap();
        let linked = site.root().join("linked");
        std::os::unix::fs::symlink(&elsewhere, &linked).unwrap();
        site.build(&["--output", "linked"]);
        assert!(elsewhere.join(".git/HEAD").exists());
    }
    for _ in 0..3 {
        site.build(&[]);
        let head = std::fs::read_to_string(public.join(".git/HEAD")).unwrap_or_default();
        assert_eq!(head, "ref: refs/heads/gh-pages\n");
        assert!(public.join(".gitkeep").exists());
        assert!(!public.join("stray.html").exists());
    }
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = basic_site();
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.public().exists());
    // HTML shown as text links nowhere: a Hugo call written out for readers.
    site.write(
        "content/news/shown.md",
        &md(
            "title: Y\ndate: 2026-01-01",
            "Пишете {{</* figure src=\"/nope.jpg\" */>}} така.",
        ),
    );
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site.write(
        "content/news/bad.md",
        &md("title: X\ndate: 2026-01-01", "[x](missing.md)"),
    );
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/news/bad.md:6: broken link"));
}

#[test]
fn new_writes_a_transliterated_file() {
    let site = basic_site();
    let out = site.run(&["new", "events", "Среща в Русе: щастие и хъб"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(path, "content/events/sreshta-v-ruse-shtastie-i-hab.md");
    let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
    assert!(text.starts_with("---\ntitle: \"Среща в Русе: щастие и хъб\"\nstart: "));
    site.build(&["--drafts"]);
    assert!(site.exists("events/sreshta-v-ruse-shtastie-i-hab/index.html"));
    // A project is dated: the newsletter's digest lists projects by date.
    let out = site.run(&["new", "projects", "Робот"]);
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = std::fs::read_to_string(site.root().join(&path)).unwrap_or_default();
    assert!(text.contains("\ndate: "), "{text}");
    let out = site.run(&["new", "news", "България"]);
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        path.starts_with("content/news/20") && path.ends_with("-bulgaria.md"),
        "{path}"
    );
    // A headline-long title makes a name a file system takes, cut at a word.
    let long = "Дълго заглавие за събитие ".repeat(15);
    let out = site.run(&["new", "events", &long]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let name = path
        .trim_start_matches("content/events/")
        .trim_end_matches(".md");
    assert!(
        name.len() <= 80 && name.starts_with("dalgo-zaglavie-za-sabitie-"),
        "{name}"
    );
    assert!(!name.ends_with('-'), "{name}");
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("newsite");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dunav"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dunav"))
        .args(["build", "--root", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(target.join("public/index.html").exists());
    assert!(target.join("public/en/about/index.html").exists());
}

#[test]
fn base_url_and_output_can_be_overridden() {
    let site = basic_site();
    let out_dir = site.root().join("elsewhere");
    site.build(&[
        "--base-url",
        "https://preview.example.net",
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    let feed = std::fs::read_to_string(out_dir.join("atom.xml")).unwrap();
    assert!(feed.contains("https://preview.example.net/news/parva/"));
    assert!(!site.public().exists());
}

#[test]
fn an_alias_that_is_the_pages_own_url_is_left_out_with_a_warning() {
    let site = basic_site();
    site.write(
        "content/news/x.md",
        &md(
            "title: Хикс\ndate: 2026-01-01\naliases: [\"/news/x/\", \"/news/x/index.html\", \"/old/x/\"]",
            "Текстът на страницата.",
        ),
    );
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: content/news/x.md:4: `aliases`: alias /news/x/, /news/x/index.html is this page's own URL; left out"),
        "{stderr}"
    );
    assert!(
        site.read("news/x/index.html")
            .contains("Текстът на страницата.")
    );
    assert!(
        site.read("old/x/index.html").contains("/news/x/"),
        "other aliases stay"
    );
}

#[test]
fn an_output_folder_that_would_replace_the_sources_or_someones_files_is_refused() {
    let site = basic_site();
    site.write("docs/notes.txt", "mine");
    for (output, why) in [
        (".", "the site's own folder"),
        ("..", "holds the site"),
        ("content", "is in the site's sources (content)"),
        ("themes", "is in the site's sources (themes)"),
        ("site.toml", "is in the site's sources (site.toml)"),
        ("docs", "no index.html"),
    ] {
        let err = site.build_fails(&["--output", output]);
        assert!(err.contains(why), "{output}: {err}");
        assert!(
            err.contains(&format!("error: --output {output}: ")) && !err.contains("site's files"),
            "the output folder is no error in the site's files: {err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(site.root().join("docs/notes.txt")).unwrap(),
        "mine"
    );
    assert!(
        site.root()
            .join("content/news/2026-01-05-parva.md")
            .is_file()
    );
    // A built site, and a new folder, are outputs.
    site.build(&["--output", "docs/site"]);
    site.build(&["--output", "docs/site"]);
    assert!(site.root().join("docs/site/index.html").is_file());
}

#[test]
fn the_signup_box_posts_to_the_configured_endpoint() {
    let site = basic_site();
    site.build(&[]);
    let html = site.read("about/index.html");
    assert!(html.contains("<form method=\"post\" action=\"https://example.org/subscribe\""));
    assert!(html.contains("name=\"language\" value=\"bg\""));
    assert!(
        site.read("en/about/index.html")
            .contains("name=\"language\" value=\"en\"")
    );
}

#[test]
fn accessibility_landmarks_and_current_page() {
    let site = basic_site();
    site.build(&[]);
    let html = site.read("news/index.html");
    assert!(html.contains("<a class=\"skip-link\" href=\"#main\">"));
    assert!(html.contains("<main id=\"main\""));
    assert!(html.contains("<nav class=\"main-nav wrap\" aria-label=\"Основно меню\">"));
    assert!(html.contains("<a href=\"/news/\" aria-current=\"page\">"));
    assert!(html.contains("<footer class=\"site-footer\">"));
}

#[test]
fn version_and_help() {
    let site = basic_site();
    let out = site.run(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("dunav {}", env!("CARGO_PKG_VERSION"))
    );
    let out = site.run(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    // The command list: the first word of each line between "Commands:" and "Options:".
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.starts_with("Options:"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "build",
            "check",
            "new",
            "serve",
            "init",
            "newsletter",
            "subscribers",
            "subscriptions",
            "help"
        ],
        "{help}"
    );
}

#[test]
fn files_beside_a_page_serve_its_translations_too() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &news("А", "2026-01-01", "image: photo.svg\nimage_alt: \"Снимка\""),
        ),
        (
            "content/news/a.en.md",
            &news("A", "2026-01-01", "image: photo.svg\nimage_alt: \"Photo\""),
        ),
        (
            "content/news/photo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    site.build(&[]);
    assert!(site.exists("news/photo.svg"));
    assert!(
        site.read("en/news/a/index.html")
            .contains("src=\"/news/photo.svg\" alt=\"Photo\"")
    );
    assert!(
        site.read("news/a/index.html")
            .contains("src=\"/news/photo.svg\" alt=\"Снимка\"")
    );
}

#[test]
fn an_image_without_alt_text_is_a_warning_not_an_error() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &md(
            "title: А\ndate: 2026-01-01",
            "Текст.\n\n![](/img/river.png)",
        ),
    )]);
    site.write_bytes("static/img/river.png", &support::plain_png(40, 20));
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: content/news/a.md:8: an image has no alt text"),
        "{stderr}"
    );
    assert!(site.exists("news/a/index.html"));
}

#[test]
fn highlighted_code_is_remembered_between_builds_and_never_stale() {
    let page = |code: &str| {
        news("А", "2026-01-01", "").replace(
            "Първи абзац.",
            &format!("```rust\n{code}\n```\n\n```rust\n{code}\n```"),
        )
    };
    let site = TestSite::new(&[("content/news/a.md", &page("let hub = \"Русе\";"))]);
    site.build(&[]);
    let first = site.read("news/a/index.html");
    assert_eq!(
        first
            .matches("<pre class=\"code\" data-lang=\"rust\"")
            .count(),
        2
    );
    assert!(first.contains("Русе") && first.contains("hl-"), "{first}");
    let memo_file = site.root().join(".dunav-cache/highlight");
    let memo = std::fs::read(&memo_file).unwrap();
    assert!(memo.windows("Русе".len()).any(|w| w == "Русе".as_bytes()));

    // Unchanged: the same page (its body kept whole), and the memo keeps its blocks.
    site.build(&[]);
    assert_eq!(site.read("news/a/index.html"), first);
    assert_eq!(std::fs::read(&memo_file).unwrap(), memo);

    // Changed code is highlighted anew, and the memo keeps only what is used.
    site.write("content/news/a.md", &page("let hub = \"Видин\";"));
    site.build(&[]);
    let changed = site.read("news/a/index.html");
    assert!(
        changed.contains("Видин") && !changed.contains("Русе"),
        "{changed}"
    );
    let memo = std::fs::read(&memo_file).unwrap();
    assert!(!memo.windows("Русе".len()).any(|w| w == "Русе".as_bytes()));

    // A damaged memo is only a cache: the build goes on and writes it again.
    let mut damaged = memo.clone();
    damaged.truncate(memo.len() - 3);
    site.write_bytes(".dunav-cache/highlight", &damaged);
    // (Without the kept body, so that the page's code is highlighted again.)
    std::fs::remove_file(site.root().join(".dunav-cache/markdown")).unwrap();
    site.build(&[]);
    assert_eq!(site.read("news/a/index.html"), changed);
    assert_eq!(std::fs::read(&memo_file).unwrap(), memo);
}

/// Names from elsewhere: capital accented Latin letters keep their letter
/// in URLs (`Über` is `uber`, as `über` is, and the page shows one chip for
/// both), and a folded title has no line break at its end.
#[test]
fn latin_capitals_make_urls_and_folded_titles_end_clean() {
    let site = basic_site();
    site.write(
        "content/news/Über-Ärger.md",
        &md(
            "title: >\n  Über den Ärger\n  in Șimian\ndate: 2026-02-01\ntags: [\"Über\", \"über\", \"Łódź\"]",
            "Text.",
        ),
    );
    site.build(&[]);
    let page = site.read("news/uber-arger/index.html");
    assert!(
        page.contains("<h1 class=\"p-name\">Über den Ärger in Șimian</h1>"),
        "{page}"
    );
    let title = page
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next());
    assert!(
        title.is_some_and(|t| t.starts_with("Über den Ärger in Șimian") && !t.contains('\n')),
        "{title:?}"
    );
    let tag = site.read("tags/uber/index.html");
    assert!(
        tag.contains("/news/uber-arger/"),
        "one tag for Über and über"
    );
    // And one chip on the page: the first spelling names it.
    assert_eq!(page.matches("href=\"/tags/uber/\"").count(), 1, "{page}");
    assert!(page.contains(">#Über</a>"), "{page}");
    assert!(
        site.read("tags/lodz/index.html")
            .contains("/news/uber-arger/")
    );
}

/// Tags and file names in scripts dunav does not transliterate itself
/// (Greek, Japanese, Hebrew) make ASCII URLs as Zola's do: they failed the
/// build as having "no letters". A tag of symbols alone still does.
#[test]
fn other_scripts_make_urls_too() {
    let site = basic_site();
    site.write(
        "content/news/Ελλάδα.md",
        &md(
            "title: Αθήνα\ndate: 2026-02-01\ntags: [\"日本語\", \"עברית\"]",
            "Text.",
        ),
    );
    site.build(&[]);
    let page = site.read("news/ellada/index.html");
    assert!(page.contains("href=\"/tags/ri-ben-yu/\""), "{page}");
    assert!(site.read("tags/bryt/index.html").contains("/news/ellada/"));
    site.write(
        "content/news/stars.md",
        &md("title: Stars\ndate: 2026-02-02\ntags: [\"★★\"]", "Text."),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("the tag \"★★\" has no letters or digits"),
        "{err}"
    );
}

/// `public/` is often a git checkout (GitHub Pages): an alias in `.git/`
/// replaced the repository's own folder. It is an error, and the checkout
/// stays as it was.
#[test]
fn nothing_is_published_into_a_version_control_folder() {
    let site = basic_site();
    site.build(&[]);
    std::fs::create_dir_all(site.root().join("public/.git")).unwrap();
    std::fs::write(
        site.root().join("public/.git/HEAD"),
        "ref: refs/heads/main\n",
    )
    .unwrap();
    site.write(
        "content/news/x.md",
        &md(
            "title: X\ndate: 2026-02-01\naliases: [\"/.git/x/\"]",
            "Text.",
        ),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains(
            "content/news/x.md:4: `aliases`: \"/.git/x/\" may not be in a version control folder"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("public/.git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
}

#[test]
fn a_failed_build_or_check_still_reports_the_sites_warnings_and_check_honours_links_missing() {
    let site = basic_site();
    site.write(
        "content/news/w.md",
        &md(
            "title: W\ndate: 2026-01-01\ncategories: [x]\ntemplate: nope.html",
            "See [the history](/docs/history/).",
        ),
    );
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{command}: {stderr}");
        assert!(stderr.contains("nope.html"), "{command}: {stderr}");
        assert!(
            stderr.contains("warning: content/news/w.md:4: `categories`"),
            "{command}: the warnings too: {stderr}"
        );
    }
    site.write(
        "content/news/w.md",
        &md(
            "title: W\ndate: 2026-01-01",
            "See [the history](/docs/history/).",
        ),
    );
    let toml = site.read_source("site.toml");
    site.write(
        "site.toml",
        &format!("{toml}\n[links]\nmissing = \"warning\"\n"),
    );
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{command}: {stderr}");
        assert!(
            stderr.contains("warning: content/news/w.md:6: broken link `/docs/history/`"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("error"), "{command}: {stderr}");
    }
    // A template that fails while rendering, not while loading.
    site.write(
        "content/news/w.md",
        &md("title: W\ndate: 2026-01-01\ncategories: [x]", "Текст."),
    );
    site.add_to_content("news.html", "{{ page.no_such_field.name }}");
    let err = site.build_fails(&[]);
    assert!(err.contains("news.html"), "{err}");
    // Every news page fails the same way: said once, with how many others.
    let news_pages = std::fs::read_dir(site.root().join("content/news"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('_'))
        .count();
    assert!(news_pages > 2, "{news_pages}");
    assert_eq!(err.matches("while rendering").count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "and {} other outputs the same way",
            news_pages - 1
        )),
        "{err}"
    );
    assert!(
        err.contains("warning: content/news/w.md:4: `categories`"),
        "{err}"
    );
}

#[test]
fn many_warnings_of_one_kind_are_counted_after_ten_and_check_lists_them_all() {
    let site = basic_site();
    for i in 0..15 {
        site.write(
            &format!("content/news/p{i:02}.md"),
            &md(
                &format!("title: P{i}\ndate: 2026-01-01\ncategories: [x]"),
                "Текст.",
            ),
        );
    }
    let count = |stderr: &str| {
        stderr
            .lines()
            .filter(|l| l.starts_with("warning: content/news/p") && l.contains("`categories`"))
            .count()
    };
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(count(&stderr), 10, "{stderr}");
    assert!(
        stderr.contains("warning: 5 more like \"`categories`: `categories` is not read here; it is kept as `extra.categories`\" in 15 files (`dunav check` lists every one)"),
        "{stderr}"
    );
    let out = site.run(&["check"]);
    assert_eq!(count(&String::from_utf8_lossy(&out.stderr)), 15);
}

#[test]
fn a_url_clash_is_reported_at_the_slug_that_made_it() {
    let site = basic_site();
    site.write(
        "content/news/primer.md",
        &md("title: Пример\ndate: 2026-01-01", "А."),
    );
    site.write(
        "content/news/other.md",
        &md("title: Друг\ndate: 2026-01-01\nslug: primer", "Б."),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("error: content/news/other.md:4: `slug`: has the same URL /news/primer/ as content/news/primer.md"),
        "{err}"
    );
}

#[test]
fn every_broken_template_is_named_in_one_build() {
    let site = basic_site();
    site.add_to_content("news.html", "{{ foo( }}");
    site.add_to_content("page.html", "{% if %}");
    let err = site.build_fails(&[]);
    assert!(
        err.contains("error: themes/dunav/templates/news.html:4: Found"),
        "{err}"
    );
    assert!(
        err.contains("error: themes/dunav/templates/page.html:4: Found"),
        "{err}"
    );
    assert!(!err.contains("error: error"), "said once: {err}");
}

/// Zola's themes' `json_encode` filter is there (a page's tags as JSON in a
/// script), its keys in order so that a page is the same every build, and
/// no value can end the script it stands in.
#[test]
fn templates_have_json_encode() {
    let site = basic_site();
    site.add_to_content(
        "news.html",
        "<script type=\"application/json\" id=\"data\">{{ {\"b\": 1, \"a\": page.tags | length, \"t\": \"</script><b>\"} | json_encode | safe }}</script>",
    );
    site.build(&[]);
    let page = site.read("news/parva/index.html");
    assert!(
        page.contains(r#"<script type="application/json" id="data">{"a":1,"b":1,"t":"\u003c/script\u003e\u003cb\u003e"}</script>"#),
        "{page}"
    );
}

/// Tera names a circular include without a place: the template that
/// includes the next one in the chain is named, at that line.
#[test]
fn a_circular_include_is_named_at_its_include() {
    let site = basic_site();
    let toc = "themes/dunav/templates/partials/toc.html";
    let text = site.read_source(toc);
    site.write(
        toc,
        &format!("{text}\n{{% include \"partials/toc.html\" %}}\n"),
    );
    let line = text.lines().count() + 2;
    let err = site.build_fails(&[]);
    assert!(
        err.contains(&format!("error: {toc}:{line}: Circular include detected")),
        "{err}"
    );
}

#[test]
fn a_link_to_a_file_with_errors_says_so_rather_than_no_page() {
    let site = basic_site();
    site.write(
        "content/news/broken.md",
        "---\ntitle: [unclosed\n---\nText.\n",
    );
    site.write(
        "content/news/linker.md",
        &md("title: Линк\ndate: 2026-01-01", "See [it](broken.md)."),
    );
    let err = site.build_fails(&[]);
    assert!(err.contains("content/news/broken.md:2"), "{err}");
    assert!(
        err.contains("links to content/news/broken.md, which has errors of its own"),
        "{err}"
    );
    assert!(!err.contains("no page content/news/broken.md"), "{err}");
}

/// A script kept in `static/` is published executable, as `cp` keeps it.
#[cfg(unix)]
#[test]
fn an_executable_static_file_stays_executable() {
    use std::os::unix::fs::PermissionsExt;
    let site = basic_site();
    site.write("static/bin/run.sh", "#!/bin/sh\necho hi\n");
    site.write("static/plain.txt", "text");
    let script = site.root().join("static/bin/run.sh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    site.build(&[]);
    let mode = |path: &str| {
        let file = site.public().join(path);
        std::fs::metadata(file).unwrap().permissions().mode()
    };
    assert_eq!(mode("bin/run.sh") & 0o111, 0o111);
    assert_eq!(mode("plain.txt") & 0o111, 0);
}
