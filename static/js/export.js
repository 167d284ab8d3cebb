// The export page: a live count of the records the chosen filters produce.

const form = document.getElementById("export-form");
const output = document.getElementById("export-count");
let latest = 0;

// Options left empty (no majority, no preference) stay out of the URL.
const OPTIONAL = ["prefer", "majority"];

function query() {
  const params = new URLSearchParams(new FormData(form));
  for (const name of OPTIONAL) if (params.get(name) === "") params.delete(name);
  if (!params.has("layers")) params.set("layers", "none");
  return params;
}

function describe(count) {
  return count === 1 ? "1 record" : `${count} records`;
}

async function refresh() {
  const ticket = ++latest;
  output.textContent = "Counting…";
  const params = query();
  if (params.get("layers") === "none") {
    output.textContent = "Choose at least one layer.";
    return;
  }
  const response = await fetch(`${form.dataset.countUrl}?${params}`, {
    headers: { Accept: "application/json" },
  });
  const body = await response.json();
  if (ticket !== latest) return;
  output.textContent = response.ok
    ? `${describe(body.records)} will be exported.`
    : body.error.message;
}

form.addEventListener("change", refresh);
form.addEventListener("submit", (event) => {
  if (!new FormData(form).has("layers")) {
    event.preventDefault();
    output.textContent = "Choose at least one layer.";
    return;
  }
  // A plain GET submit would send them empty: switch them off just for this submit.
  const empty = OPTIONAL.map((name) => form.elements.namedItem(name)).filter(
    (field) => field && field.value === "",
  );
  for (const field of empty) field.disabled = true;
  setTimeout(() => empty.forEach((field) => (field.disabled = false)));
});
refresh();
