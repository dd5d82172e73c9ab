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

/// Fetches and parses a data file; the error is a sentence for the citizen naming `what`.
pub async fn fetch_json<T: DeserializeOwned>(
    url: &str,
    what: Named,
    lang: Lang,
) -> Result<T, String> {
    let (zh, en) = what;
    let unreachable = lang.pick(
        format!("{zh}暂时无法连接，请检查网络后重试。"),
        format!("{en} cannot be reached. Please check your connection and try again."),
    );
    let window = web_sys::window().ok_or_else(|| unreachable.clone())?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| unreachable.clone())?
        .unchecked_into();
    if !response.ok() {
        let status = response.status();
        return Err(lang.pick(
            format!("{zh}暂时不可用（HTTP {status}），请稍后重试。"),
            format!("{en} is unavailable (HTTP {status}). Please try again later."),
        ));
    }
    let text = JsFuture::from(response.text().map_err(|_| unreachable.clone())?)
        .await
        .map_err(|_| unreachable.clone())?
        .as_string()
        .unwrap_or_default();
    parse_json(&text).ok_or_else(|| {
        lang.pick(
            format!("{zh}数据已损坏，请稍后重试或联系网站管理员。"),
            format!("{en} is damaged. Please try again later or tell the site's administrator."),
        )
    })
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
