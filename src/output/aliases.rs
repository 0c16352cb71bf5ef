//! Redirect pages for `aliases`: old URLs that send readers to the new one.

use crate::output::xml_escape;

/// A tiny HTML page that redirects to `target` (an absolute URL) without JavaScript.
pub fn redirect_page(target: &str, lang: &str) -> String {
    let t = xml_escape(target);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n\
<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p><a href=\"{t}\">{t}</a></p>\n</body>\n</html>\n"
    )
}
