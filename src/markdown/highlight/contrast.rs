//! Highlighting colours that read at WCAG AA (4.5:1) on the page: OneHalf's
//! comments, numbers, functions and strings are 2.4–3.9:1 on the light code
//! background. Each colour short of it is moved toward black (on a light
//! background) or white (on a dark one) just far enough, so the theme keeps
//! its hues.

use syntect::highlighting::{Color, Theme};

/// The default theme's code background (`--surface`), light and dark.
pub const LIGHT_SURFACE: Color = Color {
    r: 0xf4,
    g: 0xf7,
    b: 0xfa,
    a: 0xff,
};
pub const DARK_SURFACE: Color = Color {
    r: 0x1a,
    g: 0x1f,
    b: 0x25,
    a: 0xff,
};

/// A little above AA's 4.5, so that rounding in the browser cannot fall below it.
const WANTED: f64 = 4.6;

/// The theme with every text colour readable on `surface`.
pub fn readable(mut theme: Theme, surface: Color) -> Theme {
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = with_contrast(*fg, surface);
    }
    for item in &mut theme.scopes {
        // A scope with a background of its own (errors) is read against that.
        if item.style.background.is_some() {
            continue;
        }
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = with_contrast(*fg, surface);
        }
    }
    theme
}

/// `color`, moved toward black or white until it reads on `surface`.
pub fn with_contrast(color: Color, surface: Color) -> Color {
    let toward = if luminance(surface) > 0.5 { 0.0 } else { 255.0 };
    let mix = |c: u8, t: f64| (f64::from(c) + (toward - f64::from(c)) * t).round() as u8;
    (0..=50)
        .map(|step| f64::from(step) / 50.0)
        .map(|t| Color {
            r: mix(color.r, t),
            g: mix(color.g, t),
            b: mix(color.b, t),
            a: color.a,
        })
        .find(|c| ratio(*c, surface) >= WANTED)
        .unwrap_or(color)
}

/// WCAG's contrast ratio of two colours.
pub fn ratio(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}
