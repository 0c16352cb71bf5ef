//! Generated and hostile content: every build ends, quickly, either with a
//! site or with errors that name file and line; never with a panic.

mod support;

use std::process::Stdio;
use std::sync::mpsc::channel;
use std::time::Duration;

use support::TestSite;

/// A small deterministic generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const FRONT_MATTER: &[&str] = &[
    "title: Заглавие\ndate: 2026-01-01\n",
    "title: \"незатворени кавички\ndate: 2026-01-01\n",
    "title: x\ndate: 2026-01-01\ntags: [a, [b, [c]]]\n",
    "title: x\n\tdate: 2026-01-01\n",
    "title: &a x\ndate: *a\n",
    "title: x\ndate: 2026-13-45T99:99\n",
    "title: x\ndate: 2026-01-01\nweight: 99999999999999999999999\n",
    "title: x\ndate: 2026-01-01\nsectors: {a: b}\n",
    "title: x\ndate: 2026-01-01\nlocation: [1, 2]\n",
    "- a list\n- not a map\n",
    "just text\n",
    "title: x\ndate: 2026-01-01\nslug: ../../../../etc\n",
    "title: x\ndate: 2026-01-01\naliases: [\"/\", \"../x\", \"a\\u0000b\"]\n",
    "title: \u{feff}x\ndate: 2026-01-01\n",
    "title: x\r\ndate: 2026-01-01\rtags: [a]\n",
    "? [complex, key]\n: value\ntitle: x\ndate: 2026-01-01\n",
    "title: !!binary aGVsbG8=\ndate: 2026-01-01\n",
    "title: x\ndate: 2026-01-01\nextra: {a: {b: {c: {d: {e: [1, 2, {f: g}]}}}}}\n",
];

/// A body part: Markdown that has broken parsers before.
fn body_part(rng: &mut Rng) -> String {
    match rng.next() % 13 {
        0 => ">".repeat(3000) + " deep\n",
        1 => (0..800)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect(),
        2 => "a".repeat(1_000_000) + "\n",
        3 => "[".repeat(20_000) + "x" + &"](y)".repeat(100) + "\n",
        4 => "*a **b ***c ".repeat(5000) + "\n",
        5 => "| a | b |\n|---|---|\n".to_string() + &"| x | y |\n".repeat(3000),
        6 => "text\0with\0nul\r\nand\rmixed\n".to_string(),
        7 => "<div><span>unclosed <script>alert(1)</script>\n".to_string(),
        8 => "[link](../../../../../../etc/passwd.md) [x](#) [y](<> ) ![](#)\n".to_string(),
        9 => "```\nunclosed code\n".to_string(),
        10 => "# ".to_string() + &"#".repeat(2000) + "\n\n######## seven\n",
        // Each mark was looked for from the line's start (or to its end) again.
        11 => "{{ x }} {% link a.md %} [[w]] {: .a} `c` ".repeat(30_000) + "\n",
        _ => "[^note] [^note]\n\n[^note]: a\n[^note]: b\n".to_string(),
    }
}

/// A file with good front matter and a hostile body, or the other way round.
fn hostile_file(rng: &mut Rng, hostile_body: bool) -> Vec<u8> {
    let mut file = b"---\n".to_vec();
    if hostile_body {
        file.extend_from_slice(b"title: X\ndate: 2026-01-01\nstart: 2026-02-01T10:00:00\n---\n");
        for _ in 0..(1 + rng.next() % 3) {
            file.extend_from_slice(body_part(rng).as_bytes());
        }
    } else {
        file.extend_from_slice(rng.pick(FRONT_MATTER).as_bytes());
        if !rng.next().is_multiple_of(5) {
            file.extend_from_slice(b"---\n");
        }
        file.extend_from_slice("Обикновен текст.\n".as_bytes());
    }
    if rng.next().is_multiple_of(12) {
        // Invalid UTF-8 somewhere in the middle.
        let at = (rng.next() as usize) % file.len();
        file.insert(at, 0xFF);
    }
    file
}

