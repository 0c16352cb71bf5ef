//! Random identifiers from the operating system's generator.

/// `bytes` random bytes as lowercase hex.
pub fn hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // getrandom through rand_core, already in the tree for lettre and rsa.
    rsa::rand_core::RngCore::fill_bytes(&mut rsa::rand_core::OsRng, &mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
