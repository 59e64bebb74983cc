"""The one text normalization used wherever text is compared.

Quotes, clause texts and source files are compared only through `normalize`:

1. Unicode NFKC: full-width letters, digits and punctuation become their
   half-width forms (``（四）`` -> ``(四)``, ``，`` -> ``,``, ``２０１３`` -> ``2013``);
   CJK ideographs and ``。、“”〔〕`` are unchanged.
2. Web addresses (``http://…``, ``https://…``) are removed: the compiled
   provincial file has page URLs pasted into the middle of clauses.
3. All whitespace is removed, including the PDF-extraction line breaks that
   cut words in half and the stray spaces inside numbers (``2013 年``).

Nothing else is changed, so a normalized quote is found in its normalized
clause exactly when the quote is verbatim up to layout and character width.
"""

from __future__ import annotations

import re
import unicodedata

NORMALIZATION_VERSION = "nfkc-nourl-nows-1"

_URL = re.compile(r"https?://\S+")
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return `text` in the comparison form described in the module docstring."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub("", text)
    return _WHITESPACE.sub("", text)


def is_verbatim(quote: str, source: str) -> bool:
    """True when `quote`, normalized, occurs in `source`, normalized, and is not empty."""
    needle = normalize(quote)
    return bool(needle) and needle in normalize(source)


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\u3000]+|[ \t\u3000]+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy_line(line: str) -> str:
    """Strip a source line and drop spaces that touch a CJK character.

    Used for display fields (titles, headings) only, never for quotes.
    """
    return _CJK_SPACE.sub("", line.strip())
