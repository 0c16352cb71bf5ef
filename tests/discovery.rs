//! How readers find things: related news, link previews and structured data
//! for search engines, and the search index, each read back from a site
//! built from literal files.

mod support;

use serde_json::Value;
use support::{SITE_TOML, TestSite, md, plain_png};

fn news(title: &str, date: &str, sectors: &str, tags: &str, extra: &str) -> String {
    md(
        &format!("title: {title}\ndate: {date}\nsectors: [{sectors}]\ntags: [{tags}]\n{extra}"),
        &format!("Текст за {title}."),
    )
}

/// The hrefs of the "related" block of an output page, in order.
fn related_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("<section class=\"related\"") else {
        return Vec::new();
    };
    let block = &html[start..start + html[start..].find("</section>").unwrap()];
    block
        .split("class=\"card-title\"><a href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// Every JSON-LD object of an output page.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let text = rest.split("</script>").next().unwrap();
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
        })
        .collect()
}

fn of_type<'a>(items: &'a [Value], kind: &str) -> &'a Value {
    items
        .iter()
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {items:?}"))
}

/// The `content` of `<meta property|name="key">`, all of them.
fn meta(html: &str, key: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["property", "name"] {
        let needle = format!("<meta {attr}=\"{key}\" content=\"");
        for rest in html.split(&needle).skip(1) {
            found.push(rest.split('"').next().unwrap().to_string());
        }
    }
    found
}

fn related_site() -> TestSite {
    let m = "mechatronics";
    TestSite::new(&[
        ("content/news/_index.md", &md("title: Новини", "")),
        (
            "content/news/a.md",
            &news(
                "Роботи в Русе",
                "2026-11-01",
                m,
                "роботика, МСП",
                "author: Иван Петров <ivan@example.bg>",
            ),
        ),
        (
            "content/news/a.en.md",
            &news("Robots in Ruse", "2026-11-01", m, "robotics, SME", ""),
        ),
        (
            "content/news/b.md",
            &news("Мехатроника за фирми", "2026-10-01", m, "роботика", ""),
        ),
        (
            "content/news/b.en.md",
            &news("Mechatronics for firms", "2026-10-01", m, "robotics", ""),
        ),
        (
            "content/news/c.md",
            &news("Нов сензор", "2026-11-10", m, "", ""),
        ),
        (
            "content/news/d.md",
            &news(
                "Роботика в училище",
                "2026-11-20",
                "ict",
                "роботика, МСП",
                "",
            ),
        ),
        (
            "content/news/e.md",
            &news("Чернова", "2026-11-21", m, "роботика", "draft: true"),
        ),
        (
            "content/news/f.md",
            &news("Бъдеща", "2027-01-01", m, "роботика", ""),
        ),
        (
            "content/news/g.md",
            &news("Чиста енергия", "2026-11-22", "cleantech", "", ""),
        ),
        (
            "content/news/h.md",
            &news("Стара мехатроника", "2026-09-01", m, "", ""),
        ),
    ])
}

#[test]
fn related_news_weigh_sectors_over_tags_newest_first_and_skip_drafts_and_future() {
    let site = related_site();
    site.build(&["--drafts", "--future"]);
    // b shares the sector and a tag (3 + 1); c and h the sector (3), c is newer;
    // d two tags (2) but no sector; e is a draft, f is future, g shares nothing.
    assert_eq!(
        related_links(&site.read("news/a/index.html")),
        ["/news/b/", "/news/c/", "/news/h/"]
    );
    // The same language only: the English page has one English neighbour.
    assert_eq!(
        related_links(&site.read("en/news/a/index.html")),
        ["/en/news/b/"]
    );
    let html = site.read("news/a/index.html");
    assert!(html.contains("Подобни новини"));
    // Each card shows its date.
    let block = &html[html.find("class=\"related\"").unwrap()..];
    assert!(
        block.contains("<time datetime=\"2026-10-01T00:00:00+03:00\">"),
        "{block}"
    );
    // A page with nothing in common shows no block.
    assert!(related_links(&site.read("news/g/index.html")).is_empty());
    assert!(!site.read("news/g/index.html").contains("class=\"related\""));
}

