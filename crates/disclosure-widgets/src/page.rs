//! What the widgets need from the page they live on: the day in the citizen's calendar,
//! a parameter of the address, and a JSON file from the data folder.

use serde::de::DeserializeOwned;
use time::Date;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::labels::Lang;

/// A folder URL with its trailing slash, whatever the portal wrote in the attribute.
pub fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// The day in the citizen's own calendar.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(Date::MIN)
}

/// A link to a widget's page opened on one parameter (`validity.html?wh=宁政发〔2019〕3号`,
/// percent-encoded); `page` empty links to the page itself.
pub fn link_to(page: &str, parameter: &str, value: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair(parameter, value)
        .finish();
    format!("{page}?{query}")
}

/// A parameter of the page's address (`?wh=…`).
pub fn address_parameter(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Puts the widget's state in the address without a history entry, so the page can be
/// linked and reloaded as it stands; empty values are left out.
pub fn replace_address_parameters(parameters: &[(&str, &str)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in parameters {
        if !value.trim().is_empty() {
            query.append_pair(name, value);
        }
    }
    let query = query.finish();
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Reads JSON with the browser's own parser (serde-wasm-bindgen over `JSON.parse`), which
/// keeps a JSON parser out of the UI module.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// Writes JSON with the browser's `JSON.stringify`; absent fields stay `null`.
pub fn to_json<T: serde::Serialize>(value: &T) -> Option<String> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}

/// What a data file is, named in the citizen's language: `("文件库", "The document register")`.
pub type Named = (&'static str, &'static str);

/// Why a data file could not be had ([`fetch_json`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// No answer: the network, or a browser without `window`.
    #[error("the file cannot be reached")]
    Unreachable,
    /// The server answered with this HTTP status, not 2xx.
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// The answer is not the JSON of the expected shape.
    #[error("the file is not the JSON expected")]
    Damaged,
}

impl FetchError {
    /// The sentence a citizen reads, naming the file as `what` in `lang`.
    pub fn sentence(self, what: Named, lang: Lang) -> String {
        let (zh, en) = what;
        match self {
            FetchError::Unreachable => lang.pick(
                format!("{zh}暂时无法连接，请检查网络后重试。"),
                format!("{en} cannot be reached. Please check your connection and try again."),
            ),
            FetchError::Status(status) => lang.pick(
                format!("{zh}暂时不可用（HTTP {status}），请稍后重试。"),
                format!("{en} is unavailable (HTTP {status}). Please try again later."),
            ),
            FetchError::Damaged => lang.pick(
                format!("{zh}数据已损坏，请稍后重试或联系网站管理员。"),
                format!(
                    "{en} is damaged. Please try again later or tell the site's administrator."
                ),
            ),
        }
    }
}

/// Fetches and parses a data file; [`FetchError::sentence`] words a failure for the citizen.
pub async fn fetch_json<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Unreachable)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| FetchError::Unreachable)?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| FetchError::Unreachable)?)
        .await
        .map_err(|_| FetchError::Unreachable)?
        .as_string()
        .unwrap_or_default();
    parse_json(&text).ok_or(FetchError::Damaged)
}

/// The browser's local storage, where drafts and unsent opinions wait; absent in private
/// modes that refuse it, in which case nothing is kept.
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn remember(slot: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(slot, value);
    }
}

pub fn recall(slot: &str) -> Option<String> {
    local_storage()?.get_item(slot).ok()?
}

pub fn forget(slot: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(slot);
    }
}

/// Saves `text` as a CSV file named `file_name` through a link to a Blob that is never
/// attached to the page, the one way a page can offer a download it made itself. Does
/// nothing outside a page.
pub fn download_csv(file_name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document.create_element("a") {
        if let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>() {
            link.set_href(&url);
            link.set_download(file_name);
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_fetch_is_worded_for_the_citizen_naming_the_file() {
        let register: Named = ("文件库", "The document register");
        assert_eq!(
            FetchError::Status(503).sentence(register, Lang::Chinese),
            "文件库暂时不可用（HTTP 503），请稍后重试。"
        );
        assert_eq!(
            FetchError::Unreachable.sentence(register, Lang::English),
            "The document register cannot be reached. Please check your connection and try again."
        );
        assert!(FetchError::Damaged
            .sentence(register, Lang::Chinese)
            .starts_with("文件库数据已损坏"));
    }
}
