//! Subscribers: the store shared with the newsletter's delivery journal,
//! signed tokens for links in mail, and the signup service.

pub mod service;
pub mod store;
pub mod tokens;

pub use store::{Store, Subscriber, SubscriberStatus};
