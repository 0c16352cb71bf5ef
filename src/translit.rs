//! Bulgarian transliteration by the Transliteration Act of 2009
//! (Закон за транслитерацията, ДВ бр. 19/2009) and slugs built on it.
//!
//! Written by hand because the general-purpose crates follow other systems:
//! they turn `хъб` into `kh-b` and `България` into `balgariya`.

/// The Latin form of one Cyrillic letter (lower case), or `None` for anything else.
fn latin_of(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sht",
        'ъ' => "a",
        'ь' => "y",
        'ю' => "yu",
        'я' => "ya",
        // Letters of neighbouring alphabets that turn up in names.
        'ё' => "yo",
        'ы' => "y",
        'э' => "e",
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ѝ' => "i",
        _ => return None,
    })
}

/// `c` in lower case. Bulgarian letters are answered without Unicode's
/// tables: this runs on every letter of a site's search text.
fn lower(c: char) -> char {
    match c {
        'а'..='я' | 'ѐ'..='џ' | 'a'..='z' => c,
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

fn is_lowercase(c: char) -> bool {
    match c {
        'а'..='я' | 'ѐ'..='џ' | 'a'..='z' => true,
        'А'..='Я' | 'Ѐ'..='Џ' | 'A'..='Z' => false,
        _ => c.is_lowercase(),
    }
}

fn is_cyrillic_letter(c: char) -> bool {
    latin_of(lower(c)).is_some()
}

/// Transliterates one word (a run of letters), keeping its capitalisation.
fn transliterate_word(word: &str, out: &mut String) {
    // The Act names "България" as the one exception to its own table.
    if word.chars().map(lower).eq("българия".chars()) {
        out.push_str(if !word.chars().any(is_lowercase) {
            "BULGARIA"
        } else if word.starts_with('Б') {
            "Bulgaria"
        } else {
            "bulgaria"
        });
        return;
    }
    let all_upper = word.chars().nth(1).is_some() && !word.chars().any(is_lowercase);
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        let lower = lower(c);
        let upper = c != lower;
        // Word-final "ия" is written "ia" (Art. 4, para. 2).
        let final_ia = lower == 'и' && {
            let mut rest = chars.clone();
            rest.next().map(self::lower) == Some('я') && rest.next().is_none()
        };
        let latin = if final_ia {
            chars.next();
            "ia"
        } else {
            match latin_of(lower) {
                Some(l) => l,
                None => {
                    out.push(c);
                    continue;
                }
            }
        };
        if !upper {
            out.push_str(latin);
        } else if all_upper {
            out.push_str(&latin.to_uppercase());
        } else {
            let mut letters = latin.chars();
            if let Some(first) = letters.next() {
                out.extend(first.to_uppercase());
                out.extend(letters);
            }
        }
    }
}

/// Transliterates Bulgarian Cyrillic to Latin, leaving everything else as it is.
///
/// `Русе` → `Ruse`, `хъб` → `hab`, `България` → `Bulgaria`, `Щастие` → `Shtastie`.
/// The text in Unicode's composed form (NFC): a name saved on macOS spells
/// `й` as `и` and a combining breve (NFD), which must read as the same name.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return text.into();
    }
    text.nfc().collect::<String>().into()
}

pub fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    transliterate_into(text, &mut out);
    out
}

/// [`transliterate`], appending to `out`.
pub fn transliterate_into(text: &str, out: &mut String) {
    let mut word_start = None;
    for (i, c) in text.char_indices() {
        if is_cyrillic_letter(c) {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            transliterate_word(&text[start..i], out);
        }
        out.push(c);
    }
    if let Some(start) = word_start {
        transliterate_word(&text[start..], out);
    }
}

/// A URL-safe slug: transliterated, lower case ASCII letters and digits joined by `-`.
pub fn slugify(text: &str) -> String {
    slug_of(text, false)
}

/// A heading's id: as [`slugify`], but letters of other scripts are kept
/// (`快速上手`, `Αθήνα` → `αθήνα`), as Hugo and GitHub keep them: an id
/// need not be ASCII, and links from elsewhere use these.
pub fn heading_slug(text: &str) -> String {
    slug_of(text, true)
}

