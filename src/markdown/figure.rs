//! Pictures in a page's body: the HTML of a Markdown image shown as resized
//! copies, and the image of a Hugo figure (see `builtin_shortcodes`), which
//! is raw HTML, taken as a Markdown image is.

use crate::markdown::{FIGURE_IMAGE_MARK, escape_html};

/// An image at its published widths: WebP where the browser takes it, the
/// original's format otherwise, sized so the page does not move as it loads.
pub(super) fn picture_html(picture: &crate::images::Picture, alt: &str, title: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{title}\"")
    };
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">\
         <img src=\"{src}\" srcset=\"{srcset}\" sizes=\"{sizes}\" width=\"{w}\" height=\"{h}\" \
         alt=\"{alt}\"{title} loading=\"lazy\" decoding=\"async\"></picture>",
        webp = escape_html(&picture.webp_srcset),
        src = escape_html(&picture.src),
        srcset = escape_html(&picture.srcset),
        sizes = BODY_IMAGE_SIZES,
        w = picture.width,
        h = picture.height,
    )
}

/// How wide a body image shows: the text column (68 characters, about
/// 40rem), or the whole screen on a phone.
const BODY_IMAGE_SIZES: &str = "(min-width: 44rem) 40rem, 100vw";

/// The marked `<img>` of a figure in a block of raw HTML.
pub(super) struct FigureImage {
    /// Where the tag starts and ends (after its `>`).
    start: usize,
    end: usize,
    /// Its `src`, unescaped, and `alt` as written (escaped).
    pub src: String,
    alt: String,
    /// What follows `src`, to keep when there is no picture.
    rest: String,
}

impl FigureImage {
    pub fn find(html: &str) -> Option<FigureImage> {
        let mark = format!("<img {FIGURE_IMAGE_MARK} src=\"");
        let start = html.find(&mark)?;
        let after = &html[start + mark.len()..];
        let src_end = after.find('"')?;
        let tag_end = after.find('>')?;
        let alt = after[..tag_end]
            .split_once(" alt=\"")
            .and_then(|(_, a)| a.split_once('"'))
            .map_or("", |(alt, _)| alt);
        Some(FigureImage {
            start,
            end: start + mark.len() + tag_end + 1,
            src: unescape_html(&after[..src_end]),
            alt: alt.to_string(),
            rest: after[src_end + 1..=tag_end].to_string(),
        })
    }

    /// `html` with this tag shown as `picture`, or as an `<img>` of `url`.
    pub fn replaced(
        &self,
        html: &str,
        url: &str,
        picture: Option<&crate::images::Picture>,
    ) -> String {
        let tag = match picture {
            Some(picture) => picture_html(&self.shown_at(picture), &self.alt, ""),
            None => format!("<img src=\"{}\"{}", escape_html(url), self.rest),
        };
        format!("{}{tag}{}", &html[..self.start], &html[self.end..])
    }
}

impl FigureImage {
    /// The picture at the width the figure asks for (Hugo's `width`), its
    /// height in proportion, when that is narrower than the photo.
    fn shown_at(&self, picture: &crate::images::Picture) -> crate::images::Picture {
        let asked = self
            .rest
            .split_once(" width=\"")
            .and_then(|(_, w)| w.split_once('"'))
            .and_then(|(w, _)| w.parse::<u32>().ok())
            .filter(|&w| w > 0 && w < picture.width);
        let mut shown = picture.clone();
        if let Some(width) = asked {
            shown.height =
                (u64::from(picture.height) * u64::from(width) / u64::from(picture.width)) as u32;
            shown.width = width;
        }
        shown
    }
}

/// The text of an attribute value this crate escaped (`&amp;` `&lt;` `&gt;` `&quot;` `&#39;`).
fn unescape_html(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
