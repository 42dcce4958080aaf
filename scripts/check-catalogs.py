#!/usr/bin/env python3
"""Fails when the catalogs (locales/<lang>.json) do not hold the same keys,
when a key's values name different {{ placeholders }} in two languages, or
when no Rust source under src/ names a key (a word nobody shows).

leptos_i18n falls back to English for a key missing in French and only
warns, so without this check a page could quietly show English words to a
French reader.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
PLURAL_FORMS = (".one", ".other")
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def flatten(tree, prefix=""):
    """{"a": {"b": "x"}} -> {"a.b": "x"}"""
    out = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def main():
    catalogs = {p.stem: flatten(json.loads(p.read_text())) for p in sorted(LOCALES.glob("*.json"))}
    if "en" not in catalogs or len(catalogs) < 2:
        print(f"expected locales/en.json and at least one other catalog in {LOCALES}")
        return 1
    problems = []
    english = catalogs["en"]
    for language, catalog in catalogs.items():
        if language == "en":
            continue
        for key in sorted(english.keys() - catalog.keys()):
            problems.append(f"{language}: missing {key}")
        for key in sorted(catalog.keys() - english.keys()):
            problems.append(f"{language}: {key} is not in en")
        for key in sorted(english.keys() & catalog.keys()):
            if not isinstance(english[key], str) or not isinstance(catalog[key], str):
                continue
            if not catalog[key].strip():
                problems.append(f"{language}: {key} is empty")
            wanted = set(PLACEHOLDER.findall(english[key]))
            found = set(PLACEHOLDER.findall(catalog[key]))
            if wanted != found:
                problems.append(
                    f"{language}: {key} names {sorted(found)}, English names {sorted(wanted)}"
                )
    sources = "\n".join(p.read_text() for p in (ROOT / "src").rglob("*.rs"))
    for key in sorted(english):
        # A key with plural forms is named without them (`counted!`).
        named = next((key[: -len(f)] for f in PLURAL_FORMS if key.endswith(f)), key)
        if named not in sources:
            problems.append(f"en: {key} is not used under src/")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    counts = ", ".join(f"{lang} {len(c)}" for lang, c in catalogs.items())
    print(f"catalogs agree: {counts} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
