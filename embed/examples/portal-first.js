// A portal page's own scripts that run before the widgets' script (a test page):
// it records every error of the page, and defines nx-fee-list for an element of its own.
window.__pageErrors = [];
window.addEventListener('error', (event) => window.__pageErrors.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) => window.__pageErrors.push(String(event.reason)));
const consoleError = console.error.bind(console);
console.error = (...args) => { window.__pageErrors.push(args.map(String).join(' ')); consoleError(...args); };
customElements.define('nx-fee-list', class extends HTMLElement {
  connectedCallback() { this.textContent = '本站自己的收费清单组件'; }
});
