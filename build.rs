//! Tells the test suite whether a test PostgreSQL was given when it was built.
//!
//! Without `HERALD_TEST_POSTGRES_URL` the PostgreSQL half of the suite is
//! marked `#[ignore]` (through the `herald_postgres_tests` cfg), so `cargo
//! test` reports it as ignored instead of counting early returns as passes.
//! Setting or clearing the variable rebuilds the crate; the library and binary
//! do not use the cfg.

fn main() {
    println!("cargo::rerun-if-env-changed=HERALD_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(herald_postgres_tests)");
    if std::env::var_os("HERALD_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=herald_postgres_tests");
    }
}
