// "This rule would have matched these of the last N messages" (POST /api/v1/preview,
// docs/web.md), under the editor; hidden when the service keeps no recent messages. Times are
// written by elements.time (the page's localTime(), as "What you got" writes them).
export async function showPreview(api, elements, source, current) {
  const { section, count, list, time } = elements;
  const r = await api("POST", "/preview", { source, limit: 20 });
  if (current() !== source) return;
  if (r.status !== 200 || !r.data.ok) { section.hidden = true; return; }
  count.textContent = r.data.scanned === 0 ? "No messages have arrived yet to try it on." :
    "Matched " + r.data.matched + " of the last " + r.data.scanned + " messages" +
    (r.data.matched > r.data.messages.length ? "; the newest " + r.data.messages.length + " are listed." : ".");
  list.textContent = "";
  for (const m of r.data.messages) {
    const li = document.createElement("li");
    const when = time(new Date(m.time * 1000));
    const web = /^https?:\/\//.test(m.link);  // a message's link is data: never javascript:
    const what = document.createElement(web ? "a" : "span");
    what.textContent = m.summary || m.topic;
    if (web) what.href = m.link;
    li.append(when + " ", what, " (" + m.topic + ", " + m.msg_id + ")");
    list.appendChild(li);
  }
  section.hidden = false;
}
