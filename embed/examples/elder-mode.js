// The portal's own elder-mode toolbar: it enlarges the root font, as such toolbars do.
const button = document.getElementById('elder-mode');
button.addEventListener('click', () => {
  const on = document.documentElement.classList.toggle('elder');
  button.setAttribute('aria-pressed', String(on));
});
