"""The page's own look and Streamlit's chrome in Swedish: CSS and one small script.

Streamlit's own texts are English and most cannot be configured: the skip link, the
"Stop"/"Running…" status, select boxes ("Open"), the uploader ("Upload", its refusals
"… files are not allowed.", "File must be 20.0MB or smaller.") and screen-reader labels.
Config removes what it can (``client.toolbarMode = "minimal"`` hides the ⋮ menu,
``anchor=False`` the "Link to heading" icons, ``placeholder=`` the select boxes' "Choose an
option"); :data:`TRANSLATIONS` and :data:`PATTERNS` translate the rest in the browser. The
script also

* declares the page Swedish (``<html lang="sv">``), so screen readers pronounce it right;
* hides Material icon ligatures ("push_pin", "keyboard_arrow_right") from screen readers:
  they are pictures, their names are English words;
* keeps keyboard focus where it was when Streamlit redraws a control (after "Fäst" the
  button is redrawn; without this the focus falls back to the page body);
* opens the address's tab after Back/Forward (Streamlit keeps its tab widget as it was).

It only ever touches Streamlit's own elements and attributes, never the page's content
(``.ks-*`` blocks hold corpus text and are skipped), and runs once per browser tab.
"""

from __future__ import annotations

import json

from confsearch.reading import uploads

# Exact texts (visible text, aria-label, title, placeholder) → Swedish.
TRANSLATIONS: dict[str, str] = {
    "Skip to main content": "Hoppa till innehållet",
    "Stop": "Avbryt",
    "Running...": "Arbetar …",
    "Running": "Arbetar",
    "Main menu": "Huvudmeny",
    "Open": "Öppna",
    "Close": "Stäng",
    "Clear all": "Rensa",
    "Clear value": "Rensa",
    "Choose an option": "Välj",
    "No results": "Inga träffar",
    "Upload": "Välj filer",
    "Add files": "Lägg till filer",
    "Browse files": "Välj filer",
    "file upload": "välj filer att lägga till",
    "Drag and drop files here": "Dra och släpp filer här",
    "Drag and drop a file here": "Dra och släpp en fil här",
    "Remove file": "Ta bort filen",
    "Delete": "Ta bort",
    "Press Enter to submit form": "Tryck Enter för att skicka",
    "Press Enter to apply": "Tryck Enter för att använda",
    "Download failed": "Nedladdningen misslyckades. Försök igen.",
    "Failed to generate file for download": "Filen kunde inte skapas. Försök igen.",
    "Deferred download not properly configured": "Nedladdningen misslyckades. Försök igen.",
    "Connecting": "Ansluter",
    "Connection error": "Anslutningen bröts",
    "Please wait...": "Vänta …",
    "Show password text": "Visa lösenordet",
    "Hide password text": "Dölj lösenordet",
    "Fullscreen": "Helskärm",
    # The connection-lost dialog: its code block tells a developer how to start Streamlit.
    "streamlit run yourscript.py": "Dina anteckningar är sparade. Ladda om sidan om en stund.",
    "Streamlit server is not responding. Are you connected to the internet?": (
        "Sidan svarar inte. Dina anteckningar är sparade; ladda om sidan om en stund."
    ),
    "Error:": "Fel:",  # before a refused file's reason in the uploader
    "Copy to clipboard": "Kopiera",
    "Copy": "Kopiera",
    "Copied": "Kopierat",
    "Copied!": "Kopierat",
    "Close fullscreen": "Stäng helskärm",
}
# Texts with a variable part: (JavaScript regular expression, Swedish replacement).
PATTERNS: list[tuple[str, str]] = [
    (
        r"^File must be (\d+)(?:\.0)?\s*([KMG]?B) or smaller\.$",
        "Filen är för stor: högst $1 $2 per fil.",
    ),
    (
        r"^.* files are not allowed\.$",
        "Den filtypen kan inte läggas till. Tillåtna filtyper: "
        + uploads.allowed_types_text()
        + ".",
    ),
    (r"^(\d+)(?:\.0)?\s*([KMG]?B) per file$", "högst $1 $2 per fil"),
    (r"^Is Streamlit still running\?.*$", "Sidan svarar inte. Ladda om sidan om en stund."),
    (r"^Cannot connect to Streamlit.*$", "Sidan går inte att nå. Ladda om sidan om en stund."),
    (r"^Remove (.+)$", "Ta bort $1"),
    # The uploader's file sizes ("1.9KB"): Swedish decimal comma, kB, a space.
    (r"^(\d+)\.(\d+)KB$", "$1,$2 kB"),
    (r"^(\d+)\.(\d+)(B|MB|GB)$", "$1,$2 $3"),  # the uploader's label for a chosen file
    (r"^(.+) icon$", ""),  # Material icons in text: pictures, not words
    # Select boxes announce to screen readers (react-aria live region).
    (r"^1 option available\.$", "1 alternativ finns."),
    (r"^(\d+) options available\.$", "$1 alternativ finns."),
    (r"^(.+), selected$", "$1, valt"),
]

