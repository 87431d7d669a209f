// Runs after require.js and before the widget manager (order: _config.yml,
// nb_ipywidgets_js). Makes the embedded ipywidgets work on this self-hosted site.
(function () {
  var here = document.currentScript.src;
  // The widget manager's modules load their fonts relative to their own
  // require.js module paths, which require.js would resolve against the
  // page's folder; point every one of them at the vendored copy.
  var dir = new URL("html-manager/", here).href;
  require.config({
    paths: {
      "@jupyter-widgets/html-manager/dist": dir.replace(/\/$/, ""),
      "@jupyter-widgets/html-manager": dir + "html-manager",
      "@jupyter-widgets/base": dir + "base",
      "@jupyter-widgets/base7": dir + "base7",
      "@jupyter-widgets/controls": dir + "controls",
      "@jupyter-widgets/controls7": dir + "controls7",
    },
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
