// A display formula wider than the column scrolls sideways (custom.css), and so does a long line
// of code. Keyboard readers must be able to reach what is out of view, so whatever overflows is a
// tab stop. Blocks folded at load (solutions) have no size until they are opened: a
// ResizeObserver decides again whenever one of these boxes changes.
window.addEventListener("load", () => {
  const typeset = window.MathJax?.startup?.promise ?? Promise.resolve();
  typeset.then(() => {
    const update = (region) => {
      if (region.scrollWidth > region.clientWidth) region.tabIndex = 0;
      else if (region.matches("mjx-container")) region.removeAttribute("tabindex");
    };
    const observer = new ResizeObserver((entries) => entries.forEach((e) => update(e.target)));
    document
      .querySelectorAll("div.math mjx-container, div.highlight pre")
      .forEach((region) => observer.observe(region));
  });
});
