// What the result panel shows: the structured resume, the job, the score breakdown with its
// keywords and their evidence, and generated documents (Markdown rendered, downloads). Every
// value goes into the page as text.
import { renderMarkdown } from "./markdown.js";

/** createElement with properties (`class`, `dataset`, attributes...) and children. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name in node && typeof value !== "string") node[name] = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const join = (...parts) => parts.filter(Boolean).join(" · ");
const dates = (start, end, current) => [start, current ? "Present" : end].filter(Boolean).join(" – ");

function section(title, ...body) {
  const content = body.flat().filter(Boolean);
  return content.length ? h("section", { class: "part" }, h("h4", {}, title), ...content) : null;
}

function bullets(items) {
  return items?.length ? h("ul", {}, items.map((item) => h("li", {}, item))) : null;
}

function tags(items, label) {
  return items?.length
    ? h("ul", { class: "tags", "aria-label": label }, items.map((item) => h("li", {}, item)))
    : null;
}

function facts(pairs) {
  const rows = pairs.filter(([, value]) => value !== "" && value !== null && value !== undefined);
  return rows.length ? h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])) : null;
}

function notReady(object, what) {
  if (object.status === "READY") return null;
  return h("p", {}, `This ${what} is ${object.status.toLowerCase()}${object.error ? `: ${object.error}` : "."}`);
}

export function resumeView(resume) {
  const c = resume.content;
  if (!c) return [h("h3", {}, resume.filename), notReady(resume, "resume")];
  const contact = c.contactInfo;
  return [
    h("h3", {}, contact.fullName || resume.filename),
    h("p", { class: "muted" }, join(contact.email, contact.phone, contact.address, `from ${resume.filename}`)),
    contact.links.length
      ? h("p", {}, contact.links.map((l, i) => [i ? " · " : "", `${l.name || "Link"}: ${l.url}`]))
      : null,
    section("Summary", c.summary ? h("p", {}, c.summary) : null),
    section(
      "Experience",
      c.workExperience.map((w) =>
        h("article", { class: "entry" },
          h("h5", {}, join(w.position, w.company)),
          h("p", { class: "muted" }, join(dates(w.startDate, w.endDate, w.isCurrent), w.location)),
          w.description ? h("p", {}, w.description) : null,
          bullets(w.responsibilities)),
      ),
    ),
    section(
      "Education",
      c.education.map((e) =>
        h("p", {}, join(`${e.degree}${e.fieldOfStudy ? ` in ${e.fieldOfStudy}` : ""}`, e.institution, e.graduationDate)),
      ),
    ),
    section("Skills", tags(c.skills, "Skills")),
    section("Certifications", bullets(c.certifications.map((x) => join(x.name, x.issuer, x.dateObtained)))),
    section("Projects", bullets(c.projects.map((p) => join(p.name, p.description)))),
    section("Languages", tags(c.languages, "Languages")),
  ];
}

export function jobView(job) {
  const c = job.content;
  if (!c) return [h("h3", {}, "Job posting"), notReady(job, "job")];
  const salary = c.salary.text;
  return [
    h("h3", {}, join(c.title || "Untitled job", c.company)),
    facts([
      ["Location", c.location.join("; ")],
      ["Workplace", c.workplaceType === "UNKNOWN" ? "" : c.workplaceType.toLowerCase().replace("_", " ")],
      ["Employment", c.employmentType.replace("_", " ")],
      ["Seniority", c.seniority],
      ["Pay", salary],
      ["Years asked", c.yearsExperienceMin],
      ["Education asked", c.educationLevel.replace("_", " ")],
      ["Source", job.url || job.source],
    ]),
    section("Required skills", tags(c.requiredSkills, "Required skills")),
    section("Preferred skills", tags(c.preferredSkills, "Preferred skills")),
    section("Soft skills", tags(c.softSkills, "Soft skills")),
    section("Responsibilities", bullets(c.responsibilities)),
    section("Requirements", bullets(c.qualifications)),
    section("Nice to have", bullets(c.preferredQualifications)),
    section("Benefits", bullets(c.benefits)),
  ];
}

const COMPONENTS = [
  ["Skills", "skillsScore"],
  ["Experience", "experienceScore"],
  ["Education", "educationScore"],
  ["Keywords", "keywordsScore"],
  ["Career", "careerScore"],
];
const CATEGORIES = [
  ["Hard skills", "hardSkills"],
  ["Soft skills", "softSkills"],
  ["Job title", "jobTitle"],
  ["Education", "education"],
  ["Certifications", "certifications"],
];

function evidence(match) {
  if (!match.foundIn.length) return "—";
  return h("ul", { class: "evidence" }, match.foundIn.map((f) =>
    h("li", {}, h("span", { class: "section" }, f.section), " ", h("q", {}, f.snippet || f.text))));
}

function keywordTable(caption, group) {
  const rows = [
    ...group.matched.map((k) => ["matched", k]),
    ...group.missing.map((k) => ["missing", k]),
  ];
  if (!rows.length) return null;
  return h("table", { class: "keywords" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ["Keyword", "Found", "Asked as", "Evidence in the resume"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map(([state, k]) =>
      h("tr", { dataset: { state } },
        h("th", { scope: "row" }, k.keyword),
        h("td", { class: "state" }, state === "matched" ? `yes (${k.matchType})` : "missing"),
        h("td", {}, k.required ? "required" : "preferred"),
        h("td", {}, evidence(k))))));
}

export function matchView(match, { resume, job } = {}) {
  const c = match.content;
  if (!c) return [h("h3", {}, "Match score"), notReady(match, "score")];
  const reasons = new Map(c.notAssessedReasons.map((r) => [r.component, r.reason]));
  const missing = CATEGORIES.flatMap(([, key]) => c.keywords[key].missing.map((k) => k.keyword));
  return [
    h("h3", {}, `Match score: ${c.overallScore} out of 100`),
    resume || job ? h("p", { class: "muted" }, join(resume && `Resume: ${resume}`, job && `Job: ${job}`)) : null,
    h("table", { class: "scores" },
      h("caption", { class: "visually-hidden" }, "Score components"),
      h("tbody", {}, COMPONENTS.map(([name, key]) => {
        const value = c[key];
        return h("tr", {},
          h("th", { scope: "row" }, name),
          h("td", { class: "figure" }, value === null ? "not assessed" : String(value)),
          h("td", {}, value === null
            ? reasons.get(name.toLowerCase()) ?? ""
            : h("meter", { min: 0, max: 100, value, "aria-label": `${name} ${value} out of 100` })));
      }))),
    h("p", {}, c.rationale),
    section("Missing keywords", missing.length ? tags(missing, "Missing keywords") : h("p", {}, "None: the resume shows every keyword.")),
    section("Keywords and their evidence", CATEGORIES.map(([name, key]) => keywordTable(name, c.keywords[key]))),
    section("Strengths", bullets(c.strengths)),
    section("Gaps", bullets(c.gaps)),
    section("Recommendations", bullets(c.recommendations)),
  ];
}

export const DOCUMENT_TYPES = {
  tailored_resume: "Tailored resume",
  research_report: "Company research",
  cover_letter: "Cover letter",
};
const FORMATS = [["Markdown", "md"], ["HTML", "html"], ["Word", "docx"], ["PDF", "pdf"]];

/** A generated document; `onDownload(path, name)` fetches a format with the token. */
export function documentView(doc, onDownload) {
  const title = doc.title || DOCUMENT_TYPES[doc.documentType] || "Document";
  if (doc.status !== "READY") return [h("h3", {}, title), notReady(doc, "document")];
  const details = doc.details ?? {};
  const changes = details.termChanges ?? [];
  return [
    h("h3", {}, title),
    h("p", { class: "muted" }, DOCUMENT_TYPES[doc.documentType] ?? doc.documentType,
      details.beforeScore !== undefined ? ` · score ${details.beforeScore} before, ${details.afterScore} after` : ""),
    h("div", { class: "downloads", role: "group", "aria-label": "Download" }, "Download: ",
      FORMATS.map(([name, ext]) => h("button", {
        type: "button",
        dataset: { format: ext },
        onclick: () => onDownload(`/documents/${encodeURIComponent(doc.id)}/download?format=${ext}`, `document.${ext}`),
      }, name))),
    changes.length
      ? h("details", {}, h("summary", {}, `${changes.length} wording ${changes.length === 1 ? "change" : "changes"} and their evidence`),
        bullets(changes.map((t) => `${t.term}: “${t.before}” → “${t.after}” (${t.where}; evidence: ${t.evidence})`)))
      : null,
    h("article", { class: "markdown", "aria-label": title }, renderMarkdown(doc.markdown, { headingBase: 2 })),
  ];
}
