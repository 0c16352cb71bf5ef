//! Markdown as other tools write it: their alerts, attribute lists and
//! template tags, read for what they mean.

use super::md;

/// Jekyll's `{% raw %}` tags are left out, in code too, and the Liquid
/// they hold is text: shown, never warned of as a tag.
#[test]
fn liquid_raw_tags_are_left_out_and_what_they_hold_is_text() {
    let r = md(
        "{% raw %}\nПишете {{ site.title }}.\n{% endraw %}\n\n```liquid\n{%- raw -%}\n{% if x %}{{ y }}{% endif %}\n{% endraw %}\n```\n\nВ ред: `{% raw %}{{ page.url }}{% endraw %}`.\n\nПосле {{ site.x }}\n",
    );
    assert!(!r.html.contains("raw %"), "{}", r.html);
    assert!(r.html.contains("Пишете {{ site.title }}."), "{}", r.html);
    assert!(r.html.contains("<code>{{ page.url }}</code>"), "{}", r.html);
    let warned: Vec<&str> = r.shortcodes.iter().map(|(_, code)| code.as_str()).collect();
    assert_eq!(warned, ["{{ site.x }}"], "only the tag outside raw");
    // A tag shown in a code span, or one never closed, is text.
    let r = md(
        "Jekyll's `{% raw %}` tag, and `{% endraw %}`.\n\nAn open {% raw %} tag.\n\nAfter {{ site.x }}\n",
    );
    assert!(r.html.contains("<code>{% raw %}</code>"), "{}", r.html);
    assert!(r.html.contains("<code>{% endraw %}</code>"), "{}", r.html);
    assert!(r.html.contains("An open {% raw %} tag."), "{}", r.html);
    // The open one is a tag published as text, said as any; nothing is hidden.
    let warned: Vec<&str> = r.shortcodes.iter().map(|(_, code)| code.as_str()).collect();
    assert_eq!(warned, ["{% raw %}", "{{ site.x }}"]);
    // A `{%}` is no tag (it made the reader slice backwards).
    let r = md("The {%} sign and raw text.\n");
    assert!(r.html.contains("{%} sign"), "{}", r.html);
}

/// Jekyll's `post_url` and `link` tags are links (resolved by the site:
/// `@name/` a post by its name, `@/` a path from the content folder).
#[test]
fn jekyll_link_tags_are_links() {
    let r = md(
        "[A]({% post_url 2024-05-01-a %}#part), [B]({% link _posts/2024-05-02-b.md %}), [C]({%- link about.md -%}), {% post_url 2024-05-01-a %}.\n\n`{% post_url x %}`\n",
    );
    for link in [
        "<a href=\"@name/2024-05-01-a#part\">A</a>",
        "<a href=\"@name/2024-05-02-b\">B</a>",
        "<a href=\"@/about.md\">C</a>",
        "<a href=\"@name/2024-05-01-a\">2024-05-01-a</a>",
        "<code>{% post_url x %}</code>",
    ] {
        assert!(r.html.contains(link), "{link} in {}", r.html);
    }
    assert!(r.shortcodes.is_empty(), "{:?}", r.shortcodes);
    // In a reference definition, an example kept raw, indented code: as written there.
    let r = md(
        "[p][d], [h][r]\n\n[d]: {% post_url 2024-05-01-a %}\n[r]: {{< ref \"b.md\" >}}\n\n{% raw %}\n{% post_url x %} {{ site.baseurl }}/y\n{% endraw %}\n\n    {% link about.md %}\n",
    );
    for html in [
        "<a href=\"@name/2024-05-01-a\">p</a>",
        "<a href=\"@./b.md\">h</a>",
        "{% post_url x %} {{ site.baseurl }}/y",
        "<code>{% link about.md %}",
    ] {
        assert!(r.html.contains(html), "{html} in {}", r.html);
    }
    // A variable's address is no path; a quoted one is from the root.
    let r = md("[a]({{ page.url | relative_url }}) [b]({{ 'files/b.pdf' | relative_url }})\n");
    assert!(
        r.html.contains("<a href=\"/files/b.pdf\">b</a>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("href=\"page.url\""), "{}", r.html);
    // In an HTML block, indented lines are its own, not code.
    let r = md(
        "<div class=\"note\">\n    <a href=\"{{ '/docs/x/' | relative_url }}\">x</a>\n</div>\n\n    {{ '/code/' | relative_url }}\n",
    );
    assert!(r.html.contains("<a href=\"/docs/x/\">x</a>"), "{}", r.html);
    assert!(
        r.html
            .contains("<code>{{ &#39;/code/&#39; | relative_url }}"),
        "{}",
        r.html
    );
    // Addresses made with Liquid are the site's paths.
    let r = md(
        "![Лого]({{ site.baseurl }}/assets/logo.png) [PDF]({{ \"/files/a.pdf\" | relative_url }}) [Б]({{site.url}}{{site.baseurl}}/b/)\n\n`{{ site.baseurl }}/x`\n",
    );
    for html in [
        "<img src=\"/assets/logo.png\" alt=\"Лого\"",
        "<a href=\"/files/a.pdf\">PDF</a>",
        "<a href=\"/b/\">Б</a>",
        "<code>{{ site.baseurl }}/x</code>",
    ] {
        assert!(r.html.contains(html), "{html} in {}", r.html);
    }
    assert!(r.shortcodes.is_empty(), "{:?}", r.shortcodes);
}

