//! Entry point of the UI Wasm: mounts each widget where the page asks for it.

use disclosure_widgets::consultation::{ConsultationWidget, ConsultationWidgetProps};
use disclosure_widgets::fees::{FeeWidget, FeeWidgetProps};
use disclosure_widgets::search::{SearchWidget, SearchWidgetProps};
use disclosure_widgets::validity::{ValidityWidget, ValidityWidgetProps};
use web_sys::Element;
use yew::AttrValue;

/// A configuration attribute of the element a widget mounts on.
fn attribute(root: &Element, name: &str, default: &'static str) -> AttrValue {
    root.get_attribute(name)
        .map(AttrValue::from)
        .unwrap_or(AttrValue::Static(default))
}

fn main() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Some(root) = document.get_element_by_id("policy-search") {
        let props = SearchWidgetProps {
            data_url: attribute(&root, "data-index", "data/"),
            worker_url: attribute(&root, "data-worker", "./worker_loader.js"),
        };
        yew::Renderer::<SearchWidget>::with_root_and_props(root, props).render();
    }
    if let Some(root) = document.get_element_by_id("validity-lookup") {
        let props = ValidityWidgetProps {
            data_url: attribute(&root, "data-index", "data/"),
        };
        yew::Renderer::<ValidityWidget>::with_root_and_props(root, props).render();
    }
    if let Some(root) = document.get_element_by_id("fee-list") {
        let props = FeeWidgetProps {
            data_url: attribute(&root, "data-index", "data/"),
            validity_page: attribute(&root, "data-validity-page", "validity.html"),
            county: attribute(&root, "data-county", "宁乡市"),
        };
        yew::Renderer::<FeeWidget>::with_root_and_props(root, props).render();
    }
    if let Some(root) = document.get_element_by_id("consultation") {
        let props = ConsultationWidgetProps {
            api_url: attribute(&root, "data-api", "/api/"),
            retention_days: root
                .get_attribute("data-retention-days")
                .and_then(|days| days.parse().ok())
                .unwrap_or(180),
        };
        yew::Renderer::<ConsultationWidget>::with_root_and_props(root, props).render();
    }
}
