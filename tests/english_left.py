"""Finding English left in output meant to be in Simplified Chinese (issue 19).

**The definition.** Output is checked line by line. First these are taken out of the text (they
are meant to stay as they are in every language):

1. verbatim quotes: a span between quotation marks (“…”, "…", 「…」) whose words are, piece by
   piece (pieces cut at an ellipsis), a run of words of a ``quote:`` of the rule base (quotes may
   be shortened and wrapped over lines, so words are compared, not characters);
2. URLs, section numbers (``§4.2``, ``§abstract``), file paths and names with an extension,
   command lines and code in backticks, command options (``--lang``), ``field=value`` settings,
   a rule's conditions in the YAML of its file (``{field: x, op: eq, value: y}``), and the texts
   a caller names as shown verbatim (a rule's developer notes, never translated);
3. ids: rule ids (``PLAT-102``), anything holding a digit, an underscore or a dot between letters
   (``credit_card``, ``xu-tiktok-b2b``, ``Alibaba.com``), the ids of the rule base and the
   profile (fields, values, platforms, papers, commands, named conditions, facts, examples) when
   they hold ``_`` or ``-`` (in any case: ``GONG-TMALL-GLOBAL``), a one-word id (``exporter``,
   ``risks``) only where it touches Chinese text (elsewhere it is also an English word), the
   file formats, a condition's value after its operator (``= yes``, ``< 1000``) and a bracketed
   list of value ids (``[micro, small]``);
4. acronyms: upper-case words of :data:`ACRONYMS` and ISO country codes;
5. names shown as they are: the brands and platforms of :data:`BRANDS`, the papers' titles,
   authors, affiliations and section titles (``rules/papers.yaml``), the bundled scenarios'
   client names;
6. numbers, units and punctuation (they are not letters).

What is taken out is replaced by a space: it does not split a run, so ``Use Amazon (score 2)``
still leaves the run ``Use score``. A Chinese character (or a line break) ends a run. **English
left** is then a run of two or more words of ASCII letters on one line; each is reported with the
place (command or file), the line number and the line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

import yaml

from tests.conftest import ROOT

#: Brand, platform, payment and company names: proper names kept in Latin letters in Chinese
#: texts (the translators' brief keeps "TikTok Shop", "Shopee"...). Names a Chinese text gives
#: in Chinese (亚马逊, 天猫国际) are allowed here too because the rule base's Chinese sometimes
#: keeps them in English. Keep this to real proper names: never a common word.
BRANDS = (
    "Alibaba.com International Station",
    "Alibaba.com",
    "Alibaba International Station",
    "Alibaba International",
    "Alibaba",
    "AliExpress",
    "AliWangwang",
    "Alipay",
    "Amazon",
    "Douyin",
    "eBay",
    "Etsy",
    "Facebook",
    "Google",
    "Instagram",
    "JD Worldwide",
    "JD Global",
    "JD Pay",
    "Kaola",
    "NetEase Kaola",
    "NetEase",
    "Lazada",
    "Line",
    "MasterCard",
    "Mercado Libre",
    "Musical.ly",
    "PayPal",
    "Shein",
    "Shopee",
    "Shopify",
    "Taobao",
    "Temu",
    "TikTok Shop",
    "TikTok",
    "Tmall Global",
    "Tmall",
    "Tokopedia",
    "Touch 'n Go",
    "UnionPay",
    "Visa",
    "Walmart",
    "WeChat Pay",
    "WeChat",
    "WhatsApp",
    "YouTube",
    "Xiaohongshu",
    # the fonts the report names in its visible text, if any
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
)
#: Upper-case abbreviations a Chinese business text keeps in Latin letters (as in the rule
#: base's own Chinese: "B2B 买家", "SWOT 分析", "KOL"); country codes are added from the ISO list.
ACRONYMS = frozenset(
    "AI API B2B B2C B2B2C CJK CNY CSV DDP DDU DHL DSS EMS ERP EU EUR FOB GMV HTML IP ISO JSON "
    "KOL KPI MCN OEM ODM PCI PDF PEST PPC RMB ROI SEO SKU SME SMEs SWOT UGC UK USD USA VAT VISA "
    "XLSX YAML".split()
)
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_RE = re.compile(f"[{_CJK}]")
_WORD = re.compile(r"[A-Za-z]+")
#: Quotation marks around a citation (ASCII quotes do not cross a blank line).
#: Quotation marks and their closing marks.
_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}
_INNER_QUOTE = re.compile(r'"([^"\n]{3,300})"|“([^”\n]{3,300})”')
_ELLIPSIS = re.compile(r"…|\.\.\.|\[\.\.\.\]")
#: Masked before the names (a path may hold a client's name: scenarios/mostly-unknown.yaml).
_EARLY = (
    re.compile(r"https?://\S+|www\.\S+"),
    re.compile(r"`[^`\n]*`"),  # code: a command to type
    re.compile(
        r"\bxbec[-_]advisor(?:\s+[a-z][a-z-]*)*(?:\s+-{1,2}[a-z][\w-]*(?:[ =][^\s，。；]+)?)*"
    ),
    re.compile(r"(?<![\w])-{1,2}[a-zA-Z][\w-]*"),  # an option: --lang, -f
    re.compile(r"[\w./~-]*/[\w./~-]+|[\w~-]+\.(?:ya?ml|json|csv|xlsx|md|html?|pdf|txt|parquet)\b"),
)
_MASKS = (
    re.compile(r"\b\w+=[^\s，。；]+"),  # --set field=value
    # a condition's value and a list of value ids: ``monthly_orders < 1000``, ``[micro, small]``
    re.compile(r"(?:[=<>≤≥]|!=)\s*[\w.-]+"),
    re.compile(r"\[[a-z0-9_]+(?:,\s*[a-z0-9_]+)*\]"),
    re.compile(r"\b[A-Z]{2,6}-\d{2,4}\b"),  # rule ids
    re.compile(r"§\s?[\w.-]+"),  # a paper's section: §4.2, §abstract, §table-1
    # a rule's conditions as written in its file (``rules show``): YAML, never translated
    re.compile(
        r"\{(?:is|not|field|fact|condition|any|all): [^\n]*\}|^\s*(?:any|all|not):\s*$", re.M
    ),
    # ids and numbers: a chunk holding a digit, an underscore or an inner dot (not a sentence's)
    re.compile(r"\b[\w-]*(?:\d|_)[\w-]*\b|\b[A-Za-z]+(?:\.[A-Za-z]+)+\b"),
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _strings(node: object, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, key)
    elif isinstance(node, str):
        yield key, node


@functools.cache
def _quote_corpus() -> str:
    """Every ``quote:`` of the rule base, and every phrase its English texts quote (``the
    paper's "on this basis"``), as words, one quote per line (`` w w w ``)."""
    quotes = []
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, text in _strings(data):
            if key == "quote":
                quotes.append(" " + " ".join(_words(text)) + " ")
            elif not _CJK_RE.search(text):  # a phrase an English text quotes from a paper
                found = (a or b for a, b in _INNER_QUOTE.findall(text))
                quotes += [" " + " ".join(_words(q)) + " " for q in found]
    assert len(quotes) > 100, "the rule base's quotes were not found"
    return "\n".join(quotes)


def is_quotation(text: str) -> bool:
    """Whether ``text`` (between quotation marks) is a rule base quote, maybe shortened."""
    pieces = [_words(p) for p in _ELLIPSIS.split(text)]
    pieces = [p for p in pieces if p]
    corpus = _quote_corpus()
    return bool(pieces) and all(" " + " ".join(p) + " " in corpus for p in pieces)


@functools.cache
def _all_ids() -> frozenset[str]:
    """The ids of the profile and the rule base: fields, values, platforms, papers, commands,
    named conditions, derived facts and the names of the rules' examples."""
    from xbec_advisor._advice.advisor import default_advisor
    from xbec_advisor._cli import COMMANDS
    from xbec_advisor._profile.model import field_specs

    rulebase = default_advisor().rulebase
    ids = set(COMMANDS) | set(rulebase.papers) | set(rulebase.facts) | set(rulebase.conditions)
    for name, spec in field_specs().items():
        ids.add(name)
        ids.update(str(v) for v in getattr(spec, "values", None) or ())
    for rule in rulebase.rules:
        ids.update(example.name for example in rule.examples)
    for condition in rulebase.conditions.values():
        ids.update(example.name for example in condition.examples)
    return frozenset(i for i in ids if re.fullmatch(r"[A-Za-z0-9_-]+", i))


@functools.cache
def _ids() -> frozenset[str]:
    """The ids a human output may show as they are anywhere (``tiktok_shop``, ``why-not``,
    ``html``): those holding ``_`` or ``-`` (a one-word id such as ``score`` or ``export`` is also
    an English word, see :func:`_id_words_re`), and the names of file formats."""
    multi = {i for i in _all_ids() if "_" in i or "-" in i}
    return frozenset(multi | {"markdown", "json", "jsonl", "html", "pdf", "csv", "xlsx"})


@functools.cache
def _id_words_re() -> re.Pattern[str]:
    """A one-word id written against Chinese text (``属于 exporter``, ``risks 包含``): in a
    Chinese sentence an English word stands alone only as an id."""
    words = sorted((re.escape(i) for i in _all_ids() if re.fullmatch("[A-Za-z]+", i)), key=len)
    alternatives = "|".join(reversed(words))
    return re.compile(
        f"(?:(?<=[{_CJK}])|(?<=[{_CJK}] ))(?:{alternatives})(?![A-Za-z])"
        f"|(?<![A-Za-z])(?:{alternatives})(?= ?[{_CJK}])"
    )


@functools.cache
def _names_re() -> re.Pattern[str]:
    """Names shown as they are, matched across wrapped lines and table borders."""
    names = set(BRANDS)
    papers = yaml.safe_load((ROOT / "rules" / "papers.yaml").read_text(encoding="utf-8"))
    for paper in papers["papers"].values():
        names.add(paper["title"])
        names.update(paper.get("authors", []))
        if paper.get("affiliation"):
            names.add(paper["affiliation"])
        names.update(str(s) for s in paper.get("sections", {}).values())
    for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(scenario.read_text(encoding="utf-8")) or {}
        names.update(str(data[k]) for k in ("name", "id") if data.get(k))
    parts = [_phrase(n) for n in names if n.strip()]
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(parts) + r")(?![A-Za-z])")


