//! The Markdown renderer's unit tests.

use super::*;

mod code_and_math;
mod elsewhere;

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    let texts = [
        "",
        "   ",
        "една дума",
        " водещ и краен интервал ",
        "tab\tnew\nline\r\nform\x0cfeed\x0bvt",
        "неразделим\u{a0}интервал и\u{85}NEL",
        "em\u{2003}space, thin\u{2009}space, ideographic\u{3000}space\u{205f}math",
        "ogham\u{1680}mark line\u{2028}para\u{2029}end",
        "не-интервали: \u{200b}zero-width, – тире, “кавички”, €",
    ];
    for text in texts {
        assert_eq!(
            count_words(text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
}

fn md(text: &str) -> Rendered {
    render(
        text,
        &RenderOptions {
            lang: "bg",
            links: &KeepLinks,
            reserved_ids: &HashSet::from(["main".to_string()]),
            heading_ids: crate::config::HeadingIds::Transliterated,
            pictures: None,
        },
    )
}

#[test]
fn headings_get_transliterated_unique_ids() {
    let r = md("## Нов партньор\n\n## Нов партньор\n\n### Детайли {#details}\n");
    assert!(r.html.contains("<h2 id=\"nov-partnyor\">"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"nov-partnyor-1\">"));
    assert!(r.html.contains("<h3 id=\"details\">"));
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[1].children[0].id, "details");
}

#[test]
fn summary_stops_at_more_or_first_paragraph() {
    let r = md("Първи.\n\nВтори.\n\n<!-- more -->\n\nТрети.\n");
    assert!(r.summary_html.contains("Втори"));
    assert!(!r.summary_html.contains("Трети"));
    let r = md("Първи абзац.\n\nВтори.\n");
    assert_eq!(r.summary_text, "Първи абзац.");
    // A heading's words stay apart from the next block's.
    let r = md("## Въведение\n\nТекст.\n\n<!-- more -->\n\nКрай.\n");
    assert_eq!(r.summary_text, "Въведение Текст.");
    // Docusaurus' marker.
    let r = md("Първи.\n\nВтори.\n\n<!-- truncate -->\n\nТрети.\n");
    assert!(r.summary_html.contains("Втори") && !r.summary_html.contains("Трети"));
}

#[test]
fn extensions_and_bulgarian_quotes() {
    let r = md(
        "\"Цитат\"\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ [^1]\n\n- [x] готово\n\n[^1]: бележка\n",
    );
    assert!(r.html.contains("„Цитат“"), "{}", r.html);
    // Quotes typed the Bulgarian way stay as typed.
    let typed = md("Той каза „да“, после \"не\", *„курсив“*.\n");
    assert!(
        typed.html.contains("„да“, после „не“, <em>„курсив“</em>"),
        "{}",
        typed.html
    );
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("<del>x</del>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("footnote"));
}

struct Refuse;
impl LinkResolver for Refuse {
    fn resolve(&self, d: &str) -> Result<Option<String>, LinkError> {
        if d.ends_with(".md") || d.contains('@') {
            Err(LinkError::Broken("no such page".into()))
        } else {
            Ok(None)
        }
    }
}

#[test]
fn images_without_alt_text_are_noticed() {
    let r = md("![](a.png)\n\n![Река Дунав](b.png)\n");
    assert_eq!(r.images_without_alt, vec![1]);
}

#[test]
fn broken_links_carry_their_line() {
    let r = render(
        "Текст.\n\nВиж [тук](missing.md).\n",
        &RenderOptions {
            lang: "bg",
            links: &Refuse,
            reserved_ids: &HashSet::new(),
            heading_ids: crate::config::HeadingIds::Transliterated,
            pictures: None,
        },
    );
    assert_eq!(r.broken_links.len(), 1);
    assert_eq!(r.broken_links[0].body_line, 3);
}

#[test]
fn summaries_are_the_first_paragraph_of_text_without_ids() {
    let r = md(
        "# Промени\n\n- едно\n- две\n\n![снимка](a.png)\n\n## Акценти\n\nПърви *истински* абзац.[^1]\n\nВтори.\n\n[^1]: бележка\n",
    );
    assert_eq!(r.summary_text, "Първи истински абзац.");
    assert!(!r.summary_html.contains("id="), "{}", r.summary_html);
    assert!(!r.summary_html.contains("<img"), "{}", r.summary_html);
    assert!(!r.summary_html.contains("footnote"), "{}", r.summary_html);
}

#[test]
fn long_summaries_are_cut_on_a_word_with_an_ellipsis() {
    let words: Vec<String> = (1..=80).map(|i| format!("дума{i}")).collect();
    let r = md(&format!(
        "{} **{}**\n",
        words[..45].join(" "),
        words[45..].join(" ")
    ));
    assert_eq!(count_words(&r.summary_text), 50, "{}", r.summary_text);
    assert!(r.summary_text.ends_with("дума50…"), "{}", r.summary_text);
    assert!(
        r.summary_html.ends_with("дума50…</strong></p>\n"),
        "{}",
        r.summary_html
    );
}

#[test]
fn a_summary_before_more_keeps_headings_without_their_ids() {
    let r = md("## Начало\n\nТекст.\n\n<!-- more -->\n\nОще.\n");
    assert!(
        r.summary_html.contains("<p><strong>Начало</strong></p>"),
        "{}",
        r.summary_html
    );
    assert!(!r.summary_html.contains("id="));
    assert!(!r.summary_html.contains("Още"));
    let r = md("Начало.\n\nПродължение.\n\n<!--more-->\n\nКрай.\n");
    assert_eq!(r.summary_text, "Начало. Продължение.", "Hugo's marker");
    let r = md("Първо <!-- more --> второ.\n\nТрето.\n");
    assert!(
        r.summary_html.ends_with("</p>\n"),
        "an inline marker closes its paragraph: {}",
        r.summary_html
    );
    assert!(!r.summary_html.contains("Трето"));
}

#[test]
fn a_summary_keeps_blocks_apart_and_its_raw_tags_closed() {
    let r = md("- едно\n- две\n\nслед\n\n<!-- more -->\n\nОще.\n");
    assert_eq!(r.summary_text, "едно две след");
    let r = md("<!-- more -->\n\nПърви абзац.\n\nВтори.\n");
    assert_eq!(
        r.summary_text, "Първи абзац.",
        "a marker above all text marks nothing"
    );
    let r = md("Текст <b>удебелен <i>и наклонен.\n\nСледващ.\n");
    assert_eq!(
        r.summary_html, "<p>Текст <b>удебелен <i>и наклонен.</i></b></p>\n",
        "raw tags left open close inside the card"
    );
    let r = md(
        "<div class=\"box\">\n\nВ кутия.\n\n<!-- more -->\n\n</div>\n\nТекст </em> a<b>c</b>.\n",
    );
    assert!(r.summary_html.ends_with("</div>"), "{}", r.summary_html);
    let r = md("Без <span>отварящ</em> таг</span> и <br> <img src=\"a.png\" alt=\"x>y\">.\n");
    assert_eq!(
        r.summary_html,
        "<p>Без <span>отварящ таг</span> и <br> <img src=\"a.png\" alt=\"x>y\">.</p>\n"
    );
}

#[test]
fn shortcodes_from_other_tools_are_found_outside_code() {
    let r = md(
        "Текст {{< gallery src=\"a.jpg\" >}} и `{{< в код >}}`.\n\n```\n{{% note %}}\n```\n\n{{ instagram(id=\"x\") }}\n\n{{ page.title }} {% note() %}\n",
    );
    assert_eq!(
        r.shortcodes,
        vec![
            (1, "{{< gallery src=\"a.jpg\" >}}".to_string()),
            (7, "{{ instagram(id=\"x\") }}".to_string()),
            (9, "{{ page.title }}".to_string()),
            (9, "{% note() %}".to_string()),
        ]
    );
    // Jekyll: Liquid tags are pointed out, closing ones left out, and
    // `{% highlight %}` blocks are code.
    let r = md(
        "{% highlight ruby %}\ndef hi\n{% endhighlight %}\n\nSee {% include note.html %} {{ site.x }}.\n\n{{< /note >}} {%- endraw %}\n",
    );
    // VitePress' snippet import, not in code, is pointed out; an arrow of
    // prose is not.
    let snippet = md(
        "<<< @/snippets/init.ansi\n\n```md\n<<< @/snippets/a.js\n```\n\nA <<< B\n\n<!--@include: ./parts/basics.md-->\n",
    );
    assert_eq!(
        snippet.shortcodes,
        vec![
            (1, "<<< @/snippets/init.ansi".to_string()),
            (9, "<!--@include: ./parts/basics.md-->".to_string())
        ]
    );
    // mdBook's includes, in a listing or on their own, are pointed out; a
    // `{{#` in prose is not.
    let mdbook = md(
        "```rust\n{{#rustdoc_include ../listings/ch01/main.rs:all}}\n```\n\n{{#include notes.md}}\n\nThe `{{#if}}` helper.\n",
    );
    assert_eq!(
        mdbook.shortcodes,
        vec![
            (
                2,
                "{{#rustdoc_include ../listings/ch01/main.rs:all}}".to_string()
            ),
            (5, "{{#include notes.md}}".to_string())
        ]
    );
    // A tag whose name follows a no-break space is read without a panic.
    let nbsp = md("{%\u{a0}x %} and {{\u{a0}y }}\n");
    assert_eq!(nbsp.shortcodes.len(), 2, "{:?}", nbsp.shortcodes);
    // Each tag up to its own closing marks.
    assert_eq!(
        r.shortcodes,
        vec![
            (5, "{% include note.html %}".to_string()),
            (5, "{{ site.x }}".to_string())
        ]
    );
    assert!(
        r.html.contains("<pre") && r.html.contains("data-lang=\"ruby\""),
        "{}",
        r.html
    );
    assert!(!r.html.contains("highlight"), "{}", r.html);
    // An example of Liquid in a code block stays as written; a block in
    // a list item stays in it; code with ``` in it stays whole.
    let example = "```liquid\n{% highlight ruby %}\ndef foo\n{% endhighlight %}\n```\n\nAfter.\n";
    let r = md(example);
    assert!(
        r.html.contains("{% highlight ruby %}") && r.html.contains("<p>After.</p>"),
        "{}",
        r.html
    );
    let r = md("- Item:\n\n  {% highlight md %}\n  ```\n  x\n  {% endhighlight %}\n- Next\n");
    assert_eq!(r.html.matches("<li>").count(), 2, "{}", r.html);
    assert!(r.html.contains("data-lang=\"md\""), "{}", r.html);
    // Hexo's code blocks, with a title and a language, or neither: code,
    // its quotes and dashes as written.
    let r = md(
        "{% codeblock Install lang:js %}\nnpm install hexo --save\nconst s = \"quoted\";\n{% endcodeblock %}\n\n{% code %}\n-- a\n{% endcode %}\n",
    );
    assert!(r.html.contains("data-lang=\"js\""), "{}", r.html);
    assert!(
        r.html.contains("-- a") && !r.html.contains(['–', '„']),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("codeblock") && !r.html.contains("endcode"),
        "{}",
        r.html
    );
    assert!(r.shortcodes.is_empty(), "{:?}", r.shortcodes);
    // GitBook's `{% code %}` around a fenced block leaves the block as it is.
    let r = md("{% code title=\"index.js\" %}\n```js\nconst a = 1;\n```\n{% endcode %}\n");
    assert!(
        r.html.contains("data-lang=\"js\"") && !r.html.contains("```"),
        "{}",
        r.html
    );
}

#[test]
fn bare_addresses_in_text_are_links_once() {
    let r = md(
        "Виж https://didih.bg/a_b_c/~x и [сайта](https://x.bg/) или <a href=\"https://y.bg/\">www.y.bg</a>.\n\n`https://code.bg/` остава код.\n",
    );
    assert!(
        r.html
            .contains("<a href=\"https://didih.bg/a_b_c/~x\">https://didih.bg/a_b_c/~x</a> и"),
        "{}",
        r.html
    );
    assert_eq!(r.html.matches("<a ").count(), 3, "{}", r.html);
    assert!(
        r.html.contains("<code>https://code.bg/</code>"),
        "{}",
        r.html
    );
    assert_eq!(
        r.word_count, 9,
        "a split run of text counts as one: {}",
        r.html
    );
}

#[test]
fn definition_lists_as_hugo_and_kramdown_write_them() {
    let r = md("Поддържани\n: Работи добре.\n\nДруги\n: Не.\n");
    assert!(
        r.html
            .contains("<dl>\n<dt>Поддържани</dt>\n<dd>Работи добре.</dd>"),
        "{}",
        r.html
    );
}

#[test]
fn footnote_ids_never_equal_a_heading_id() {
    let r = md(
        "## Русе\n\nТекст.[^ruse] Още.[^Моя бележка]\n\n[^ruse]: Град.\n\n[^моя бележка]: Друга.\n",
    );
    assert_eq!(r.html.matches("id=\"ruse\"").count(), 1, "{}", r.html);
    assert!(r.html.contains("href=\"#fn-ruse\""), "{}", r.html);
    assert!(r.html.contains("id=\"fn-ruse\""), "{}", r.html);
    assert!(r.html.contains("href=\"#fn-moya-belezhka\""), "{}", r.html);
    assert!(r.html.contains("id=\"fn-moya-belezhka\""), "{}", r.html);
    let r = md("Текст.[^a]\n\n[^a]: Бележка в средата.\n\nСлед бележката.\n");
    let notes = r.html.find("<section class=\"footnotes\"").unwrap();
    assert!(
        r.html.find("След бележката.").unwrap() < notes,
        "notes come last: {}",
        r.html
    );
    assert!(
        r.html.find("Бележка в средата.").unwrap() > notes,
        "{}",
        r.html
    );
}

#[test]
fn heading_ids_never_repeat_and_avoid_the_themes() {
    let r = md("## A 2\n\n## A\n\n## A\n\n## A\n\n## Main\n");
    for id in ["a-2", "a", "a-1", "a-3", "main-1"] {
        assert_eq!(
            r.html.matches(&format!("id=\"{id}\"")).count(),
            1,
            "{id}: {}",
            r.html
        );
    }
    assert!(
        r.renamed_ids.is_empty(),
        "ids made from text are no one's words"
    );
    let r = md("## A {#dup}\n\n## B {#dup}\n\n## C {#main}\n\n## D {#own}\n");
    assert_eq!(
        r.renamed_ids,
        [
            (3, "dup".to_string(), "dup-1".to_string()),
            (5, "main".to_string(), "main-1".to_string())
        ]
    );
}

#[test]
fn email_autolinks_are_addresses() {
    let r = render(
        "Пишете ни на <info@didih.bg>.\n",
        &RenderOptions {
            lang: "bg",
            links: &Refuse,
            reserved_ids: &HashSet::new(),
            heading_ids: crate::config::HeadingIds::Transliterated,
            pictures: None,
        },
    );
    assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
    assert!(
        r.html.contains("href=\"mailto:info@didih.bg\""),
        "{}",
        r.html
    );
}

#[test]
fn a_note_cited_from_a_heading_is_numbered_and_linked_as_any() {
    let r = md("Текст[^a].\n\n## Заглавие[^b]\n\n[^a]: Първа.\n[^b]: От заглавие.\n");
    assert!(
        r.html
            .contains("<a href=\"#fn-b\" role=\"doc-noteref\">2</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("id=\"fn-b\"><sup class=\"footnote-definition-label\">2</sup>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("href=\"#fn-b-ref\""),
        "a way back: {}",
        r.html
    );
}

#[test]
fn task_list_boxes_are_named() {
    let r = md("- [ ] отворена\n- [x] готова\n");
    assert!(
        r.html
            .contains("<input type=\"checkbox\" disabled aria-label=\"предстои\"> отворена"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<input type=\"checkbox\" disabled checked aria-label=\"изпълнено\"> готова"),
        "{}",
        r.html
    );
}

#[test]
fn a_heading_without_words_has_no_contents_entry() {
    let r = md("## Първо\n\nТекст.\n\n##\n\n## ![](deco.png)\n\n## Второ\n");
    let titles: Vec<&str> = r.toc.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Първо", "Второ"]);
}

#[test]
fn github_alerts_keep_their_word() {
    let r = md("> [!WARNING]\n> Архивирайте данните.\n");
    assert!(
        r.html.contains("<blockquote class=\"markdown-alert-warning\">\n<p class=\"markdown-alert-title\">Внимание</p>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("Архивирайте данните."), "{}", r.html);
}

#[test]
fn a_headings_lines_and_quotes_are_the_same_in_its_id_and_contents() {
    let r = md("Първи ред\nвтори ред\n---------\n\n## Проект \"Дунав\"\n");
    assert!(
        r.html.contains("<h2 id=\"parvi-red-vtori-red\""),
        "{}",
        r.html
    );
    let titles: Vec<&str> = r.toc.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Първи ред втори ред", "Проект „Дунав“"]);
    assert!(
        r.html.contains("aria-label=\"§ Проект „Дунав“\""),
        "{}",
        r.html
    );
}

#[test]
fn quoted_heading_attributes_are_read_as_goldmark_reads_them() {
    let r = md("## Скоби {не атрибути}\n");
    assert!(
        r.html.contains(">Скоби {не атрибути} <a class=\"anchor\""),
        "{}",
        r.html
    );
    let r = md("## Е {data-x=\"1\" title='t t' .wide}\n");
    assert!(
        r.html
            .contains("class=\"wide\" data-x=\"1\" title=\"t t\">"),
        "{}",
        r.html
    );
    // goldmark's `id=` and `class=` are the id and the classes, once each.
    let r = md("## Път <small>Б</small> { id=custom class=\"a b\" .c }\n\n[x](#custom)\n");
    assert!(
        r.html.contains("<h2 id=\"custom\" class=\"c a b\">"),
        "{}",
        r.html
    );
    assert_eq!(r.html.matches(" id=").count(), 1, "{}", r.html);
    // Quoted, as MkDocs writes it, the id is the heading's own, not taken.
    let r = md("### 9.7.6 <small>19 март</small> { id=\"9.7.6\" }\n\n[x](#9.7.6)\n");
    assert!(r.html.contains("<h3 id=\"9.7.6\">"), "{}", r.html);
    assert!(r.renamed_ids.is_empty(), "{:?}", r.renamed_ids);
}

/// Text without spaces (Chinese, one long token) is cut by its characters.
#[test]
fn a_summary_without_spaces_is_cut_by_its_characters() {
    let chinese = "多瑙河数字创新中心".repeat(500);
    let r = md(&format!("{chinese}\n"));
    let shown = r.summary_text.trim_end_matches('…');
    assert_eq!(shown.chars().count(), super::summary::MAX_SUMMARY_CHARS);
    assert!(r.summary_text.ends_with('…'));
    let token = "x".repeat(100_000);
    let r = md(&format!("Начало {token}\n"));
    assert!(r.summary_html.len() < 1000, "{}", r.summary_html.len());
    // Words are still cut at a space.
    let r = md(&format!("{}\n", "дума ".repeat(120)));
    assert!(r.summary_text.ends_with("дума…"), "{}", r.summary_text);
}

#[test]
fn every_figure_of_a_line_is_taken_as_an_image() {
    let r = md("{{< figure src=\"/a.jpg\" >}} {{< figure src=\"/b.jpg\" >}}\n");
    assert!(!r.html.contains("data-dunav-figure"), "{}", r.html);
    assert!(r.html.contains("src=\"/b.jpg\""), "{}", r.html);
}

#[test]
fn a_heading_never_takes_an_id_the_pages_html_writes() {
    let r = md("<div id=\"intro\">Увод</div>\n\n## Intro\n");
    assert!(r.html.contains("<h2 id=\"intro-1\""), "{}", r.html);
}

#[test]
fn every_shortcode_of_a_line_is_pointed_out() {
    let r = md("{{< gist a 1 >}} и {{< tweet 2 >}}\n");
    assert_eq!(
        r.shortcodes,
        vec![
            (1, "{{< gist a 1 >}}".to_string()),
            (1, "{{< tweet 2 >}}".to_string())
        ]
    );
}

#[test]
fn hugos_details_hold_markdown() {
    let html = md(
        "{{< details summary=\"See **more**\" open=true >}}\nA **bold** word.\n{{< /details >}}\n\nAfter.\n",
    )
    .html;
    assert!(
        html.contains("<details open><summary>See <strong>more</strong></summary>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>bold</strong>") && html.contains("</details>"),
        "{html}"
    );
    assert!(!html.contains("{{") && !html.contains("<!--"), "{html}");
    // hugo-book's own: the title first, then `open`.
    let html = md("{{% details \"Which version?\" open %}}\nThe newest.\n{{% /details %}}\n").html;
    assert!(
        html.contains("<details open><summary>Which version?</summary>"),
        "{html}"
    );
    let html = md("{{% details title=\"Closed\" %}}\nText.\n{{% /details %}}\n").html;
    assert!(
        html.contains("<details><summary>Closed</summary>"),
        "{html}"
    );
}

/// A `{% highlight %}` block four columns deep under `1. ` is code in the
/// item (Jekyll and Hexo read tags before Markdown); as indented code
/// outside a list, it is an example of one.
#[test]
fn liquid_code_blocks_deep_in_a_list_item_are_code() {
    let r = md("1. Edit:\n\n    {% highlight ruby %}\n    puts 1\n    {% endhighlight %}\n");
    assert!(r.html.contains("data-lang=\"ruby\""), "{}", r.html);
    let r = md("Text.\n\n    {% highlight ruby %}\n    puts 1\n    {% endhighlight %}\n");
    assert!(r.html.contains("{% highlight ruby %}"), "{}", r.html);
}
