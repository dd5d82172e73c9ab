// The one script a portal page adds to embed the widgets:
//   <script type="module" src="https://…/nx-widgets.js"></script>
//   <nx-policy-search data-index="https://…/data/"></nx-policy-search>
// It registers four custom elements — nx-policy-search, nx-validity-lookup, nx-fee-list,
// nx-consultation — each drawn inside its own shadow root, so the portal's styles and ours
// never meet. Every widget on the page shares one UI module, loaded once, the first time
// an element connects. Nothing is put on window; no listener is added to the page.
import init, { mount_widget } from './app.js';

const base = new URL('.', import.meta.url);
let loading = null;

/** Loads the UI module once for the whole page. */
function ready() {
  if (!loading) {
    loading = init({ module_or_path: new URL('app_bg.wasm', base) });
  }
  return loading;
}

/** The widget kind and the defaults its attributes fall back to, relative to this script. */
const WIDGETS = {
  'nx-policy-search': { kind: 'search', defaults: { 'data-index': 'data/', 'data-worker': 'worker_loader.js' } },
  'nx-validity-lookup': { kind: 'validity', defaults: { 'data-index': 'data/' } },
  'nx-fee-list': { kind: 'fees', defaults: { 'data-index': 'data/', 'data-validity-page': 'validity.html' } },
  'nx-consultation': { kind: 'consultation', defaults: { 'data-api': '/api/' } },
};

/** Relative defaults resolve against this script's folder; absolute paths (/api/) stay. */
function resolve(value) {
  return value.startsWith('/') ? value : new URL(value, base).href;
}

for (const [name, { kind, defaults }] of Object.entries(WIDGETS)) {
  if (customElements.get(name)) continue;
  customElements.define(name, class extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const shadow = this.attachShadow({ mode: 'open' });
      const style = document.createElement('link');
      style.rel = 'stylesheet';
      style.href = new URL('widgets.css', base).href;
      const root = document.createElement('div');
      shadow.append(style, root);
      // The element's own attributes win; the mount reads them from a copy with defaults filled in.
      const config = document.createElement('div');
      for (const [attribute, value] of Object.entries(defaults)) {
        config.setAttribute(attribute, resolve(this.getAttribute(attribute) ?? value));
      }
      for (const { name: attribute, value } of this.attributes) {
        if (attribute.startsWith('data-')) config.setAttribute(attribute, value);
      }
      ready().then(() => mount_widget(kind, root, config));
    }
  });
}
