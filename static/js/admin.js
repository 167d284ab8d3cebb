// Admin pages: colour swatches (CSP forbids style="" in markup) and confirmations.

for (const swatch of document.querySelectorAll(".swatch[data-color]")) {
  const color = swatch.dataset.color || "";
  if (/^#[0-9a-fA-F]{6}$/.test(color)) swatch.style.setProperty("background-color", color);
}

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm || "Are you sure?")) event.preventDefault();
  });
}
