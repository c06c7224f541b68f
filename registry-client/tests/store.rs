//! The local store on its own: verified, atomic entries.

use jspkg_artifact::Digest;
use jspkg_registry::{RegistryError, Store};

#[test]
fn entries_appear_only_when_complete_and_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("store")).unwrap();
    let data = b"some blob bytes".repeat(1000);
    let digest = Digest::of(&data);

    // An interrupted write (a pull that died) leaves no entry.
    let mut w = store.writer(digest).unwrap();
    w.write(&data[..100]).unwrap();
    assert!(!store.path(&digest).exists());
    drop(w);
    assert!(store.get(&digest).unwrap().is_none());
    assert_eq!(
        std::fs::read_dir(tmp.path().join("store/tmp"))
            .unwrap()
            .count(),
        0
    );

    // Wrong bytes for the digest: refused, nothing stored.
    let mut w = store.writer(digest).unwrap();
    w.write(b"other bytes").unwrap();
    let err = w.commit().unwrap_err();
    assert!(matches!(err, RegistryError::Tampered { .. }), "{err}");
    assert!(!store.path(&digest).exists());

    // The right bytes: stored, readable, verified on use.
    let (d, path) = store.put(&data).unwrap();
    assert_eq!(d, digest);
    assert_eq!(store.get(&digest).unwrap(), Some(path.clone()));
    std::fs::write(&path, b"damaged").unwrap();
    assert_eq!(
        store.get(&digest).unwrap(),
        None,
        "damaged entry reported absent"
    );
    assert!(!path.exists(), "damaged entry removed");
}
