//! Entry point of the UI Wasm: mounts each widget where the page asks for it.

use disclosure_widgets::search::{SearchWidget, SearchWidgetProps};
use disclosure_widgets::validity::{ValidityWidget, ValidityWidgetProps};
use yew::AttrValue;

fn main() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Some(root) = document.get_element_by_id("policy-search") {
        let attribute = |name: &str, default: &'static str| {
            root.get_attribute(name)
                .map(AttrValue::from)
                .unwrap_or(AttrValue::Static(default))
        };
        let props = SearchWidgetProps {
            data_url: attribute("data-index", "data/"),
            worker_url: attribute("data-worker", "./worker_loader.js"),
        };
        yew::Renderer::<SearchWidget>::with_root_and_props(root, props).render();
    }
    if let Some(root) = document.get_element_by_id("validity-lookup") {
        let data_url = root
            .get_attribute("data-index")
            .map(AttrValue::from)
            .unwrap_or(AttrValue::Static("data/"));
        yew::Renderer::<ValidityWidget>::with_root_and_props(
            root,
            ValidityWidgetProps { data_url },
        )
        .render();
    }
}
