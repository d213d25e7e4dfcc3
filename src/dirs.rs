//! Where abiscope keeps its files on each platform, through `etcetera`:
//! the configuration in `$XDG_CONFIG_HOME/abiscope` (else
//! `~/.config/abiscope`) on Linux and the BSDs, `~/Library/Application
//! Support/abiscope` on macOS and `%APPDATA%\abiscope` on Windows; the
//! explorer's state (history, last target) in `$XDG_STATE_HOME/abiscope`
//! (else `~/.local/state/abiscope`), the same Application Support folder,
//! and `%LOCALAPPDATA%\abiscope`.
//!
//! The home directory is the standard library's: `HOME`, else the password
//! database on Unix; the user profile on Windows, where `HOME` is usually
//! unset. On macOS the configuration goes to Application Support, not
//! etcetera's `Preferences` (which holds property lists). The platform is
//! a value, not only a `cfg`, so that tests on one system check the paths
//! of the others.

use std::path::PathBuf;

use etcetera::base_strategy::{Apple, BaseStrategy, Windows, Xdg};

/// A platform's convention for per-user files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// The XDG base directories: Linux, the BSDs, other Unix.
    Xdg,
    MacOs,
    Windows,
}

impl Platform {
    /// The platform abiscope was built for.
    pub const CURRENT: Platform = if cfg!(target_os = "macos") {
        Platform::MacOs
    } else if cfg!(windows) {
        Platform::Windows
    } else {
        Platform::Xdg
    };
}

/// No home directory, so no per-user directory either.
#[derive(Debug, thiserror::Error)]
#[error("the home directory is unknown")]
pub struct NoHome;

/// `abiscope/` in the user's configuration directory.
pub fn config(platform: Platform) -> Result<PathBuf, NoHome> {
    let base = match platform {
        Platform::Xdg => Xdg::new().map_err(|_| NoHome)?.config_dir(),
        Platform::MacOs => Apple::new().map_err(|_| NoHome)?.data_dir(),
        Platform::Windows => Windows::new().map_err(|_| NoHome)?.config_dir(),
    };
    Ok(base.join("abiscope"))
}

/// `abiscope/` in the user's directory for state that is not worth
/// roaming or backing up.
pub fn state(platform: Platform) -> Result<PathBuf, NoHome> {
    let base = match platform {
        Platform::Xdg => {
            let xdg = Xdg::new().map_err(|_| NoHome)?;
            xdg.state_dir().unwrap_or_else(|| xdg.data_dir())
        }
        Platform::MacOs => Apple::new().map_err(|_| NoHome)?.data_dir(),
        Platform::Windows => Windows::new().map_err(|_| NoHome)?.cache_dir(),
    };
    Ok(base.join("abiscope"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_platform_is_the_build_target() {
        #[cfg(target_os = "linux")]
        assert_eq!(Platform::CURRENT, Platform::Xdg);
        #[cfg(target_os = "macos")]
        assert_eq!(Platform::CURRENT, Platform::MacOs);
        #[cfg(windows)]
        assert_eq!(Platform::CURRENT, Platform::Windows);
    }
}
