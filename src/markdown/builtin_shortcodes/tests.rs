use super::*;

#[test]
fn refs_become_links_dunav_resolves() {
    assert_eq!(
        expand("See [a]({{< ref \"a.md\" >}}) and [b]({{< relref \"/news/b.md#part\" >}}).\n"),
        "See [a](@./a.md) and [b](@/news/b.md#part).\n"
    );
    assert_eq!(
        expand("[c]({{% ref path=\"c.md#x\" lang=\"en\" %}})"),
        "[c](@./c.en.md#x)"
    );
    assert_eq!(
        expand("`{{< ref \"a.md\" >}}` stays code\n"),
        "`{{< ref \"a.md\" >}}` stays code\n"
    );
    assert_eq!(
        expand("```\n{{< ref \"a.md\" >}}\n```\n"),
        "```\n{{< ref \"a.md\" >}}\n```\n"
    );
}

#[test]
fn a_figures_credit_and_link_attributes_are_kept() {
    let out = expand(
        "{{< figure src=\"a.jpg\" caption=\"Мост\" attr=\"Снимка: Иван\" attrlink=\"https://x.org\" link=\"https://y.org\" target=\"_blank\" rel=\"noopener\" >}}",
    );
    assert!(
        out.contains("<a href=\"https://y.org\" target=\"_blank\" rel=\"noopener\"><img"),
        "{out}"
    );
    assert!(
        out.contains("<figcaption>Мост <a href=\"https://x.org\">Снимка: Иван</a></figcaption>"),
        "{out}"
    );
}

#[test]
fn a_ref_in_the_text_is_a_link_named_by_its_path() {
    assert_eq!(
        expand("Вижте {{< ref \"about\" >}}.\n"),
        "Вижте [about](@./about).\n"
    );
    assert_eq!(
        expand("<a href=\"{{< ref \"/about\" >}}\">x</a>\n"),
        "<a href=\"@/about\">x</a>\n"
    );
}

#[test]
fn a_caption_read_as_a_block_stays_on_its_line() {
    let out = expand("{{< figure src=\"a.jpg\" caption=\"1. място\" >}}\nСлед.\n");
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn a_call_over_several_lines_is_one_call() {
    let out = expand("{{< figure\n    src=\"/a.jpg\"\n    alt=\"Мост\"\n>}}\nСлед.\n");
    assert!(
        out.starts_with("<figure><img data-dunav-figure src=\"/a.jpg\" alt=\"Мост\""),
        "{out}"
    );
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(out.ends_with("\n\n\n\nСлед.\n"), "{out}");
    let code = "```\n{{< figure\n>}}\n```\n";
    assert_eq!(expand(code), code);
}

#[test]
fn escaped_calls_are_shown_as_written() {
    assert_eq!(
        expand("Пишете {{</* figure src=\"a.jpg\" */>}} и `{{%/* ref \"b\" */%}}`.\n"),
        "Пишете &#123;&#123;&lt; figure src=&quot;a.jpg&quot; &gt;&#125;&#125; и `{{% ref \"b\" %}}`.\n"
    );
    assert_eq!(
        expand("```go\n{{</* youtube x */>}}\n```\n"),
        "```go\n{{< youtube x >}}\n```\n"
    );
    // Marks that overlap are no escaped call.
    assert_eq!(expand("{{</*/>}}\n"), "{{</*/>}}\n");
    // A fence in a list item, indented by it, is code too.
    assert_eq!(
        expand("1.  Шаг:\n\n    ```\n    {{</* figure src=\"a.jpg\" */>}}\n    ```\n"),
        "1.  Шаг:\n\n    ```\n    {{< figure src=\"a.jpg\" >}}\n    ```\n"
    );
    // Zola's escapes; a Go template's comment is no call.
    assert_eq!(
        expand(
            "`{{/* youtube(id=\"x\") */}}` `{%/* note() */%}` `{%/* end */%}` `{{/* бележка */}}`\n"
        ),
        "`{{ youtube(id=\"x\") }}` `{% note() %}` `{% end %}` `{{/* бележка */}}`\n"
    );
    // Marks that hold no call, each in its own code span, stay as written.
    let marks = "Use `{{/*` and `*/}}`, and `{%/*` and `*/%}`.\n";
    assert_eq!(expand(marks), marks);
    // A call over several lines in code, and one in a longer fence.
    assert_eq!(
        expand("```\n{{</* figure\n  src=\"a.jpg\"\n*/>}}\n```\n"),
        "```\n{{< figure\n  src=\"a.jpg\"\n>}}\n```\n"
    );
    assert_eq!(
        expand("````md\n```go\n```\n{{</*/* x */*/>}}\n````\n"),
        "````md\n```go\n```\n{{</* x */>}}\n````\n"
    );
}

#[test]
fn quoted_values_take_escaped_quotes() {
    let figure = expand("{{< figure src=\"a.jpg\" alt=\"Зала \\\"Русе\\\" & приятели\" >}}");
    assert!(
        figure.contains("alt=\"Зала &quot;Русе&quot; &amp; приятели\""),
        "{figure}"
    );
}

#[test]
fn figures_and_videos_are_html_on_their_line() {
    let figure = expand(
        "{{< figure src=\"/images/a.jpg\" caption=\"Мостът на **Дунав**\" link=\"https://x.org/?a=1&b=2\" width=\"640\" >}}\nнататък",
    );
    assert_eq!(
        figure,
        "<figure><a href=\"https://x.org/?a=1&amp;b=2\"><img data-dunav-figure src=\"/images/a.jpg\" alt=\"Мостът на Дунав\" width=\"640\" loading=\"lazy\" decoding=\"async\"></a>\
         <figcaption>Мостът на <strong>Дунав</strong></figcaption></figure>\nнататък"
    );
    let video = expand("{{< youtube dQw4w9WgXcQ >}}\n{{ vimeo(id=\"123\") }}\n");
    assert!(
        video.starts_with("<iframe class=\"video-embed\" src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"YouTube\""),
        "{video}"
    );
    assert!(
        video.contains("src=\"https://player.vimeo.com/video/123\""),
        "{video}"
    );
    assert_eq!(video.lines().count(), 2);
    // Not an id: left as written, and pointed out as any shortcode is.
    assert_eq!(
        expand("{{< youtube \"x\\\" onload=\\\"\" >}}"),
        "{{< youtube \"x\\\" onload=\\\"\" >}}"
    );
    assert_eq!(expand("{{< gist user 123 >}}"), "{{< gist user 123 >}}");
}

#[test]
fn hugos_highlight_is_a_fenced_block() {
    let md =
        "{{< highlight go \"linenos=table,hl_lines=2\" >}}\npackage main\n{{< /highlight >}}\n";
    assert_eq!(
        expand(md),
        "```go linenos=table,hl_lines=2\npackage main\n```\n"
    );
}
