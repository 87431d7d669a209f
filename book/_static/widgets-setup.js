// Runs after require.js and before the widget manager (order: _config.yml,
// nb_ipywidgets_js). Makes the embedded ipywidgets work on this self-hosted site.
(function () {
  var here = document.currentScript.src;
  // The widget manager loads its fonts relative to its require.js module path,
  // which require.js would resolve against the page's folder; point that path
  // at the vendored copy next to this file.
  require.config({
    paths: {"@jupyter-widgets/html-manager/dist": new URL("html-manager", here).href},
  });
  // ipywidgets typesets labels with MathJax 2's MathJax.Hub.Queue; the site
  // serves MathJax 3, so give it that one call, backed by typesetPromise.
  // Deferred MathJax has run by DOMContentLoaded; the widgets render after it.
  document.addEventListener("DOMContentLoaded", function () {
    var mj = window.MathJax;
    if (!mj || mj.Hub || typeof mj.typesetPromise !== "function") return;
    mj.Hub = {
      Queue: function (job) {
        var el = job && job[2];
        mj.startup.promise = mj.startup.promise.then(function () {
          return mj.typesetPromise(el ? [el] : undefined);
        });
      },
    };
  });
})();