# The page's icon, drawn here (a magnifying glass): Streamlit fetches a ``:material/…:``
# page icon from fonts.gstatic.com, while an SVG text becomes a data: address, so the
# browser asks no other host for it.
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="13" cy="13" r="9" fill="none" stroke="#2478c8" stroke-width="4"/>'
    '<path d="M20 20l9 9" stroke="#2478c8" stroke-width="5" stroke-linecap="round"/></svg>'
)

# The page's own blocks (corpus and user text): never translated, never touched.
OURS = ".ks-card, .ks-answer, .ks-bars, .ks-table, .ks-text, .ks-note-item, .ks-questions"
# Message boxes scrolled into view when they appear (the upload's outcome).
SHOW_ONCE = ".st-key-uppladdat"

CSS = """
<style>
.ks-card { scroll-margin-top: 4.5rem; }
.ks-head { font-weight: 600; font-size: 1.05rem; margin-bottom: .25rem; overflow-wrap: anywhere; }
.ks-nr { display: inline-block; min-width: 2rem; opacity: .7; }
.ks-tags { margin: .2rem 0 .4rem 0; }
.ks-tag { display: inline-block; padding: .05rem .55rem; margin: 0 .3rem .3rem 0;
  border-radius: 1rem; font-size: .85rem; background: rgba(36, 120, 200, .14);
  border: 1px solid rgba(36, 120, 200, .35); }
.ks-meta { font-size: .85rem; opacity: .8; margin: .2rem 0; overflow-wrap: anywhere; }
.ks-source { opacity: .9; }
.ks-text { line-height: 1.55; margin: .4rem 0; overflow-wrap: anywhere; }
.ks-text mark { background: rgba(255, 200, 0, .35); color: inherit; padding: 0 .1rem;
  border-radius: .2rem; }
.ks-session { max-height: 28rem; overflow-y: auto; padding-right: .5rem; }
.ks-session .ks-current { border-left: 3px solid rgb(36, 120, 200); padding-left: .5rem; }
.ks-answer { line-height: 1.6; overflow-wrap: anywhere; }
.ks-answer a[href^="#"] { text-decoration: none; font-weight: 600; white-space: nowrap; }
/* The Regioner view: full names that wrap, bars that never overlap them. */
.ks-bars { margin: .5rem 0 1rem 0; }
.ks-bars figcaption { font-size: .85rem; opacity: .8; margin-bottom: .4rem; }
.ks-bar-list { list-style: none; padding: 0; margin: 0; }
.ks-bar-row { display: grid; grid-template-columns: minmax(8rem, 16rem) 1fr;
  grid-template-areas: "name bar" "name note"; column-gap: .75rem; align-items: center;
  padding: .3rem 0; border-bottom: 1px solid rgba(128, 128, 128, .2); }
.ks-bar-name { grid-area: name; overflow-wrap: anywhere; font-weight: 600; font-size: .95rem;
  color: inherit; text-decoration: none; }
.ks-bar { grid-area: bar; display: block; height: .8rem; border-radius: .4rem;
  background: rgba(128, 128, 128, .15); }
.ks-bar-fill { display: block; height: 100%; border-radius: .4rem;
  background: rgb(36, 120, 200); }
.ks-bar-note { grid-area: note; font-size: .8rem; opacity: .8; }
@media (max-width: 640px) {
  .ks-bar-row { grid-template-columns: 1fr; grid-template-areas: "name" "bar" "note"; }
}
/* Tables of the Korpus tab. */
.ks-table-wrap { overflow-x: auto; margin-bottom: 1rem; }
.ks-table { border-collapse: collapse; width: 100%; font-size: .9rem; }
.ks-table caption { text-align: left; font-weight: 600; padding: .3rem 0; }
/* Words are never broken ("Arran/gör"): a column is as wide as its longest word and the
   table scrolls sideways on a phone; only a very long word (a file name) may wrap. */
.ks-table th, .ks-table td { text-align: left; padding: .3rem .5rem; vertical-align: top;
  border-bottom: 1px solid rgba(128, 128, 128, .25); overflow-wrap: normal;
  word-break: normal; hyphens: manual; }
.ks-table td { min-width: 6rem; }
.ks-table td.ks-num, .ks-table th.ks-num { min-width: 0; white-space: nowrap; }
.ks-table td.ks-file { overflow-wrap: anywhere; min-width: 8rem; }
.ks-table td.ks-num { text-align: right; }
/* Active filters: chips that say what is removed when pressed. */
[class*="st-key-chip-"] button { border-radius: 999px; padding: .1rem .75rem;
  min-height: 0; }
.ks-chip-label { font-size: .9rem; margin: .35rem .25rem 0 0; }
/* Example questions: clearly buttons. */
[class*="st-key-exempel-"] button { border-radius: 999px; text-align: left; }
/* Streamlit's own hints are English; our labels say the same in Swedish. The question
   boxes keep their character counter ("1834/2000"): she sees the limit coming. */
[data-testid="InputInstructions"] { display: none; }
:is(.st-key-query, .st-key-query_regions) [data-testid="InputInstructions"] { display: flex; }
:is(.st-key-query, .st-key-query_regions) [data-testid="InputInstructions"] > :not(:last-child) {
  display: none;
}
:is(.st-key-query, .st-key-query_regions) [data-testid="InputInstructions"] > span::before {
  content: none !important;
}
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
</style>
"""

