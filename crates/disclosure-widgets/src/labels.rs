//! The language of the widgets' labels: Chinese by default, English when the embedding
//! element says `lang="en"`. Labels, headings, buttons, hints and messages follow it; the
//! published content (titles, fee names, document numbers) stays as published.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Chinese,
    English,
}

impl Lang {
    /// The language of a `lang` attribute: English for `en`, `en-GB` …, else Chinese.
    pub fn from_tag(tag: Option<&str>) -> Lang {
        match tag {
            Some(tag) if tag.trim().to_ascii_lowercase().starts_with("en") => Lang::English,
            _ => Lang::Chinese,
        }
    }

    /// The BCP 47 tag a widget's root carries, so screen readers pick the right voice.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Chinese => "zh-CN",
            Lang::English => "en",
        }
    }

    /// The label in this language.
    pub fn pick<T>(self, chinese: T, english: T) -> T {
        match self {
            Lang::Chinese => chinese,
            Lang::English => english,
        }
    }
}

/// The language the enclosing widget was given (Chinese outside any widget, as in tests
/// that render a view alone).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
