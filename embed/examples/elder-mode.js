// The portal's own accessibility toolbar (无障碍工具条), as such toolbars work:
// - 长者模式 enlarges the root font;
// - 指读 with 大字幕 shows, in large captions, the text under the pointer.
// Events from inside a widget reach the page retargeted to the widget's element, so a
// toolbar that reads `event.target` sees only the empty host. `event.composedPath()[0]`
// is the node really under the pointer, inside the widget's open shadow root: this is the
// one line the embedding guide asks portal teams to use.
const button = document.getElementById('elder-mode');
button.addEventListener('click', () => {
  const on = document.documentElement.classList.toggle('elder');
  button.setAttribute('aria-pressed', String(on));
});

const pointRead = document.getElementById('point-read');
const caption = document.getElementById('caption');
let reading = false;
pointRead.addEventListener('click', () => {
  reading = !reading;
  pointRead.setAttribute('aria-pressed', String(reading));
  if (!reading) caption.textContent = '';
});
document.addEventListener('mouseover', (event) => {
  if (!reading) return;
  const node = event.composedPath()[0];
  const text = node && node.textContent ? node.textContent.trim() : '';
  if (text) caption.textContent = text.slice(0, 200);
});
