// The topology page's own style (after the pages' theme) and its one script, as constants:
// the server allows exactly this script by its hash (http/topology-server.ts).

// Contrast (WCAG): Ready #0b5d1e on #e6f4ea 7.3:1, Not ready #8b0000 on #fde8e8 8.6:1,
// Unknown #3d3d3d on #eeeeee 9.4:1.
export const topologyStyle = `
main{max-width:1280px}
code{font-size:0.95em}
.ecosystem{border-top:1px solid #c4c4c4;margin-top:16px}
.map{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px}
.card{border:1px solid #c4c4c4;border-radius:6px;padding:8px 12px}
.card h3{margin-top:0.2em}
.boundary{background:#f5f8fd}
.items{list-style:none;margin:0;padding:0}
.items li{border-left:4px solid #c4c4c4;padding:4px 8px;margin:8px 0}
.items li.ok{border-color:#0b5d1e}.items li.bad{border-color:#8b0000}
.items p{margin:0}
.name{font-weight:700}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:0.9em;font-weight:600}
.badge.ok{background:#e6f4ea;color:#0b5d1e}
.badge.bad{background:#fde8e8;color:#8b0000}
.badge.unknown{background:#eeeeee;color:#3d3d3d}
.why{color:#8b0000;margin:2px 0}
.facts{margin:0}
.facts dt{font-weight:600}.facts dd{margin:0 0 6px;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
.counts{display:flex;flex-wrap:wrap;gap:4px 12px;margin:4px 0 0}
.counts div{display:flex;gap:4px}.counts dt{color:#4d4d4d}.counts dd{margin:0;font-weight:600}
table{margin-top:4px}
`;

/**
 * Live updates without reload: the server sends the fragment and a summary on every change
 * (event "topology"); EventSource reconnects by itself after a dropped connection. The URL is
 * relative so the page works under any Ingress path.
 */
export const liveScript = `(() => {
  const target = document.getElementById("topology");
  const live = document.getElementById("live");
  if (!target || !live || !("EventSource" in window)) return;
  const source = new EventSource("events");
  source.addEventListener("topology", (event) => {
    const update = JSON.parse(event.data);
    target.innerHTML = update.html;
    live.textContent = update.summary;
  });
  source.addEventListener("error", () => {
    live.textContent = "Live updates interrupted; reconnecting.";
  });
})();`;
