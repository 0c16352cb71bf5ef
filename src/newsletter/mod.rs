//! The newsletter: an issue's digest, its email, and a resumable send.

pub mod digest;
pub mod email;
pub mod journal;
pub mod sender;
