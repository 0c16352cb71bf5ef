//! Content nobody here wrote: pasted Markdown, front matter from other
//! tools, hostile files. Each test builds a site from literal files.

mod support;

use support::{TestSite, md};

fn news(title: &str, body: &str) -> String {
    md(
        &format!("title: \"{title}\"\ndate: 2026-01-10T10:00:00"),
        body,
    )
}

#[test]
fn email_autolinks_mailto_tel_and_urls_are_not_files() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news(
            "Контакти",
            "Пишете ни на <info@didih.bg>, [по пощата](mailto:info@didih.bg), [по телефона](tel:+35982888), <https://didih.bg/x.md>.",
        ),
    )]);
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert!(html.contains("href=\"mailto:info@didih.bg\""), "{html}");
    assert!(html.contains("href=\"tel:+35982888\""));
}

#[test]
fn listings_show_the_first_paragraph_and_never_repeat_an_id() {
    let changelog = "# Версия 2\n\n## Промени\n\n- едно\n- две\n\n```rust\nfn main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nТова е първият истински абзац на страницата.\n\n## Промени\n\nОще.\n";
    let mut files: Vec<(String, String)> = (1..=3)
        .map(|i| {
            (
                format!("content/news/v{i}.md"),
                news(&format!("Версия {i}"), changelog),
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
    let listing = site.read("news/index.html");
    assert_eq!(
        listing
            .matches("Това е първият истински абзац на страницата.")
            .count(),
        2,
        "two cards per pager, each with its first paragraph"
    );
    for bad in [
        "id=\"versiya-2\"",
        "id=\"promeni\"",
        "class=\"anchor\"",
        "<table",
        "<pre",
    ] {
        assert!(!listing.contains(bad), "no {bad} in a listing:\n{listing}");
    }
    let page = site.read("news/v1/index.html");
    assert!(page.contains("id=\"promeni\"") && page.contains("id=\"promeni-1\""));
    assert!(
        page.contains("href=\"#promeni-1\""),
        "the table of contents follows the ids"
    );
    let feed = site.read("news/atom.xml");
    assert!(feed.contains("<summary>Това е първият истински абзац на страницата.</summary>"));
}

#[test]
fn yaml_1_2_words_and_numbers_are_text() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &md("title: Yes\ndate: 2026-01-10\ntags: [no, on]", "x"),
        ),
        (
            "content/news/b.md",
            &md("title: 1984\ndate: 2026-01-11", "x"),
        ),
    ]);
    site.build(&[]);
    assert!(site.read("news/a/index.html").contains(">Yes</h1>"));
    assert!(site.exists("tags/no/index.html") && site.exists("tags/on/index.html"));
    assert!(site.read("news/b/index.html").contains(">1984</h1>"));
}

#[test]
fn hostile_yaml_gets_a_clear_error_quickly() {
    let mut bomb = String::from(
        "title: x\ndate: 2026-01-01\na: &a [\"l\",\"l\",\"l\",\"l\",\"l\",\"l\",\"l\",\"l\",\"l\"]\n",
    );
    let mut prev = 'a';
    for name in "bcdefghij".chars() {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    let site = TestSite::new(&[
        ("content/news/bomb.md", &md(&bomb, "x")),
        (
            "content/news/dup.md",
            &md("title: a\ndate: 2026-01-01\ntitle: b", "x"),
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(err.contains("content/news/bomb.md:"), "{err}");
    assert!(
        err.contains("content/news/dup.md:4: `title`: `title` is written twice, on lines 2 and 4"),
        "{err}"
    );
}

#[test]
fn slugs_too_long_for_a_file_name_fail_at_their_field_before_anything_is_written() {
    let long = "дълго-".repeat(60);
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &md(&format!("title: A\ndate: 2026-01-01\nslug: {long}"), "x"),
        ),
        (
            "content/news/b.md",
            &md(
                &format!("title: B\ndate: 2026-01-01\ntags: [\"{long}\"]"),
                "x",
            ),
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(err.contains("content/news/a.md:4: `slug`:"), "{err}");
    assert!(err.contains("fit in a file name"), "{err}");
    assert!(err.contains("content/news/b.md:4: `tags`:"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    assert!(!site.public().exists());
}

#[test]
fn two_tags_with_one_url_are_one_term_page_listing_both() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &md("title: Първа\ndate: 2026-01-01\ntags: [хъб]", "x"),
        ),
        (
            "content/news/b.md",
            &md("title: Втора\ndate: 2026-01-02\ntags: [hab]", "x"),
        ),
    ]);
    site.build(&[]);
    let term = site.read("tags/hab/index.html");
    assert!(term.contains("Първа") && term.contains("Втора"), "{term}");
}

#[test]
fn links_to_page_urls_and_fragments_are_checked() {
    let site = TestSite::new(&[
        ("content/news/a.md", &news("А", "## Карта\n\nТекст.")),
        (
            "content/news/b.md",
            &news(
                "Б",
                "[ок](/news/a/) [фрагмент](a.md#karta) [тук](#tuk) [лошо](/news/gone/)\n\n[лош фрагмент](/news/a/#nyama) [и тук](#nyama) [към текста](#main)\n\n## Тук\n",
            ),
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/b.md:6: broken link `/news/gone/`: no page at /news/gone/"),
        "{err}"
    );
    assert!(
        err.contains("content/news/b.md:8: broken link `/news/a/#nyama`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/b.md:8: broken link `#nyama`"),
        "{err}"
    );
    assert_eq!(err.matches("broken link").count(), 3, "{err}");
}

#[test]
fn a_site_moving_in_can_build_with_its_broken_links_as_warnings() {
    let toml = format!("{}\n[links]\nmissing = \"warning\"\n", support::SITE_TOML);
    let site = TestSite::new(&[
        ("site.toml", &toml),
        (
            "content/news/a.md",
            &news("А", "[старо](/old/page/) [старо2](old.md)"),
        ),
    ]);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: content/news/a.md:6: broken link `/old/page/`"),
        "{stderr}"
    );
    assert!(stderr.contains("broken link `old.md`"), "{stderr}");
}

#[test]
fn urls_a_browser_would_refuse_are_encoded() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news(
            "А",
            "[x](https://example.org/a^b|c) [y](<https://example.org/a b>) [z](https://example.org/100%)",
        ),
    )]);
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert!(
        html.contains("href=\"https://example.org/a%5Eb%7Cc\""),
        "{html}"
    );
    assert!(html.contains("href=\"https://example.org/a%20b\""));
    assert!(html.contains("href=\"https://example.org/100%25\""));
}

#[test]
fn a_misspelt_key_is_kept_with_a_did_you_mean() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &md("titel: Грешно\ntitle: А\ndate: 2026-01-01", "x"),
    )]);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: content/news/a.md:2: `titel`: unknown field; did you mean `title`?"
        ),
        "{stderr}"
    );
}

#[test]
fn site_toml_errors_come_all_at_once_with_lines_and_suggestions() {
    let toml = support::SITE_TOML
        .replace("paginate = 2", "paginate = \"two\"")
        .replace("[newsletter]", "[newsleter]");
    let site = TestSite::new(&[("site.toml", &toml), ("content/news/a.md", &news("А", "x"))]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("site.toml:4: `paginate`: expected a whole number, found the text \"two\""),
        "{err}"
    );
    assert!(err.contains("`newsleter`: unknown key"), "{err}");
    assert!(err.contains("did you mean `newsletter`?"), "{err}");
}

#[test]
fn a_page_bundle_publishes_its_files_beside_it() {
    let site = TestSite::new(&[
        (
            "content/news/2026-12-01-partner/index.md",
            &md(
                "title: Партньор\ndate: 2026-01-01\nimage: photo.jpg\nimage_alt: Екипът",
                "![Лаборатория](lab/lab.png) [план](plan.pdf)",
            ),
        ),
        (
            "content/news/2026-12-01-partner/index.en.md",
            &md(
                "title: Partner\ndate: 2026-01-01\nimage: photo.jpg\nimage_alt: The team",
                "[plan](plan.pdf)",
            ),
        ),
        ("content/news/2026-12-01-partner/plan.pdf", "pdf"),
    ]);
    let photo = support::photos::jpeg_with_metadata(64, 48, 1);
    site.write_bytes("content/news/2026-12-01-partner/photo.jpg", &photo);
    let lab = support::plain_png(40, 20);
    site.write_bytes("content/news/2026-12-01-partner/lab/lab.png", &lab);
    site.build(&[]);
    for file in [
        "news/partner/photo.jpg",
        "news/partner/lab/lab.png",
        "news/partner/plan.pdf",
    ] {
        assert!(site.exists(file), "{file} in {:?}", site.files());
    }
    let bg = site.read("news/partner/index.html");
    assert!(bg.contains("src=\"/news/partner/lab/lab-40w.png\""), "{bg}");
    assert!(bg.contains("/news/partner/photo-64w.jpg"), "{bg}");
    let en = site.read("en/news/partner/index.html");
    assert!(en.contains("href=\"/news/partner/plan.pdf\""), "{en}");
    assert!(
        !site.exists("news/2026-12-01-partner/index.html"),
        "the folder is no section"
    );
}

#[test]
fn a_missing_lead_image_is_an_error_at_its_field() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &md(
            "title: А\ndate: 2026-01-01\nimage: labb.png\nimage_alt: Лаборатория",
            "x",
        ),
    )]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/a.md:4: `image`: broken link `labb.png`"),
        "{err}"
    );
}

#[test]
fn one_run_reports_a_bad_field_and_a_broken_link_of_the_same_file() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &md(
            "title: А\ndate: 2026-01-01\nsectors: [space]",
            "[нищо](nothing.md)",
        ),
    )]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/a.md:4: `sectors`: unknown sector \"space\""),
        "{err}"
    );
    assert!(
        err.contains("content/news/a.md:7: broken link `nothing.md`"),
        "{err}"
    );
}

#[test]
fn markdown_files_named_as_other_tools_name_them_are_pages() {
    let site = TestSite::new(&[
        (
            "content/news/2025-03-01-old-post.markdown",
            &news("Стара публикация", "[бележки](Notes.MD)"),
        ),
        ("content/news/Notes.MD", &news("Бележки", "Текст.")),
        (
            "content/news/Notes.en.mdown",
            &news("Notes", "[old](2025-03-01-old-post.markdown)"),
        ),
    ]);
    site.build(&[]);
    let old = site.read("news/old-post/index.html");
    assert!(old.contains("href=\"/news/notes/\""), "{old}");
    assert!(
        site.read("en/news/notes/index.html")
            .contains("href=\"/news/old-post/\"")
    );
    let leaked: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| {
            let lower = f.to_lowercase();
            lower.ends_with(".markdown") || lower.ends_with(".md") || lower.ends_with(".mdown")
        })
        .collect();
    assert!(leaked.is_empty(), "copied as files: {leaked:?}");
}

#[test]
fn a_link_to_a_pages_index_html_is_a_link_to_the_page() {
    let site = TestSite::new(&[
        ("content/about.md", &md("title: За нас", "Кои сме.")),
        (
            "content/news/a.md",
            &news("А", "[за нас](/about/index.html) [лошо](/gone/index.html)"),
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(err.contains("broken link `/gone/index.html`"), "{err}");
    assert_eq!(err.matches("broken link").count(), 1, "{err}");
}

#[test]
fn an_event_with_a_start_time_may_end_on_a_bare_date() {
    let site = TestSite::new(&[
        (
            "content/events/one-day.md",
            &md(
                "title: Ден\nstart: 2099-12-10T10:00:00\nend: 2099-12-10",
                "Цял ден.",
            ),
        ),
        (
            "content/events/three-days.md",
            &md(
                "title: Три дни\nstart: 2099-12-10T10:00:00\nend: 2099-12-12",
                "Три дни.",
            ),
        ),
        (
            "content/events/all-day-to-noon.md",
            &md(
                "title: До обяд\nstart: 2099-12-10\nend: 2099-12-11T12:00:00",
                "До обяд.",
            ),
        ),
    ]);
    site.build(&[]);
    // Sofia is UTC+2 in December: the day ends at 22:00 UTC.
    let ics = site.read("events/one-day/one-day.ics");
    assert!(ics.contains("DTSTART:20991210T080000Z"), "{ics}");
    assert!(ics.contains("DTEND:20991210T220000Z"), "{ics}");
    let page = site.read("events/one-day/index.html");
    assert!(!page.contains("dt-end"), "the end adds nothing: {page}");
    assert!(!page.contains(" 00:00 ч."), "{page}");
    let ics = site.read("events/three-days/three-days.ics");
    assert!(ics.contains("DTEND:20991212T220000Z"), "{ics}");
    let page = site.read("events/three-days/index.html");
    assert!(
        page.contains("<time class=\"dt-end\" datetime=\"2099-12-12\">12 декември 2099"),
        "a bare end date is a date, not its midnight: {page}"
    );
    let listing = site.read("events/index.html");
    assert!(
        listing.contains("<time datetime=\"2099-12-12\">12 декември 2099"),
        "the card shows the last day: {listing}"
    );
    assert!(!page.contains(" 00:00 ч."), "{page}");
    let ics = site.read("events/all-day-to-noon/all-day-to-noon.ics");
    assert!(ics.contains("DTSTART;VALUE=DATE:20991210"), "{ics}");
    assert!(ics.contains("DTEND;VALUE=DATE:20991212"), "{ics}");
}

#[test]
fn a_page_without_text_is_described_by_its_title() {
    let site = TestSite::new(&[(
        "content/news/code.md",
        &news("Само код", "```rust\nfn main() {}\n```"),
    )]);
    site.build(&[]);
    let page = site.read("news/code/index.html");
    for meta in [
        "<meta name=\"description\" content=\"Само код\">",
        "<meta property=\"og:description\" content=\"Само код\">",
    ] {
        assert!(page.contains(meta), "{meta} in {page}");
    }
}

#[test]
fn an_alias_never_replaces_a_published_file_or_another_alias_and_yields() {
    let site = TestSite::new(&[
        ("static/old.txt", "стар файл"),
        (
            "content/news/a.md",
            &md(
                "title: А\ndate: 2026-01-10\naliases: [\"/old.txt\", \"/stara/\"]",
                "А.",
            ),
        ),
        (
            "content/news/a.en.md",
            &md("title: A\ndate: 2026-01-10\naliases: [\"/stara/\"]", "A."),
        ),
    ]);
    let out = site.build(&[]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("content/news/a.md:4: `aliases`: alias /old.txt is the path of a file the site publishes"),
        "{said}"
    );
    assert!(
        said.contains("alias /stara/ is also an alias of content/news/a"),
        "{said}"
    );
    assert_eq!(site.read("old.txt"), "стар файл");
    // One page's alias stays, the same one every build.
    assert!(site.read("stara/index.html").contains("/en/news/a/"));
}

#[test]
fn a_link_to_a_sections_index_file_goes_to_its_listing() {
    let site = TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "")),
        ("content/news/_index.md", &md("title: Новини", "")),
        ("content/news/_index.en.md", &md("title: News", "")),
        ("content/news/a.md", &news("А", "А.")),
        ("content/news/2024/old.md", &news("Стара", "С.")),
        (
            "content/about.md",
            &md(
                "title: За нас",
                "[новини](news/_index.md) [начало](_index.md) [news](/news/_index.en.md) [2024](news/2024/_index.md)",
            ),
        ),
        (
            "content/about.en.md",
            &md("title: About", "[news](news/_index.md)"),
        ),
    ]);
    site.build(&[]);
    let about = site.read("about/index.html");
    for href in [
        "href=\"/news/\"",
        "href=\"/\"",
        "href=\"/en/news/\"",
        "href=\"/news/2024/\"",
    ] {
        assert!(about.contains(href), "{href} in {about}");
    }
    assert!(
        site.read("en/about/index.html")
            .contains("href=\"/en/news/\"")
    );
}

