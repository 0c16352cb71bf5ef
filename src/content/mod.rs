//! Content: files → front matter → pages and sections → the [`Library`].

pub mod frontmatter;
pub mod library;
pub mod links;
pub mod loader;
pub mod page;

pub use library::{Library, Section, Term};
pub use page::{Page, PageKind};
