//! The one theme every pane draws with. Colours come from the config;
//! `NO_COLOR` turns them all off and leaves only bold, dim, underline and
//! reverse, so the screen stays readable in monochrome.

use ratatui::style::{Color, Modifier, Style};

use crate::catalog::Tier;
use crate::highlight::Class;

/// The colours a user can set in the config's `[theme]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub accent: Color,
    pub matched: Color,
    pub kind: Color,
    pub limited: Color,
    pub abi_only: Color,
    pub unstable: Color,
    pub private: Color,
    pub keyword: Color,
    pub error: Color,
    pub selection: Color,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            accent: Color::Cyan,
            matched: Color::Yellow,
            kind: Color::Blue,
            limited: Color::Green,
            abi_only: Color::Magenta,
            unstable: Color::Yellow,
            private: Color::DarkGray,
            keyword: Color::Magenta,
            error: Color::Red,
            selection: Color::DarkGray,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    palette: Palette,
    color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(Palette::default(), true)
    }
}

impl Theme {
    pub fn new(palette: Palette, color: bool) -> Theme {
        Theme { palette, color }
    }

    /// A style with `fg` when colour is on.
    fn fg(&self, fg: Color) -> Style {
        if self.color { Style::new().fg(fg) } else { Style::new() }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
        } else {
            self.dim()
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn matched(&self) -> Style {
        self.fg(self.palette.matched)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Text a find matched in the detail.
    pub fn found(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(self.palette.matched)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(self.palette.selection).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn kind(&self) -> Style {
        self.fg(self.palette.kind)
    }

    pub fn label(&self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
    }

    pub fn link(&self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::UNDERLINED)
    }

    pub fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }

    /// Names in the result list: ABI-only, unstable and private items look
    /// different from Limited and general ones even without colour.
    pub fn tier(&self, tier: Tier) -> Style {
        match tier {
            Tier::Limited => self.fg(self.palette.limited),
            Tier::AbiOnly => self.fg(self.palette.abi_only).add_modifier(Modifier::ITALIC),
            Tier::Unstable => self.fg(self.palette.unstable).add_modifier(Modifier::ITALIC),
            Tier::General => Style::new(),
            Tier::Private => self.dim().add_modifier(Modifier::ITALIC),
        }
    }

    /// Documentation text by class.
    pub fn doc(&self, class: crate::docs::render::Class) -> Style {
        use crate::docs::render::Class as Doc;
        use ratatui::style::Modifier;
        match class {
            Doc::Text => Style::default(),
            Doc::Code | Doc::CodeBlock => self.kind(),
            Doc::Emph => Style::default().add_modifier(Modifier::ITALIC),
            Doc::Strong | Doc::Heading => Style::default().add_modifier(Modifier::BOLD),
            Doc::Link => self.link(),
            Doc::Note => self.label(),
            Doc::Version => self.dim().add_modifier(Modifier::ITALIC),
            Doc::Marker => self.dim(),
        }
    }

    pub fn code(&self, class: Class) -> Style {
        match class {
            Class::Keyword => self.fg(self.palette.keyword),
            Class::Type => self.fg(self.palette.kind),
            Class::Name => Style::new().add_modifier(Modifier::BOLD),
            Class::Param => Style::new().add_modifier(Modifier::ITALIC),
            Class::Literal => self.fg(self.palette.matched),
            Class::Punct | Class::Space => Style::new(),
        }
    }
}