#[test]
fn related_count_comes_from_site_toml() {
    let site = related_site();
    site.write("site.toml", &format!("{SITE_TOML}\n[related]\ncount = 1\n"));
    site.build(&[]);
    assert_eq!(related_links(&site.read("news/a/index.html")), ["/news/b/"]);
}

#[test]
fn news_pages_carry_a_news_article_and_breadcrumbs_without_emails_or_drafts() {
    let site = related_site();
    site.build(&[]);
    let html = site.read("news/a/index.html");
    let items = json_ld(&html);
    let article = of_type(&items, "NewsArticle");
    assert_eq!(article["headline"], "Роботи в Русе");
    assert_eq!(article["datePublished"], "2026-11-01T00:00:00+02:00");
    assert_eq!(article["author"][0]["name"], "Иван Петров");
    assert_eq!(article["publisher"]["name"], "Тестов сайт");
    assert_eq!(article["url"], "https://example.org/news/a/");
    let crumbs = of_type(&items, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<&str> = crumbs.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Тестов сайт", "Новини", "Роботи в Русе"]);
    let head = &html[..html.find("</head>").unwrap()];
    assert!(!head.contains("ivan@example.bg"), "{head}");
    // The draft and the future page are in no output at all.
    for file in site.files() {
        if file.ends_with(".html") || file.ends_with(".xml") {
            let text = site.read(&file);
            assert!(
                !text.contains("Чернова") && !text.contains("Бъдеща"),
                "{file}"
            );
        }
    }
}

#[test]
fn events_are_events_with_their_place_mode_and_registration() {
    let site = TestSite::new(&[
        (
            "content/events/mixed.md",
            &md(
                "title: Ден на роботите\nstart: 2026-12-03T10:00:00\nend: 2026-12-03T16:00:00\nlocation:\n  name: Зала 1\n  address: ул. Пример 1, Русе\n  online: https://meet.example.org/robots\nregistration: https://example.org/register",
                "Текст.",
            ),
        ),
        (
            "content/events/online.md",
            &md(
                "title: Уебинар\nstart: 2026-12-10\nlocation:\n  online: https://meet.example.org/web",
                "Текст.",
            ),
        ),
        (
            "content/events/bare.md",
            &md("title: Без място\nstart: 2026-12-14", "Текст."),
        ),
        (
            "content/events/hall.md",
            &md(
                "title: Среща\nstart: 2026-12-12T18:00:00\nlocation:\n  name: Зала 2",
                "Текст.",
            ),
        ),
    ]);
    site.build(&[]);
    let items = json_ld(&site.read("events/mixed/index.html"));
    let event = of_type(&items, "Event");
    assert_eq!(event["name"], "Ден на роботите");
    assert_eq!(event["startDate"], "2026-12-03T10:00:00+02:00");
    assert_eq!(event["endDate"], "2026-12-03T16:00:00+02:00");
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    assert_eq!(event["location"][0]["@type"], "Place");
    assert_eq!(
        event["location"][0]["address"]["streetAddress"],
        "ул. Пример 1, Русе"
    );
    assert_eq!(event["location"][1]["@type"], "VirtualLocation");
    assert_eq!(event["offers"]["url"], "https://example.org/register");
    assert_eq!(event["organizer"]["name"], "Тестов сайт");

    let online = json_ld(&site.read("events/online/index.html"));
    let online = of_type(&online, "Event");
    assert_eq!(
        online["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(online["location"]["url"], "https://meet.example.org/web");
    // A bare date stays a date.
    assert_eq!(online["startDate"], "2026-12-10");

    let hall = json_ld(&site.read("events/hall/index.html"));
    let hall = of_type(&hall, "Event");
    assert_eq!(
        hall["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(hall["location"]["name"], "Зала 2");
    // Search engines require an address: the place's name stands in.
    assert_eq!(hall["location"]["address"]["streetAddress"], "Зала 2");
    // No location: none is made up.
    let bare = json_ld(&site.read("events/bare/index.html"));
    let bare = of_type(&bare, "Event");
    assert!(bare.get("location").is_none(), "{bare}");
}

#[test]
fn home_is_an_organization_and_projects_are_creative_works() {
    let site = TestSite::new(&[
        (
            "site.toml",
            &format!("{SITE_TOML}\n[sharing]\nlogo = \"/logo.png\"\n"),
        ),
        (
            "content/projects/p.md",
            &md(
                "title: Отворени данни\nstatus: active\nstart: 2026-01-01\npartners: [Община Русе]",
                "Текст.",
            ),
        ),
    ]);
    site.build(&[]);
    for home in ["index.html", "en/index.html"] {
        let items = json_ld(&site.read(home));
        let org = of_type(&items, "Organization");
        assert_eq!(org["logo"]["url"], "https://example.org/logo.png");
        of_type(&items, "WebSite");
    }
    let items = json_ld(&site.read("projects/p/index.html"));
    let work = of_type(&items, "CreativeWork");
    assert_eq!(work["name"], "Отворени данни");
    assert_eq!(work["contributor"][0]["name"], "Община Русе");
    of_type(&items, "BreadcrumbList");
    // Listings have breadcrumbs too.
    of_type(
        &json_ld(&site.read("projects/index.html")),
        "BreadcrumbList",
    );
}

#[test]
fn previews_are_complete_with_a_default_image() {
    let site = related_site();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[sharing]\nimage = \"/share.png\"\ntwitter = \"@hub\"\n"),
    );
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::write(site.root().join("static/share.png"), plain_png(1200, 630)).unwrap();
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert_eq!(meta(&html, "og:site_name"), ["Тестов сайт"]);
    assert_eq!(meta(&html, "og:type"), ["article"]);
    assert_eq!(meta(&html, "og:title"), ["Роботи в Русе"]);
    assert_eq!(meta(&html, "og:description"), ["Текст за Роботи в Русе."]);
    assert_eq!(meta(&html, "og:locale"), ["bg_BG"]);
    assert_eq!(meta(&html, "og:locale:alternate"), ["en_GB"]);
    assert_eq!(meta(&html, "og:image"), ["https://example.org/share.png"]);
    assert_eq!(meta(&html, "og:image:width"), ["1200"]);
    assert_eq!(meta(&html, "og:image:height"), ["630"]);
    assert_eq!(meta(&html, "og:image:alt"), ["Тестов сайт"]);
    assert_eq!(
        meta(&html, "article:published_time"),
        ["2026-11-01T00:00:00+02:00"]
    );
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&html, "twitter:site"), ["@hub"]);
    // A page without a translation has no alternate locale.
    assert!(meta(&site.read("news/c/index.html"), "og:locale:alternate").is_empty());
    let en = site.read("en/news/a/index.html");
    assert_eq!(meta(&en, "og:locale"), ["en_GB"]);
    assert_eq!(meta(&en, "og:locale:alternate"), ["bg_BG"]);
}

#[test]
fn the_search_index_has_each_language_and_only_published_pages() {
    let site = related_site();
    site.build(&["--drafts"]);
    let entry: Value = serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    // bg: a b c d g h and the about-less site's nothing else; the draft is
    // built (--drafts) but never indexed, the future page is not built.
    assert_eq!(entry["languages"]["bg"]["page_count"], 6);
    assert_eq!(entry["languages"]["en"]["page_count"], 2);
    assert!(site.exists("pagefind/pagefind.js"));
    assert!(!site.files().iter().any(|f| f.contains("pagefind-ui")));
    // A search page per language, and the header's box pointing to it.
    assert!(site.read("search/index.html").contains("data-search-form"));
    assert!(site.read("en/search/index.html").contains("lang=\"en\""));
    assert!(
        site.read("news/a/index.html")
            .contains("action=\"/search/\"")
    );
    assert!(
        site.read("en/news/a/index.html")
            .contains("action=\"/en/search/\"")
    );
    assert!(site.exists("search.js"));
    // What a result downloads: the page's text (escaped, never raw markup)
    // and what it shows, but not the Latin words kept for Latin queries.
    let fragments: Vec<Value> = site
        .files()
        .iter()
        .filter(|f| f.starts_with("pagefind/fragment/bg_"))
        .map(|f| search_fragment(&site.read_bytes(f)))
        .collect();
    assert_eq!(fragments.len(), 6);
    for fragment in &fragments {
        let meta = fragment["meta"].as_object().unwrap();
        assert!(meta.contains_key("title"), "{fragment}");
        assert!(!meta.keys().any(|k| k.contains("translit")), "{fragment}");
        assert!(!fragment["content"].as_str().unwrap().contains('<'));
    }
}

/// A Hugo theme's `content/search.md` (`layout: search`) is the search
/// page of its language, shown with the search template; no error, and
/// the other language keeps dunav's own.
#[test]
fn a_sites_own_search_page_takes_the_place_of_dunavs() {
    let site = TestSite::new(&[
        ("site.toml", SITE_TOML),
        (
            "content/search.md",
            &md("title: Търсене в сайта\nlayout: search", "Търсете по дума."),
        ),
        (
            "content/news/a.md",
            &news("Новина", "2026-01-05", "", "", ""),
        ),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("error"), "{messages}");
    let own = site.read("search/index.html");
    assert!(own.contains("data-search-form"), "{own}");
    // It is shown with its own title and text, and its language switch
    // leads to dunav's search page in English, not to the English home page.
    assert!(own.contains("<h1>Търсене в сайта</h1>"), "{own}");
    assert!(own.contains("<title>Търсене в сайта ·"), "{own}");
    assert!(own.contains("Търсете по дума."), "{own}");
    assert!(
        own.contains(r#"<a href="/en/search/" hreflang="en""#),
        "{own}"
    );
    let english = site.read("en/search/index.html");
    assert!(english.contains("data-search-form"));
    assert!(
        english.contains(r#"<a href="/search/" hreflang="bg""#),
        "{english}"
    );
    // Not a result of its own, nor in the sitemap (it is `noindex`).
    assert!(!site.read("sitemap.xml").contains("/search/"));
    let entry: Value = serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["bg"]["page_count"], 1);
    // A page that chose its own template keeps it.
    site.write(
        "content/search.md",
        &md("title: Търсене\ntemplate: page.html", "Търсете по дума."),
    );
    site.build(&[]);
    let own = site.read("search/index.html");
    assert!(!own.contains("data-search-form"), "{own}");
    assert!(own.contains("Търсете по дума."), "{own}");
}

/// A page without text (an event written as front matter alone) is
/// indexed by its title.
#[test]
fn a_page_without_text_is_found_by_its_title() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            "---\ntitle: Новина\ndate: 2026-01-01\n---\nТекст.\n",
        ),
        (
            "content/events/seminar.md",
            "---\ntitle: Семинар по роботика\nstart: 2026-12-10T10:00:00\n---\n",
        ),
    ]);
    site.build(&[]);
    let entry: Value = serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["bg"]["page_count"], 2, "{entry}");
    let found = site
        .files()
        .iter()
        .filter(|f| f.starts_with("pagefind/fragment/bg_"))
        .map(|f| search_fragment(&site.read_bytes(f)))
        .any(|fragment| fragment["content"].as_str() == Some("Семинар по роботика"));
    assert!(found);
}

