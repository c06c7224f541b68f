//! A real registry for tests: Debian's `docker-registry` (distribution 2.8)
//! on 127.0.0.1 with a random free port and storage in a temporary
//! directory, killed on drop. Missing binaries fail the test (install them
//! with scripts/setup-registry.sh).
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TestRegistry {
    child: Child,
    pub addr: String,
    pub dir: TempDir,
}

pub const USER: &str = "jspkg-user";
pub const PASSWORD: &str = "s3cret-pa55word";

fn find_binary(name: &str) -> PathBuf {
    for dir in std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
    {
        let p = dir.join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "`{name}` not found: run scripts/setup-registry.sh (installs Debian docker-registry and apache2-utils)"
    );
}

#[derive(PartialEq, Eq)]
enum Auth {
    None,
    Htpasswd,
    Custom(String),
}

impl TestRegistry {
    /// A registry without authentication.
    pub fn anonymous() -> Self {
        Self::start(false)
    }

    /// A registry with htpasswd authentication ([`USER`], [`PASSWORD`]).
    pub fn htpasswd() -> Self {
        Self::start(true)
    }

    /// A registry with the given `auth:` section (YAML, indented by two).
    pub fn with_auth(auth_yaml: &str) -> Self {
        Self::start_with(Auth::Custom(auth_yaml.to_string()))
    }

    fn start(auth: bool) -> Self {
        Self::start_with(if auth { Auth::Htpasswd } else { Auth::None })
    }

    fn start_with(auth: Auth) -> Self {
        let bin = find_binary("docker-registry");
        let dir = TempDir::new();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let storage = dir.path().join("storage");
        std::fs::create_dir_all(&storage).unwrap();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n",
            storage.display()
        );
        if let Auth::Custom(yaml) = &auth {
            config.push_str("auth:\n");
            config.push_str(yaml);
        }
        if auth == Auth::Htpasswd {
            let out = Command::new(find_binary("htpasswd"))
                .args(["-Bbn", USER, PASSWORD])
                .output()
                .unwrap();
            assert!(out.status.success(), "htpasswd failed");
            let file = dir.path().join("htpasswd");
            std::fs::write(&file, &out.stdout).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: jspkg-test\n    path: {}\n",
                file.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let child = Command::new(bin)
            .arg("serve")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("cannot start docker-registry");
        let reg = Self { child, addr, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&reg.addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "docker-registry did not listen on {}: {}",
                reg.addr,
                std::fs::read_to_string(reg.dir.path().join("registry.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        reg
    }

    /// The directory holding the blob `digest` (`sha256:...`) on disk.
    pub fn blob_data(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").unwrap();
        self.dir
            .path()
            .join("storage/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    pub fn storage(&self) -> &Path {
        self.dir.path()
    }
}

/// A temporary directory removed on drop (no dependency on `tempfile`, so
/// that the CLI tests can include this file).
pub struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "jspkg-test-registry-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
