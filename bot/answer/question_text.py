"""The searchable form of a question as people type it: no self-introduction, typos of policy words fixed.

"Hi, I'm Dana from sales, how many vacation days do I get?" is searched and judged as "how many vacation
days do I get?": the asker's name and team are words no policy answers, and they lowered confidence.

A typo ("vaction", "reimbursment", "harrassment") is corrected to a word of the indexed documents only
when it is surely a typo of that word (`SpellingCorrector`). A naive closest-match correction (difflib)
was tried first and regressed the golden set (must-contain 0.848 -> 0.838, false abstention 0.044 ->
0.054): it "corrected" real words the documents happen not to use ("looks" -> "locks", "commuting" ->
"computing", "joiner" -> "joined").
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

# "Hi, I'm Dana from sales," / "hello! this is Sam Lee (finance) -" / "my name is dana, quick question:".
# A name must be capitalised (or follow "my name is"): "I'm pregnant, how much leave…" keeps what it says.
_GREETING = r"(?i:(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))(?:\s+(?:there|all|team|everyone|folks))?[\s,!.:;-]+)"
_NAME = r"(?:<PERSON>|[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
_TEAM = r"(?:\s+(?i:from|in|on|with|at)\s+(?i:the\s+)?[\w&/ -]{1,30}?(?i:\s+team)?|\s*\([^)]{1,30}\))?"
_ASIDE = r"(?i:(?:a\s+|one\s+|quick\s+|small\s+)*question\s*[,.:!-]+\s*)?"
_INTRO = re.compile(
    rf"^\s*{_GREETING}?(?:(?i:i'?m|i’m|i am|this is)\s+{_NAME}|(?i:my name is)\s+[\w'’-]+(?:\s+{_NAME})?){_TEAM}"
    rf"\s*(?:[,.!:;]|\s-)+\s*{_ASIDE}"
)
_ONLY_GREETING = re.compile(rf"^\s*{_GREETING}{_ASIDE}")


# contractions typed without the apostrophe, as chat is: "whats the IT helpdesk phone number" abstained (0.35) where
# "what's…" was answered (0.41): "whats" was a content word no document has, and it embeds apart from "what's".
# Words that are words too ("ill", "id", "wont", "its", "were", "hell") are left alone.
_APOSTROPHE_LESS = {
    **{w: f"{w[:-1]}'s" for w in ("whats", "hows", "wheres", "whos", "whens", "thats", "theres", "heres")},
    **{w: f"{w[:-2]}n't" for w in ("dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "havent", "hasnt", "shouldnt")},
    **{w: f"{w[:-2]}n't" for w in ("wouldnt", "couldnt", "mustnt")},
    "cant": "can't",
    "im": "I'm",
    "ive": "I've",
    "youre": "you're",
    "theyre": "they're",
}
_CHAT_CONTRACTION = re.compile(rf"\b({'|'.join(_APOSTROPHE_LESS)})\b", re.IGNORECASE)


def restore_apostrophes(question: str) -> str:
    """The question with chat contractions spelled with their apostrophe ("whats" -> "what's", "im" -> "I'm")."""

    def spelled(m: re.Match[str]) -> str:
        word = _APOSTROPHE_LESS[m.group().lower()]
        return word[0].upper() + word[1:] if m.group()[0].isupper() else word

    return _CHAT_CONTRACTION.sub(spelled, question)


def strip_introduction(question: str) -> str:
    """The question without a leading greeting and self-introduction (the question itself if nothing is left)."""
    rest = _INTRO.sub("", question, count=1)
    if rest == question:
        rest = _ONLY_GREETING.sub("", question, count=1)
    return rest if len(rest.split()) >= 2 else question


_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")  # "Martin Luther King", "Employee Relations"


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


class SpellingCorrector:
    """Corrects a question's word to a word of the indexed documents when it is surely a typo of it.

    A word is corrected only if (all of): it has 5+ letters; it is neither in the documents nor in the
    general English `lexicon` (the embedding model's whole-word vocabulary, so "dog", "looks", "wife" are
    real words and stay); exactly one most frequent document word is one edit away from it; that word
    starts with the same letter (typos rarely hit the first one) and the edit is not at the end of the word
    or a prefix of it ("joiner"/"joined", "router"/"route" are other words, not typos).
    """

    def __init__(self, texts: Iterable[str], lexicon: Iterable[str]) -> None:
        self.lexicon = frozenset(w for w in lexicon if w.isalpha())
        texts = list(texts)
        self.counts: Counter[str] = Counter(w.lower() for text in texts for w in _WORD.findall(text))
        self._runs = [m.group() for text in texts for m in _CAPITALISED_RUN.finditer(text)]
        self._acronyms: dict[str, Counter[str]] | None = None  # initials -> names, built on first use

    def correction(self, word: str) -> str | None:
        """The document word `word` is a typo of, or None."""
        w = word.lower()
        if len(w) < 5 or not w.isalpha() or w in self.counts or w in self.lexicon or not self.lexicon:
            return None
        candidates = [
            c
            for c in _one_edit(w)
            if c in self.counts and c[0] == w[0] and c[-1] == w[-1] and not c.startswith(w) and not w.startswith(c)
        ]
        if not candidates:
            return None
        candidates.sort(key=lambda c: -self.counts[c])
        if len(candidates) > 1 and self.counts[candidates[0]] == self.counts[candidates[1]]:
            return None  # two equally likely words: leave it
        return candidates[0]

    def correct(self, text: str) -> str:
        """`text` with each surely-typo word replaced by its document word, and an acronym the documents never
        use followed by the name they spell out ("MLK" -> "MLK (Martin Luther King)")."""
        text = _WORD.sub(lambda m: self.correction(m.group()) or m.group(), text)
        return _WORD.sub(lambda m: f"{m.group()} ({name})" if (name := self.spelled_out(m.group())) else m.group(), text)

    def spelled_out(self, word: str) -> str | None:
        """The capitalised name of the documents whose initials `word` is, when it is an acronym they never use
        and exactly one most frequent name has those initials; else None."""
        w = word.lower()
        if not 2 <= len(w) <= 5 or not w.isalpha() or w in self.counts:
            return None
        if not word.isupper() and (w in self.lexicon or len(w) < 3):
            return None  # "mlk" typed in lower case counts; "ok", "dog" do not
        names = self._names().get(w)
        if not names:
            return None
        (best, n), *rest = names.most_common(2)
        return best if not rest or n > rest[0][1] else None

    def _names(self) -> dict[str, Counter[str]]:
        if self._acronyms is None:
            index: dict[str, Counter[str]] = {}
            for run in self._runs:
                words = run.split(" ")
                for size in range(2, min(5, len(words)) + 1):
                    for start in range(len(words) - size + 1):
                        name = words[start : start + size]
                        index.setdefault("".join(x[0] for x in name).lower(), Counter())[" ".join(name)] += 1
            self._acronyms = index
        return self._acronyms


def model_lexicon(model_dir: str | Path) -> list[str]:
    """The whole words of a WordPiece model's vocabulary (`vocab.txt`); [] when it has none."""
    path = Path(model_dir) / "vocab.txt"
    if not path.is_file():
        return []
    words = path.read_text(encoding="utf-8").split("\n")
    return [w.strip() for w in words if w.strip().isalpha() and w.strip().islower()]


_correctors: weakref.WeakKeyDictionary[object, SpellingCorrector] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def corrector_for(index, lexicon: Iterable[str]) -> SpellingCorrector | None:
    """The `SpellingCorrector` of a BM25 index's texts, built once per loaded index; None for no index."""
    if index is None:
        return None
    with _lock:
        if index not in _correctors:
            _correctors[index] = SpellingCorrector(index.texts, lexicon)
        return _correctors[index]
