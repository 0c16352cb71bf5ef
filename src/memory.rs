//! Memory freed on every thread, handed back to the system.
//!
//! mimalloc keeps pages freed on a thread in that thread's heap until the
//! thread allocates again. rayon's workers sleep between rebuilds, so what a
//! build (or the search index) freed stayed resident while the server idled:
//! 820 MB held after the first build of 10,000 pages, for 550 MB in use. In
//! a build, the memory the rendered site let go stayed under the search
//! index, which was then the build's peak.

/// Every thread of the global rayon pool, and the caller, return their freed
/// pages. Called from outside any pool: inside one, `broadcast` reaches that
/// pool's threads instead.
pub fn give_back() {
    rayon::broadcast(|_| collect());
    collect();
}

/// The calling thread's freed pages go back to the system.
pub fn collect() {
    // SAFETY: mi_collect only walks the calling thread's own heap and the
    // abandoned pages; it is callable at any time, from any thread, and does
    // nothing when mimalloc is not the allocator in use.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
