//! Entry point of the console's Wasm: mounts the console on `#console`.

#[cfg(target_arch = "wasm32")]
fn main() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("console"))
    else {
        return;
    };
    yew::Renderer::<disclosure_console::app::Console>::with_root(root).render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the console runs in a browser: build it for wasm32 (trunk build web/admin/index.html)");
}
