// Runs in the page head, before the theme's deferred scripts.

// sphinx-book-theme leaves the colour mode empty on a reader's first visit,
// and pydata-sphinx-theme then logs "Got invalid theme mode" as an error.
// Start in "auto" (follow the system's light or dark setting) instead.
document.documentElement.dataset.mode = document.documentElement.dataset.mode || "auto";

// The theme's Font Awesome script replaces every <i class="fa ..."> with an
// <svg>. ipywidgets' Play button later looks up its <i> icon to switch
// between play and pause, finds none and throws, which stops the rest of the
// widget update (the picture would not follow the slider). "nest" puts the
// svg inside the <i> and keeps the <i>.
window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, {autoReplaceSvg: "nest"});

// Accessible names for what the embedded widgets and the theme leave unnamed
// (checked with axe-core in tests/test_a11y.py). The widgets render after
// the page has loaded, so label them as they appear.
(function () {
  var icons = {"fa-play": "Play", "fa-pause": "Pause", "fa-stop": "Stop",
               "fa-retweet": "Repeat", "fa-repeat": "Repeat", "fa-sync": "Repeat"};
  function label(root) {
    // ipywidgets' Play control: icon-only buttons.
    root.querySelectorAll(".widget-play button:not([aria-label])").forEach(function (b) {
      var icon = b.querySelector("i");
      var name = icon && Object.keys(icons).find(function (c) { return icon.classList.contains(c); });
      b.setAttribute("aria-label", name ? icons[name] : "Animation control");
    });
    // Slider handles: name them after the slider's description.
    root.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (h) {
      var box = h.closest(".widget-slider, .widget-hslider, .jupyter-widgets");
      var text = box && box.querySelector(".widget-label");
      h.setAttribute("aria-label", (text && text.textContent.trim()) || "slider");
    });
    // The theme's search button shows "Search" and a keyboard shortcut but is
    // named "Search" only; its name must contain what it shows.
    root.querySelectorAll(".search-button-field[aria-label]").forEach(function (b) {
      b.removeAttribute("aria-label");
    });
    // The colour-mode button is named "Color mode", but its icons (and the
    // SVGs Font Awesome puts in them) carry the titles "Light", "Dark",
    // "System Settings" as text: drop those, the button's name says what it
    // does.
    root.querySelectorAll(".theme-switch-button i, .theme-switch-button svg").forEach(function (i) {
      i.setAttribute("aria-hidden", "true");
      i.removeAttribute("title");
      i.removeAttribute("aria-labelledby");
    });
    root.querySelectorAll(".theme-switch-button svg title").forEach(function (t) { t.remove(); });
    // Toggles of hidden code cells: named "Toggle hidden content" while they
    // show "Show code cell source"; let the visible text be the name.
    root.querySelectorAll("summary[aria-label='Toggle hidden content']").forEach(function (s) {
      s.removeAttribute("aria-label");
    });
    // sphinxcontrib-bibtex marks references with the deprecated role
    // doc-biblioentry inside a role="list"; they are the list's items.
    root.querySelectorAll(".citation-list > [role='doc-biblioentry']").forEach(function (c) {
      c.setAttribute("role", "listitem");
    });
  }
  function start() {
    label(document);
    new MutationObserver(function (records) {
      if (records.some(function (r) { return r.addedNodes.length; })) label(document);
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