#[test]
fn hostile_content_builds_or_fails_with_located_errors_never_panics_or_hangs() {
    let mut rng = Rng(0x5EED_D0A4);
    let mut built = 0;
    for round in 0..6 {
        // Half the rounds let broken links pass as warnings, so that the
        // hostile bodies reach the templates and the output too.
        let toml = format!("{}\n[links]\nmissing = \"warning\"\n", support::SITE_TOML);
        let site = match round % 2 {
            0 => TestSite::new(&[("site.toml", &toml)]),
            _ => TestSite::new(&[]),
        };
        for i in 0..12 {
            let section = rng.pick(&["news", "events", "projects", "newsletter", "misc"]);
            let path = site
                .root()
                .join(format!("content/{section}/f{round}-{i}.md"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let hostile_body = round % 2 == 0 || i % 2 == 0;
            std::fs::write(&path, hostile_file(&mut rng, hostile_body)).unwrap();
        }
        let mut child = site
            .command(&["build"], &[])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut { stderr }, &mut text);
            let _ = tx.send(text);
        });
        let text = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(text) => text,
            Err(_) => {
                let _ = child.kill();
                panic!("round {round}: the build did not end within two minutes");
            }
        };
        let status = child.wait().unwrap();
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "round {round}: exit {status:?} (a panic?):\n{text}"
        );
        for line in text.lines().filter(|l| l.starts_with("error: ")) {
            let located = line.starts_with("error: content/")
                || line.contains(" error(s) in the site's files");
            assert!(
                located,
                "round {round}: an error without its file: {line}\n{text}"
            );
        }
        assert!(!text.contains("panicked"), "round {round}:\n{text}");
        if status.success() {
            built += 1;
            assert!(
                site.exists("index.html"),
                "round {round}: a site was written"
            );
        }
    }
    assert!(built >= 1, "some rounds must get through to the output");
}

/// A repository built by CI must not publish the machine's files through a
/// symbolic link; a link within the site is fine.
#[test]
fn symbolic_links_out_of_the_site_are_errors_and_nothing_of_them_is_published() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Таен\n---\nТайна.\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("key.txt"), "SECRET-KEY").unwrap();
    let site = TestSite::new(&[
        ("content/about.md", "---\ntitle: За нас\n---\nКои сме.\n"),
        ("static/files/real.txt", "истински"),
    ]);
    let root = site.root();
    let link = |target: &std::path::Path, at: &str| {
        std::os::unix::fs::symlink(target, root.join(at)).unwrap();
    };
    link(&outside.path().join("secret.md"), "content/secret.md");
    link(outside.path(), "static/machine");
    link(&outside.path().join("key.txt"), "static/key.txt");
    link(&root.join("static/files/real.txt"), "static/alias.txt");
    let err = site.build_fails(&[]);
    for path in ["content/secret.md", "static/machine", "static/key.txt"] {
        assert!(
            err.contains(&format!(
                "{path}: a symbolic link to a file or folder outside the site"
            )),
            "{path} in {err}"
        );
    }
    assert!(!err.contains("alias.txt"), "{err}");
    std::fs::remove_file(root.join("content/secret.md")).unwrap();
    std::fs::remove_file(root.join("static/machine")).unwrap();
    std::fs::remove_file(root.join("static/key.txt")).unwrap();
    site.build(&[]);
    assert_eq!(site.read("alias.txt"), "истински");
    // A link to a file that is gone is named as one.
    link(std::path::Path::new("gone.md"), "content/dangling.md");
    assert!(
        site.build_fails(&[])
            .contains("content/dangling.md: a symbolic link to gone.md, which is not there")
    );
}

#[test]
fn backups_and_merge_leftovers_beside_a_draft_are_never_published() {
    let draft = support::md(
        "title: Тайна\ndate: 2026-01-05\ndraft: true",
        "Ембарго до петък.",
    );
    let site = TestSite::new(&[
        ("content/news/secret.md", &draft),
        ("content/news/secret.md.orig", &draft),
        ("content/news/secret.md.save", &draft),
        ("content/news/secret.bak", &draft),
        ("content/news/merge.REJ", &draft),
        ("content/news/plan.pdf", "a document"),
        ("content/news/#secret.md#", &draft),
        ("content/.trash/secret.md", &draft),
        ("content/news/.obsidian/secret.md", &draft),
        (
            "content/news/#hash.md",
            &support::md("title: Хеш\ndate: 2026-01-05", "Публично."),
        ),
    ]);
    // Emacs' lock file while `secret.md` is edited: a link to nowhere.
    std::os::unix::fs::symlink(
        "editor@host.1234:1700000000",
        site.root().join("content/news/.#secret.md"),
    )
    .unwrap();
    site.build(&[]);
    let published = site.files().join("\n");
    assert!(!published.contains("secret"), "{published}");
    assert!(!published.contains("merge"), "{published}");
    assert!(published.contains("news/plan.pdf"), "{published}");
    assert!(
        published.contains("news/hash/index.html"),
        "a name, not an autosave: {published}"
    );
}

