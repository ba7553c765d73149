"""axe-core in a Playwright page: run it, keep what blocks, say how to find and fix each.

axe.min.js is vendored under tests/browser/vendor/axe-core/ (a test tool: never shipped nor
served). It is evaluated through Playwright rather than added as a <script> tag: evaluated code
is not subject to the page's CSP, so the page is checked exactly as a visitor's browser renders
it under the strict policy (``bypass_csp`` would also let through any inline style the policy
blocks, and axe would judge a page nobody sees).
"""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

# What a page may not have: axe's "serious" and "critical" impacts stop a person who relies on a
# screen reader, the keyboard or high contrast; "moderate"/"minor" are reported by axe as advice.
BLOCKING = ("serious", "critical")

# WCAG 2.1 A/AA plus axe's best practices (landmarks, one h1, region). GB/T 37668-2019
# (互联网内容无障碍可访问性技术要求与测试方法), which government sites are held to, follows
# WCAG 2.0 AA; 2.1 adds what matters on a phone (reflow, target and text spacing).
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

_RUN = """async options => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
      impact: n.impact,
      summary: n.failureSummary,
      html: n.html.slice(0, 200),
    })),
  }));
}"""

_source: str | None = None


def _axe_source() -> str:
    global _source
    if _source is None:
        _source = AXE_JS.read_text(encoding="utf-8")
    return _source


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe's violations on the page as it is now, only those of the given impacts; each node
    keeps its own impact (one rule can be serious on one element and minor on another)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = []
    for violation in page.evaluate(_RUN, RUN_OPTIONS):
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in impacts]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def describe(where: str, violations: list[dict]) -> str:
    """One block per rule: where, rule id, impact, help URL, then each offending element's
    selector, HTML and what to fix — enough to act on without re-running the browser."""
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']}\n    {v['helpUrl']}")
        for node in v["nodes"]:
            fix = " / ".join(s.strip() for s in (node["summary"] or "").splitlines()[1:] if s)
            lines.append(f"    - {node['target']}  {node['html']}\n        fix: {fix}")
    return "\n".join(lines)
