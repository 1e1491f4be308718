// A small Markdown-to-DOM renderer for the documents ATSPro writes: headings, paragraphs,
// lists, block quotes, code, rules and tables; bold, italics, code and links inline. Text only
// ever reaches the page as text nodes (never innerHTML), and links keep only http(s) and
// mailto addresses, so a document cannot inject markup or script.
const SAFE_URL = /^(https?:|mailto:)/i;
const INLINE =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(.+?)\*\*|__(.+?)__|\*(?!\s)(.+?)\*|(?<![\w])_(?!\s)(.+?)_(?![\w])|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<(https?:\/\/[^>\s]+)>/;

function el(tag, children = []) {
  const node = document.createElement(tag);
  node.append(...children);
  return node;
}

function link(text, href) {
  if (!SAFE_URL.test(href)) return inline(text);
  const a = el("a", inline(text));
  a.href = href;
  a.rel = "noopener noreferrer";
  return [a];
}

/** Inline Markdown of one line or paragraph as a list of nodes. */
export function inline(text) {
  const out = [];
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(document.createTextNode(rest));
      break;
    }
    if (m.index) out.push(document.createTextNode(rest.slice(0, m.index)));
    if (m[2] !== undefined) out.push(el("code", [m[2]]));
    else if (m[3] !== undefined || m[4] !== undefined) out.push(el("strong", inline(m[3] ?? m[4])));
    else if (m[5] !== undefined || m[6] !== undefined) out.push(el("em", inline(m[5] ?? m[6])));
    else if (m[7] !== undefined) out.push(...link(m[7], m[8]));
    else out.push(...link(m[9], m[9]));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
const FENCE = /^\s*(```|~~~)/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

const cells = (line) => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());

/**
 * Renders Markdown into a DocumentFragment. `headingBase` shifts heading levels so a
 * document's `#` sits under the page's own headings (1 makes `#` an h3 when base is 2).
 */
export function renderMarkdown(source, { headingBase = 0 } = {}) {
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  const root = document.createDocumentFragment();
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) root.append(el("p", inline(paragraph.join(" "))));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) {
      flush();
      continue;
    }
    let m;
    if (FENCE.test(line)) {
      flush();
      const fence = line.trim().slice(0, 3);
      const body = [];
      while (++i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i]);
      root.append(el("pre", [el("code", [body.join("\n")])]));
    } else if ((m = HEADING.exec(line))) {
      flush();
      root.append(el(`h${Math.min(6, m[1].length + headingBase)}`, inline(m[2])));
    } else if (RULE.test(line)) {
      flush();
      root.append(el("hr"));
    } else if (line.trimStart().startsWith(">")) {
      flush();
      const quoted = [];
      for (; i < lines.length && lines[i].trimStart().startsWith(">"); i++) {
        quoted.push(lines[i].trimStart().replace(/^>\s?/, ""));
      }
      i--;
      root.append(el("blockquote", [renderMarkdown(quoted.join("\n"), { headingBase })]));
    } else if (TABLE_ROW.test(line) && TABLE_RULE.test(lines[i + 1] ?? "")) {
      flush();
      const head = el("tr", cells(line).map((c) => el("th", inline(c))));
      head.querySelectorAll("th").forEach((th) => th.setAttribute("scope", "col"));
      const rows = [];
      for (i += 2; i < lines.length && TABLE_ROW.test(lines[i]); i++) {
        rows.push(el("tr", cells(lines[i]).map((c) => el("td", inline(c)))));
      }
      i--;
      root.append(el("table", [el("thead", [head]), el("tbody", rows)]));
    } else if ((m = BULLET.exec(line))) {
      flush();
      i = list(lines, i, root);
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return root;
}

/** Reads a list starting at line `start` (nested by indentation) into `parent`; returns its last line. */
function list(lines, start, parent) {
  const first = BULLET.exec(lines[start]);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const node = el(ordered ? "ol" : "ul");
  let item = null;
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) {
      if (BULLET.test(lines[i + 1] ?? "")) continue;
      break;
    }
    const m = BULLET.exec(line);
    if (m && m[1].length === indent && /\d/.test(m[2]) !== ordered) break; // the other kind of list
    if (m && m[1].length === indent) {
      item = el("li", inline(m[3]));
      node.append(item);
    } else if (m && m[1].length > indent && item) {
      i = list(lines, i, item);
    } else if (!m && item && /^\s/.test(line)) {
      item.append(" ", ...inline(line.trim())); // a wrapped item
    } else {
      break;
    }
  }
  parent.append(node);
  return i - 1;
}
