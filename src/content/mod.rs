//! Content: files → front matter → pages and sections → the [`Library`],
//! with the queries the rest of the build needs.

mod aliases;
pub mod body;
pub mod cascade;
mod checks;
pub mod digest;
pub mod file_prints;
pub mod frontmatter;
mod headless;
pub mod html_text;
pub mod library;
pub mod links;
pub mod loader;
mod mdx;
mod other_tools;
pub mod page;
mod page_slug;
pub mod paths;
pub mod related;
pub mod sections;
pub mod taxonomies;
pub mod text_file;
mod url_clashes;
mod walk_errors;
mod wikilinks;

pub use library::{Library, Selection};
pub use other_tools::underscore_folders_taken;
pub use page::{Page, PageKind};
pub use sections::Section;
pub use taxonomies::{TAXONOMIES, Term};
