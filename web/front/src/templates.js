// FMN's classic rules as one-click starting points (GET /api/v1/templates, docs/web.md): one
// button per template; a click hands the template to `pick`.
export async function showTemplates(api, container, pick) {
  const r = await api("GET", "/templates");
  if (r.status !== 200) { container.hidden = true; return; }
  container.querySelectorAll("button").forEach((b) => b.remove());
  for (const template of r.data.templates) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = template.title;
    b.title = template.description;
    b.dataset.template = template.id;
    b.setAttribute("aria-label", "Start from the template " + template.title + ": " + template.description);
    b.onclick = () => pick(template);
    container.appendChild(b);
  }
  container.hidden = r.data.templates.length === 0;
}
