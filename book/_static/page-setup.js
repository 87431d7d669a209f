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
