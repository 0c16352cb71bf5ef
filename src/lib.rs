//! dunav: a static site generator and newsletter mailer for bilingual news sites.
//!
//! The modules follow the data flow, each using only those before it:
//!
//! - leaves: [`env`], [`diagnostics`], [`timing`], [`fingerprint`],
//!   [`kept`], [`translit`], [`random`], [`shutdown`], [`theme`];
//! - [`config`] reads site.toml; [`images`] resizes and cleans photos;
//! - [`markdown`] renders Markdown, [`content`] loads files into the Library;
//! - [`render`] sets up templates, [`output`] writes each kind of file;
//! - [`build`] runs a whole build;
//! - [`store`] owns the subscriber database, [`mail`] builds and sends every mail;
//! - [`newsletter`] sends an issue, [`subscriptions`] is the signup service;
//! - [`serve`] is the dev server.
//!
//! The command line lives in the binary (`src/main.rs`, `src/cli/`).

pub mod diagnostics;
pub mod env;
pub mod fingerprint;
pub mod kept;
pub mod memory;
pub mod random;
pub mod shutdown;
pub mod theme;
pub mod timing;
pub mod translit;

pub mod config;
pub mod images;

pub mod content;
pub mod markdown;

pub mod output;
pub mod render;

pub mod build;

pub mod mail;
pub mod store;

pub mod newsletter;
pub mod subscriptions;

pub mod serve;