/// MkDocs' attribute lists after a link or an image are left out; braces
/// that are text stay.
#[test]
fn mkdocs_attribute_lists_after_links_are_left_out() {
    let r = md(
        "[Абонирайте се](#){ .md-button .md-button--primary } и ![Лого](x.png){ width=\"300\" }.\n\nФункция f(x) {a, b} и `g(){ .x }`.\n",
    );
    assert!(
        r.html.contains("<a href=\"#\">Абонирайте се</a> и <img"),
        "{}",
        r.html
    );
    assert!(r.html.contains("alt=\"Лого\" />."), "{}", r.html);
    assert!(r.html.contains("f(x) {a, b}"), "{}", r.html);
    assert!(r.html.contains("<code>g(){ .x }</code>"), "{}", r.html);
    assert!(!r.html.contains("md-button"), "{}", r.html);
    // After a reference link too; a bracket that ends no link keeps its braces.
    let r = md("[Демо][demo]{ .md-button } и [бележка]{ .x }.

[demo]: https://example.org/
");
    assert!(
        r.html
            .contains("<a href=\"https://example.org/\">Демо</a> и [бележка]{ .x }."),
        "{}",
        r.html
    );
}

/// Jekyll's kramdown attribute lists give a heading its id and class, and
/// never show as text; `markdown="1"` is no attribute of the HTML.
#[test]
fn kramdown_attribute_lists_are_read_not_shown() {
    let r = md(
        "## Версия 1.0\n{: #v1-0-0}\n\nВиж [по-горе](#v1-0-0).\n{: .note}\n\n<div class=\"x\" markdown=\"1\">\nТекст\n</div>\n",
    );
    assert!(r.html.contains("<h2 id=\"v1-0-0\">"), "{}", r.html);
    assert!(!r.html.contains("{:"), "{}", r.html);
    assert!(r.html.contains("<div class=\"x\">"), "{}", r.html);
    // Markdown inside the tag, without a blank line after it, as kramdown reads it.
    let r = md(
        "<div class=\"notice\" markdown=\"1\">\n**Важно:** виж [тук](https://example.org).\n</div>\n\nСлед това.\n\n```\n<div markdown=\"1\">\n```\n",
    );
    assert!(
        r.html.contains("<div class=\"notice\">\n<p><strong>Важно:</strong> виж <a href=\"https://example.org\">тук</a>.</p>\n</div>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>След това.</p>"), "{}", r.html);
    assert!(
        r.html.contains("&lt;div markdown=&quot;1&quot;&gt;"),
        "in code as written: {}",
        r.html
    );
    assert!(!r.html.contains("dunav-markdown"), "{}", r.html);
    // In a list item it is the item's; a span stays inline; a tab makes code.
    let r = md("1. Първо\n\n   <div markdown=\"1\">\n   **Това**\n   </div>\n\n2. Второ\n");
    assert!(
        r.html.contains("<ol>") && !r.html.contains("<ol start"),
        "{}",
        r.html
    );
    let r = md("Абзац\n<span markdown=\"1\">\n*x*</span>\n\n\t<div markdown=\"1\">\n");
    assert!(
        !r.html.contains("dunav-markdown") && r.html.contains("<code>&lt;div"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>Абзац\n<span>"), "{}", r.html);
    // A `<details>`'s summary on the line after its tag.
    let r = md("<details markdown=\"1\">\n<summary>Още</summary>\n**Силно**\n</details>\n");
    assert!(
        r.html.contains(
            "<details>\n<summary>Още</summary>\n<p><strong>Силно</strong></p>\n</details>"
        ),
        "{}",
        r.html
    );
}

/// MkDocs' (md_in_html) bare `markdown` attribute asks for Markdown inside
/// as `markdown="1"` does, and no form of it stays in the HTML; the word in
/// an attribute's value or in text stays.
#[test]
fn mkdocs_bare_markdown_attributes_are_read_and_left_out() {
    let r = md(
        "<div class=\"result\" markdown>\n**b**\n</div>\n\n<figure markdown=\"span\">\nx\n<figcaption markdown>Cap</figcaption>\n</figure>\n\n<p title=\"it's markdown\" data-x='a markdown'>the markdown word</p>\n",
    );
    assert!(
        r.html
            .contains("<div class=\"result\">\n<p><strong>b</strong></p>\n</div>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<figcaption>Cap</figcaption>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<figure>"), "{}", r.html);
    assert!(
        r.html
            .contains("<p title=\"it's markdown\" data-x='a markdown'>the markdown word</p>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains(" markdown>"), "{}", r.html);
}

/// Obsidian's and Hugo's callouts, and the titles other tools give their
/// containers and admonitions, show as the alert's title, not as text.
#[test]
fn callouts_and_containers_keep_their_titles() {
    let title = |kind: &str, title: &str| {
        format!(
            "<blockquote class=\"markdown-alert-{kind}\">\n<p class=\"markdown-alert-title\">{title}</p>"
        )
    };
    let r = md("> [!tip] Как да *започнете*\n> Първо прочетете.\n");
    assert!(
        r.html.contains(&title("tip", "Как да <em>започнете</em>")),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>Първо прочетете.</p>"), "{}", r.html);
    assert!(!r.html.contains("[!"), "{}", r.html);
    // Folded, of another tool's type, the title alone in its paragraph.
    let r = md("> [!faq]- Въпроси\n>\n> Отговор.\n");
    assert!(r.html.contains(&title("note", "Въпроси")), "{}", r.html);
    assert!(
        r.html.contains("<p>Отговор.</p>\n</blockquote>"),
        "{}",
        r.html
    );
    let r = md("> [!bug]\n> Грешка.\n\n> > [!warning] Вътре\n> > Текст.\n");
    assert!(
        r.html.contains(&title("caution", "Предупреждение")),
        "{}",
        r.html
    );
    assert!(r.html.contains(&title("warning", "Вътре")), "{}", r.html);
    for (source, kind, words) in [
        (":::tip Съвет за вас\nТекст.\n:::\n", "tip", "Съвет за вас"),
        (":::note[Заглавие]\nТекст.\n:::\n", "note", "Заглавие"),
        (
            ":::tip{title=\"Директива\"}\nТекст.\n:::\n",
            "tip",
            "Директива",
        ),
        (
            "::: {.callout-warning title=\"Пазете\"}\nТекст.\n:::\n",
            "warning",
            "Пазете",
        ),
        ("!!! danger \"Опасно\"\n    Текст.\n", "caution", "Опасно"),
        ("!!! note \"\"\n    Текст.\n", "note", "Бележка"),
        ("!!!warning \"Слято\"\n    Текст.\n", "warning", "Слято"),
    ] {
        let r = md(source);
        assert!(r.html.contains(&title(kind, words)), "{source}: {}", r.html);
        assert!(r.html.contains("<p>Текст.</p>"), "{source}: {}", r.html);
    }
    // Indented four spaces after its `>`, a callout's line is code.
    let r = md(">     [!NOTE] Заглавие\n");
    assert!(!r.html.contains("markdown-alert-title"), "{}", r.html);
    assert!(r.html.contains("<pre"), "{}", r.html);
    // A title's links, images and footnotes are the text's.
    let r = md("> [!tip] Виж [плана](plan.md)[^1] ![лого](logo.png)\n> Текст.\n\n[^1]: Бележка.\n");
    assert!(
        r.html.contains(&title("tip", "Виж <a href=\"plan.md\">плана</a><sup class=\"footnote-reference\" id=\"fn-1-ref\"><a href=\"#fn-1\" role=\"doc-noteref\">1</a></sup> <img src=\"logo.png\" alt=\"лого\" />")),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>Текст.</p>"), "{}", r.html);
    assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
    // A title is a line of text, whatever it starts with.
    for (written, shown) in [
        ("1. Стъпка", "1. Стъпка"),
        ("- бележка", "- бележка"),
        ("# Не", "# Не"),
    ] {
        let r = md(&format!("> [!tip] {written}\n> Текст.\n"));
        assert!(
            r.html.contains(&title("tip", shown)),
            "{written}: {}",
            r.html
        );
    }
    // HTML in a title is shown as written, never half a tag.
    let r = md("> [!note] <script>alert(1)</script> и <b>\n> Текст.\n");
    assert!(
        r.html.contains(&title(
            "note",
            "&lt;script&gt;alert(1)&lt;/script&gt; и &lt;b&gt;"
        )),
        "{}",
        r.html
    );
    // A quote that only starts with a bracket is a quote.
    let r = md("> [!] не е тип\n");
    assert!(
        r.html.contains("<blockquote>\n<p>[!] не е тип</p>"),
        "{}",
        r.html
    );
}

/// Docusaurus' and Pandoc's containers show as alerts; a line that starts
/// with a colon and no space is a paragraph's text, not a definition.
#[test]
fn colon_lines_are_containers_or_text_never_stray_definitions() {
    let r = md(
        "Срещата е в 10 ч.\n\n:) Ще се видим.\n\n:::danger Внимателно\nНе пипайте.\n:::\n\nТерм\n: определение\n",
    );
    assert!(r.html.contains("<p>:) Ще се видим.</p>"), "{}", r.html);
    assert!(
        r.html
            .contains("<blockquote class=\"markdown-alert-caution\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("Не пипайте."), "{}", r.html);
    assert_eq!(r.html.matches("<dd>").count(), 1, "{}", r.html);
    assert!(!r.html.contains(":::"), "{}", r.html);
    let r = md("> Цитат.\n>\n> :::warning Пазете\n> Вътре.\n> :::\n");
    assert!(
        r.html
            .contains("<p>Цитат.</p>\n<blockquote class=\"markdown-alert-warning\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>Вътре.</p>"), "{}", r.html);
    assert!(
        !r.html.contains(":::") && !r.html.contains("<dl>"),
        "{}",
        r.html
    );
    for list in ["- точка\n\n", "- точка\n", "1. първа\n\n"] {
        let r = md(&format!("{list}::: warning\nНе така.\n:::\n"));
        assert!(
            r.html.contains("markdown-alert-warning"),
            "{list}: {}",
            r.html
        );
        assert!(
            !r.html.contains(":::") && !r.html.contains("<dl>"),
            "{list}: {}",
            r.html
        );
    }
    // Thousands of quotes deep, each opening a container: no deeper calls.
    let deep: String = (1..3000)
        .map(|n| format!("{}:::tip\n", "> ".repeat(n)))
        .collect();
    let r = md(&deep);
    assert!(r.html.contains("markdown-alert-tip"));
    let r = md("  :::tip\n  Отместено.\n  :::\n");
    assert!(r.html.contains("markdown-alert-tip"), "{}", r.html);
    assert!(r.html.contains("<p>Отместено.</p>"), "{}", r.html);
    assert!(!r.html.contains(":::"), "{}", r.html);
    let r = md("1. Първа\n\n   :::tip\n   Вътре.\n   :::\n\n2. Втора\n");
    assert_eq!(r.html.matches("<ol").count(), 1, "{}", r.html);
    assert!(
        r.html
            .contains("<li>\n<p>Първа</p>\n<blockquote class=\"markdown-alert-tip\">"),
        "{}",
        r.html
    );
    let r = md("-   Първа\n\n    :::note\n    Вътре.\n    :::\n\n-   Втора\n");
    assert_eq!(r.html.matches("<ul>").count(), 1, "{}", r.html);
    assert!(r.html.contains("markdown-alert-note"), "{}", r.html);
    let r = md("!!! note\n    Едно.\n\n    !!! tip\n        Две.\n");
    assert!(
        r.html
            .contains("<blockquote class=\"markdown-alert-note\">")
            && r.html.contains("<blockquote class=\"markdown-alert-tip\">"),
        "{}",
        r.html
    );
    let r = md("!!! tip \"Съвет\"\n    Вижте **това**.\n\nСлед това.\n");
    assert!(
        r.html.contains("<blockquote class=\"markdown-alert-tip\">"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<strong>това</strong>.</p>\n</blockquote>\n<p>След това.</p>"),
        "{}",
        r.html
    );
}

/// MkDocs Material's content tabs show each tab's title and content; an
/// admonition inside a tab is an alert.
#[test]
fn mkdocs_content_tabs_show_each_tab() {
    let r = md(
        "=== \"Linux\"\n\n    ```sh\n    make\n    ```\n\n=== \"Windows\"\n\n    !!! note\n        Бележка.\n",
    );
    assert!(
        r.html.contains("<p><strong>Linux</strong></p>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<strong>Windows</strong>"), "{}", r.html);
    assert!(!r.html.contains("==="), "{}", r.html);
    assert!(r.html.contains("markdown-alert-note"), "{}", r.html);
    assert_eq!(r.html.matches("<pre").count(), 1, "{}", r.html);
}

/// `[[1]](#ref1)` is a citation's link, and `[[ -f x ]]` a shell test: no
/// wiki links, no warnings.
#[test]
fn brackets_that_are_no_wiki_links_stay_what_they_were() {
    let r = md("Виж [[1]](#ref1) и [[^a]].\n\n## Източници {#ref1}\n\n[^a]: Бележка.\n");
    assert!(r.html.contains("<a href=\"#ref1\">[1]</a>"), "{}", r.html);
    assert!(
        r.html.contains("[<sup class=\"footnote-reference\""),
        "{}",
        r.html
    );
    // The page's other wiki links are still read.
    let r = md("Виж [[1]](#ref1) и [[Друго]].\n");
    assert_eq!(r.unresolved_wiki_links, vec![(1, "Друго".to_string())]);
    let r = md("Първият е a[[0]], вторият b[[1]].\n");
    assert!(r.html.contains("a[[0]]"), "{}", r.html);
    assert!(r.unresolved_wiki_links.is_empty());
    // Text without spaces (Chinese) still links.
    let r = md("参见[[Друго]]页面。\n");
    assert_eq!(r.unresolved_wiki_links, vec![(1, "Друго".to_string())]);
    let r = md("Пишете `if` [[ -f x ]] в обвивката.\n");
    assert!(r.html.contains("[[ -f x ]]"), "{}", r.html);
    assert!(r.unresolved_wiki_links.is_empty());
}

/// A wiki link in a heading is never left as a relative link to its name.
#[test]
fn a_wiki_link_in_a_heading_is_read_as_in_the_text() {
    let r = md("## Виж [[Друго]]\n");
    assert!(r.html.contains("Виж [[Друго]]"), "{}", r.html);
    assert!(!r.html.contains("href=\"Друго\""), "{}", r.html);
    // Warned of as in the text.
    assert_eq!(r.unresolved_wiki_links, vec![(1, "Друго".to_string())]);
}

/// A Hugo `figure` called within a paragraph's line ends the paragraph: a
/// `<figure>` in a `<p>` is invalid HTML.
#[test]
fn a_figure_in_a_paragraph_closes_it() {
    let r = md("Преди {{< figure src=\"a.jpg\" alt=\"А\" >}} след.\n");
    assert!(!r.html.contains("<p>Преди <figure"), "{}", r.html);
    assert!(r.html.contains("<p>Преди </p>\n<figure"), "{}", r.html);
    assert!(r.html.contains("</figure>\n<p> след.</p>"), "{}", r.html);
}

/// A Hugo call dunav does not know, inside raw HTML, is text: its closing
/// `{{</ name >}}` would be a broken end tag.
#[test]
fn an_unknown_hugo_call_in_raw_html_is_text() {
    let r = md("{{< math.inline >}}\n<p>\nФормула\n</p>\n{{</ math.inline >}}\n");
    assert!(r.html.contains("{{&lt;/ math.inline &gt;}}"), "{}", r.html);
    assert!(!r.html.contains("{{</"), "{}", r.html);
}

/// A Hugo call dunav does not know is shown as written: plain quotes, no
/// links made of its addresses; the text around it is typeset as usual.
#[test]
fn an_unknown_hugo_call_is_shown_as_written() {
    let r = md(
        "Виж \"това\" {{< x user=\"GoHugoIO\" src=\"https://example.org/a\" >}} и https://example.org/b.\n",
    );
    assert!(
        r.html
            .contains("{{&lt; x user=\"GoHugoIO\" src=\"https://example.org/a\" &gt;}}"),
        "{}",
        r.html
    );
    assert!(r.html.contains("„това“"), "{}", r.html);
    assert!(
        r.html.contains("<a href=\"https://example.org/b\">"),
        "{}",
        r.html
    );
}

/// Obsidian's and MkDocs' `==highlight==` is a `<mark>`; code, HTML,
/// addresses and comparisons keep their equals signs.
#[test]
fn double_equals_mark_a_highlight() {
    let r = md(
        "Това е ==важно== и `==код==`, a == b, A <==> B.\n\n<span title=\"==a==\">s</span> [x](/news/==a==)\n\n<pre>\n==c==\n</pre>\n",
    );
    assert!(
        r.html.contains("Това е <mark>важно</mark> и "),
        "{}",
        r.html
    );
    assert!(r.html.contains("<code>==код==</code>"), "{}", r.html);
    assert!(r.html.contains("a == b, A &lt;==&gt; B."), "{}", r.html);
    assert!(r.html.contains("title=\"==a==\""), "{}", r.html);
    assert!(r.html.contains("<pre>\n==c==\n</pre>"), "{}", r.html);
    assert_eq!(r.html.matches("<mark>").count(), 1, "{}", r.html);
}

/// A call of another generator that dunav shows as written keeps its plain
/// quotes, Zola's and Liquid's as Hugo's; the text around it is typeset.
#[test]
fn calls_shown_as_written_keep_plain_quotes() {
    let r = md(
        "Виж \"тук\": {{ gallery(path=\"x.png\", caption=\"It's\") }} и {% include note.html text=\"a\" %}.\n",
    );
    assert!(
        r.html
            .contains("{{ gallery(path=&quot;x.png&quot;, caption=&quot;It&#39;s&quot;) }}")
            || r.html
                .contains("{{ gallery(path=\"x.png\", caption=\"It's\") }}"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("{% include note.html text=") && !r.html.contains("text=„"),
        "{}",
        r.html
    );
    assert!(r.html.contains("Виж „тук“"), "{}", r.html);
}

/// VitePress' and Starlight's `<Badge>`: its text shown in the theme's
/// badge, in a heading (whose id and anchor stay its own) or in text.
#[test]
fn badges_show_their_text() {
    let r = md(
        "## Ново API <Badge type=\"tip\" text=\"^1.2\" />\n\nТекст <Badge type='warning'>бета</Badge>, <Badge text=\"x\"></Badge>.\n\n`<Badge text=\"код\" />`\n",
    );
    assert!(
        r.html.contains("<h2 id=\"novo-api\">Ново API <span class=\"badge badge-tip\">^1.2</span> <a class=\"anchor\""),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "Текст <span class=\"badge badge-warning\">бета</span>, <span class=\"badge\">x</span>."
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<code>&lt;Badge text="), "{}", r.html);
    let alone = md("<Badge type=\"info\" text=\"сам\" />\n\nТекст.\n");
    assert!(
        alone
            .html
            .contains("<span class=\"badge badge-info\">сам</span>"),
        "{}",
        alone.html
    );
}

/// A code block's title above it, and VitePress' `lang:line-numbers` read
/// as the language it names.
#[test]
fn code_block_titles_are_shown_and_vitepress_languages_read() {
    let r = md(
        "```ts:line-numbers [config.ts]\nconst x = 1\n```\n\n```py title=\"a<b>.py\"\npass\n```\n",
    );
    assert!(
        r.html.contains("<figure class=\"code-title\"><figcaption>config.ts</figcaption>\n<pre class=\"code\" data-lang=\"ts\" data-linenos"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("hl-storage"),
        "highlighted as ts: {}",
        r.html
    );
    assert!(
        r.html.contains("<figcaption>a&lt;b&gt;.py</figcaption>"),
        "{}",
        r.html
    );
}
