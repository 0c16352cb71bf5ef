//! dunav: a static site generator and newsletter mailer for bilingual news sites.
//!
//! The modules follow the build's data flow: [`config`] and [`content`] load,
//! [`markdown`] and [`render`] transform, [`output`] writes; [`site`] runs a
//! whole build, [`serve`] the editing loop, [`newsletter`] and [`subscribers`]
//! the mailing list.

pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fingerprint;
pub mod markdown;
pub mod newsletter;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod subscribers;
pub mod translit;