#[test]
fn a_date_before_year_one_in_any_zone_is_out_of_range() {
    let site = TestSite::new(&[(
        "content/news/old.md",
        &support::md("title: Старо\ndate: 0001-01-01T00:00:00+14:00", "Текст."),
    )]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains(
            "content/news/old.md:3: `date`: \"0001-01-01T00:00:00+14:00\" is out of range"
        ),
        "{err}"
    );
}

#[test]
fn an_image_that_is_a_script_or_a_missing_file_is_an_error_at_its_field() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        &support::md(
            "title: А\ndate: 2026-01-05\nimage: \"javascript:alert(1)\"\nimage_alt: x",
            "Текст.",
        ),
    )]);
    let toml = site.read_source("site.toml");
    site.write(
        "site.toml",
        &format!("{toml}\n[sharing]\nimage = \"missing.png\"\nlogo = \"javascript:alert(1)\"\n"),
    );
    let err = site.build_fails(&[]);
    for expected in [
        "content/news/a.md:4: `image`: \"javascript:alert(1)\" is not an image the site can show",
        "warning: site.toml:30: `sharing.image`: \"missing.png\" names no file in static/",
        "`sharing.logo`: \"javascript:alert(1)\" is not an image the site can show",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // A protocol-relative image is an https one; one in static/ is the site's.
    site.write_bytes("static/img/b.png", &support::plain_png(4, 3));
    site.write(
        "content/news/b.md",
        &support::md(
            "title: Б\ndate: 2026-01-05\nimage: /img/b.png\nimage_alt: x",
            "Текст.",
        ),
    );
    site.write(
        "content/news/a.md",
        &support::md(
            "title: А\ndate: 2026-01-05\nimage: \"//cdn.example.org/a.png\"\nimage_alt: x",
            "Текст.",
        ),
    );
    site.write("site.toml", &toml);
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert!(
        html.contains("content=\"https://cdn.example.org/a.png\""),
        "{html}"
    );
    let b = site.read("news/b/index.html");
    assert!(b.contains("/img/b"), "{b}");
}

/// A template loop that never ends in practice (ten billion steps) stops
/// `build` with an error naming the page, instead of wedging it, and the
/// published site is left as it was.
#[test]
fn a_render_that_does_not_end_stops_the_build_and_publishes_nothing() {
    let site = TestSite::new(&[(
        "content/news/a.md",
        "---\ntitle: А\ndate: 2026-01-10\n---\nТекст.\n",
    )]);
    site.build(&[]);
    let before = site.read("news/a/index.html");
    site.write(
        "themes/dunav/templates/news.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let mut child = site
        .command(&["build"], &[("DUNAV_RENDER_TIMEOUT", "2")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Waits for the exit the watchdog causes, without trusting it to come.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the build never stopped");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(
        stderr.contains("error: rendering news/a/index.html (content/news/a.md) with the template news.html has run for 2 s"),
        "{stderr}"
    );
    assert_eq!(site.read("news/a/index.html"), before);
}

/// Thousands of tags left open are named by their first few, so that the
/// warning is a line a person reads.
#[test]
fn thousands_of_unclosed_tags_make_one_short_warning() {
    let page = format!(
        "---\ntitle: Много\n---\n{}текст\n",
        "<div>\n".repeat(10_000)
    );
    let site = TestSite::new(&[("content/many.md", &page)]);
    let out = site.build(&[]);
    let said = String::from_utf8_lossy(&out.stderr);
    let line = said
        .lines()
        .find(|l| l.contains("without its pair"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        line.contains("<div>, <div>, <div>, <div>, <div> and 9995 more"),
        "{line}"
    );
    assert!(line.len() < 300, "{line}");
}