#[test]
fn characters_xml_and_html_forbid_never_reach_the_output() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news("Заглавие\\uFFFE", "a\0b \u{ffff} край\n\n## nul\0head"),
    )]);
    site.build(&[]);
    let page = site.read("news/a/index.html");
    assert!(!page.contains('\0'), "{page:?}");
    assert!(
        page.contains("a\u{fffd}b"),
        "CommonMark reads NUL as U+FFFD"
    );
    for feed in ["atom.xml", "news/atom.xml"] {
        let xml = site.read(feed);
        assert!(
            !xml.contains(['\0', '\u{fffe}', '\u{ffff}']),
            "{feed}: {xml:?}"
        );
        assert!(xml.contains("край"), "{xml}");
    }
}

#[test]
fn pages_in_year_folders_are_listed_in_their_section() {
    let site = TestSite::new(&[
        ("content/news/top.md", &news("Горна", "Горе.")),
        (
            "content/news/2024/01/nested.md",
            &md("title: Вложена\ndate: 2024-01-05", "Вътре."),
        ),
        (
            "content/events/archive/old.md",
            &md("title: Старо събитие\nstart: 2020-03-01", "Минало."),
        ),
    ]);
    site.build(&[]);
    for listing in ["news/index.html", "news/atom.xml", "news/2024/index.html"] {
        assert!(site.read(listing).contains("Вложена"), "{listing}");
    }
    assert!(!site.read("news/2024/index.html").contains("Горна"));
    assert!(site.read("events/index.html").contains("Старо събитие"));
    let nested = site.read("news/2024/01/nested/index.html");
    assert!(nested.contains("Вътре."), "{nested}");
    let trail: Vec<&str> = nested
        .split("\"item\":\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(
        trail,
        [
            "https://example.org/",
            "https://example.org/news/",
            "https://example.org/news/2024/",
            "https://example.org/news/2024/01/",
            "https://example.org/news/2024/01/nested/",
        ],
        "the breadcrumbs pass through every folder"
    );
}

#[test]
fn a_zola_or_hugo_page_with_toml_front_matter_builds() {
    let site = TestSite::new(&[
        (
            "content/news/zola.md",
            "+++\ntitle = \"От Zola\"\ndate = 2024-01-05T10:00:00+02:00\n\n[taxonomies]\ntags = [\"Русе\"]\n\n[extra]\nbanner = \"лента\"\nimage = \"cover.png\"\n\n[extra.author]\nname = \"cx48\"\n+++\n\nТекст от Zola.\n",
        ),
        (
            "content/news/bad.md",
            "+++\ntitle = \"Лоша\"\ndate = 2024-01-05\nsectors = [\"space\"]\n+++\n\nТекст.\n",
        ),
        ("content/news/json.md", "{\"title\": \"JSON\"}\n\nТекст.\n"),
    ]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/bad.md:4: `sectors`: unknown sector \"space\""),
        "{err}"
    );
    assert!(
        err.contains("content/news/json.md:1: JSON front matter is not read"),
        "{err}"
    );
    site.remove("content/news/bad.md");
    site.remove("content/news/json.md");
    site.add_to_content(
        "news.html",
        "<b>{{ page.extra.banner }}</b><i>{{ page.extra.author.name }}</i>",
    );
    site.build(&[]);
    let page = site.read("news/zola/index.html");
    assert!(page.contains("Текст от Zola."), "{page}");
    assert!(page.contains("<b>лента</b>"), "{page}");
    assert!(
        page.contains("<i>cx48</i>") && !page.contains("cover.png"),
        "[extra] is free data, never dunav's author or image: {page}"
    );
    assert!(
        page.contains("datetime=\"2024-01-05T10:00:00+02:00\""),
        "{page}"
    );
    assert!(site.read("tags/ruse/index.html").contains("От Zola"));
}

#[test]
fn zola_links_resolve_and_shortcodes_are_pointed_out() {
    let site = TestSite::new(&[
        ("content/news/a.md", &news("А", "А.")),
        (
            "content/news/b.md",
            &news(
                "Б",
                "[А](@/news/a.md) [новини](@/news/_index.md)\n\n{{< gallery src=\"x.jpg\" >}}",
            ),
        ),
        ("content/news/_index.md", &md("title: Новини", "")),
    ]);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: content/news/b.md:8: `{{< gallery src=\"x.jpg\" >}}` is a shortcode"
        ),
        "{stderr}"
    );
    let page = site.read("news/b/index.html");
    assert!(page.contains("href=\"/news/a/\""), "{page}");
    assert!(page.contains("href=\"/news/\""), "{page}");
}

#[test]
fn a_tag_left_open_in_raw_html_ends_with_its_block() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news(
            "А",
            "Текст <b>удебелен без край.\n\n<details><summary>Още</summary>\n\nСкрито.\n\n</details>\n\nКрай</i>.",
        ),
    )]);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: content/news/a.md:6: the page's HTML has <b>, </i> without its pair"
        ),
        "{stderr}"
    );
    let page = site.read("news/a/index.html");
    assert!(page.contains("<b>удебелен без край.</b></p>"), "{page}");
    assert!(page.contains("</details>"), "{page}");
    assert!(!page.contains("</i>"), "{page}");
    let listing = site.read("news/index.html");
    assert!(listing.contains("<b>удебелен без край.</b>"), "{listing}");
}

#[test]
fn a_footnote_link_in_a_feed_points_at_the_page() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news("А", "Текст.[^bel]\n\n[^bel]: Бележка."),
    )]);
    site.build(&[]);
    let feed = site.read("news/atom.xml");
    assert!(
        feed.contains("href=&quot;https://example.org/news/a/#fn-bel&quot;"),
        "{feed}"
    );
    assert!(!feed.contains("href=&quot;#"), "{feed}");
    assert!(
        feed.contains("href=&quot;https://example.org/news/a/#fn-bel-ref&quot;"),
        "the back link too: {feed}"
    );
}

#[test]
fn a_footnote_links_back_to_each_place_it_is_cited() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news(
            "А",
            "Първо.[^b] Второ.[^a] Пак.[^b]\n\n[^a]: Бележка А.\n\n[^b]: Бележка Б.",
        ),
    )]);
    site.build(&[]);
    let html = site.read("news/a/index.html");
    let cited = |id: &str, note: &str, n: u32| {
        format!("id=\"{id}\"><a href=\"#{note}\" role=\"doc-noteref\">{n}</a>")
    };
    assert!(html.contains(&cited("fn-b-ref", "fn-b", 1)), "{html}");
    assert!(html.contains(&cited("fn-a-ref", "fn-a", 2)), "{html}");
    assert!(html.contains(&cited("fn-b-ref-1", "fn-b", 1)), "{html}");
    let notes = &html[html.find("class=\"footnotes\"").expect("notes")..];
    assert!(
        notes.find("id=\"fn-b\"") < notes.find("id=\"fn-a\""),
        "numbered and listed in citation order: {notes}"
    );
    assert!(
        notes.contains("Бележка Б. <a href=\"#fn-b-ref\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Обратно към текста\">"),
        "{notes}"
    );
    assert!(notes.contains("href=\"#fn-b-ref-1\""), "{notes}");
}

#[test]
fn a_post_from_jekyll_is_dated_by_its_name_and_described_by_its_description() {
    let site = TestSite::new(&[
        (
            "content/news/2024-01-05-stara-publikatsia.md",
            &md(
                "title: Стара публикация\ndescription: Кратко описание от Hugo.",
                "Дълъг текст.",
            ),
        ),
        ("content/news/no-date.md", &md("title: Без дата", "Текст.")),
    ]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/no-date.md:1: `date`: required field is missing"),
        "{err}"
    );
    assert!(!err.contains("stara-publikatsia"), "{err}");
    site.remove("content/news/no-date.md");
    site.build(&[]);
    let page = site.read("news/stara-publikatsia/index.html");
    assert!(
        page.contains("datetime=\"2024-01-05T00:00:00+02:00\""),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"Кратко описание от Hugo.\">"),
        "{page}"
    );
}

/// GitHub's emoji codes, as pages from GitHub, GitLab, Hugo and MkDocs
/// write them, are emoji in text and headings; not in code, nor in a URL,
/// and a time stays a time. The heading's id is made of the code's words.
#[test]
fn emoji_codes_are_emoji_in_text_only() {
    let site = TestSite::new(&[(
        "content/news/emoji.md",
        &md(
            "title: Emoji\ndate: 2026-01-01",
            "## Готово :tada:\n\nТекст :smile: и `:smile:` в 10:30:45, [линк](https://x.org/:smile:).\n\n```\n:rocket:\n```\n",
        ),
    )]);
    site.build(&[]);
    let page = site.read("news/emoji/index.html");
    assert!(page.contains("<h2 id=\"gotovo-tada\">Готово 🎉"), "{page}");
    assert!(
        page.contains("Текст 😄 и <code>:smile:</code> в 10:30:45"),
        "{page}"
    );
    assert!(page.contains("href=\"https://x.org/:smile:\""), "{page}");
    assert!(page.contains(":rocket:"), "{page}");
}

/// Docusaurus' tabs are shown one after another under their labels: no
/// `<tabs>` element (which no browser knows) reaches the page, and the
/// indented text inside a tab is text, not code.
#[test]
fn docusaurus_tabs_are_labels_and_their_content() {
    let site = TestSite::new(&[(
        "content/news/tabs.mdx",
        &md(
            "title: Tabs\ndate: 2026-01-01",
            "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n<Tabs>\n  <TabItem value=\"apt\" label=\"Debian\" default>\n    Install with **apt**.\n  </TabItem>\n</Tabs>\n",
        ),
    )]);
    site.build(&[]);
    let page = site.read("news/tabs/index.html");
    assert!(
        page.contains("<p><strong>Debian</strong><br />\nInstall with <strong>apt</strong>.</p>"),
        "{page}"
    );
    assert!(!page.contains("<Tabs") && !page.contains("<pre"), "{page}");
}

/// Obsidian's `%%comments%%` are never published: not in the page, its
/// description or the feed.
#[test]
fn obsidian_comments_are_left_out() {
    let site = TestSite::new(&[(
        "content/news/vault.md",
        &md(
            "title: Vault\ndate: 2026-01-01",
            "Видимо %%скрито%% начало.\n\n%%\nбележка\nна автора\n%%\n\nКрай `%%код%%`.\n",
        ),
    )]);
    site.build(&[]);
    let page = site.read("news/vault/index.html");
    assert!(
        !page.contains("скрито") && !page.contains("бележка"),
        "{page}"
    );
    assert!(page.contains("<code>%%код%%</code>"), "{page}");
    assert!(!site.read("atom.xml").contains("скрито"));
}

/// A GitLab README's multiline quote (`>>>` … `>>>`) is a quote; its
/// contents marker (`[[_TOC_]]`) is left out.
#[test]
fn gitlab_quotes_and_contents_markers_are_read() {
    let site = TestSite::new(&[(
        "content/news/gitlab.md",
        &md(
            "title: GitLab\ndate: 2026-01-01",
            "[[_TOC_]]\n\n>>>\nЦитат **важно**\n\n- точка\n>>>\n\nСлед.\n",
        ),
    )]);
    site.build(&[]);
    let page = site.read("news/gitlab/index.html");
    assert!(
        page.contains("<blockquote>\n<p>Цитат <strong>важно</strong></p>\n<ul>\n<li>точка</li>"),
        "{page}"
    );
    assert!(
        !page.contains("&gt;&gt;&gt;") && !page.contains("_TOC_"),
        "{page}"
    );
}

