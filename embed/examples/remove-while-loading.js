// Takes the validity lookup out of the page while the widgets' module loads, and puts it
// back a moment later (a test page).
const lookup = document.querySelector('nx-validity-lookup');
const place = lookup.parentNode;
lookup.remove();
setTimeout(() => place.append(lookup), 800);
