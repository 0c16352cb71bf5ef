use super::*;
use std::collections::BTreeMap;

fn sofia() -> TimeZone {
    TimeZone::get("Europe/Sofia").unwrap()
}

/// A YAML block whose first line is line `first_line` of the file.
fn parse(
    yaml: &str,
    first_line: usize,
    path: &str,
    tz: &TimeZone,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    parse_as(
        (Syntax::Yaml, yaml, first_line),
        path,
        tz,
        (kind_of(path), &BTreeMap::new()),
    )
}

fn read(yaml: &str) -> (FrontMatter, Vec<Diagnostic>) {
    read_in("news", yaml)
}

/// Front matter of a page in `section` (`events` for an event's fields).
fn read_in(section: &str, yaml: &str) -> (FrontMatter, Vec<Diagnostic>) {
    parse(yaml, 2, &format!("content/{section}/a.md"), &sofia()).unwrap()
}

#[test]
fn splits_front_matter_and_counts_lines() {
    let s = split("---\ntitle: a\n---\nbody\n").unwrap();
    assert_eq!(s.front_matter, "title: a\n");
    assert_eq!(s.body, "body\n");
    assert_eq!(s.body_line, 4);
    assert!(split("no front matter").is_err());
    assert!(split("---\ntitle: a\n").is_err());
    // Blank lines above the fence, as Zola and Hugo allow.
    let s = split("\n  \n+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
    assert_eq!(s.syntax, Syntax::Toml);
    assert_eq!((s.front_matter_line, s.body_line), (4, 6));
    assert!(split("\n\ntext\n---\n").is_err());
    // gray-matter's (Eleventy's) language after the fence.
    let s = split("---yaml\ntitle: a\n---\nbody\n").unwrap();
    assert_eq!((s.syntax, s.front_matter), (Syntax::Yaml, "title: a\n"));
    let s = split("---toml\ntitle = \"a\"\n---\nbody\n").unwrap();
    assert_eq!(s.syntax, Syntax::Toml);
    let js = split("---js\n{ title: \"a\" }\n---\n")
        .err()
        .unwrap_or_default();
    assert!(
        js.contains("front matter in JavaScript (`---js`) is not read"),
        "{js}"
    );
}

/// The forms WordPress exports (through Jekyll), RSS and Ruby write; and a
/// day the calendar lacks named as such.
#[test]
fn reads_dates_as_other_tools_export_them() {
    let at = |text| DateValue::parse(text, &sofia()).map(|d| d.rfc3339());
    let expected = Some("2011-06-20T10:00:00+03:00".to_string());
    assert_eq!(at("2011-06-20 00:00:00.000000000 -07:00"), expected);
    assert_eq!(at("2011-06-20 00:00:00 -07:00"), expected);
    assert_eq!(at("2011-06-20 07:00:00 UTC"), expected);
    assert_eq!(at("2011-06-20 07:00:00 GMT"), expected);
    assert_eq!(at("Mon, 20 Jun 2011 00:00:00 -0700"), expected);
    assert_eq!(at("2011-06-20 07:00 UTC"), expected);
    assert_eq!(at("2011-06-20 07:00:00 XYZ"), None);
    assert_eq!(super::dates::days_in_written_month("2026-02-30"), Some(28));
    assert_eq!(
        super::dates::days_in_written_month("2024-02-30 10:00"),
        Some(29)
    );
    assert_eq!(super::dates::days_in_written_month("2026-02-28"), None);
    assert_eq!(super::dates::days_in_written_month("1 December"), None);
    let (_, errors) = read("title: a\ndate: 2026-04-31\n");
    assert!(
        errors[0]
            .message
            .contains("\"2026-04-31\" is no day of the calendar: that month has 30 days"),
        "{errors:?}"
    );
}

#[test]
fn reads_dates_in_the_site_zone() {
    let d = DateValue::parse("2026-12-01 10:00", &sofia()).unwrap();
    assert_eq!(d.rfc3339(), "2026-12-01T10:00:00+02:00");
    let d = DateValue::parse("2026-07-01T10:00:00", &sofia()).unwrap();
    assert_eq!(d.rfc3339(), "2026-07-01T10:00:00+03:00");
    let d = DateValue::parse("2026-12-01T08:00:00Z", &sofia()).unwrap();
    assert_eq!(d.rfc3339(), "2026-12-01T10:00:00+02:00");
    let d = DateValue::parse("2026-12-01", &sofia()).unwrap();
    assert!(!d.has_time);
    assert!(DateValue::parse("1 December", &sofia()).is_none());
    let d = DateValue::parse("2026-12-01T10:00:00-14:00", &sofia()).unwrap();
    assert_eq!(d.rfc3339(), "2026-12-02T02:00:00+02:00");
    assert!(DateValue::parse("2026-12-01T10:00:00+25:00", &sofia()).is_none());
    let d = DateValue::parse("2024-01-05 10:00:00 +0200", &sofia()).unwrap();
    assert_eq!(d.rfc3339(), "2024-01-05T10:00:00+02:00", "Jekyll's form");
    let d = DateValue::parse("2024-07-05 10:00 -0400", &sofia()).unwrap();
    assert_eq!(d.rfc3339(), "2024-07-05T17:00:00+03:00");
    assert!(DateValue::parse("2026-12-01T10:00:00+1500", &sofia()).is_none());
    let d = DateValue::parse(
        "2026-12-01T10:00:00-05:00[America/Port-au-Prince]",
        &sofia(),
    );
    assert_eq!(
        d.map(|d| d.rfc3339()).as_deref(),
        Some("2026-12-01T17:00:00+02:00")
    );
}

#[test]
fn hugos_fields_are_read_or_pointed_out() {
    let (fm, problems) = read("title: a\nlastmod: 2024-05-06\nurl: /old/\ncategories: [x]\n");
    assert_eq!(
        fm.updated.map(|d| d.rfc3339()).as_deref(),
        Some("2024-05-06T00:00:00+03:00")
    );
    let warned: Vec<(Option<&str>, Option<usize>)> = problems
        .iter()
        .map(|p| (p.field.as_deref(), p.line))
        .collect();
    assert_eq!(
        warned,
        [(Some("url"), Some(4)), (Some("categories"), Some(5))],
        "{problems:?}"
    );
    assert!(fm.extra.contains_key("categories"));
    // Empty ones say nothing; Jekyll's spellings are pointed out too.
    let (_, problems) = read("title: a\ncategories: []\ntags: []\ncategory: news\nlayout: post\n");
    let warned: Vec<Option<&str>> = problems.iter().map(|p| p.field.as_deref()).collect();
    assert_eq!(warned, [Some("category"), Some("layout")], "{problems:?}");
    // jekyll-redirect-from's `redirect_from` is `aliases`, at its line.
    let (fm, problems) = read("title: a\nredirect_from:\n  - /old/\n  - /older/\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(fm.aliases, ["/old/", "/older/"]);
    assert_eq!(fm.line_of("aliases"), 3);
}

#[test]
fn a_date_at_the_end_of_time_is_out_of_range() {
    let (_, problems) = read_in("events", "title: a\nstart: 9999-12-31T23:00:00\n");
    assert!(problems[0].message.contains("out of range"), "{problems:?}");
    for early in [
        "0000-01-01",
        "0001-01-01T00:00:00+14:00",
        "0000-06-01T10:00:00",
    ] {
        let (_, problems) = read_in("events", &format!("title: a\nstart: {early}\n"));
        assert!(
            problems[0].message.contains("out of range"),
            "{early}: {problems:?}"
        );
    }
    let (_, problems) = read_in("events", "title: a\nstart: 2026-12-31T25:00:00\n");
    assert!(
        problems[0].message.contains("is not a date"),
        "{problems:?}"
    );
}

#[test]
fn a_time_the_spring_night_skips_is_a_warning() {
    let (fm, problems) = read_in(
        "events",
        "title: a\nstart: 2026-03-29T03:30:00\nend: 2026-03-29T05:00:00\n",
    );
    assert_eq!(
        fm.start.map(|d| d.rfc3339()).as_deref(),
        Some("2026-03-29T04:30:00+03:00")
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field.as_deref(), Some("start"));
    assert_eq!(problems[0].line, Some(3));
    assert!(
        problems[0].message.contains("03:30 does not exist"),
        "{problems:?}"
    );
    let (_, problems) = read_in("events", "title: a\nstart: 2026-03-29T03:30:00+02:00\n");
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn type_errors_name_field_and_line_once() {
    let (_, mut errors) = read("title: Здравей\ntags: 5\ndraft: \"yes\"\n");
    errors.sort_by_key(|d| d.line);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].field.as_deref(), Some("tags"));
    assert_eq!(errors[0].line, Some(3));
    assert_eq!(errors[1].field.as_deref(), Some("draft"));
    assert_eq!(errors[1].line, Some(4));
    let (_, errors) = read("title: [a, b]\n");
    assert_eq!(
        errors.len(),
        1,
        "a wrong type is not also missing: {errors:?}"
    );
}

/// Obsidian's text properties quote a flag; Hugo and Quartz read the text.
#[test]
fn a_flag_written_as_the_text_true_or_false_is_that_flag() {
    let (fm, errors) = read("title: a\ndraft: \"true\"\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(fm.draft);
    let (fm, errors) = read("title: a\ndraft: 'False '\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(!fm.draft);
}

#[test]
fn one_text_where_a_list_goes_is_read_as_hugo_and_jekyll_sites_write_it() {
    let (fm, errors) = read_in(
        "projects",
        "title: a\ntags: security\nsectors: ict, cleantech\naliases: /old/\npartners: ACME, Ltd\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.tags, ["security"]);
    assert_eq!(fm.sectors, ["ict", "cleantech"]);
    assert_eq!(fm.aliases, ["/old/"]);
    assert_eq!(fm.partners, ["ACME, Ltd"], "a name may hold a comma");
    let (fm, errors) = read("title: a\ntags: ИКТ, , Русе\nredirect_from: \"\"\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.tags, ["ИКТ", "Русе"]);
    assert!(fm.aliases.is_empty());
}

#[test]
fn yaml_1_2_scalars_are_text_as_written() {
    let (fm, errors) = read("title: Yes\ntags: [no, on, Off]\nauthor: 1.50\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.title, "Yes");
    assert_eq!(fm.tags, ["no", "on", "Off"]);
    assert_eq!(fm.author.as_deref(), Some("1.50"));
    assert_eq!(read("title: 1984\n").0.title, "1984");
    assert_eq!(read("title: true\n").0.title, "true");
}

#[test]
fn yaml_bombs_and_deep_nesting_are_refused_in_plain_words() {
    let deep = format!(
        "title: a\nx: {}1{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let maps = format!("title: a\nx: {}1{}\n", "{a: ".repeat(200), "}".repeat(200));
    let mut laughs =
        String::from("title: a\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let p = i - 1;
        laughs.push_str(&format!(
            "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
        ));
    }
    for (text, words) in [
        (deep, "nest too deeply"),
        (maps, "nest too deeply"),
        (laughs, "aliases"),
        ("title: a\nweight: .inf\n".to_string(), "quote the value"),
    ] {
        let e = parse(&text, 2, "a.md", &sofia()).unwrap_err();
        assert!(e.message.contains(words), "{e:?}");
        assert!(!e.message.contains('{') && e.help.is_none(), "{e:?}");
    }
}

#[test]
fn duplicate_keys_name_both_lines() {
    let e = parse(
        "title: a\ndate: 2026-01-01\ntitle: b\n",
        2,
        "a.md",
        &sofia(),
    )
    .unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("title"), "{shown}");
    assert!(
        shown.contains("`title` is written twice, on lines 2 and 4"),
        "{shown}"
    );
    assert_eq!(e.line, Some(4));
}

#[test]
fn an_alias_bomb_ends_in_an_error_at_once() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for name in "bcdefghij".chars() {
        yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    yaml.push_str("title: x\n");
    let started = std::time::Instant::now();
    assert!(parse(&yaml, 2, "a.md", &sofia()).is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn an_unquoted_colon_and_a_tab_get_a_hint() {
    let e = parse("title: Нова: статия\n", 2, "a.md", &sofia()).unwrap_err();
    assert!(e.help.as_deref().unwrap_or("").contains("quoted"), "{e}");
    let e = parse("title: x\nlocation:\n\tname: Русе\n", 2, "a.md", &sofia()).unwrap_err();
    assert!(e.help.as_deref().unwrap_or("").contains("spaces"), "{e}");
}

#[test]
fn an_empty_summary_counts_as_none() {
    assert_eq!(read("title: x\nsummary: \"\"\n").0.summary, None);
}

#[test]
fn unknown_fields_go_to_extra_and_misspelt_ones_are_flagged() {
    let (fm, problems) = read("title: x\nvenue_floor: 3\ntitel: y\n");
    assert_eq!(fm.extra["venue_floor"], Value::from(3));
    assert_eq!(fm.extra["titel"], Value::from("y"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(!problems[0].is_error());
    assert!(problems[0].message.contains("did you mean `title`?"));
}

/// An event's, a project's or an issue's fields on another page are its
/// own extra fields, whatever they hold: `status: deprecated` on a
/// documentation page is no project's status.
#[test]
fn another_kinds_fields_are_extra_fields() {
    let yaml =
        "title: a\nstatus: deprecated\nstart: soon\nlocation: [a, b]\nwebsite: 3\nsince: x\n";
    for section in ["docs", "news", ""] {
        let (fm, errors) = read_in(section, yaml);
        assert!(errors.is_empty(), "{section}: {errors:?}");
        assert_eq!(fm.extra["status"], "deprecated");
        assert_eq!(fm.extra["start"], "soon");
        assert!(fm.status.is_none() && fm.start.is_none());
    }
    let (_, errors) = read_in("projects", yaml);
    let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, ["start", "status", "website"], "{errors:?}");
    let (_, errors) = read_in("events", yaml);
    let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, ["start", "location"], "{errors:?}");
}

/// The kind of page a test file's path stands for (`content/events/x.md`).
fn kind_of(path: &str) -> PageKind {
    PageKind::of_section(path.trim_start_matches("content/"))
}

#[test]
fn other_tools_authors_and_dates_are_read() {
    let (fm, errors) = read("title: A\nauthor: [\"Аделина\", \"Борис\"]\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.author.as_deref(), Some("Аделина, Борис"));
    assert_eq!(fm.authors, ["Аделина", "Борис"]);
    let (fm, errors) = read("title: A\nauthors: [Rust Team]\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.author.as_deref(), Some("Rust Team"));
    // Starlight's layout names no template: kept aside, with a warning.
    let (fm, errors) = read("title: A\ntemplate: splash\n");
    assert!(fm.template.is_none() && fm.extra.contains_key("template"));
    assert!(
        errors
            .iter()
            .all(|e| e.severity == crate::diagnostics::Severity::Warning)
            && errors.len() == 1,
        "{errors:?}"
    );
    let (fm, _) = read("title: A\ntemplate: wide.html\n");
    assert_eq!(fm.template.as_deref(), Some("wide.html"));
    // Docusaurus writes a person out, alone or in a list with others' keys.
    let (fm, errors) = read("title: A\nauthors:\n  name: Gao Wei\n  url: https://x.example\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.author.as_deref(), Some("Gao Wei"));
    let (fm, errors) =
        read("title: A\nauthors:\n  - name: Joel Marcey\n    title: Engineer\n  - slorber\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.authors, ["Joel Marcey", "slorber"]);
    let (_, errors) = read("title: A\nauthors:\n  url: https://x.example\n");
    assert_eq!(errors.len(), 1, "a person without a name: {errors:?}");
    for written in ["'Jul 08 2022'", "\"July 8, 2022\"", "8 July 2022"] {
        let (fm, errors) = read(&format!("title: A\npubDate: {written}\n"));
        assert!(errors.is_empty(), "{written}: {errors:?}");
        let date = fm.date.map(|d| d.rfc3339()).unwrap_or_default();
        assert!(date.starts_with("2022-07-08"), "{written}: {date}");
    }
    let (_, errors) = read("title: A\npath: 2016/09/29/z\n");
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("`path` is not read")),
        "{errors:?}"
    );
}

#[test]
fn a_bare_end_date_before_the_start_day_ends_before_it() {
    let tz = jiff::tz::TimeZone::get("Europe/Sofia").unwrap();
    let date = |text: &str| super::dates::DateValue::parse(text, &tz).unwrap();
    assert!(date("2026-12-09").ends_before(&date("2026-12-10")));
    assert!(!date("2026-12-10").ends_before(&date("2026-12-10")));
    assert!(!date("2026-12-10").ends_before(&date("2026-12-10T10:00:00")));
    assert!(date("2026-12-10T09:00:00").ends_before(&date("2026-12-10T10:00:00")));
}

/// Keys in another case are the fields they spell, as Hugo reads them:
/// `Draft: true` keeps a page unpublished, `TITLE` is the title.
#[test]
fn keys_in_another_case_are_the_fields_they_spell() {
    let (fm, problems) =
        read("TITLE: Голям\nDate: 2026-01-05\nDraft: true\nTags: [a]\nMy_Key: x\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(fm.title, "Голям");
    assert!(fm.draft);
    assert_eq!(fm.tags, ["a"]);
    assert_eq!(fm.lines.get("draft"), Some(&4));
    assert!(fm.extra.contains_key("My_Key"));
    // Written in both cases, a field keeps its own spelling's value.
    let (fm, _) = read("title: малък\nTitle: Голям\ndate: 2026-01-05\n");
    assert_eq!(fm.title, "малък");
}

#[test]
fn hexo_dates_pandoc_ends_and_hugos_empty_date() {
    for (written, expected) in [
        ("2013-7-13", "2013-07-13T00:00:00+03:00"),
        ("2013/7/13 20:46:25", "2013-07-13T20:46:25+03:00"),
        ("2013/07/13", "2013-07-13T00:00:00+03:00"),
        // YAML's timestamp takes a one-digit hour (Jekyll's posts write it).
        ("2019-04-25 9:00:00", "2019-04-25T09:00:00+03:00"),
        ("2019-04-25T9:05:00Z", "2019-04-25T12:05:00+03:00"),
    ] {
        let (fm, problems) = read(&format!("title: a\ndate: {written}\n"));
        assert!(problems.is_empty(), "{written}: {problems:?}");
        assert_eq!(
            fm.date.map(|d| d.rfc3339()).as_deref(),
            Some(expected),
            "{written}"
        );
    }
    for wrong in ["2013-7-1-2", "13-7-13", "2013-123-1"] {
        let (_, problems) = read(&format!("title: a\ndate: {wrong}\n"));
        assert!(
            problems
                .first()
                .is_some_and(|p| p.message.contains("not a date")),
            "{wrong}: {problems:?}"
        );
    }
    let (_, problems) = read("title: a\ndate: 0001-01-01T00:00:00Z\n");
    assert!(
        problems[0].message.contains("Hugo's empty date"),
        "{problems:?}"
    );
    let split = super::split("---\ntitle: Pandoc\n...\nТекст.\n").unwrap();
    assert_eq!(split.front_matter, "title: Pandoc\n");
    assert_eq!(split.body, "Текст.\n");
}

#[test]
fn an_empty_item_of_a_list_adds_nothing() {
    let (fm, problems) = read("title: a\ntags:\n  - ИИ\n  -\n  - Русе\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(fm.tags, ["ИИ", "Русе"]);
}

#[test]
fn astro_and_jekyll_names_of_fields_are_read() {
    let (fm, problems) = read(
        "title: a\ndate: 2024-01-05\nupdatedDate: 2024-02-01\nheroImage: /hero.png\nimage_alt: Герой\nexcerpt: Кратко.\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert!(
        fm.updated
            .map(|d| d.rfc3339())
            .unwrap_or_default()
            .starts_with("2024-02-01")
    );
    assert_eq!(fm.image.as_deref(), Some("/hero.png"));
    assert_eq!(fm.summary.as_deref(), Some("Кратко."));
    assert_eq!(fm.image_alt.as_deref(), Some("Герой"));
    // Without an alt, Astro's hero is decorative, as its template shows it.
    let (fm, problems) = read("title: a\ndate: 2024-01-05\nheroImage: /hero.png\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(fm.image_alt.as_deref(), Some(""));
}

/// MkDocs Material's blog dates: `created` is the date, `updated` the update.
#[test]
fn material_blog_dates_are_read() {
    let (fm, problems) =
        read("title: a\ndate:\n  created: 2024-01-31\n  updated: 2024-02-05T10:00:00\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        fm.date.map(|d| d.rfc3339()).as_deref(),
        Some("2024-01-31T00:00:00+02:00")
    );
    assert_eq!(
        fm.updated.map(|d| d.rfc3339()).as_deref(),
        Some("2024-02-05T10:00:00+02:00")
    );
    // A page's own `updated` wins; a map without `created` is still an error.
    let (fm, _) =
        read("title: a\nupdated: 2024-03-01\ndate: {created: 2024-01-31, updated: 2024-02-05}\n");
    assert_eq!(
        fm.updated.map(|d| d.rfc3339()).as_deref(),
        Some("2024-03-01T00:00:00+02:00")
    );
    let (_, problems) = read("title: a\ndate: {when: 2024-01-31}\n");
    assert!(
        problems
            .iter()
            .any(|p| p.is_error() && p.field.as_deref() == Some("date")),
        "{problems:?}"
    );
}

/// Jekyll splits a post's (or collection page's) `tags: rust web` at
/// spaces; elsewhere a string is one tag (Hugo's reading) unless commas
/// part it.
#[test]
fn jekyll_posts_split_their_tags_at_spaces() {
    let (fm, _) = read_in("_posts", "title: a\ntags: rust web\n");
    assert_eq!(fm.tags, ["rust", "web"]);
    let (fm, _) = read_in("_docs", "title: a\ntags: rust web\n");
    assert_eq!(fm.tags, ["rust", "web"], "a collection, as Jekyll reads it");
    let (fm, _) = read_in("_posts", "title: a\ntags: дигитални иновации, Русе\n");
    assert_eq!(fm.tags, ["дигитални иновации", "Русе"]);
    let (fm, _) = read_in("news", "title: a\ntags: machine learning\n");
    assert_eq!(fm.tags, ["machine learning"]);
}