_SCRIPT = """
<script>
(() => {
  if (window.__ksChrome) return;
  window.__ksChrome = true;
  const EXACT = __EXACT__;
  const PATTERNS = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["aria-label", "title", "placeholder", "aria-placeholder"];
  const OURS = __OURS__;
  const SHOW = __SHOW__;

  function swedish(text) {
    const t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, t)) return text.replace(t, EXACT[t]);
    for (const [re, to] of PATTERNS) if (re.test(t)) return text.replace(t, t.replace(re, to));
    return null;
  }
  function fixElement(el) {
    if (el.closest && el.closest(OURS)) return;
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      if (!v) continue;
      const s = swedish(v);
      if (s === null || s === v) continue;
      if (s.trim()) el.setAttribute(a, s); else el.removeAttribute(a);
    }
    if (el.matches && el.matches('[data-testid="stIconMaterial"]')) {
      el.setAttribute("aria-hidden", "true");
      el.removeAttribute("aria-label");
    }
  }
  function fixText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(OURS)) return;
    if (parent.closest('[data-testid="stIconMaterial"]')) return;
    const s = swedish(node.nodeValue);
    if (s !== null && s !== node.nodeValue) node.nodeValue = s;
  }
  function fix(root) {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.closest(OURS)) return;
    fixElement(root);
    for (const el of root.querySelectorAll(
      '[aria-label], [title], [placeholder], [data-testid="stIconMaterial"]')) fixElement(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixText(n);
  }

  // Focus: a control Streamlit redraws (removes and adds again) keeps the keyboard focus.
  let lost = null;
  document.addEventListener("focusout", (e) => {
    const box = e.target.closest && e.target.closest('[class*="st-key-"]');
    if (!box) return;
    const key = [...box.classList].find((c) => c.startsWith("st-key-"));
    const target = e.target;
    setTimeout(() => {
      const gone = !target.isConnected || target.disabled;
      if (gone && (document.activeElement === document.body || !document.activeElement))
        lost = { key, at: Date.now() };
    }, 0);
  }, true);
  document.addEventListener("focusin", (e) => {
    if (e.target !== document.body) lost = null;
  }, true);
  function restoreFocus() {
    if (!lost || Date.now() - lost.at > 10000) return;
    if (document.activeElement && document.activeElement !== document.body) { lost = null; return; }
    const box = document.querySelector("." + CSS.escape(lost.key));
    const target = box && box.querySelector(
      "button:not([disabled]), input:not([disabled]), textarea, a[href]");
    if (target) { lost = null; target.focus({ preventScroll: true }); }
  }

  // A message the page shows after a long action (the upload's "Klart!") is scrolled
  // into view once, wherever the user had scrolled to meanwhile.
  function showMessages() {
    for (const box of document.querySelectorAll(SHOW)) {
      if (box.dataset.ksShown || !box.textContent.trim()) continue;
      box.dataset.ksShown = "1";
      box.scrollIntoView({ block: "center" });
    }
  }

  // Back/Forward: the open tab follows the address (?tab=Regioner; none is the first
  // tab). A tab click replaces the address, a search adds an entry; Streamlit reruns with
  // the entry's question but leaves its tab widget as it was, so the tab is clicked here.
  function followTab() {
    const tabs = [...document.querySelectorAll('[data-testid="stTabs"] [role="tab"]')];
    if (!tabs.length) return;
    const want = new URLSearchParams(location.search).get("tab") || tabs[0].textContent.trim();
    const tab = tabs.find((t) => t.textContent.trim() === want);
    if (tab && tab.getAttribute("aria-selected") !== "true") tab.click();
  }
  // On a busy machine the rerun after Back outlasts the first tries: later ones follow the
  // address every two seconds once the page has finished running (a tab clicked mid-run
  // could put the last run's question into the address), for three minutes or until the
  // user clicks or types. A fixed list of tries ended at 40 s, and a rerun on a loaded
  // machine outlasted it (fresh-clone CI at fff1a0f: Back left the Sök tab open).
  let followUntil = 0;  // 0: not following (no Back yet, or the user clicked or typed)
  let followTimer = 0;  // the one pending later try: a new Back restarts it
  const running = () => document.querySelector(
    '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]');
  // Every try waits until the rerun has finished: a tab clicked while the last run is on
  // screen may write its question into the address (fresh-clone CI at 56d8984 timed out
  // waiting for Back's tab and question on a loaded machine while the first three tries
  // did not wait; which of the two was wrong was not recorded).
  const tryFollow = () => { if (!running()) followTab(); };
  function followLater() {
    if (!followUntil) return;
    tryFollow();
    if (Date.now() < followUntil) followTimer = setTimeout(followLater, 2000);
  }
  window.addEventListener("popstate", () => {
    followUntil = Date.now() + 180000;
    for (const ms of [300, 1000, 2500]) setTimeout(tryFollow, ms);
    clearTimeout(followTimer);
    followTimer = setTimeout(followLater, 5000);
  });
  for (const kind of ["pointerdown", "keydown"]) {
    document.addEventListener(kind, (e) => { if (e.isTrusted) followUntil = 0; }, true);
  }

  document.documentElement.lang = "sv";
  fix(document.body);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") fixElement(r.target);
      else if (r.type === "characterData") fixText(r.target);
      else for (const n of r.addedNodes) fix(n);
    }
    if (document.documentElement.lang !== "sv") document.documentElement.lang = "sv";
    restoreFocus();
    showMessages();
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRS.concat(["lang"]),
  });
})();
</script>
"""


def script() -> str:
    """The script described in the module docstring (our own constant text: no corpus or
    user text is ever put into it)."""
    values = {
        "__EXACT__": TRANSLATIONS,
        "__PATTERNS__": PATTERNS,
        "__OURS__": OURS,
        "__SHOW__": SHOW_ONCE,
    }
    out = _SCRIPT
    for name, value in values.items():
        out = out.replace(name, json.dumps(value, ensure_ascii=False))
    return out.strip()
