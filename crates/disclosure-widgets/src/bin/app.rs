//! Entry point of the UI Wasm. On the demo portal's pages it mounts each widget on its
//! element by id; embedding pages call [`mount_widget`] from `nx-widgets.js`, once per
//! custom element, into that element's shadow root. One module serves every widget of a
//! page.

use disclosure_widgets::consultation::{ConsultationWidget, ConsultationWidgetProps};
use disclosure_widgets::fees::{FeeWidget, FeeWidgetProps};
use disclosure_widgets::labels::Lang;
use disclosure_widgets::search::{SearchWidget, SearchWidgetProps};
use disclosure_widgets::validity::{ValidityWidget, ValidityWidgetProps};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;
use yew::AttrValue;

/// The language of the labels: the host's `lang` attribute (`en` for English).
fn lang(host: &Element) -> Lang {
    Lang::from_tag(host.get_attribute("lang").as_deref())
}

/// A configuration attribute of the element that hosts a widget.
fn attribute(host: &Element, name: &str, default: &'static str) -> AttrValue {
    host.get_attribute(name)
        .map(AttrValue::from)
        .unwrap_or(AttrValue::Static(default))
}

/// Mounts the widget `kind` (`search`, `validity`, `fees`, `consultation`) into `root`,
/// configured by the `data-*` attributes of `host`. Returns false for an unknown kind.
#[wasm_bindgen]
pub fn mount_widget(kind: &str, root: Element, host: Element) -> bool {
    match kind {
        "search" => {
            let props = SearchWidgetProps {
                data_url: attribute(&host, "data-index", "data/"),
                worker_url: attribute(&host, "data-worker", "./worker_loader.js"),
                initial_query: host.get_attribute("data-query").map(AttrValue::from),
                lang: lang(&host),
            };
            yew::Renderer::<SearchWidget>::with_root_and_props(root, props).render();
        }
        "validity" => {
            let props = ValidityWidgetProps {
                data_url: attribute(&host, "data-index", "data/"),
                initial_query: host.get_attribute("data-query").map(AttrValue::from),
                lang: lang(&host),
            };
            yew::Renderer::<ValidityWidget>::with_root_and_props(root, props).render();
        }
        "fees" => {
            let props = FeeWidgetProps {
                data_url: attribute(&host, "data-index", "data/"),
                validity_page: attribute(&host, "data-validity-page", "validity.html"),
                county: attribute(&host, "data-county", "宁乡市"),
                initial_query: host.get_attribute("data-query").map(AttrValue::from),
                lang: lang(&host),
            };
            yew::Renderer::<FeeWidget>::with_root_and_props(root, props).render();
        }
        "consultation" => {
            let props = ConsultationWidgetProps {
                api_url: attribute(&host, "data-api", "/api/"),
                retention_days: host
                    .get_attribute("data-retention-days")
                    .and_then(|days| days.parse().ok())
                    .unwrap_or(180),
                lang: lang(&host),
            };
            yew::Renderer::<ConsultationWidget>::with_root_and_props(root, props).render();
        }
        _ => return false,
    }
    true
}

/// The demo portal's pages: each widget on the element with its id.
fn main() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    for (id, kind) in [
        ("policy-search", "search"),
        ("validity-lookup", "validity"),
        ("fee-list", "fees"),
        ("consultation", "consultation"),
    ] {
        if let Some(element) = document.get_element_by_id(id) {
            mount_widget(kind, element.clone(), element);
        }
    }
}
