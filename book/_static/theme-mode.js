// sphinx-book-theme leaves the colour mode empty on a reader's first visit,
// and pydata-sphinx-theme then logs "Got invalid theme mode" as an error.
// Start in "auto" (follow the system's light or dark setting) instead.
document.documentElement.dataset.mode = document.documentElement.dataset.mode || "auto";