/// The search bundle's files, path to bytes.
fn search_bundle(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    site.files()
        .into_iter()
        .filter(|f| f.starts_with("pagefind/"))
        .map(|f| {
            let bytes = site.read_bytes(&f);
            (f, bytes)
        })
        .collect()
}

#[test]
#[cfg(unix)]
fn a_search_index_made_from_kept_pages_equals_one_made_afresh() {
    use std::os::unix::fs::MetadataExt;
    let site = related_site();
    site.build(&[]);
    let cache = site.root().join(".dunav-cache/search");
    let chunks = site.root().join(".dunav-cache/search-chunks");
    let first = std::fs::metadata(&cache).expect("the build keeps its prepared pages");
    let first_chunks = std::fs::metadata(&chunks).expect("and the index's chunks");
    // Nothing changed: everything is read back and the files stay as they are.
    site.build(&[]);
    assert_eq!(std::fs::metadata(&cache).unwrap().ino(), first.ino());
    assert_eq!(
        std::fs::metadata(&chunks).unwrap().ino(),
        first_chunks.ino()
    );
    // A page's title and text change, another page goes.
    site.write(
        "content/news/b.md",
        &news(
            "Сирене от Русе",
            "2026-10-01",
            "mechatronics",
            "роботика",
            "",
        ),
    );
    site.remove("content/news/c.md");
    site.build(&[]);
    let kept = search_bundle(&site);
    let texts: Vec<String> = kept
        .iter()
        .filter(|(f, _)| f.starts_with("pagefind/fragment/bg_"))
        .map(|(_, bytes)| search_fragment(bytes)["content"].to_string())
        .collect();
    assert_eq!(texts.len(), 5);
    assert!(texts.iter().any(|t| t.contains("Текст за Сирене от Русе")));
    assert!(!texts.iter().any(|t| t.contains("Мехатроника за фирми")));
    assert!(!texts.iter().any(|t| t.contains("Нов сензор")));
    // The same site indexed with no cache, and with a damaged one.
    std::fs::remove_dir_all(site.root().join(".dunav-cache")).unwrap();
    site.build(&[]);
    assert_eq!(search_bundle(&site), kept);
    for file in [&cache, &chunks] {
        let mut damaged = std::fs::read(file).unwrap();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x55;
        std::fs::write(file, &damaged).unwrap();
        site.build(&[]);
        assert_eq!(search_bundle(&site), kept);
    }
}

