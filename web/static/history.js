"use strict";
// "What you got": the signed-in user's last deliveries (GET /api/v1/history, docs/web.md),
// newest first, a page at a time. Loaded before the page's main script, which calls
// loadHistory() once signed in; api() is that script's.
let historyNext = null;
const historyStatusText = { sent: "Sent", pending_digest: "Waiting for your digest", failed: "Failed",
                            dead_lettered: "Not sent (set aside after repeated failures)",
                            muted: "Not sent (muted)" };

// A time as the page shows every time: in the browser's locale and time zone, the zone named.
function localTime(date) {
  return date.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric",
                                          hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

function historyItem(record) {
  const li = document.createElement("li");
  li.className = "delivery " + record.status;
  const when = new Date(record.at_ms);
  const time = document.createElement("time");
  time.dateTime = when.toISOString(); time.textContent = localTime(when);
  const what = document.createElement("div");
  what.className = "what"; what.textContent = record.subtitle || record.topic;
  const how = document.createElement("div");
  how.textContent = (historyStatusText[record.status] || record.status) + " to " + record.kind + " " +
    record.address + ", rule " + record.rule;
  li.append(time, what, how);
  if (record.detail) {
    const why = document.createElement("div"); why.className = "error";
    why.textContent = "Why: " + record.detail; li.appendChild(why);
  }
  return li;
}

async function loadHistory(more) {
  const list = document.getElementById("history-list");
  const status = document.getElementById("history-status");
  const r = await api("GET", "/history?limit=20&offset=" + (more ? historyNext : 0));
  if (r.status !== 200) { status.textContent = (r.data && r.data.error) || "The history is unavailable."; return; }
  if (!more) list.textContent = "";
  for (const record of r.data.records) list.appendChild(historyItem(record));
  historyNext = r.data.next_offset;
  document.getElementById("history-more").hidden = historyNext === null;
  status.textContent = list.children.length === 0 ? "Nothing delivered to you yet." : "";
}

document.getElementById("history-refresh").addEventListener("click", () => loadHistory(false));
document.getElementById("history-more").addEventListener("click", () => loadHistory(true));