@functools.cache
def _codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes (the profile's list)."""
    from xbec_advisor._profile.iso import COUNTRIES

    return frozenset(COUNTRIES)


@functools.cache
def _ids_re() -> re.Pattern[str]:
    """The ids of :func:`_ids` as whole words (``gong-tmall-global``, ``why-not``)."""
    wrap = r"-(?:[ \t]*\n[ \t|│>]*)?"  # the terminal wraps a long id after a hyphen
    parts = sorted((re.escape(i).replace(r"\-", wrap) for i in _ids()), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)


def _blank(match: re.Match[str]) -> str:
    """A masked span: spaces, keeping its line breaks (line numbers stay right)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_quotes(text: str) -> str:
    """Blank every quotation of the rule base between quotation marks. A quote may hold quotation
    marks of its own (``"a typical "third-party" platform"``), so the longest span that is a
    quotation wins; a quoted single word (an id, a name) is blanked too."""
    out = list(text)
    reach = max(len(q) for q in _quote_corpus().splitlines()) * 2 + 400  # wrapped, indented
    i = 0
    while i < len(text):
        close = _PAIRS.get(text[i])
        if close is None:
            i += 1
            continue
        stop = text.find("\n\n", i)
        stop = min(len(text) if stop < 0 else stop, i + reach)
        ends = [j for j in range(stop - 1, i, -1) if text[j] == close]
        found = next((j for j in ends if is_quotation(text[i + 1 : j])), None)
        if found is None and ends and len(_words(text[i + 1 : ends[-1]])) < 2:
            found = ends[-1]
        if found is None:
            i += 1
            continue
        out[i : found + 1] = [c if c == "\n" else " " for c in text[i : found + 1]]
        i = found + 1
    return "".join(out)


_GAP = r"[\s|│>*\\]+"  # a wrapped line, a table border, Markdown emphasis or escape


def _phrase(text: str) -> str:
    """A regular expression of ``text`` as printed: wrapped anywhere between words or after a
    hyphen, and inside tables."""
    words = [re.escape(w).replace(r"\-", r"-\s*") for w in text.split()]
    return _GAP.join(words)


def _mask(text: str, verbatim: Iterable[str] = ()) -> str:
    shown = sorted({_phrase(v) for v in verbatim if v.strip()}, key=len, reverse=True)
    if shown:
        text = re.compile("|".join(shown)).sub(_blank, text)
    text = _mask_quotes(text)
    for pattern in _EARLY:
        text = pattern.sub(_blank, text)
    text = _names_re().sub(_blank, text)
    for pattern in _MASKS:
        text = pattern.sub(_blank, text)
    text = _ids_re().sub(_blank, text)
    return _id_words_re().sub(_blank, text)


def _is_neutral(word: str) -> bool:
    if word.isupper() and (word in ACRONYMS or word in _codes()):
        return True
    return word in ("zh", "en")  # language codes: ``--lang zh``, ``zh-Hans``


def english_runs(line: str) -> list[str]:
    """The runs of two or more English words in one (masked) line."""
    runs: list[str] = []
    for segment in _CJK_RE.split(line):
        words = [w for w in _WORD.findall(segment) if not _is_neutral(w)]
        if len(words) >= 2:
            runs.append(" ".join(words))
    return runs


def english_left(text: str, where: str, verbatim: Iterable[str] = ()) -> list[str]:
    """Every line of ``text`` with English left, as ``where:LINE: line  [run]``. ``verbatim``:
    texts shown as they are in every language (a rule's developer notes in ``rules show``)."""
    found = []
    for number, (original, masked) in enumerate(
        zip(text.splitlines(), _mask(text, verbatim).splitlines(), strict=True), start=1
    ):
        runs = english_runs(masked)
        if runs:
            found.append(f"{where}:{number}: {original.strip()[:160]}  [{runs[0]}]")
    return found


class _Visible(HTMLParser):
    """The text a reader sees on a page: no tags, styles or scripts; blocks on their own lines,
    inline elements apart (the labels of a chart are words of their own)."""

    BLOCKS = frozenset(
        "p div li tr h1 h2 h3 h4 h5 h6 br blockquote section header footer table ul ol dt dd "
        "figcaption caption title nav article aside summary details".split()
    )
    HIDDEN = frozenset(("style", "script", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        else:  # an inline element: a chart's labels are separate words
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        else:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The visible text of an HTML page, one block a line (blank lines dropped)."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def check_all(outputs: Iterable[tuple[str, str]]) -> list[str]:
    """English left in each ``(where, text)``."""
    return [line for where, text in outputs for line in english_left(text, where)]


def html_lang(page: str) -> str | None:
    found = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", page)
    return found.group(1) if found else None


__all__ = [
    "ACRONYMS",
    "BRANDS",
    "check_all",
    "english_left",
    "english_runs",
    "html_lang",
    "is_quotation",
    "visible_text",
]