/// A Pagefind file as the browser reads it: gzip around a marker and JSON.
fn search_fragment(bytes: &[u8]) -> Value {
    use std::io::Read;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut json)
        .expect("a gzip file");
    let json = json
        .strip_prefix(b"pagefind_dcd")
        .expect("Pagefind's marker");
    serde_json::from_slice(json).expect("JSON")
}

#[test]
fn search_can_be_turned_off() {
    let site = related_site();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[search]\nenabled = false\n"),
    );
    site.build(&[]);
    assert!(!site.exists("pagefind/pagefind-entry.json"));
    assert!(!site.exists("search/index.html"));
    assert!(!site.read("news/a/index.html").contains("site-search"));
}

mod browser {
    use super::*;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    use support::http::get;
    use support::server::Server;

    /// Chromium and playwright-core, installed by the project's own script,
    /// once: the tests run in parallel, and apt and npm each take a lock.
    fn browser_ready() {
        static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let ready = READY.get_or_init(|| {
            let setup = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/setup.sh");
            let status = Command::new("bash").arg(setup).status();
            status.is_ok_and(|s| s.success())
        });
        assert!(ready, "tests/browser/setup.sh failed");
    }

    /// Searches in headless Chromium: (page, query) → the result links.
    fn search(addr: &str, queries: &[(&str, &str)]) -> Vec<Vec<String>> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/search.mjs");
        let mut command = Command::new("node");
        command.arg(script).arg(format!("http://{addr}"));
        for (page, query) in queries {
            command.arg(page).arg(query);
        }
        let out = command.stderr(Stdio::inherit()).output().expect("run node");
        assert!(out.status.success(), "search.mjs failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|line| {
                let found: Value = serde_json::from_str(line).expect("a JSON line");
                assert_eq!(found["problems"], serde_json::json!([]), "{line}");
                found["hrefs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h.as_str().unwrap().to_string())
                    .collect()
            })
            .collect()
    }

    /// `dunav serve`, once its first search index is served (it is built
    /// in the background).
    fn serve(site: &TestSite) -> Server {
        let mut command = site.command(&["serve", "--port", "0"], &[]);
        command.stderr(Stdio::null());
        let server = Server::start(command);
        let deadline = Instant::now() + Duration::from_secs(60);
        while get(&server.addr, "/pagefind/pagefind-entry.json").status != 200 {
            assert!(Instant::now() < deadline, "the search index never came");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn search_site() -> TestSite {
        TestSite::new(&[
            (
                "content/news/lab.md",
                &md(
                    "title: Лаборатория по мехатроника\ndate: 2026-11-01\nsectors: [mechatronics]",
                    "Фирмите от Русе тестват роботи и иновации в лабораторията.",
                ),
            ),
            (
                "content/news/lab.en.md",
                &md(
                    "title: A mechatronics lab\ndate: 2026-11-01\nsectors: [mechatronics]",
                    "Companies from Ruse try robots and innovations in the lab.",
                ),
            ),
            (
                "content/news/data.md",
                &md(
                    "title: Отворени данни\ndate: 2026-10-01\nsectors: [ict]",
                    "Общините публикуват данни.",
                ),
            ),
        ])
    }

    #[test]
    fn search_page_finds_pages_by_cyrillic_and_latin_queries_in_chromium() {
        browser_ready();
        let site = search_site();
        let server = serve(&site);
        let found = search(
            &server.addr,
            &[
                ("/search/", "мехатроника"),
                ("/search/", "mehatronika"),
                ("/search/", "ruse"),
                ("/search/", "иновац"),
                ("/en/search/", "mechatronics"),
                ("/en/search/", "Ruse"),
                ("/en/search/", "данни"),
                // Typed with no Enter: the search starts when typing pauses.
                ("/search/", "typed:данни"),
            ],
        );
        assert_eq!(found[0], ["/news/lab/"]);
        assert_eq!(found[1], ["/news/lab/"]);
        assert_eq!(found[2], ["/news/lab/"]);
        assert_eq!(found[3], ["/news/lab/"]);
        assert_eq!(found[4], ["/en/news/lab/"]);
        assert_eq!(found[5], ["/en/news/lab/"]);
        // Each language searches its own pages.
        assert!(found[6].is_empty());
        assert_eq!(found[7], ["/news/data/"]);
    }

    #[test]
    fn serve_brings_search_up_to_date_after_a_save() {
        browser_ready();
        let site = search_site();
        let server = serve(&site);
        let entry = || get(&server.addr, "/pagefind/pagefind-entry.json").body;
        let before = entry();
        assert!(before.contains("\"bg\""), "{before}");
        site.write(
            "content/news/data.md",
            &md(
                "title: Отворени данни\ndate: 2026-10-01\nsectors: [ict]",
                "Общините публикуват данни за кварталите.",
            ),
        );
        // The index is rebuilt in the background after the page reloads.
        let deadline = Instant::now() + Duration::from_secs(60);
        while entry() == before {
            assert!(Instant::now() < deadline, "the index never changed");
            std::thread::sleep(Duration::from_millis(100));
        }
        let found = search(
            &server.addr,
            &[("/search/", "квартал"), ("/search/", "kvartal")],
        );
        assert_eq!(found[0], ["/news/data/"]);
        assert_eq!(found[1], ["/news/data/"]);
    }
}