/// A heading's id as GitHub and Hugo (goldmark) spell it: lower case,
/// letters, digits, `_` and `-` kept, each space a dash, the rest dropped
/// (`Smileys & Emotion` → `smileys--emotion`, `4.4.1` → `441`).
pub fn github_heading_slug(text: &str) -> String {
    nfc(text.trim())
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// A heading's id as Zola spells it (its anchors' default, the `slug`
/// crate's): every letter in ASCII (`🦀` is `crab`), any other character a
/// dash between words.
pub fn zola_heading_slug(text: &str) -> String {
    slug::slugify(text)
}

fn slug_of(text: &str, keep_other_letters: bool) -> String {
    let latin = transliterate(&nfc(text));
    let mut slug = String::with_capacity(latin.len());
    let mut pending_dash = false;
    // Lower case first: `Über` and `über` are one name, `uber`.
    let mut chars = latin.chars().flat_map(char::to_lowercase).peekable();
    let mut ascii = [0; 4];
    while let Some(c) = chars.next() {
        let glued = !pending_dash && !slug.is_empty();
        // A heading `What's new` is `#whats-new`, as Hugo, Zola and GitHub
        // spell it (URLs keep their dash: changing them would move pages).
        if keep_other_letters && (c == '\'' || c == '’') {
            continue;
        }
        let kept_letter =
            keep_other_letters && c.is_alphanumeric() && fold_latin_accent(c).is_empty();
        let folded: &str = if c.is_ascii_alphanumeric() || kept_letter {
            c.encode_utf8(&mut ascii)
        } else if glued && (c == '+' || c == '#') {
            // `C`, `C++` and `C#` are three languages: `c`, `cpp`, `csharp`.
            let mut run = 1;
            while chars.next_if_eq(&c).is_some() {
                run += 1;
            }
            let ends_word = chars.peek().is_none_or(|next| !next.is_alphanumeric());
            match (c, ends_word) {
                ('+', true) => &"pppp"[..run.min(4)],
                ('#', true) if run == 1 => "sharp",
                _ => "",
            }
        } else {
            match fold_latin_accent(c) {
                // A letter of another script, in a URL: as Zola spells it.
                // Latin letters and signs (`ệ`, `₂`) stay separators, as
                // they were: only new scripts' letters, so no URL moves.
                "" if !keep_other_letters && c.is_alphabetic() && !is_latin(c) => {
                    deunicode::deunicode_char(c).unwrap_or("")
                }
                folded => folded,
            }
        };
        // What a letter is spelled as may end a word (`日` is `Ri `).
        for c in folded.chars() {
            if !c.is_ascii_alphanumeric() && !kept_letter {
                pending_dash = true;
                continue;
            }
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        }
        if folded.is_empty() {
            pending_dash = true;
        }
    }
    slug
}

/// Latin-1, Latin Extended A and B, IPA and Latin Extended Additional.
fn is_latin(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{2af}' | '\u{1e00}'..='\u{1eff}')
}

/// A lower-case accented Latin letter as ASCII: the letters of the
/// languages around the Danube and beyond lose their marks (`é` → `e`,
/// `ș` → `s`), ligatures are spelled out (`æ` → `ae`); "" for anything
/// else (a separator).
fn fold_latin_accent(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'č' | 'ć' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' | 'ę' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
        'ľ' | 'ĺ' | 'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'ř' | 'ŕ' => "r",
        'š' | 'ś' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ž' | 'ź' | 'ż' => "z",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_keep_other_scripts_and_drop_apostrophes() {
        assert_eq!(heading_slug("快速上手"), "快速上手");
        assert_eq!(heading_slug("Русе и Αθήνα"), "ruse-i-αθήνα");
        assert_eq!(heading_slug("What's new in v1.2?"), "whats-new-in-v1-2");
        for (heading, github) in [
            ("Smileys & Emotion", "smileys--emotion"),
            ("4.4.1 / 2025-01-29", "441--2025-01-29"),
            ("foo.bar baz", "foobar-baz"),
            ("C++ and C#", "c-and-c"),
            ("Нов партньор", "нов-партньор"),
            ("snake_case Ünï", "snake_case-ünï"),
        ] {
            assert_eq!(github_heading_slug(heading), github);
        }
        assert_eq!(
            slugify("Don’t panic"),
            "don-t-panic",
            "URLs stay where they were"
        );
        assert_eq!(
            slugify("快速上手"),
            "kuai-su-shang-shou",
            "a URL stays ASCII"
        );
    }

    #[test]
    fn follows_the_2009_act() {
        assert_eq!(transliterate("Русе"), "Ruse");
        assert_eq!(transliterate("хъб"), "hab");
        assert_eq!(transliterate("България"), "Bulgaria");
        assert_eq!(transliterate("Щастие"), "Shtastie");
        assert_eq!(transliterate("София"), "Sofia");
        assert_eq!(transliterate("Мехатроника"), "Mehatronika");
        assert_eq!(transliterate("ЖЕЛЯЗКО"), "ZHELYAZKO");
        assert_eq!(transliterate("Юлия и Явор"), "Yulia i Yavor");
        assert_eq!(transliterate("ия"), "ia");
        assert_eq!(transliterate("Ияна"), "Iyana");
    }

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("Нов партньор в хъба!"), "nov-partnyor-v-haba");
        assert_eq!(slugify("ДИ ДИХ — България 2026"), "di-dih-bulgaria-2026");
        assert_eq!(slugify("  Café & co.  "), "cafe-co");
        assert_eq!(slugify("Über über"), "uber-uber");
        assert_eq!(
            slugify("Ärger, Șantier Țară, Łódź, Æsir"),
            "arger-santier-tara-lodz-aesir"
        );
        assert_eq!(slugify("Щастие"), "shtastie");
        // Other scripts as Zola spells them; a symbol is still no letter.
        assert_eq!(slugify("日本語"), "ri-ben-yu");
        assert_eq!(slugify("Ελλάδα 2026"), "ellada-2026");
        assert_eq!(slugify("Русе и Αθήνα"), "ruse-i-athena");
        assert_eq!(slugify("★ ✓"), "");
        // Latin letters and signs spelled as before: URLs stay where they were.
        assert_eq!(slugify("CO₂ в Việt Nam"), "co-v-vi-t-nam");
    }

    #[test]
    fn a_plus_or_sharp_ending_a_word_is_spelled() {
        let cases = [
            ("C", "c"),
            ("C++", "cpp"),
            ("C#", "csharp"),
            ("F# и C++ 20", "fsharp-i-cpp-20"),
            ("Notepad++", "notepadpp"),
            ("Русе+Гюргево", "ruse-gyurgevo"),
            ("1+1", "1-1"),
            ("#хаштаг", "hashtag"),
            ("C##", "c"),
            ("+", ""),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug, "{text}");
        }
    }
}