/// Control characters (Word's line break VT, ESC, DEL) are no HTML or
/// iCalendar text: a page and its calendar file carry none, written as
/// they are or as escapes in a quoted field.
#[test]
fn control_characters_never_reach_the_output() {
    let site = TestSite::new(&[
        (
            "content/events/word.md",
            &md(
                "title: Среща\u{b}от Word\nstart: 2099-01-01\nlocation:\n  name: Зала\u{1b}1",
                "Ред\u{b}нов ред\u{7f} и \u{1}край.",
            ),
        ),
        (
            "content/events/escaped.md",
            &md(
                "title: \"Среща\\vот Word\"\nstart: 2099-01-02\nlocation:\n  name: \"Зала\\e1\\a\"",
                "Текст.",
            ),
        ),
    ]);
    site.build(&[]);
    for file in [
        "events/word/index.html",
        "events/word/word.ics",
        "events/escaped/index.html",
        "events/escaped/escaped.ics",
    ] {
        let text = site.read(file);
        assert!(
            !text
                .chars()
                .any(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{file}: {text:?}"
        );
        assert!(text.contains("Среща от Word"), "{file}: {text}");
    }
}

/// A page beside a bundle's `index.md` (Jekyll's `_docs`, MkDocs' docs
/// folders) belongs to the section holding the folder: it failed its template.
#[test]
fn a_page_beside_a_bundles_index_belongs_to_the_section_above() {
    let site = TestSite::new(&[
        (
            "content/news/guide/index.md",
            &md("title: Ръководство\ndate: 2026-01-01", "Начало."),
        ),
        (
            "content/news/guide/install.md",
            &md("title: Инсталиране\ndate: 2026-01-02", "Стъпки."),
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/guide/install/index.html");
    assert!(page.contains("Стъпки."), "{page}");
    assert!(page.contains("href=\"/news/\""), "{page}");
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Docusaurus' `slug: /name` (an address from the site's root) keeps the
/// page in its section under that name, with a warning; `/../x` still fails.
#[test]
fn a_slug_from_the_sites_root_stays_in_its_section_with_a_warning() {
    let site = TestSite::new(&[(
        "content/news/docs-page.md",
        &md("title: Док\ndate: 2026-01-01\nslug: /custom-name", "Текст."),
    )]);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/news/docs-page.md:4: `slug`: \"/custom-name\" starts with `/`"),
        "{stderr}"
    );
    assert!(site.read("news/custom-name/index.html").contains("Текст."));
    site.write(
        "content/news/docs-page.md",
        &md("title: Док\ndate: 2026-01-01\nslug: /../etc", "Текст."),
    );
    assert!(site.build_fails(&[]).contains("is not a usable slug"));
}

/// A written slug already fit for a URL keeps its `_` and a `.` between
/// digits (Hugo's docs give `slug: hugo_build`), in lower case; a Cyrillic
/// one is transliterated.
#[test]
fn a_written_slug_fit_for_a_url_is_kept_as_written() {
    let site = TestSite::new(&[
        (
            "content/news/build.md",
            &md("title: Build\ndate: 2026-01-01\nslug: Hugo_Build", "Първа."),
        ),
        (
            "content/news/release.md",
            &md("title: Release\ndate: 2026-01-02\nslug: v1.2", "Втора."),
        ),
        (
            "content/news/ruse.md",
            &md("title: Русе\ndate: 2026-01-03\nslug: Хъб в Русе", "Трета."),
        ),
    ]);
    site.build(&[]);
    assert!(site.read("news/hugo_build/index.html").contains("Първа."));
    assert!(site.read("news/v1.2/index.html").contains("Втора."));
    assert!(site.read("news/hab-v-ruse/index.html").contains("Трета."));
    // A file's name is no slug kept as written: it would stand where the
    // build writes that file.
    site.write(
        "content/news/release.md",
        &md("title: Release\ndate: 2026-01-02\nslug: atom.xml", "Втора."),
    );
    site.build(&[]);
    assert!(site.read("news/atom.xml").contains("<feed"));
    assert!(!site.exists("news/atom.xml/index.html"));
}

/// Another tool's address for a page (Hugo's `url`, Jekyll's `permalink`)
/// redirects to where the page is, with a warning saying so; one that is
/// the page's URL says nothing, one that another page has is left out with
/// a warning (no failed build), and a pattern keeps its warning.
#[test]
fn another_tools_address_redirects_to_the_page() {
    let site = TestSite::new(&[
        (
            "content/news/old.md",
            &md(
                "title: Стара\ndate: 2024-01-01\nurl: /2024/01/old-post.html",
                "Стара.",
            ),
        ),
        (
            "content/news/same.md",
            &md(
                "title: Същата\ndate: 2024-01-02\npermalink: /news/same/",
                "Същата.",
            ),
        ),
        (
            "content/news/clash.md",
            &md("title: Сблъсък\ndate: 2024-01-03\nurl: /news/", "Сблъсък."),
        ),
        (
            "content/news/pattern.md",
            &md(
                "title: Шаблон\ndate: 2024-01-04\npermalink: /:year/:title/",
                "Шаблон.",
            ),
        ),
        (
            "content/news/liquid.md",
            &md(
                "title: Течен\ndate: 2024-01-05\npermalink: \"/{{ title | slugify }}/\"",
                "Течен.",
            ),
        ),
        (
            "content/news/upper.md",
            &md("title: Главни\ndate: 2024-01-06\nurl: /News/", "Главни."),
        ),
        (
            "content/news/dots.md",
            &md("title: Точки\ndate: 2024-01-07\nurl: /news/./", "Точки."),
        ),
    ]);
    let out = site.build(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/news/old.md:4: `url`: the page is at /news/old/; its address here, /2024/01/old-post.html, redirects there"),
        "{err}"
    );
    let redirect = site.read("2024/01/old-post.html");
    assert!(
        redirect.contains("url=https://example.org/news/old/"),
        "{redirect}"
    );
    assert!(!err.contains("content/news/same.md"), "{err}");
    assert!(
        err.contains("content/news/clash.md:4: `url`: the page is at /news/clash/; its address here, /news/, is another page's or file's, and does not redirect"),
        "{err}"
    );
    assert!(!err.contains("/news/, redirects there"), "{err}");
    assert!(
        !site
            .read("news/index.html")
            .contains("http-equiv=\"refresh\"")
    );
    assert!(
        err.contains("content/news/pattern.md:4: `permalink`"),
        "{err}"
    );
    // A template, an address in another case or with `.` folders is not
    // made a redirect over the listing.
    assert!(
        err.contains("content/news/liquid.md:4: `permalink`: `permalink` is not read"),
        "{err}"
    );
    assert!(err.contains("content/news/upper.md:4: `url`: the page is at /news/upper/; its address here, /News/, is another page's"), "{err}");
    assert!(
        err.contains("content/news/dots.md:4: `url`: `url` is not read"),
        "{err}"
    );
    assert!(
        site.files()
            .iter()
            .all(|f| !f.contains('{') && !f.starts_with("News"))
    );
    assert!(site.read("news/index.html").contains("Точки"));
}

/// A Jekyll post or collection page without a `title` is titled from its
/// file name, as Jekyll titles it; elsewhere a missing title is an error.
#[test]
fn a_jekyll_page_without_a_title_is_titled_from_its_name() {
    let site = TestSite::new(&[
        (
            "content/_posts/2024-01-05-rendering-process.md",
            "---\n---\n\nТекст.\n",
        ),
        (
            "content/_docs/step_by_step.md",
            "---\nlayout: docs\n---\n\n## Подготовка\n\nСтъпки.\n",
        ),
    ]);
    site.build(&[]);
    let post = site.read("posts/rendering-process/index.html");
    assert!(post.contains("<title>Rendering Process ·"), "{post}");
    let doc = site.read("docs/step-by-step/index.html");
    assert!(doc.contains("<title>Step By Step ·"), "{doc}");
    // A `##` part of a page with front matter is no title: it stays.
    assert!(doc.contains("<h2 id=\"podgotovka\""), "{doc}");
    // Elsewhere a page without a title is titled from its file's name too,
    // as Quartz titles it (its first word capitalised), with a warning: it
    // may be forgotten.
    site.write(
        "content/belezhki/нова-година.md",
        "---\ntags: [x]\n---\n\nБез.\n",
    );
    let out = site.build(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "warning: content/belezhki/нова-година.md:1: `title`: not given; the page is titled \"Нова година\" from its file's name"
        ),
        "{err}"
    );
    assert!(
        site.read("belezhki/nova-godina/index.html")
            .contains("<title>Нова година ·")
    );
    // News, events, projects and issues still need their own.
    site.write(
        "content/news/bez.md",
        "---\ndate: 2024-01-01\n---\n\nБез.\n",
    );
    assert!(
        site.build_fails(&[])
            .contains("content/news/bez.md:1: `title`: required field is missing")
    );
}

/// Jekyll publishes a collection (`_docs/`) at `/docs/`, never under its
/// folder's `_` name; a collection's `index.md` is its listing, and its
/// `permalink` naming that address says nothing.
#[test]
fn a_jekyll_collection_is_published_without_its_underscore() {
    let site = TestSite::new(&[
        (
            "content/_posts/2024-01-05-stara.md",
            &md("title: Стара", "Текст."),
        ),
        (
            "content/_docs/index.md",
            &md(
                "title: Документи\npermalink: /docs/",
                "[Стъпка](/docs/step/).",
            ),
        ),
        ("content/_docs/step.md", &md("title: Стъпка", "Една.")),
        ("content/_docs/assets/plan.pdf", "%PDF-1.4"),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("permalink"), "{messages}");
    assert!(site.read("posts/stara/index.html").contains("Стара"));
    assert!(site.read("docs/index.html").contains("Стъпка"));
    assert!(site.exists("docs/step/index.html"));
    assert!(site.exists("docs/assets/plan.pdf"));
    assert!(
        site.files().iter().all(|f| !f.starts_with('_')),
        "{:?}",
        site.files()
    );
    // A page of the plain name keeps it; the folder keeps its `_`.
    site.write("content/docs.md", &md("title: Документация", "Текст."));
    site.write(
        "content/_docs/index.md",
        &md("title: Документи", "[Стъпка](step.md)."),
    );
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(
        messages.contains("content/_docs: published at /_docs/, with its `_`"),
        "{messages}"
    );
    assert!(site.read("docs/index.html").contains("Документация"));
    assert!(site.exists("_docs/step/index.html"));
    assert!(site.exists("posts/stara/index.html"));
}

/// A listing's own file (`_index.md`, a folder's `index.md`) redirects
/// from its aliases as a page does, and links to them are not broken; an
/// alias on the listing dunav makes for a folder without one is left out
/// with a warning (Jekyll's `redirect_from` on that folder's first page).
#[test]
fn listings_redirect_from_their_aliases() {
    let site = TestSite::new(&[
        (
            "content/guide/_index.md",
            &md(
                "title: Ръководство\naliases: [/old-guide/, /guide/]",
                "Вж. [начало](/docs/home/).",
            ),
        ),
        (
            "content/guide/a.md",
            &md("title: А\naliases: [Старо име, Друго име, /old-a/]", "А."),
        ),
        (
            "content/docs/index.md",
            &md("title: Документи\nredirect_from: [/docs/home/]", "Д."),
        ),
        (
            "content/docs/steps/one.md",
            &md("title: Едно\nredirect_from: [/docs/steps/]", "1."),
        ),
        // Hugo's `url` on a listing yields to a page at that address.
        (
            "content/posts/_index.md",
            &md("title: Публикации\nurl: /blog/", "П."),
        ),
        ("content/posts/p.md", &md("title: П", "П.")),
        ("content/blog.md", &md("title: Блог", "Б.")),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{messages}");
    assert!(!messages.contains("broken link"), "{messages}");
    assert!(
        site.read("old-guide/index.html")
            .contains("https://example.org/guide/")
    );
    assert!(site.read("docs/home/index.html").contains("/docs/"));
    assert!(
        messages.contains("guide/_index.md:3: `aliases`: alias /guide/ is this page's own URL"),
        "{messages}"
    );
    assert!(
        messages.contains("content/docs/steps/one.md:3: `aliases`: alias /docs/steps/ is left out"),
        "{messages}"
    );
    assert!(site.read("docs/steps/index.html").contains("Едно"));
    assert!(
        messages.contains("content/posts/_index.md:3: `url`: its address here, /blog/, is another page's or file's"),
        "{messages}"
    );
    assert!(site.read("blog/index.html").contains("Блог"));
    // Obsidian's aliases are names: no redirect folders with spaces.
    assert!(
        messages.contains("content/guide/a.md:3: `aliases`: alias \"Старо име\" and the others with spaces is a name"),
        "{messages}"
    );
    assert!(site.exists("old-a/index.html"));
    assert!(
        site.files().iter().all(|f| !f.contains(' ')),
        "{:?}",
        site.files()
    );
    site.write(
        "content/guide/a.md",
        &md("title: А\naliases: [/old-guide/]", "А."),
    );
    let out = site.build(&[]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("alias /old-guide/ is also an alias of content/guide/")
    );
}

/// Jekyll's `{% post_url %}` and `{% link %}` lead where Jekyll's did,
/// posts moved from `_posts/` to a section; one to nothing is named as written.
#[test]
fn jekyll_post_url_and_link_tags_lead_to_the_pages() {
    let site = TestSite::new(&[
        (
            "content/news/2024-01-05-stara.md",
            &md("title: Стара", "## Част\n\nТекст."),
        ),
        ("content/about.md", &md("title: За нас", "Текст.")),
        (
            "content/news/2024-02-01-nova.md",
            &md(
                "title: Нова",
                "[Старата]({% post_url 2024-01-05-stara %}#chast), [пак]({% link _posts/2024-01-05-stara.md %}), [нас]({% link about.md %}), [пак нас]({{ site.baseurl }}/about/).\n\n[С корена]({{ site.baseurl }}{% post_url 2024-01-05-stara %}) <a href=\"{{ site.url }}{{ site.baseurl }}{% link about.md %}\">в HTML</a>",
            ),
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/nova/index.html");
    for link in [
        "<a href=\"/news/stara/#chast\">Старата</a>",
        "<a href=\"/news/stara/\">пак</a>",
        "<a href=\"/about/\">нас</a>",
        "<a href=\"/about/\">пак нас</a>",
        "<a href=\"/news/stara/\">С корена</a>",
        "<a href=\"/about/\">в HTML</a>",
    ] {
        assert!(page.contains(link), "{link} in {page}");
    }
    site.write(
        "content/news/2024-02-01-nova.md",
        &md("title: Нова", "[Няма я]({% post_url 2023-01-01-nyama %})."),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("broken link `{% post_url 2023-01-01-nyama %}`: no page named"),
        "{err}"
    );
    // One left out of the build is said to be.
    site.write(
        "content/news/2023-01-01-nyama.md",
        &md("title: Чернова\ndraft: true", "Текст."),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("which is a draft, scheduled or expired"),
        "{err}"
    );
}

#[test]
fn links_to_markdown_files_in_raw_html_are_page_links() {
    let site = TestSite::new(&[
        ("content/news/a.md", &news("А", "## Горе\n\nА.")),
        (
            "content/news/b.md",
            &news(
                "Б",
                "<p>Виж <a href=\"a.md#gore\" class=\"x\">А</a> и <a href='/news/a.md'>пак</a>, it's <a href=\"https://example.org/x.md\">тук</a>.</p>",
            ),
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/b/index.html");
    assert!(
        page.contains("<a href=\"/news/a/#gore\" class=\"x\">"),
        "{page}"
    );
    assert!(page.contains("<a href='/news/a/'>"), "{page}");
    assert!(page.contains("href=\"https://example.org/x.md\""), "{page}");
    site.write("content/news/c.md", &news("В", "<a href=\"gone.md\">x</a>"));
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/c.md:6: broken link `gone.md`"),
        "{err}"
    );
}

#[test]
fn a_section_index_without_a_title_or_front_matter_is_titled_by_its_folder() {
    let site = TestSite::new(&[
        (
            "content/case-studies/_index.md",
            "Истории от партньорите.\n",
        ),
        (
            "content/case-studies/first.md",
            &md("title: Първа", "Текст."),
        ),
        ("content/guides/_index.md", &md("weight: 2", "Ръководства.")),
        ("content/guides/a.md", &md("title: А", "Текст.")),
        ("content/lists/_index.md", "- Първо\n- Второ\n"),
        ("content/lists/x.md", &md("title: Х", "Текст.")),
    ]);
    site.build(&[]);
    assert!(site.read("lists/index.html").contains("<li>Първо</li>"));
    let listing = site.read("case-studies/index.html");
    assert!(listing.contains("<h1>Case studies</h1>"), "{listing}");
    assert!(listing.contains("Истории от партньорите."), "{listing}");
    assert!(site.read("guides/index.html").contains("<h1>Guides</h1>"));
    // A page of text alone (an Obsidian note) is titled by its file's name.
    site.write("content/guides/My first note.md", "Текст без полета.\n");
    site.build(&[]);
    let note = site.read("guides/my-first-note/index.html");
    assert!(
        note.contains("<h1 class=\"p-name\">My first note</h1>")
            || note.contains(">My first note</h1>"),
        "{note}"
    );
    assert!(note.contains("Текст без полета."), "{note}");
}

#[test]
fn hugos_publish_and_expiry_dates_schedule_and_end_a_page() {
    // Tests run at NOW (2026-11-26).
    let site = TestSite::new(&[
        (
            "content/news/later.md",
            &md(
                "title: По-късно\ndate: 2026-01-01\npublishdate: 2099-01-01",
                "Ембарго.",
            ),
        ),
        (
            "content/news/gone.md",
            &md(
                "title: Изтекло\ndate: 2026-01-01\nexpiryDate: 2026-02-01",
                "Старо.",
            ),
        ),
        (
            "content/news/only-publish.md",
            &md(
                "title: Само publishDate\npublish_date: 2026-01-10",
                "Текст.",
            ),
        ),
        (
            "content/news/open.md",
            &md(
                "title: Отворено\ndate: 2026-01-01\nexpiry_date: 2099-01-01",
                "Текст.",
            ),
        ),
    ]);
    let out = site.build(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!site.exists("news/later/index.html"));
    assert!(!site.exists("news/gone/index.html"));
    assert!(site.exists("news/open/index.html"));
    let page = site.read("news/only-publish/index.html");
    assert!(
        page.contains("datetime=\"2026-01-10"),
        "dated by publish_date: {page}"
    );
    assert!(
        stdout.contains("1 page dated in the future and 1 expired page (--future includes them)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("next future page is due at 2098-12-31T22:00:00Z"),
        "{stdout}"
    );
    assert!(
        stdout.contains("next page expires at 2098-12-31T22:00:00Z: rebuild then to take it down"),
        "{stdout}"
    );
    let out = site.build(&["--future"]);
    assert!(site.exists("news/later/index.html") && site.exists("news/gone/index.html"));
    // The expired page shown has no time ahead: the open one is next.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("next page expires at 2098-12-31T22:00:00Z"),
        "{stdout}"
    );
    // Shown anyway, each says what it is, on its page and in its listing.
    let gone = site.read("news/gone/index.html");
    assert!(
        gone.contains("С изтекъл срок") && !gone.contains("Предстои публикуване"),
        "{gone}"
    );
    assert!(
        site.read("news/later/index.html")
            .contains("Предстои публикуване")
    );
    assert!(site.read("news/index.html").contains("С изтекъл срок"));
    // `check` sees what `build` will: a link to an expired page breaks.
    site.write(
        "content/news/open.md",
        &md(
            "title: Отворено\ndate: 2026-01-01",
            "Виж [изтеклото](gone.md).",
        ),
    );
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("is past its `expiry_date`: `dunav build` leaves it out"),
        "{stderr}"
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("which is a draft, scheduled or expired"),
        "{err}"
    );
    // A link by URL says the same.
    site.write(
        "content/news/open.md",
        &md(
            "title: Отворено\ndate: 2026-01-01",
            "Виж [изтеклото](/news/gone/#chast).",
        ),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("/news/gone/ is content/news/gone.md, which is a draft, scheduled or expired"),
        "{err}"
    );
}

#[test]
fn check_follows_a_link_to_the_published_language_when_its_translation_is_a_draft() {
    let site = TestSite::new(&[]);
    site.write(
        "content/news/b.md",
        &md("title: Б\ndate: 2026-01-01", "Текст."),
    );
    // The English translation is just started.
    site.write(
        "content/news/b.en.md",
        &md("title: B\ndate: 2026-01-01\ndraft: true", "Text."),
    );
    site.write(
        "content/news/a.en.md",
        &md("title: A\ndate: 2026-01-02", "See [b](b.md)."),
    );
    site.build(&[]);
    assert!(
        site.read("en/news/a/index.html")
            .contains(r#"href="/news/b/""#)
    );
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("b.md"), "{stderr}");
    // Published, the translation is the one linked.
    site.write(
        "content/news/b.en.md",
        &md("title: B\ndate: 2026-01-01", "Text."),
    );
    site.build(&[]);
    assert!(
        site.read("en/news/a/index.html")
            .contains(r#"href="/en/news/b/""#)
    );
}

#[test]
fn names_saved_decomposed_on_a_mac_read_as_the_same_names() {
    // "йод" with `й` as `и` and a combining breve (NFD), as macOS may save it.
    let nfd = "\u{438}\u{306}од";
    let site = TestSite::new(&[
        (
            &format!("content/news/{nfd}.md"),
            &news("Йод", &format!("## {nfd}\n\nТекст.")),
        ),
        (
            "content/news/link.md",
            &news("Връзка", "Вижте [йод](йод.md)."),
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/yod/index.html");
    assert!(page.contains("id=\"yod\""), "{page}");
    assert!(
        site.read("news/link/index.html")
            .contains("href=\"/news/yod/\"")
    );
    // A file in static/ saved so too.
    site.write(&format!("static/{nfd}.pdf"), "PDF");
    site.write(
        "content/news/link.md",
        &news("Връзка", "Вижте [йод](/йод.pdf)."),
    );
    site.build(&[]);
    assert_eq!(site.read("йод.pdf"), "PDF");
}

/// Code block options from Zola, Hugo and Jekyll: numbered lines, marked
/// lines and hidden lines, each line well formed; a block without options
/// is written as before, and the same code with other options is not taken
/// from the highlight memo.
#[test]
fn code_block_options_from_elsewhere_number_and_mark_lines() {
    let code = "fn main() {\n    /* a comment\n       over lines */\n    let hub = \"Русе\";\n}";
    let body = format!(
        "```rust,linenos,linenostart=20,hl_lines=2-3,hide_lines=5\n{code}\n```\n\n\
         ```rust {{linenos=false,hl_lines=[4]}}\n{code}\n```\n\n\
         ```rust\n{code}\n```\n\n\
         {{% highlight rust linenos %}}\n{code}\n{{% endhighlight %}}"
    );
    let site = TestSite::new(&[("content/news/a.md", &news("А", &body))]);
    site.build(&[]);
    let page = site.read("news/a/index.html");
    let blocks: Vec<&str> = page.split("<pre class=\"code\"").skip(1).collect();
    assert_eq!(blocks.len(), 4, "{page}");

    let zola = blocks[0];
    assert!(
        zola.starts_with(" data-lang=\"rust\" data-linenos style=\"counter-reset: line 19\""),
        "{zola}"
    );
    assert_eq!(zola.matches("<mark class=\"line\">").count(), 2, "{zola}");
    assert_eq!(zola.matches("<span class=\"line\">").count(), 2, "{zola}");
    assert!(
        !zola[..zola.find("</pre>").unwrap()].contains("\n}"),
        "line 5 hidden: {zola}"
    );
    for line in zola.split("class=\"line\">").skip(1) {
        let line = &line[..line.find("\n</").unwrap()];
        assert_eq!(
            line.matches("<span").count(),
            line.matches("</span>").count(),
            "every line closes what it opens: {line}"
        );
    }

    let hugo = blocks[1];
    assert!(!hugo.contains("data-linenos"), "{hugo}");
    assert_eq!(hugo.matches("<mark class=\"line\">").count(), 1, "{hugo}");
    assert!(hugo.contains("Русе"), "{hugo}");

    let plain = blocks[2];
    assert!(!plain.contains("class=\"line\""), "{plain}");
    let jekyll = blocks[3];
    assert!(
        jekyll.contains("data-linenos") && !jekyll.contains("counter-reset"),
        "{jekyll}"
    );
    assert!(
        site.read("syntax.css")
            .contains("pre.code[data-linenos] .line::before")
    );
}

#[test]
fn an_html_comment_left_open_is_pointed_out_at_its_line() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &news("А", "Първо.\n\n<!-- бележка\n\nВторо **важно**."),
        ),
        (
            "content/news/b.md",
            &news(
                "Б",
                "<!--\nскрито\n-->\n\nВидимо.\n\n<!-- кратка --> и текст.",
            ),
        ),
    ]);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: content/news/a.md:8: an HTML comment `<!--` is never closed"),
        "{stderr}"
    );
    assert!(!stderr.contains("content/news/b.md"), "{stderr}");
    let page = site.read("news/a/index.html");
    assert!(
        page.contains("Второ"),
        "the text after it is not hidden: {page}"
    );
    let shown = site.read("news/b/index.html");
    assert!(
        shown.contains("<!--\nскрито\n-->") && shown.contains("<p>Видимо.</p>"),
        "a closed comment stays a comment: {shown}"
    );
}

#[test]
fn a_language_written_in_capitals_is_that_language() {
    let site = TestSite::new(&[
        ("content/news/a.md", &news("Българско", "Текст.")),
        ("content/news/a.EN.md", &news("In English", "Text.")),
    ]);
    site.build(&[]);
    assert!(site.read("en/news/a/index.html").contains("In English"));
    assert!(site.read("news/a/index.html").contains("Българско"));
}

/// Hugo's and Zola's own shortcodes stand for what they make there: links
/// to pages, figures, videos and code; only others are pointed out.
#[test]
fn hugo_and_zola_builtin_shortcodes_are_what_they_stand_for() {
    let body = "Виж [А]({{< ref \"a.md\" >}}) и [частта]({{< relref \"/news/a.md#chast\" >}}).\n\n\
                {{< figure src=\"/most.jpg\" caption=\"Мостът **Дунав**\" width=\"600\" >}}\n\n\
                {{< youtube dQw4w9WgXcQ >}}\n\n\
                {{ vimeo(id=\"76979871\") }}\n\n\
                {{< highlight toml \"hl_lines=2\" >}}\n[site]\ntitle = \"x\"\n{{< /highlight >}}\n\n\
                {{< gist someone 123 >}}";
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            &news("А", "## Част {#chast}\n\nТекст."),
        ),
        ("content/news/b.md", &news("Б", body)),
    ]);
    site.write_bytes(
        "static/most.jpg",
        &support::photos::jpeg_with_metadata(1200, 800, 1),
    );
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`{{< gist someone 123 >}}` is a shortcode"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("is a shortcode").count(), 1, "{stderr}");
    let page = site.read("news/b/index.html");
    assert!(page.contains("<a href=\"/news/a/\">А</a>"), "{page}");
    assert!(
        page.contains("<a href=\"/news/a/#chast\">частта</a>"),
        "{page}"
    );
    // The figure's photo is a picture of resized copies, as a Markdown image's.
    assert!(
        page.contains("<figure><picture><source type=\"image/webp\" srcset=\"/most-480w.webp 480w")
            && page.contains("width=\"600\" height=\"400\" alt=\"Мостът Дунав\" loading=\"lazy\"")
            && page.contains("<figcaption>Мостът <strong>Дунав</strong></figcaption></figure>"),
        "{page}"
    );
    assert!(!support::photos::leaks_metadata(
        &site.read_bytes("most-480w.jpg")
    ));
    // A broken one is named as written.
    site.write(
        "content/news/c.md",
        &news("В", "[x]({{< ref \"nyama.md\" >}})"),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("broken link `{{< relref \"nyama.md\" >}}`: no page content/news/nyama.md"),
        "{err}"
    );
    site.remove("content/news/c.md");
    assert!(
        page.contains(
            "src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"YouTube\""
        ),
        "{page}"
    );
    assert!(
        page.contains("src=\"https://player.vimeo.com/video/76979871\""),
        "{page}"
    );
    assert!(
        page.contains("<pre class=\"code\" data-lang=\"toml\""),
        "{page}"
    );
    assert_eq!(page.matches("<mark class=\"line\">").count(), 1, "{page}");

    // A ref to a page that is not there breaks the build as any link does.
    site.write(
        "content/news/c.md",
        &news("В", "[x]({{< ref \"/news/nyama.md\" >}})"),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/c.md:6: broken link `@/news/nyama.md`"),
        "{err}"
    );
}

/// Hugo's `ref` names a page by its file, often without `.md`, and looks
/// a relative name up from the content folder when the page's own folder
/// lacks it, then by the file's name alone in any folder.
#[test]
fn hugo_refs_without_an_extension_find_their_page() {
    let body = "[За нас]({{< ref \"about\" >}}), [проект]({{< ref \"/projects/robot\" >}}), \
                [съседна]({{< relref \"a#chast\" >}}), [раздел]({{< ref \"events\" >}}), \
                [от корена]({{< ref \"about.md\" >}}), <a href=\"{{< ref \"about\" >}}\">в HTML</a>, \
                [по име]({{< ref \"nastroyka\" >}}), [по файл]({{< relref \"nastroyka.md#stapki\" >}}), \
                [на български]({{< ref \"nastroyka.md\" lang=\"bg\" >}}).";
    let site = TestSite::new(&[
        ("content/about.md", "---\ntitle: За нас\n---\nТекст.\n"),
        (
            "content/projects/robot/index.md",
            "---\ntitle: Робот\n---\nТекст.\n",
        ),
        ("content/events/_index.md", "---\ntitle: Събития\n---\n"),
        (
            "content/news/a.md",
            &news("А", "## Част {#chast}\n\nТекст."),
        ),
        ("content/news/b.md", &news("Б", body)),
        (
            "content/docs/guide/nastroyka.md",
            "---\ntitle: Настройка\n---\n## Стъпки {#stapki}\n",
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/b/index.html");
    for link in [
        "<a href=\"/docs/guide/nastroyka/\">по име</a>",
        "<a href=\"/docs/guide/nastroyka/#stapki\">по файл</a>",
        // `lang=` the default language: the file's name has no language.
        "<a href=\"/docs/guide/nastroyka/\">на български</a>",
        "<a href=\"/about/\">За нас</a>",
        "<a href=\"/projects/robot/\">проект</a>",
        "<a href=\"/news/a/#chast\">съседна</a>",
        "<a href=\"/events/\">раздел</a>",
        "<a href=\"/about/\">от корена</a>",
        "<a href=\"/about/\">в HTML</a>",
    ] {
        assert!(page.contains(link), "{link} in {page}");
    }
}

/// `[permalinks]` keeps the addresses a Hugo, Jekyll or WordPress site had:
/// pages, their translations, their bundle's files, links to them, listings
/// and the sitemap all use the pattern.
#[test]
fn permalinks_put_a_sections_pages_at_dated_addresses() {
    let toml = format!(
        "{}\n[permalinks]\nnews = \"/:year/:month/:slug/\"\n",
        support::SITE_TOML
    );
    let site = TestSite::new(&[
        ("site.toml", &toml),
        ("content/news/2026-01-10-parva.md", &news("Първа", "Текст.")),
        (
            "content/news/2026-01-10-parva.en.md",
            &news("First", "Text."),
        ),
        (
            "content/news/vtora/index.md",
            &news("Втора", "[План](plan.pdf)"),
        ),
        ("content/news/vtora/plan.pdf", "%PDF-1.4 план"),
        (
            "content/about.md",
            &md("title: За нас", "[Първа](news/2026-01-10-parva.md)"),
        ),
    ]);
    site.build(&[]);
    assert!(site.read("2026/01/parva/index.html").contains("Първа"));
    assert!(site.read("en/2026/01/parva/index.html").contains("First"));
    assert!(
        site.exists("2026/01/vtora/plan.pdf"),
        "the bundle's file is beside its page"
    );
    assert!(!site.exists("news/parva/index.html"));
    assert!(
        site.read("about/index.html")
            .contains("href=\"/2026/01/parva/\"")
    );
    assert!(
        site.read("news/index.html")
            .contains("href=\"/2026/01/parva/\"")
    );
    assert!(
        site.read("sitemap.xml")
            .contains("https://example.org/2026/01/vtora/")
    );

    // A page the pattern needs a date for, without one: one error, at the page.
    site.write("content/news/bez-data.md", &md("title: Без дата", "x"));
    let err = site.build_fails(&[]);
    assert_eq!(err.matches("content/news/bez-data.md").count(), 1, "{err}");
    std::fs::remove_file(site.root().join("content/news/bez-data.md")).unwrap();
    // A pattern that cannot work is an error at its line.
    site.write(
        "site.toml",
        &format!(
            "{}\n[permalinks]\nnews = \"/:year/:month/\"\n",
            support::SITE_TOML
        ),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("`permalinks.news`: \"/:year/:month/\" has no :slug"),
        "{err}"
    );
}

/// A pattern that names a file (Jekyll's `/:year/:month/:day/:title.html`)
/// publishes each page in a folder, as every page is, and keeps the `.html`
/// address as a redirect that links may still name; site.toml is told.
#[test]
fn a_permalink_pattern_naming_a_file_keeps_it_as_a_redirect() {
    let toml = format!(
        "{}\n[permalinks]\n_posts = \"/:year/:month/:day/:slug.html\"\n",
        support::SITE_TOML
    );
    let site = TestSite::new(&[
        ("site.toml", &toml),
        (
            "content/_posts/2024-01-05-zdravei.md",
            &md("title: Здравей", "Текст."),
        ),
        (
            "content/about.md",
            &md("title: За нас", "[Старият адрес](/2024/01/05/zdravei.html)"),
        ),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(
        messages.contains("site.toml:")
            && messages.contains(
                "`permalinks._posts`: pages are published at \"/:year/:month/:day/:slug/\""
            ),
        "{messages}"
    );
    assert!(!messages.contains("broken link"), "{messages}");
    assert!(
        site.read("2024/01/05/zdravei/index.html")
            .contains("Здравей")
    );
    assert!(
        site.read("2024/01/05/zdravei.html")
            .contains("https://example.org/2024/01/05/zdravei/")
    );
}

/// `:section` is the section as its address writes it: a Jekyll folder
/// without its `_`, or with it where the site keeps it (a `docs.md` page
/// has the plain name).
#[test]
fn permalink_section_is_written_as_the_sections_address() {
    let toml = format!(
        "{}\n[permalinks]\n_posts = \"/:section/:slug/\"\n_docs = \"/:section/:slug/\"\n\"Мои бележки\" = \"/:section/:slug/\"\n",
        support::SITE_TOML
    );
    let site = TestSite::new(&[
        ("site.toml", &toml),
        (
            "content/_posts/2024-01-05-zdravei.md",
            &md("title: Здравей", "Текст."),
        ),
        ("content/_docs/start.md", &md("title: Начало", "Текст.")),
        ("content/docs.md", &md("title: Документи", "Текст.")),
        ("content/Мои бележки/m.md", &md("title: Бележка", "Текст.")),
    ]);
    site.build(&[]);
    assert!(site.read("moi-belezhki/m/index.html").contains("Бележка"));
    assert!(site.read("posts/zdravei/index.html").contains("Здравей"));
    assert!(site.read("_docs/start/index.html").contains("Начало"));
    assert!(site.read("_docs/index.html").contains("Начало"));
}

/// An mdBook's chapters: no front matter, a title in the first heading
/// (a section's `##` too, after comments and anchors kept for old links),
/// and links to the `.html` names mdBook gave the pages.
#[test]
fn mdbook_chapters_are_titled_and_linked_as_mdbook_published_them() {
    let site = TestSite::new(&[
        (
            "content/book/ch01.md",
            "# Getting started\n\nSee [installing](ch02.html#troubleshooting) and [the start](../book/ch01.html).\n",
        ),
        (
            "content/book/ch02.md",
            "<!-- Old headings. Do not remove or links may break. -->\n<a id=\"installing\"></a>\n\n## Installation\n\n### Troubleshooting\n\nText.\n",
        ),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("broken link"), "{messages}");
    let first = site.read("book/ch01/index.html");
    assert!(
        first.contains("href=\"/book/ch02/#troubleshooting\""),
        "{first}"
    );
    assert!(first.contains("href=\"/book/ch01/\""), "{first}");
    assert!(
        site.read("book/ch02/index.html")
            .contains("<title>Installation ·")
    );
    // Beside the page only, as mdBook reads it: a page of that name
    // elsewhere is no match.
    site.write("content/ch09.md", "# Elsewhere\n\nText.\n");
    site.write(
        "content/book/ch01.md",
        "# Getting started\n\n[Gone](ch09.html).\n",
    );
    assert!(site.build_fails(&[]).contains("broken link `ch09.html`"));
}

/// MkDocs publishes a page in a folder and leaves its raw HTML alone, so
/// a raw `href` or `src` is read from the page's address, as the browser reads it:
/// no broken link, and the file is there.
#[test]
fn raw_html_paths_read_from_the_pages_address_find_content_files() {
    let site = TestSite::new(&[
        (
            "content/setup/social.md",
            &md(
                "title: Социални карти",
                "<div>\n  <a href=\"../../assets/shot.pdf\">Карта</a>\n</div>",
            ),
        ),
        ("content/assets/shot.pdf", "%PDF-1.4"),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("broken link"), "{messages}");
    assert!(site.exists("assets/shot.pdf"));
    let page = site.read("setup/social/index.html");
    assert!(page.contains("href=\"/assets/shot.pdf\""), "{page}");
    // One that names nothing from either place is still broken.
    site.write(
        "content/setup/social.md",
        &md(
            "title: Социални карти",
            "<img src=\"../../assets/gone.png\" alt=\"x\">",
        ),
    );
    assert!(
        site.build_fails(&[])
            .contains("broken link `../../assets/gone.png`")
    );
}

/// A Zola or MkDocs page names its own site's template (`theme.html`),
/// which a dunav theme lacks: a warning at the field, and the page shown
/// with the template it would have without it; so is a section's.
#[test]
fn a_template_the_theme_lacks_is_a_warning_and_the_default_shows_the_page() {
    let site = TestSite::new(&[
        (
            "content/news/a.md",
            "+++\ntitle = \"Тема\"\ndate = 2026-01-05\ntemplate = \"theme.html\"\n+++\nТекст.\n",
        ),
        (
            "content/news/_index.md",
            "---\ntitle: Новини\ntemplate: home.html\n---\n",
        ),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(
        messages
            .contains("content/news/a.md:4: `template`: the theme has no template \"theme.html\""),
        "{messages}"
    );
    assert!(messages.contains("no template \"home.html\""), "{messages}");
    let page = site.read("news/a/index.html");
    assert!(page.contains("<h1 class=\"p-name\">Тема</h1>"), "{page}");
    assert!(site.read("news/index.html").contains("Тема"));
}

/// A Bulgarian editor links a heading by its words, as GitHub and
/// Obsidian spell the anchor (`#конфигуриране`): the link leads to the
/// heading's id, on the page and from another; one to no heading is still
/// named as written.
#[test]
fn cyrillic_fragments_lead_to_the_headings_id() {
    let site = TestSite::new(&[
        (
            "content/about.md",
            &md(
                "title: За нас",
                "[Виж настройката](#конфигуриране)\n\n### Конфигуриране\n\nТекст.",
            ),
        ),
        (
            "content/news/a.md",
            &news(
                "А",
                "[Там](../about.md#Конфигуриране), [Уики](https://bg.wikipedia.org/wiki/Русе#История).",
            ),
        ),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("broken link"), "{messages}");
    let about = site.read("about/index.html");
    assert!(about.contains("id=\"konfigurirane\""), "{about}");
    assert!(
        about.contains("<a href=\"#konfigurirane\">Виж настройката</a>"),
        "{about}"
    );
    let news_page = site.read("news/a/index.html");
    assert!(
        news_page.contains("href=\"/about/#konfigurirane\""),
        "{news_page}"
    );
    // Another site's fragment is its own.
    assert!(!news_page.contains("#istoriya"), "{news_page}");
    // An id the page writes in Cyrillic is linked as written.
    site.write(
        "content/about.md",
        &md("title: За нас", "## Карта {#карта}\n\n<div id=\"място\">x</div>\n\n[К](#карта) [М](#място)\n\n### Конфигуриране"),
    );
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("broken link"), "{messages}");
    let about = site.read("about/index.html");
    assert!(
        !about.contains("#karta") && !about.contains("#myasto"),
        "{about}"
    );
    site.write("content/about.md", &md("title: За нас", "[Няма](#липсва)"));
    let err = site.build_fails(&[]);
    assert!(err.contains("broken link `#липсва`"), "{err}");
    // Hexo keeps a heading id's capitals: on the page, `#Code-Block` leads
    // to the heading; an id the page writes with capitals is kept.
    site.write(
        "content/about.md",
        &md(
            "title: За нас",
            "[Код](#Code-Block) [Увод](#Intro)\n\n## Code Block\n\n<p id=\"Intro\">x</p>\n\n### Конфигуриране",
        ),
    );
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("broken link"), "{messages}");
    let about = site.read("about/index.html");
    assert!(about.contains("<a href=\"#code-block\">Код</a>"), "{about}");
    assert!(about.contains("<a href=\"#Intro\">Увод</a>"), "{about}");
}

/// A Pelican (or MultiMarkdown) post: its `Title:` header, ended by a
/// blank line, is its front matter, in Pelican's meanings; lines keep their
/// numbers in messages.
#[test]
fn pelican_metadata_headers_are_front_matter() {
    let site = TestSite::new(&[
        (
            "content/news/2010-12-03-post.md",
            "Title: My super title\nDate: 2010-12-03 10:20\nModified: 2010-12-05 19:30\n\
             Tags: pelican, publishing\nSlug: my-super-post\nAuthors: Alexis Metaireau, Conan Doyle\n\
             Summary: Short version\n  for the index.\n\nThe post's text.\n",
        ),
        (
            "content/news/draft.md",
            "Title: Not yet\nDate: 2011-01-01\nStatus: draft\n\nText.\n",
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/my-super-post/index.html");
    assert!(
        page.contains("<h1 class=\"p-name\">My super title</h1>"),
        "{page}"
    );
    assert!(
        page.contains("datetime=\"2010-12-03T10:20:00+02:00\""),
        "{page}"
    );
    assert!(
        page.contains("datetime=\"2010-12-05T19:30:00+02:00\""),
        "{page}"
    );
    assert!(page.contains("href=\"/tags/publishing/\""), "{page}");
    assert!(page.contains("Alexis Metaireau, Conan Doyle"), "{page}");
    assert!(page.contains("<p>The post’s text.</p>"), "{page}");
    assert!(!page.contains("Title:"), "{page}");
    let listing = site.read("news/index.html");
    assert!(
        listing.contains("Short version for the index."),
        "{listing}"
    );
    assert!(!listing.contains("Not yet"), "a draft: {listing}");
    // A broken link is named at its line in the file.
    site.write(
        "content/news/2010-12-03-post.md",
        "Title: T\nDate: 2010-12-03\n\nText.\n\n[gone](nowhere.md)\n",
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/2010-12-03-post.md:6: broken link"),
        "{err}"
    );
    // Text that only starts like a header is not one.
    site.write(
        "content/news/2010-12-03-post.md",
        "Title: T\nThis line is text.\n",
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/2010-12-03-post.md:1: the file must start with front matter"),
        "{err}"
    );
}

/// A Docusaurus site: a blog post's authors written out are their names,
/// a partial (`_shared.mdx`, no front matter) is no page, and a doc's `id`
/// names it in its address (a number is no such name).
#[test]
fn docusaurus_authors_and_partials() {
    let site = TestSite::new(&[
        (
            "content/docs/faq/OrganizingState.md",
            "---\nid: organizing-state\ntitle: Organizing State\nsidebar_label: State\n---\nText.\n",
        ),
        (
            "content/docs/faq/Numbered.md",
            "---\nid: 42\ntitle: Numbered\nsidebar_position: 2\n---\nText.\n",
        ),
        (
            "content/notes/contact.md",
            "---\nid: contact-page\ntitle: Contact\n---\nText.\n",
        ),
        (
            "content/news/2019-05-28-first.md",
            "---\ntitle: First post\nauthors:\n  - name: Gao Wei\n    url: https://github.com/wgao19\n  - slorber\n---\nHello.\n",
        ),
        ("content/docs/_shared.mdx", "Shared **text**.\n"),
        ("content/docs/_install.mdx", "## Prerequisites\n\nNode.\n"),
        (
            "content/docs/intro.mdx",
            "---\ntitle: Intro\n---\nimport Shared from './_shared.mdx';\n\n<Shared />\n",
        ),
    ]);
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(
        messages.contains("content/docs/_shared.mdx: a partial")
            && messages.contains("content/docs/_install.mdx: a partial"),
        "{messages}"
    );
    assert!(
        site.read("news/first/index.html")
            .contains("Gao Wei, slorber")
    );
    assert!(site.exists("docs/intro/index.html"));
    assert!(site.exists("docs/faq/organizing-state/index.html"));
    assert!(site.exists("docs/faq/numbered/index.html"));
    // Elsewhere an `id` is some record's.
    assert!(site.exists("notes/contact/index.html"));
    assert!(
        !site.files().iter().any(|f| f.contains("shared")),
        "{:?}",
        site.files()
    );
}

/// Obsidian's wiki links find their page by its file's name, anywhere in
/// the content, or their file beside a page; a heading is its id. One that
/// names nothing stays as written, with a warning: `[[…]]` in a page not
/// written for Obsidian is text, never a broken build.
#[test]
fn obsidian_wiki_links_find_pages_and_files_by_name() {
    let body = "[[Бележки от срещата]], [[Бележки от срещата#Следващи стъпки|стъпките]], \
                [[Бележки от срещата#Среща#Следващи стъпки|пътят]], \
                [[robot]], [[#Тук]], [[Няма такава]] и [[1]], [[v1.2]], \
                [[Бележки от срещата#Следващи стъпки]].\n\n![[logo.png|Логото]]\n\n\
                ![[липсва.png]]\n\n![[logo.png|Второ|120x40]]\n\n\
                | Връзка | Бележка |\n|---|---|\n| [[robot\\|Роботът]] | в таблица |\n\n## Тук\n\nТекст.";
    let site = TestSite::new(&[
        (
            "content/news/notes/Бележки от срещата.md",
            &news("Среща", "## Следващи стъпки\n\nТекст."),
        ),
        (
            "content/projects/robot/index.md",
            "---\ntitle: Робот\n---\nТекст.\n",
        ),
        ("content/news/b.md", &news("Б", body)),
        ("content/news/v1.2.md", &news("Версия", "Текст.")),
    ]);
    site.write_bytes("content/news/logo.png", &support::plain_png(64, 64));
    let out = site.build(&[]);
    let page = site.read("news/b/index.html");
    let meeting = "/news/notes/belezhki-ot-sreshtata/";
    for html in [
        format!("<a href=\"{meeting}\">Бележки от срещата</a>"),
        format!("<a href=\"{meeting}#sledvashti-stapki\">стъпките</a>"),
        // A path of headings names the last.
        format!("<a href=\"{meeting}#sledvashti-stapki\">пътят</a>"),
        "<a href=\"/projects/robot/\">robot</a>".to_string(),
        // A part of a page is shown as Obsidian shows it.
        "<a href=\"#tuk\">Тук</a>".to_string(),
        format!(
            "<a href=\"{meeting}#sledvashti-stapki\">Бележки от срещата &gt; Следващи стъпки</a>"
        ),
        "[[Няма такава]] и [[1]], <a href=\"/news/v1-2/\">v1.2</a>,".to_string(),
        "alt=\"Логото\"".to_string(),
        "![[липсва.png]]".to_string(),
        "alt=\"Второ\"".to_string(),
        "<td><a href=\"/projects/robot/\">Роботът</a></td>".to_string(),
    ] {
        assert!(page.contains(&html), "{html} in {page}");
    }
    let warnings = String::from_utf8_lossy(&out.stderr);
    for name in ["Няма такава", "1", "липсва.png"] {
        let said = format!("the wiki link `[[{name}]]` names no page");
        let line = warnings.lines().find(|l| l.contains(&said));
        assert!(
            line.is_some_and(|l| l.starts_with("warning: content/news/b.md:")),
            "{name}: {warnings}"
        );
    }
}

/// Raw HTML's relative `src` and `href` name files beside the page, as a
/// Markdown link's do: made their published URLs and checked. A relative
/// address a browser reads from the page's own (`images/x.png` on the home
/// page) may name a file in `static/`.
#[test]
fn relative_addresses_in_raw_html_are_files_beside_the_page() {
    let body = "<img src=\"./plan.png\" alt=\"План\"> <a href=\"plan.png\">файл</a> \
                <a href=\"b.md\">Б</a> <a href=\"mailto:a@b.bg\">поща</a> <a href=\"#x\">тук</a> \
                <img src=\"../../images/logo.png\" alt=\"Горе\"> <!-- <img src=\"todo.png\"> -->\n\n\
                <pre>&lt;img src=\"nyama.png\"&gt; &lt;a href=\"nyama.md\"&gt;</pre>\n\n\
                <div><IMG SRC=\"plan.png\" alt=\"Голямо\"><img\nalt=\"Два реда\"\nsrc=\"plan.png\"></div>";
    let site = TestSite::new(&[
        ("content/news/a.md", &news("А", body)),
        ("content/news/b.md", &news("Б", "Текст.")),
        (
            "content/_index.md",
            "---\ntitle: Начало\n---\n<img src=\"images/logo.png\" alt=\"Лого\">\n\n![Лого](images/logo.png)\n",
        ),
    ]);
    site.write_bytes("content/news/plan.png", &support::plain_png(40, 40));
    site.write_bytes("static/images/logo.png", &support::plain_png(40, 40));
    site.build(&[]);
    let page = site.read("news/a/index.html");
    for html in [
        "<img src=\"/news/plan.png\" alt=\"План\">",
        "<a href=\"/news/plan.png\">файл</a>",
        "<a href=\"/news/b/\">Б</a>",
        "<a href=\"mailto:a@b.bg\">поща</a>",
        "<img src=\"/images/logo.png\" alt=\"Горе\">",
        "<IMG SRC=\"/news/plan.png\" alt=\"Голямо\">",
        "src=\"/news/plan.png\"></div>",
    ] {
        assert!(page.contains(html), "{html} in {page}");
    }
    assert!(site.exists("news/plan.png"));
    let home = site.read("index.html");
    assert!(
        home.contains("<img src=\"/images/logo.png\" alt=\"Лого\">"),
        "{home}"
    );
    site.write(
        "content/news/c.md",
        &news("В", "<img src=\"nyama.png\" alt=\"x\">"),
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/c.md:6: broken link `nyama.png`"),
        "{err}"
    );
}

/// Docusaurus' `.mdx` pages are pages: rendered without their `import`
/// lines (with a warning), a draft left out. They were copied as files,
/// publishing a draft's source.
#[test]
fn mdx_pages_are_rendered_never_published_as_source() {
    let mdx = "---\ntitle: Раздели\ndate: 2026-01-05\n---\nimport Tabs from '@theme/Tabs';\n\n<Tabs>\n\nТекст на **страницата**.\n\n</Tabs>\n\n{/* скрито */}\n<Icon name=\"x\" />\n\nПоследен ред.\n";
    let site = TestSite::new(&[
        ("content/news/razdeli.mdx", mdx),
        (
            "content/news/tayna.mdx",
            "---\ntitle: Тайна\ndate: 2026-01-05\ndraft: true\n---\nЧернова.\n",
        ),
        ("content/news/b.md", &news("Б", "[Раздели](razdeli.mdx)")),
    ]);
    let out = site.build(&[]);
    let page = site.read("news/razdeli/index.html");
    assert!(
        page.contains("Текст на <strong>страницата</strong>."),
        "{page}"
    );
    assert!(!page.contains("import Tabs"), "{page}");
    assert!(!page.contains("скрито"), "{page}");
    // The component closes where it is written, not around the rest.
    assert!(page.contains("<Icon name=\"x\"></Icon>"), "{page}");
    assert!(page.contains("<p>Последен ред.</p>"), "{page}");
    assert!(
        site.read("news/b/index.html")
            .contains("<a href=\"/news/razdeli/\">")
    );
    let files = site.files();
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".mdx") || f.contains("tayna")),
        "{files:?}"
    );
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        warnings.contains("content/news/razdeli.mdx:5: an MDX page"),
        "{warnings}"
    );
}

/// Starlight's and Docusaurus' components that wrap Markdown: a callout
/// is an alert, a list in `<Steps>` a list, and what they hold Markdown,
/// not the text as written.
#[test]
fn mdx_components_around_markdown_show_it_rendered() {
    let mdx = "---\ntitle: Стъпки\ndate: 2026-01-05\n---\nimport { Aside, Steps } from '@astrojs/starlight/components';\n\n<Aside type=\"caution\" title=\"Преди това\">\nПрочетете **правилата**.\n</Aside>\n\n<Steps>\n  1. Регистрация\n  2. Вход\n</Steps>\n\n<LinkButton href=\"/news/b/\">\n  Към **Б**\n</LinkButton>\nСлед бутона.\n\n<Card title=\"Елементът <title>\">\nВ картата.\n</Card>\n";
    let site = TestSite::new(&[
        ("content/news/stapki.mdx", mdx),
        ("content/news/b.md", &news("Б", "Текст.")),
    ]);
    site.build(&[]);
    let page = site.read("news/stapki/index.html");
    assert!(page.contains("<strong>правилата</strong>"), "{page}");
    assert!(page.contains("Преди това"), "{page}");
    assert!(
        !page.contains("<Aside") && !page.contains("<Steps"),
        "{page}"
    );
    assert!(
        page.contains("<ol>") && page.contains("<li>Регистрация</li>"),
        "{page}"
    );
    // A link around Markdown; a title's text is text, never a tag.
    assert!(
        page.contains("<a href=\"/news/b/\">\n<p>Към <strong>Б</strong></p>\n</a>"),
        "{page}"
    );
    assert!(page.contains("<p>След бутона.</p>"), "{page}");
    assert!(page.contains("Елементът &lt;title&gt;"), "{page}");
}

/// A VitePress page is a Vue component too: its `<script setup>` and
/// `<style scoped>` are left out (with a warning at the first), and the
/// `# Heading` after them is its title. The script was published, and the
/// page had no title.
#[test]
fn vitepress_vue_blocks_are_not_published() {
    let page = "<script setup>\nimport { VPTeamMembers } from 'vitepress/theme'\nconst members = []\n</script>\n\n# Екипът\n\nХората.\n\n<VPTeamMembers size=\"small\" :members=\"members\" />\n\nКрай.\n\n<style scoped>\nh1 { color: red }\n</style>\n";
    let site = TestSite::new(&[("content/ekip.md", page)]);
    let out = site.build(&[]);
    let html = site.read("ekip/index.html");
    assert!(html.contains("<title>Екипът"), "{html}");
    assert!(
        !html.contains("import { VPTeamMembers }") && !html.contains("color: red"),
        "{html}"
    );
    // A component is closed where it is written, not around the rest.
    assert!(
        html.contains("<VPTeamMembers size=\"small\" :members=\"members\"></VPTeamMembers>"),
        "{html}"
    );
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        warnings.contains("content/ekip.md:1: a Vue block"),
        "{warnings}"
    );
}

/// Mintlify's sites: `content/snippets/` holds what pages import, never a
/// page (each was an error), and a link to `/assistant/index` is the page
/// of `assistant/index.mdx`.
#[test]
fn mintlify_snippets_are_not_pages_and_index_links_find_mdx_pages() {
    let site = TestSite::new(&[
        (
            "content/snippets/counter.mdx",
            "export const Counter = () => {\n  return (<div>1</div>)\n}\n",
        ),
        (
            "content/assistant/index.mdx",
            "---\ntitle: Асистент\n---\nТекст.\n",
        ),
        (
            "content/vrazki.md",
            &md("title: Връзки", "[Асистентът](/assistant/index)"),
        ),
    ]);
    let out = site.build(&[]);
    assert!(
        site.read("vrazki/index.html")
            .contains("<a href=\"/assistant/\">Асистентът</a>")
    );
    assert!(!site.files().iter().any(|f| f.contains("snippets")));
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.contains("Mintlify's snippets"), "{warnings}");
}

/// `[links] heading_ids = "github"` spells headings' ids as GitHub and Hugo
/// do, so that a migrated site's links into them hold.
#[test]
fn github_heading_ids_keep_a_migrated_sites_fragment_links() {
    let toml = format!(
        "{}\n[links]\nheading_ids = \"github\"\n",
        support::SITE_TOML
    );
    let body = "## Smileys & Emotion\n\n## Нов партньор\n\n[горе](#smileys--emotion), [там](b.md#441--2025-01-29), [[b#4.4.1 / 2025-01-29|и там]]";
    let site = TestSite::new(&[
        ("site.toml", &toml),
        ("content/news/a.md", &news("А", body)),
        (
            "content/news/b.md",
            &news("Б", "## 4.4.1 / 2025-01-29\n\nТекст."),
        ),
    ]);
    site.build(&[]);
    let page = site.read("news/a/index.html");
    assert!(page.contains("<h2 id=\"smileys--emotion\">"), "{page}");
    assert!(page.contains("<h2 id=\"нов-партньор\">"), "{page}");
    assert!(page.contains("href=\"/news/b/#441--2025-01-29\""), "{page}");
    assert!(
        page.contains("<a href=\"/news/b/#441--2025-01-29\">и там</a>"),
        "{page}"
    );
    // By default they are transliterated, and the links above are broken.
    site.write("site.toml", support::SITE_TOML);
    let err = site.build_fails(&[]);
    assert!(err.contains("#smileys--emotion"), "{err}");
    // Zola's spelling, for a site moving in from Zola.
    site.write(
        "site.toml",
        &format!("{}\n[links]\nheading_ids = \"zola\"\n", support::SITE_TOML),
    );
    site.write(
        "content/news/a.md",
        &news(
            "А",
            "## What's next?\n\n## Issues (🦀)\n\n[горе](#what-s-next), [[#Issues (🦀)|раци]]",
        ),
    );
    site.build(&[]);
    let page = site.read("news/a/index.html");
    assert!(page.contains("<h2 id=\"what-s-next\">"), "{page}");
    assert!(page.contains("<h2 id=\"issues-crab\">"), "{page}");
    assert!(page.contains("<a href=\"#issues-crab\">раци</a>"), "{page}");
}

/// Pages from MkDocs and Docusaurus: without front matter, or without a
/// `title` in it, their first `# Heading` is the title (shown once, by the
/// theme). Its id stays, so that links to it hold, as in mdBook and MkDocs.
#[test]
fn a_page_without_a_title_takes_its_first_heading() {
    let site = TestSite::new(&[
        (
            "content/docs/install.md",
            "# Инсталиране **на** `dunav`\n\nТекст [там](setup.md), [горе](setup.md#nastroyka).\n",
        ),
        (
            "content/docs/setup.md",
            "---\nsidebar_position: 2\n---\n\n# Настройка\n\n## Първа стъпка\n",
        ),
    ]);
    site.build(&[]);
    let install = site.read("docs/install/index.html");
    assert!(install.contains("<title>Инсталиране на dunav"), "{install}");
    assert_eq!(install.matches("<h1").count(), 1, "{install}");
    assert!(
        install.contains("<a href=\"/docs/setup/#nastroyka\">горе</a>"),
        "{install}"
    );
    assert!(
        site.read("docs/setup/index.html")
            .contains("<a id=\"nastroyka\"></a>")
    );
    assert!(install.contains("href=\"/docs/setup/\""), "{install}");
    let setup = site.read("docs/setup/index.html");
    assert!(setup.contains("Настройка</h1>"), "{setup}");
    site.write(
        "content/docs/setext.md",
        "Подчертано\n==========\n\nТекст.\n",
    );
    site.build(&[]);
    let setext = site.read("docs/setext/index.html");
    assert!(setext.contains("<title>Подчертано"), "{setext}");
    assert!(!setext.contains("=="), "{setext}");
    assert!(setup.contains("<h2 id=\"parva-stapka\">"), "{setup}");
    site.write(
        "content/docs/empty.md",
        "---\ntitle: \"\"\n---\n# Заглавие\n",
    );
    let err = site.build_fails(&[]);
    assert!(err.contains("content/docs/empty.md:2: `title`"), "{err}");
}

/// A page beside a folder of its name (`docs/setup.md` and `docs/setup/`,
/// as Jekyll and Hugo sites have them) stands for the folder, as in Hugo:
/// the folder without an `_index.md` makes no listing of its own. A
/// top-level folder is always a section.
#[test]
fn a_page_beside_a_folder_of_its_name_stands_for_it() {
    let page = |title: &str| format!("---\ntitle: {title}\n---\nТекст.\n");
    let site = TestSite::new(&[
        ("content/docs/setup.md", &page("Настройка")),
        ("content/docs/setup/advanced.md", &page("Още")),
        ("content/docs/guide/index.md", &page("Ръководство")),
        ("content/docs/guide/part/one.md", &page("Първа част")),
        (
            "content/docs/other.md",
            "---\ntitle: Друга\n---\n[Виж](setup/advanced.md).\n",
        ),
    ]);
    site.build(&[]);
    assert!(site.read("docs/setup/index.html").contains("Настройка"));
    assert!(site.read("docs/setup/advanced/index.html").contains("Още"));
    assert!(site.read("docs/guide/index.html").contains("Ръководство"));
    assert!(
        site.read("docs/guide/part/one/index.html")
            .contains("Първа част")
    );
    let other = site.read("docs/other/index.html");
    assert!(other.contains("href=\"/docs/setup/advanced/\""), "{other}");
    // With its own `_index.md` the folder is a listing, and the page clashes.
    site.write("content/docs/setup/_index.md", &page("Раздел"));
    let err = site.build_fails(&[]);
    assert!(err.contains("content/docs/setup.md"), "{err}");
}

/// A link may name a page's language: `x.en.md` (or Hugo's `relref` with
/// `lang="en"`) is its English translation, and `x.bg.md`, the default
/// language written out, is `x.md` in Bulgarian, from a page in any language.
#[test]
fn a_link_may_name_the_language_of_the_page() {
    let site = TestSite::new(&[
        ("content/news/a.md", &news("А", "Текст.")),
        ("content/news/a.en.md", &news("A", "Text.")),
        (
            "content/news/b.md",
            &news("Б", "[en]({{< relref path=\"a.md\" lang=\"en\" >}})"),
        ),
        (
            "content/news/b.en.md",
            &news("B", "[bg](a.bg.md) [en](a.md)"),
        ),
    ]);
    site.build(&[]);
    let bg = site.read("news/b/index.html");
    assert!(bg.contains("<a href=\"/en/news/a/\">en</a>"), "{bg}");
    let en = site.read("en/news/b/index.html");
    assert!(en.contains("<a href=\"/news/a/\">bg</a>"), "{en}");
    assert!(en.contains("<a href=\"/en/news/a/\">en</a>"), "{en}");
}

/// `index.md` and `_index.md` in one folder both claim its URL: the error
/// says so, not that the folder's sub-folders hold pages.
#[test]
fn index_and_underscore_index_in_one_folder_are_told_apart() {
    let site = TestSite::new(&[
        (
            "content/docs/index.md",
            "---\ntitle: Страница\n---\nТекст.\n",
        ),
        (
            "content/docs/_index.md",
            "---\ntitle: Списък\n---\nТекст.\n",
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(err.contains("content/docs/index.md"), "{err}");
    assert!(
        err.contains("content/docs/_index.md is already the text of this folder's listing"),
        "{err}"
    );
}

/// A file beside a page in a dated folder is published under the page's
/// URL (without the date): a wiki embed, or a link by that URL, finds it.
#[test]
fn a_dated_bundles_files_are_found_by_their_published_url() {
    let site = TestSite::new(&[(
        "content/news/2026-11-19-bundle/index.md",
        "---\ntitle: Сбор\n---\n![[p.png|Алт]]\n\n[снимката](/news/bundle/p.png)\n",
    )]);
    site.write_bytes(
        "content/news/2026-11-19-bundle/p.png",
        &support::plain_png(40, 40),
    );
    site.build(&[]);
    let page = site.read("news/bundle/index.html");
    assert!(page.contains("alt=\"Алт\""), "{page}");
    assert!(
        page.contains("<a href=\"/news/bundle/p.png\">снимката</a>"),
        "{page}"
    );
    assert!(site.exists("news/bundle/p.png"));
}

/// As in Jekyll, Eleventy, MkDocs and Docusaurus, `index.md` is its
/// folder's listing text when the folder holds other pages (beside it or
/// below), and `content/index.md` is the home page's; links to it reach
/// the listing. A bundle's `index.md` with nothing beside it stays a page.
#[test]
fn an_index_md_with_pages_beside_it_is_its_folders_listing_text() {
    let page = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n{body}\n");
    let site = TestSite::new(&[
        (
            "content/index.md",
            &page("Начало", "Вижте [документацията](docs/index.md)."),
        ),
        (
            "content/docs/index.md",
            &page("Документация", "Увод [нагоре](../index.md)."),
        ),
        (
            "content/docs/setup.md",
            &page("Настройка", "[Назад](index.md)."),
        ),
        ("content/docs/more/deep.md", &page("Дълбоко", "Текст.")),
        (
            "content/docs/guide/index.md",
            &page("Ръководство", "Текст."),
        ),
    ]);
    site.build(&[]);
    assert!(!site.exists("index/index.html"));
    let home = site.read("index.html");
    assert!(
        home.contains("<a href=\"/docs/\">документацията</a>"),
        "{home}"
    );
    let docs = site.read("docs/index.html");
    assert!(docs.contains("<h1>Документация</h1>"), "{docs}");
    assert!(docs.contains("Увод"), "{docs}");
    assert!(docs.contains("href=\"/docs/setup/\""), "{docs}");
    assert!(docs.contains("href=\"/docs/more/deep/\""), "{docs}");
    let setup = site.read("docs/setup/index.html");
    assert!(setup.contains("<a href=\"/docs/\">Назад</a>"), "{setup}");
    assert!(site.read("docs/guide/index.html").contains("Ръководство"));
    // Renamed to a page of its own, the folder's text goes with it.
    site.remove("content/docs/setup.md");
    site.remove("content/docs/more/deep.md");
    site.build(&[]);
    let docs = site.read("docs/index.html");
    assert!(docs.contains("<h1>Документация</h1>"), "{docs}");
}

/// Hugo's `cascade` in a section's `_index.md` hands its fields down to the
/// pages below that do not set them: a folder kept unpublished stays so.
#[test]
fn a_sections_cascade_reaches_the_pages_below_it() {
    let site = TestSite::new(&[
        (
            "content/internal/_index.md",
            "---\ntitle: Вътрешни\ncascade:\n  _build:\n    render: never\n  image_alt: Наследено\n---\n",
        ),
        (
            "content/internal/secret.md",
            "---\ntitle: Тайна\n---\nСкрито.\n",
        ),
        (
            "content/internal/deep/also.md",
            "---\ntitle: Също\n---\nСкрито.\n",
        ),
        (
            "content/internal/open.md",
            "---\ntitle: Отворена\n_build:\n  render: always\n---\nВидимо.\n",
        ),
        (
            "content/news/_index.md",
            "---\ntitle: Новини\ncascade:\n  - author: Екипът\n  - _target:\n      path: /news/x\n    author: Друг\n---\n",
        ),
        ("content/news/guide.md", &news("Ръководство", "Текст.")),
    ]);
    site.build(&[]);
    assert!(!site.exists("internal/secret/index.html"));
    assert!(!site.exists("internal/deep/also/index.html"));
    assert!(site.read("internal/open/index.html").contains("Видимо"));
    let guide = site.read("news/guide/index.html");
    assert!(guide.contains("Екипът"), "{guide}");
    assert!(!guide.contains("Друг"), "{guide}");
}

/// A `cascade` reaches the sections below too (as in Hugo): a sub-section's
/// listing shows the description handed down, a nearer cascade wins over a
/// farther one, and a listing's own field over both. A `template` is the
/// pages' alone: a listing rendered with a page's template had no `page`.
#[test]
fn a_cascade_reaches_the_listings_of_sub_sections() {
    let site = TestSite::new(&[
        (
            "content/guides/_index.md",
            "---\ntitle: Ръководства\ncascade:\n  description: Отгоре\n  template: page.html\n---\n",
        ),
        (
            "content/guides/advanced/_index.md",
            "---\ntitle: Напреднали\n---\n",
        ),
        (
            "content/guides/advanced/deep.md",
            "---\ntitle: Дълбоко\n---\nТекст.\n",
        ),
        (
            "content/guides/own/_index.md",
            "---\ntitle: Свои\ndescription: Собствено\ncascade:\n  description: По-близо\n---\n",
        ),
        (
            "content/guides/own/below/_index.md",
            "---\ntitle: Отдолу\n---\n",
        ),
        (
            "content/guides/own/below/page.md",
            "---\ntitle: Страница\n---\nТекст.\n",
        ),
    ]);
    site.build(&[]);
    let description = |path: &str| {
        let html = site.read(path);
        let start = html.find(r#"<meta name="description" content=""#).unwrap() + 34;
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    assert_eq!(description("guides/advanced/index.html"), "Отгоре");
    assert_eq!(description("guides/advanced/deep/index.html"), "Отгоре");
    assert_eq!(description("guides/own/index.html"), "Собствено");
    assert_eq!(description("guides/own/below/index.html"), "По-близо");
    assert_eq!(description("guides/own/below/page/index.html"), "По-близо");
}

/// Several authors are several people in the feed and in the page's JSON-LD,
/// not one person named "A, B"; the page shows them joined.
#[test]
fn each_author_is_a_person_of_their_own() {
    let site = TestSite::new(&[(
        "content/news/two.md",
        &md(
            "title: Двама\ndate: 2026-01-05T10:00:00\nauthors: [Ана Петрова, Bob Smith]",
            "Текст.",
        ),
    )]);
    site.build(&[]);
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<author><name>Ана Петрова</name></author>"),
        "{feed}"
    );
    assert!(
        feed.contains("<author><name>Bob Smith</name></author>"),
        "{feed}"
    );
    let page = site.read("news/two/index.html");
    assert!(
        page.contains(r#""author":[{"@type":"Person","name":"Ана Петрова"},{"@type":"Person","name":"Bob Smith"}]"#),
        "{page}"
    );
    assert!(page.contains("Ана Петрова, Bob Smith"), "{page}");
}

/// A folder's URL is in lower case, as Hugo and Zola write it, and the
/// files beside its pages follow it.
#[test]
fn a_capitalised_folder_is_a_lower_case_url() {
    let site = TestSite::new(&[(
        "content/Plugins/Backlinks.md",
        "---\ntitle: Обратни връзки\n---\n[Файл](notes.txt)\n",
    )]);
    site.write("content/Plugins/notes.txt", "бележки");
    site.build(&[]);
    let page = site.read("plugins/backlinks/index.html");
    assert!(page.contains("href=\"/plugins/notes.txt\""), "{page}");
    assert!(site.exists("plugins/notes.txt"));
    assert!(site.exists("plugins/index.html"));
    // Another folder of the same URL would overwrite its listing: an error.
    site.write(
        "content/plugins/other.md",
        "---\ntitle: Друга\n---\nТекст.\n",
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("has the URL /plugins/ of the folder content/Plugins too"),
        "{err}"
    );
}

/// An Obsidian block id (` ^id` at a paragraph's end) is an anchor, not
/// text, and `[[Page#^id]]` links to it.
#[test]
fn obsidian_block_ids_are_anchors_links_reach() {
    let site = TestSite::new(&[
        (
            "content/note.md",
            "---\ntitle: Бележка\n---\nПараграф с блок. ^blok1\n\nВтори.\n",
        ),
        (
            "content/other.md",
            "---\ntitle: Друга\n---\nВиж [[note#^blok1|блока]].\n",
        ),
    ]);
    site.build(&[]);
    let note = site.read("note/index.html");
    assert!(
        note.contains("Параграф с блок. <span id=\"^blok1\"></span>"),
        "{note}"
    );
    assert!(!note.contains("^blok1</p>"), "{note}");
    let other = site.read("other/index.html");
    assert!(
        other.contains("<a href=\"/note/#%5Eblok1\">блока</a>"),
        "{other}"
    );
    // A block that is not there is a broken link, as a heading is.
    site.write(
        "content/other.md",
        "---\ntitle: Друга\n---\nВиж [[note#^none]].\n",
    );
    let err = site.build_fails(&[]);
    assert!(err.contains("no heading or element with id"), "{err}");
}

/// A Jekyll site moved into `content/` keeps its drafts and its settings
/// to itself: `_drafts/` holds drafts, `_config.yml`, `_data/` and
/// `_layouts/` are no content, and are said to be left out; so are Hugo's
/// content adapters, Eleventy's data files and pages in formats dunav does
/// not render.
#[test]
fn jekylls_drafts_and_settings_are_not_published() {
    let site = TestSite::new(&[
        (
            "content/_drafts/idea.md",
            "---\ntitle: Идея\n---\nЧернова.\n",
        ),
        ("content/_config.yml", "title: Site\npassword: secret\n"),
        ("content/_data/members.yml", "- email: a@example.org\n"),
        (
            "content/_layouts/default.html",
            "<html>{{ content }}</html>",
        ),
        ("content/about.md", "---\ntitle: За нас\n---\nТекст.\n"),
        (
            "content/old.html",
            "---\ntitle: Стара\npublished: false\n---\n<p>Стара</p>\n",
        ),
        ("content/plain.html", "<p>Просто HTML</p>\n"),
        (
            "content/feed.xml",
            "---\nlayout: null\n---\n<rss>{% for post in site.posts %}{% endfor %}</rss>\n",
        ),
        ("content/css/style.scss", "---\n---\n@import \"main\";\n"),
        ("content/data/people.yml", "---\n- name: Ана\n"),
        ("content/files/nginx.conf.j2", "server_name {{ host }};\n"),
        (
            "content/blog.njk",
            "---\nlayout: base\n---\n{% for post in collections.posts %}{% endfor %}\n",
        ),
        (
            "content/docs/plan.adoc",
            "---\ntitle: План\ndraft: true\n---\n= Таен план\n",
        ),
        (
            "content/docs/guide.rst",
            "Guide\n#####\n\n:date: 2024-01-05\n",
        ),
        ("content/news/_content.gotmpl", "{{ .AddPage $page }}\n"),
        ("content/news/news.11tydata.js", "module.exports = {};\n"),
        (
            "content/news/news.11tydata.json",
            "{\"layout\": \"post\"}\n",
        ),
    ]);
    let out = site.build(&[]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("content/old.html:1: an HTML file with front matter"),
        "{said}"
    );
    assert!(!site.exists("old.html"));
    assert!(site.read("plain.html").contains("Просто HTML"));
    // Jekyll's and Eleventy's templates: never their source.
    assert!(!site.exists("feed.xml") && !site.exists("css/style.scss"));
    assert!(
        said.contains(
            "content/feed.xml:1: a file with front matter (a Jekyll or Eleventy template"
        ),
        "{said}"
    );
    assert!(!site.exists("blog.njk"));
    assert!(
        said.contains("content/blog.njk:1: a file with front matter"),
        "{said}"
    );
    // Without front matter, a template is a file to download.
    assert!(site.exists("files/nginx.conf.j2"));
    // A YAML file's `---` starts its document: published as any file.
    assert!(site.exists("data/people.yml"));
    // Pages in formats Hugo or Pelican render with other programs: never
    // their source, a draft's least of all.
    assert!(!site.exists("docs/plan.adoc") && !site.exists("docs/guide.rst"));
    assert!(
        said.contains("content/docs/guide.rst: a page in reStructuredText (and 1 more")
            && said.contains("not published"),
        "{said}"
    );
    assert!(
        said.contains("content/_config.yml") && said.contains("not published"),
        "{said}"
    );
    let files = site.files();
    assert!(
        !files.iter().any(|f| f.contains("_config")
            || f.contains("gotmpl")
            || f.contains("11tydata")
            || f.contains("_data")
            || f.contains("_layouts")
            || f.contains("idea")),
        "{files:?}"
    );
    site.build(&["--drafts"]);
    assert!(site.read("drafts/idea/index.html").contains("Чернова"));
}

/// A file named with spaces (as screenshot tools name them) is linked and
/// shown when a page names it as it is, as Obsidian and Typora accept.
#[test]
fn a_file_named_with_spaces_is_found() {
    let site = TestSite::new(&[(
        "content/notes.md",
        "---\ntitle: Бележки\n---\n[Отчетът](отчет за 2024.txt) е готов.\n",
    )]);
    site.write("content/отчет за 2024.txt", "данни");
    site.build(&[]);
    let page = site.read("notes/index.html");
    assert!(
        page.contains(
            "<a href=\"/%D0%BE%D1%82%D1%87%D0%B5%D1%82%20%D0%B7%D0%B0%202024.txt\">Отчетът</a>"
        ) || page.contains(">Отчетът</a>"),
        "{page}"
    );
    assert!(!page.contains("](отчет"), "{page}");
}

/// A summary's link to a part of its page (`#options`) leads there from a
/// listing's card, not to a part of the listing.
#[test]
fn a_summarys_link_to_its_own_part_leads_there_from_a_listing() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &news(
            "А",
            "Вижте [настройките](#options) и <a href='#options'>тях</a>.\n\n## Options\n\nТекст.",
        ),
    )]);
    site.build(&[]);
    let listing = site.read("news/index.html");
    assert!(
        listing.contains("<a href=\"/news/a/#options\">настройките</a>"),
        "{listing}"
    );
    assert!(
        listing.contains("<a href='/news/a/#options'>тях</a>"),
        "{listing}"
    );
    let page = site.read("news/a/index.html");
    assert!(
        page.contains("<a href=\"#options\">настройките</a>"),
        "{page}"
    );
}

/// A `date` Jekyll published though no reader makes sense of it, in a file
/// whose name holds the day: the page is dated by its name, with a warning.
#[test]
fn an_unreadable_date_falls_back_to_the_file_names() {
    let site = TestSite::new(&[(
        "content/news/2023-01-29-bad.md",
        "---\ntitle: Bad\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nText.\n",
    )]);
    let out = site.build(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: content/news/2023-01-29-bad.md:3: `date`")
            && err.contains("the page is dated 2023-01-29, by its file's name"),
        "{err}"
    );
    let page = site.read("news/bad/index.html");
    assert!(page.contains("datetime=\"2023-01-29"), "{page}");
    // Without a day in its name, it is still an error.
    site.write(
        "content/news/worse.md",
        "---\ntitle: Worse\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nText.\n",
    );
    let err = site.build_fails(&[]);
    assert!(
        err.contains("error: content/news/worse.md:3: `date`"),
        "{err}"
    );
}

/// mdBook, GitBook and VuePress publish a folder's `README.md` as the
/// folder's page: here its listing's text (titled by its heading), or its
/// page when the folder has no other; links to it and to the folder's
/// `index.html` lead there.
#[test]
fn a_folders_readme_is_its_page() {
    let site = TestSite::new(&[
        (
            "content/guide/cli/README.md",
            "# Command line\n\nThe CLI.\n",
        ),
        ("content/guide/cli/build.md", "# Build\n\nBuilds.\n"),
        ("content/guide/solo/readme.md", "# Alone\n\nOne page.\n"),
        (
            "content/guide/other.md",
            "# Other\n\n[a](cli/index.html), [b](cli/README.md), [c](solo/readme.md).\n",
        ),
    ]);
    site.build(&[]);
    let cli = site.read("guide/cli/index.html");
    assert!(cli.contains("<h1>Command line</h1>"), "{cli}");
    assert!(cli.contains("The CLI."), "{cli}");
    assert!(cli.contains("/guide/cli/build/"), "{cli}");
    assert!(site.read("guide/solo/index.html").contains("One page."));
    let other = site.read("guide/other/index.html");
    for link in [
        "<a href=\"/guide/cli/\">a</a>",
        "<a href=\"/guide/cli/\">b</a>",
        "<a href=\"/guide/solo/\">c</a>",
    ] {
        assert!(other.contains(link), "{link} in {other}");
    }
    assert!(!site.exists("guide/cli/readme/index.html"));
}

/// A title heading's anchor keeps no id the theme uses (`main`, the skip
/// link's target), and stays out of summaries, which carry no ids.
#[test]
fn a_title_headings_anchor_never_repeats_an_id() {
    let site = TestSite::new(&[
        ("content/docs/main.md", "# Main\n\nText.\n"),
        (
            "content/news/notes.md",
            "---\ndate: 2026-01-05\n---\n# Release notes\n\nFirst part.\n\n<!-- more -->\n\nRest.\n",
        ),
    ]);
    site.build(&[]);
    let main = site.read("docs/main/index.html");
    assert_eq!(main.matches("id=\"main\"").count(), 1, "{main}");
    let listing = site.read("news/index.html");
    assert!(listing.contains("First part."), "{listing}");
    assert!(!listing.contains("id=\"release-notes\""), "{listing}");
    assert!(
        site.read("news/notes/index.html")
            .contains("<a id=\"release-notes\"></a>")
    );
}

/// Obsidian's Markdown links with "shortest path": a note or an attachment
/// named alone, wherever it is, and a heading's words with `%20` in the
/// fragment, lead where Obsidian leads.
#[test]
fn obsidian_markdown_links_by_name_alone_lead_there() {
    let site = TestSite::new(&[
        (
            "content/notes/Vector Lines.md",
            "---\ntitle: Vector Lines\n---\n[Same](#Parametric%20form) [Other](Plane%20Notes.md#Normal%20vector)\n\n![hash](Pasted%20image%201.png)\n\n## Parametric form\n",
        ),
        (
            "content/notes/deep/Plane Notes.md",
            "---\ntitle: Plane Notes\n---\n## Normal vector\n",
        ),
    ]);
    site.write_bytes(
        "content/attachments/Pasted image 1.png",
        &support::plain_png(40, 20),
    );
    let out = site.build(&[]);
    let messages = String::from_utf8_lossy(&out.stderr);
    assert!(!messages.contains("broken link"), "{messages}");
    let page = site.read("notes/vector-lines/index.html");
    for html in [
        "<a href=\"#parametric-form\">Same</a>",
        "<a href=\"/notes/deep/plane-notes/#normal-vector\">Other</a>",
        "Pasted%20image%201",
    ] {
        assert!(page.contains(html), "{html} in {page}");
    }
}

/// A language written from right to left (Persian, Arabic, Hebrew) gets
/// `dir="rtl"` on its pages; the others are left to the default.
#[test]
fn right_to_left_languages_are_marked_so() {
    let toml = format!(
        "{}\n[languages.fa]\ntitle = \"سایت\"\ndescription = \"توضیحات\"\n",
        support::SITE_TOML
    );
    let site = TestSite::new(&[
        ("site.toml", toml.as_str()),
        ("content/about.md", "---\ntitle: За нас\n---\nТекст.\n"),
        ("content/about.fa.md", "---\ntitle: درباره\n---\nمتن.\n"),
    ]);
    site.build(&[]);
    assert!(
        site.read("fa/about/index.html")
            .contains("<html lang=\"fa\" dir=\"rtl\">")
    );
    assert!(site.read("about/index.html").contains("<html lang=\"bg\">"));
}
