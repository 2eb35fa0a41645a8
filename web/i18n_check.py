"""Check the translation catalogues and the templates.

``python -m web.i18n_check`` lists, for each of ``eu``, ``es``, ``fr`` and ``en``:

- entries of the template (``messages.pot``, extracted fresh unless ``--no-extract``)
  missing from the catalogue, untranslated (an empty ``msgstr``, or an empty plural
  form) or marked fuzzy;
- translations whose ``%(name)s`` placeholders differ from the original;

and, for the templates under ``web/templates``, text outside a translation call. It exits 1
when it found anything, so ``make i18n`` followed by this command is the whole check.
The test suite runs the same functions (``tests/test_i18n.py``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
TRANSLATIONS = WEB / "translations"
TEMPLATES = WEB / "templates"
LANGS = ("eu", "es", "fr", "en")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

# Words a template may show untranslated: the brand, codes and units that read the same
# in the four languages.
TEMPLATE_WHITELIST = {
    "Lotura", "CSV", "JSON", "PIC", "NUTS", "NUTS-2", "NUTS-3", "API", "SVG", "PNG", "GEXF", "GraphML",
    "QR", "ID", "HTML", "km", "EUR", "€",
}


@dataclass(frozen=True)
class Finding:
    where: str
    what: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: {self.message}"


# -- catalogues --------------------------------------------------------------------------
def extract(pot: Path) -> None:
    """Extract the messages of the code and templates into ``pot`` (as `make i18n` does)."""
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_ngettext:1,2",
         "--no-location", "--sort-output", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def check_catalogue(template: Catalog, lang: str, po: Path | None = None) -> list[Finding]:
    """Every problem of one language's catalogue against the template."""
    po = po or TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    where = str(po.relative_to(ROOT)) if po.is_relative_to(ROOT) else str(po)
    if not po.is_file():
        return [Finding(where, "catalogue", "missing (run make i18n)")]
    cat = read(po, lang)
    out: list[Finding] = []
    for msg in template:
        if not msg.id:
            continue
        have = cat.get(msg.id)
        label = _key(msg.id)
        if have is None:
            out.append(Finding(where, label, "missing (run make i18n)"))
            continue
        if have.fuzzy:
            out.append(Finding(where, label, "fuzzy"))
        strings = list(have.string) if isinstance(have.string, tuple | list) else [have.string]
        if not strings or any(not s for s in strings):
            out.append(Finding(where, label, "untranslated"))
            continue
        originals = list(msg.id) if isinstance(msg.id, tuple | list) else [msg.id]
        wanted = set().union(*(_PLACEHOLDER.findall(o) for o in originals))
        for s in strings:
            got = set(_PLACEHOLDER.findall(s))
            # A singular form may leave out %(num)s ("one project"), nothing else.
            if got - wanted or (wanted - got - {"num"}):
                out.append(Finding(where, label, f"placeholders {sorted(got)} differ from {sorted(wanted)}"))
                break
    return out


def check_catalogues(do_extract: bool = True) -> list[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        if do_extract:
            extract(pot)
        else:
            pot = TRANSLATIONS / "messages.pot"
        template = read(pot)
        out: list[Finding] = []
        for lang in LANGS:
            out.extend(check_catalogue(template, lang))
        return out


# -- templates -----------------------------------------------------------------------------
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Blocks whose content is markup, not text: CSS classes of <body>.
_NOT_TEXT = re.compile(r"\{%-?\s*block\s+body_class\s*-?%\}.*?\{%-?\s*endblock[^%]*%\}", re.S)
_LETTERS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
CHECKED_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label", "summary"}


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in CHECKED_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._check(data)

    def _check(self, text: str) -> None:
        for m in _LETTERS.finditer(text):
            if m.group(0) not in TEMPLATE_WHITELIST:
                line = self.getpos()[0] + text.count("\n", 0, m.start())
                self.found.append((line, " ".join(text.split())))
                return


def template_text(source: str) -> list[tuple[int, str]]:
    """Text of a template that a reader would see but no translation call produces.

    >>> template_text('<h1>{{ _("Hello") }}</h1><p title="Hi">{{ name }} · CSV</p>')
    [(1, 'Hi')]
    """
    # Replace Jinja by blanks of the same shape, so that line numbers stay right.
    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    blanked = _JINJA.sub(blank, _NOT_TEXT.sub(blank, source))
    finder = _TextFinder()
    finder.feed(blanked)
    finder.close()
    return finder.found


def check_templates(folder: Path = TEMPLATES) -> list[Finding]:
    out: list[Finding] = []
    for path in sorted(folder.rglob("*.html")):
        rel = str(path.relative_to(ROOT))
        for line, text in template_text(path.read_text(encoding="utf-8")):
            out.append(Finding(f"{rel}:{line}", "text outside a translation call", text[:80]))
    return out


def iter_all(do_extract: bool = True) -> Iterator[Finding]:
    yield from check_catalogues(do_extract)
    yield from check_templates()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-extract", action="store_true", help="use web/translations/messages.pot as it is")
    p.add_argument("--templates-only", action="store_true")
    args = p.parse_args(argv)
    findings = check_templates() if args.templates_only else list(iter_all(not args.no_extract))
    for f in findings:
        print(f)
    print(f"{len(findings)} problem(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
