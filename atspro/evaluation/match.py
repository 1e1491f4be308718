"""Quality harness for match scoring and tailoring: ``atspro eval match [DATA_DIR]``.

First, calibration on generated pairs with known fit levels (``fit_pairs``: postings for
ten occupations, resumes of strong, partial and poor fit): rank-1 accuracy (a strong
resume tops every posting), level separation (AUC between levels, within postings) and
calibration (mean score per level, strong >= 75, poor <= 35, levels ordered for every
posting), reported separately for the tuning occupations and the held-out ones.

Then, over the Resume-Matcher resumes and jobs in DATA_DIR (default ``../shared/data`` from the
project root): scores every resume against every job; checks that each paired job
(pm <-> product manager, fe <-> front-end, fullstack <-> full-stack) scores above every
unpaired one; checks monotonicity (adding a missing required skill never lowers a
score); and runs the two golden tailoring cases (the checker accepts the good tailoring
and rejects the bad one; the optimizer's own output passes the checker and surfaces
more of the expected keywords than the original). Prints the figures; exits 1 when a
check fails. Data: Resume-Matcher (Apache-2.0), see DATA_DIR/README.md.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from atspro.errors import ATSProError
from atspro.evaluation.fit_pairs import HELD_OUT, LEVELS, SPECS, Level, fit_pairs, posting_text
from atspro.extraction import ExtractionLimits, extract_document
from atspro.jobs.model import Job
from atspro.matching import prepare_job, prepare_resume, score_match, score_profiles
from atspro.matching.profile import text_keys
from atspro.matching.vocabulary import canonical_term
from atspro.resume.model import (
    Certification,
    ContactInfo,
    Education,
    Link,
    Project,
    Resume,
    WorkExperience,
)
from atspro.resume.parser import parse_resume_document
from atspro.tailoring import TailoringError, blocking, check_tailoring, tailor_resume

# Resume file tag -> the paired job file's role, as the data README names them. The
# plain-text postings of the same roles (product-manager.txt, frontend-eng.txt) are not in
# that pairing; they are reported separately as same-role postings, for information.
PAIRS = {
    "pm": ("product_manager",),
    "fe": ("front_end_engineer",),
    "fullstack": ("full_stack_engineer",),
}
SAME_ROLE = {
    "pm": ("product",),
    "fe": ("front", "frontend"),
    "fullstack": ("full_stack", "fullstack"),
}
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass(slots=True)
class Outcome:
    """Figures and failures of one run."""

    failures: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.lines.append(text)
        print(text)

    def fail(self, text: str) -> None:
        self.failures.append(text)
        self.say(f"  FAIL {text}")


def _role_key(name: str) -> str:
    return name.lower().replace("-", "_")


def paired_roles(resume_name: str) -> tuple[str, ...]:
    """The role words of the jobs paired with a resume file ("" tuple when unpaired)."""
    tag = Path(resume_name).stem.rsplit("_", 1)[-1].lower()
    return PAIRS.get(tag, ())


def is_pair(resume_name: str, job_name: str) -> bool:
    """Whether a job file is the pair of a resume file."""
    key = Path(job_name).stem.lower()
    return any(role in key for role in paired_roles(resume_name))


def load_resumes(folder: Path) -> dict[str, Resume]:
    """Parse every PDF resume in ``folder``."""
    limits = ExtractionLimits()
    out: dict[str, Resume] = {}
    for path in sorted(folder.glob("*.pdf")):
        out[path.name] = parse_resume_document(
            extract_document(path.read_bytes(), limits=limits, filename=path.name)
        )
    return out


def load_jobs(folder: Path) -> dict[str, Job]:
    """Parse every PDF and text job description in ``folder``."""
    from atspro.jobs.service import parse_job_from_document, parse_job_from_text

    limits = ExtractionLimits()
    out: dict[str, Job] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".pdf":
            out[path.name] = parse_job_from_document(
                extract_document(path.read_bytes(), limits=limits, filename=path.name)
            )
        elif path.suffix == ".txt":
            out[path.name] = parse_job_from_text(path.read_text(encoding="utf-8"))
    return out


def same_role(resume_name: str, job_name: str) -> bool:
    """Whether a job file is for the same role as a resume, paired or not."""
    tag = Path(resume_name).stem.rsplit("_", 1)[-1].lower()
    key = _role_key(Path(job_name).stem)
    return any(word in key for word in SAME_ROLE.get(tag, ()))


def report_same_role(scores: dict[str, dict[str, int]], out: Outcome) -> None:
    """Information only: do same-role postings outside the pairing also rank first?"""
    for resume_name, row in scores.items():
        mine = {
            j: s
            for j, s in row.items()
            if same_role(resume_name, j) and not is_pair(resume_name, j)
        }
        others = {j: s for j, s in row.items() if not same_role(resume_name, j)}
        if mine and others:
            best_other = max(others, key=lambda j: others[j])
            for job_name, score in mine.items():
                verdict = "above" if score > others[best_other] else "NOT above"
                out.say(
                    f"  info {resume_name}: same-role {job_name} {score} {verdict} "
                    f"other-role max {others[best_other]} ({best_other})"
                )


def check_pairing(scores: dict[str, dict[str, int]], out: Outcome) -> None:
    """Each paired job must score above every unpaired job, per resume."""
    checked = passed = 0
    for resume_name, row in scores.items():
        paired = [s for j, s in row.items() if is_pair(resume_name, j)]
        if not paired:
            continue
        unpaired = {j: s for j, s in row.items() if not is_pair(resume_name, j)}
        checked += 1
        worst_pair, best_other = min(paired), max(unpaired.values(), default=-1)
        if worst_pair > best_other:
            passed += 1
            out.say(f"  ok   {resume_name}: paired min {worst_pair} > unpaired max {best_other}")
        else:
            rival = max(unpaired, key=lambda j: unpaired[j])
            out.fail(f"{resume_name}: paired min {worst_pair} <= {rival} {best_other}")
    out.say(f"pairing: {passed}/{checked} resumes rank every paired job above every unpaired one")


def check_monotonic(
    resumes: dict[str, Resume], jobs: dict[str, Job], today: date, out: Outcome
) -> None:
    """Adding any missing required skill to any resume never lowers its score."""
    trials = drops = 0
    for job_name, job in jobs.items():
        job_profile = prepare_job(job)
        for resume_name, resume in resumes.items():
            result = score_match(resume, job, today=today)
            missing = [m.keyword for m in result.keywords.hard_skills.missing if m.required]
            for keyword in missing:
                skill = keyword.split(" / ")[0]
                grown = resume.model_copy(deep=True)
                grown.skills.append(skill)
                after = score_profiles(job_profile, prepare_resume(grown, today=today))
                trials += 1
                if after < result.overall_score:
                    drops += 1
                    out.fail(
                        f"adding {skill!r} to {resume_name} lowered {job_name}: {result.overall_score} -> {after}"
                    )
    out.say(
        f"monotonicity: {trials - drops}/{trials} additions of a missing required skill kept or raised the score"
    )
    if trials == 0:
        out.fail("monotonicity: no missing required skills to try")


STRONG_MIN = 75
POOR_MAX = 35
# Fixed so the generated set's figures do not drift with the calendar.
FIT_TODAY = date(2025, 7, 1)


@dataclass(frozen=True, slots=True)
class LevelScore:
    """The overall score of one generated pair."""

    occupation: str
    level: Level
    score: int


def score_fit_pairs(*, per_level: int = 3) -> list[LevelScore]:
    """Score every generated resume against its posting (parsed from the posting's text)."""
    from atspro.jobs.service import parse_job_from_text

    jobs = {spec.occupation: prepare_job(parse_job_from_text(posting_text(spec))) for spec in SPECS}
    return [
        LevelScore(
            pair.spec.occupation,
            pair.level,
            score_profiles(
                jobs[pair.spec.occupation], prepare_resume(pair.resume, today=FIT_TODAY)
            ),
        )
        for pair in fit_pairs(per_level=per_level)
    ]


def auc(higher: list[int], lower: list[int]) -> float:
    """Probability that a score drawn from ``higher`` beats one from ``lower`` (ties count half)."""
    if not higher or not lower:
        return float("nan")
    wins = sum(1.0 if h > low else 0.5 if h == low else 0.0 for h in higher for low in lower)
    return wins / (len(higher) * len(lower))


def check_levels(rows: list[LevelScore], name: str, out: Outcome) -> None:
    """Report rank-1, AUC between levels and calibration; fail on a missed target."""
    by_posting: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        by_posting.setdefault(row.occupation, {lv: [] for lv in LEVELS})[row.level].append(
            row.score
        )
    out.say(f"fit levels, {name} ({', '.join(sorted(by_posting))}):")
    top_strong = ordered = 0
    for occupation, levels in by_posting.items():
        scored = [(s, lv) for lv, scores in levels.items() for s in scores]
        best = max(s for s, _ in scored)
        # A tie at the top counts as a miss unless every tied resume is strong.
        top_strong += all(lv == "strong" for s, lv in scored if s == best)
        strong, partial, poor = levels["strong"], levels["partial"], levels["poor"]
        in_order = min(strong) > max(partial) and min(partial) > max(poor)
        ordered += in_order
        cells = " | ".join(f"{lv} {sorted(levels[lv])}" for lv in LEVELS)
        out.say(f"  {occupation:<11} {cells}{'' if in_order else '  levels overlap'}")
        if not in_order:
            out.fail(f"{name}: {occupation}: levels not ordered")
    count = len(by_posting)
    out.say(f"  rank-1: a strong resume tops {top_strong}/{count} postings")
    pooled = {lv: [r.score for r in rows if r.level == lv] for lv in LEVELS}
    pairs_auc = {
        f"{a}>{b}": _within_auc(by_posting, a, b)
        for a, b in (("strong", "partial"), ("partial", "poor"), ("strong", "poor"))
    }
    out.say("  AUC within postings: " + ", ".join(f"{k} {v:.3f}" for k, v in pairs_auc.items()))
    means = ", ".join(
        f"{lv} {sum(pooled[lv]) / len(pooled[lv]):.1f}" for lv in LEVELS if pooled[lv]
    )
    out.say(f"  mean score: {means}")
    strong_ok = sum(s >= STRONG_MIN for s in pooled["strong"])
    poor_ok = sum(s <= POOR_MAX for s in pooled["poor"])
    out.say(
        f"  calibration: strong >= {STRONG_MIN}: {strong_ok}/{len(pooled['strong'])} "
        f"(min {min(pooled['strong'], default=0)}); poor <= {POOR_MAX}: "
        f"{poor_ok}/{len(pooled['poor'])} (max {max(pooled['poor'], default=0)}); "
        f"levels ordered for {ordered}/{count} postings"
    )
    if strong_ok < len(pooled["strong"]):
        out.fail(f"{name}: {len(pooled['strong']) - strong_ok} strong fits under {STRONG_MIN}")
    if poor_ok < len(pooled["poor"]):
        out.fail(f"{name}: {len(pooled['poor']) - poor_ok} poor fits over {POOR_MAX}")


def _within_auc(by_posting: dict[str, dict[str, list[int]]], a: str, b: str) -> float:
    """AUC over pairs from the same posting only (postings differ in how high they score)."""
    wins = total = 0.0
    for levels in by_posting.values():
        n = len(levels[a]) * len(levels[b])
        if n:
            wins += auc(levels[a], levels[b]) * n
            total += n
    return wins / total if total else float("nan")


def check_fit_levels(out: Outcome) -> None:
    """The generated calibration set, tuning occupations and held-out ones apart."""
    rows = score_fit_pairs()
    check_levels([r for r in rows if r.occupation not in HELD_OUT], "tuning", out)
    check_levels([r for r in rows if r.occupation in HELD_OUT], "held-out", out)


def check_tailoring_gain(out: Outcome) -> None:
    """Tailored vs original on the generated partial fits: never lower, never a broken rule;
    reports how many rise (the target is all; the rest carry no unnamed proof to surface)."""
    from atspro.jobs.service import parse_job_from_text

    jobs = {spec.occupation: parse_job_from_text(posting_text(spec)) for spec in SPECS}
    raised = total = 0
    for pair in fit_pairs():
        if pair.level != "partial":
            continue
        total += 1
        try:
            result = tailor_resume(pair.resume, jobs[pair.spec.occupation], today=FIT_TODAY)
        except TailoringError as exc:
            out.fail(f"tailoring {pair.spec.occupation} #{pair.seed}: {exc.message}")
            continue
        if result.after_score < result.before_score:
            out.fail(
                f"tailoring lowered {pair.spec.occupation} #{pair.seed}: "
                f"{result.before_score} -> {result.after_score}"
            )
        raised += result.after_score > result.before_score
    verdict = "met" if raised == total else "NOT met"
    out.say(
        f"tailored vs original on partial fits: higher on {raised}/{total} "
        f"(target: all, {verdict}), lower on none"
    )


def _split_years(text: str | None) -> tuple[str, str, bool]:
    parts = [p.strip() for p in (text or "").replace("\u2013", "-").split(" - ")]
    start = parts[0] if parts else ""
    end = parts[1] if len(parts) > 1 else ""
    current = end.lower() in ("present", "current", "now")
    return start, "" if current else end, current


def _sentences(lines: list[str] | None) -> str:
    return " ".join(line if line.rstrip()[-1:] in ".!?" else f"{line}." for line in lines or [])


def resume_from_matcher(data: dict[str, Any]) -> Resume:
    """A Resume from Resume-Matcher's resume JSON (personalInfo, workExperience, ...)."""
    info = data.get("personalInfo") or {}
    links = [Link(name=k, url=info[k]) for k in ("website", "linkedin", "github") if info.get(k)]
    roles = []
    for item in data.get("workExperience") or []:
        start, end, current = _split_years(item.get("years"))
        roles.append(
            WorkExperience(
                company=item.get("company") or "",
                position=item.get("title") or "",
                start_date=start,
                end_date=end,
                is_current=current,
                location=item.get("location") or "",
                responsibilities=list(item.get("description") or []),
            )
        )
    schools = []
    for item in data.get("education") or []:
        _, end, _ = _split_years(item.get("years"))
        honors = [item["description"]] if item.get("description") else []
        schools.append(
            Education(
                institution=item.get("institution") or "",
                degree=item.get("degree") or "",
                graduation_date=end,
                honors=honors,
            )
        )
    projects = [
        Project(name=item.get("name") or "", description=_sentences(item.get("description")))
        for item in data.get("personalProjects") or []
    ]
    extra = data.get("additional") or {}
    return Resume(
        contact_info=ContactInfo(
            full_name=info.get("name") or "",
            email=info.get("email") or "",
            phone=info.get("phone") or "",
            address=info.get("location") or "",
            links=links,
        ),
        summary=data.get("summary") or "",
        work_experience=roles,
        education=schools,
        certifications=[Certification(name=n) for n in extra.get("certificationsTraining") or []],
        projects=projects,
        skills=list(extra.get("technicalSkills") or []),
        languages=list(extra.get("languages") or []),
    )


def covered_keywords(resume: Resume, keywords: list[str], *, prose_only: bool) -> list[str]:
    """Expected keywords an ATS finds in the resume: the phrase or an alias of it.

    With ``prose_only`` only the summary and the roles count (where recruiters read first).
    """
    texts = [resume.summary]
    for role in resume.work_experience:
        texts += [role.description, *role.responsibilities]
    if not prose_only:
        texts += [*resume.skills, *(p.description for p in resume.projects)]
        texts += [c.name for c in resume.certifications]
    keys = frozenset().union(*(text_keys(t) for t in texts if t))
    return [k for k in keywords if canonical_term(k) in keys]


def check_golden(path: Path, today: date, out: Outcome) -> None:
    """The checker accepts good and rejects bad tailorings; the optimizer's output passes."""
    from atspro.jobs.service import parse_job_from_text

    cases = json.loads(path.read_text(encoding="utf-8"))
    for case in cases:
        name = case["name"]
        original = resume_from_matcher(case["original"])
        job = parse_job_from_text(case["job_description"])
        good = check_tailoring(original, resume_from_matcher(case["tailored_good"]), job)
        bad = check_tailoring(original, resume_from_matcher(case["tailored_bad"]), job)
        if blocking(good):
            out.fail(
                f"{name}: checker rejects the good tailoring: {[v.message for v in blocking(good)]}"
            )
        else:
            warned = ", ".join(v.message for v in good) or "none"
            out.say(f"  ok   {name}: good tailoring accepted (warnings: {warned})")
        if blocking(bad):
            rules = sorted({v.rule for v in blocking(bad)})
            out.say(
                f"  ok   {name}: bad tailoring rejected ({len(blocking(bad))} errors: {', '.join(rules)})"
            )
        else:
            out.fail(f"{name}: checker accepts the bad tailoring")
        try:
            tailored = tailor_resume(original, job, today=today)
        except TailoringError as exc:
            out.fail(f"{name}: optimizer output broke the rules: {exc.message}")
            continue
        leftover = check_tailoring(original, tailored.resume, job) + check_tailoring(
            original, tailored.markdown, job
        )
        if leftover:
            out.fail(f"{name}: optimizer output has violations: {[v.message for v in leftover]}")
        expected = list(case["jd_keywords"])
        for prose_only in (True, False):
            before = covered_keywords(original, expected, prose_only=prose_only)
            after = covered_keywords(tailored.resume, expected, prose_only=prose_only)
            where = "summary+experience" if prose_only else "whole resume"
            out.say(
                f"  {name}: expected keywords in {where}: {len(before)}/{len(expected)} -> "
                f"{len(after)}/{len(expected)}; score {tailored.before_score} -> {tailored.after_score}"
            )
            if prose_only and len(after) <= len(before):
                out.fail(f"{name}: optimizer surfaces no more expected keywords than the original")
        out.say(
            f"  {name}: still missing for the user: {', '.join(tailored.missing_keywords) or 'none'}"
        )


def main(argv: list[str]) -> int:
    """Run the match harness; 0 when every check passes, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="atspro eval match", description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    data: Path = args.data_dir
    out = Outcome()
    check_fit_levels(out)
    check_tailoring_gain(out)
    if not (data / "resumes" / "resume-matcher").is_dir():
        print(f"no Resume-Matcher data under {data}")
        return 1
    today = date.today()
    try:
        resumes = load_resumes(data / "resumes" / "resume-matcher")
        jobs = load_jobs(data / "jobs" / "resume-matcher")
    except ATSProError as exc:
        print(f"could not parse the data: {exc.message}")
        return 1
    job_names = list(jobs)
    out.say("scores (rows: resumes, columns: jobs; * = paired)")
    out.say("  " + " | ".join(Path(j).stem[:18] for j in job_names))
    scores: dict[str, dict[str, int]] = {}
    for resume_name, resume in resumes.items():
        row = {j: score_match(resume, job, today=today).overall_score for j, job in jobs.items()}
        scores[resume_name] = row
        cells = " | ".join(
            f"{row[j]:>3}{'*' if is_pair(resume_name, j) else ' '}" for j in job_names
        )
        out.say(f"  {Path(resume_name).stem[:24]:<24} {cells}")
    check_pairing(scores, out)
    report_same_role(scores, out)
    check_monotonic(resumes, jobs, today, out)
    golden = data / "tailoring" / "golden_cases.json"
    if golden.is_file():
        out.say("golden tailoring cases:")
        check_golden(golden, today, out)
    else:
        out.fail(f"missing {golden}")
    out.say(f"{'FAILED' if out.failures else 'PASSED'}: {len(out.failures)} failing checks")
    return 1 if out.failures else 0
