// The queue chart: inline SVG drawn from `queueStats` samples, no library. A line for the
// tasks waiting on the shared queues, bars for the tasks of yours that finished per interval.
const NS = "http://www.w3.org/2000/svg";
const W = 600;
const H = 120;
const PAD = 4;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/**
 * Draws `samples` ({depth, finished}, oldest first, at most `slots`) into the <svg> `target`
 * (stretched to its box, so no text inside) and returns the top of its scale and a sentence
 * that says what it shows, for people who cannot see it.
 */
export function drawChart(target, samples, slots) {
  target.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const top = Math.max(1, ...samples.map((s) => Math.max(s.depth, s.finished)));
  const step = (W - 2 * PAD) / Math.max(1, slots - 1);
  const x = (i) => PAD + (slots - samples.length + i) * step;
  const y = (v) => H - PAD - (v / top) * (H - 2 * PAD);
  const parts = [svg("line", { x1: 0, y1: H - PAD, x2: W, y2: H - PAD, class: "axis" })];
  samples.forEach((s, i) => {
    if (!s.finished) return;
    const height = H - PAD - y(s.finished);
    parts.push(svg("rect", {
      x: x(i) - step * 0.35, y: y(s.finished), width: step * 0.7, height, class: "finished",
    }));
  });
  if (samples.length) {
    const points = samples.map((s, i) => `${x(i).toFixed(1)},${y(s.depth).toFixed(1)}`);
    if (samples.length === 1) points.push(`${(x(0) - step).toFixed(1)},${y(samples[0].depth).toFixed(1)}`);
    parts.push(svg("polyline", { points: points.join(" "), class: "depth" }));
  }
  target.replaceChildren(...parts);
  const last = samples.at(-1);
  const total = samples.reduce((sum, s) => sum + s.finished, 0);
  const text = last
    ? `Queue chart: ${last.depth} tasks waiting now; ${total} of yours finished in the last ${samples.length} samples.`
    : "Queue chart: no samples yet.";
  return { top, text };
}
