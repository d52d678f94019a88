"""The SMS / WhatsApp keyword grammar (ADR 0011): a pure parser from a text to a typed command.

    LAPOR                    | REPORT                     numbered list of the categories (page 1)
    LAPOR 2                  | REPORT 2                   page 2 of that list
    LAPOR <kategori> <isi>   | REPORT <category> <text>   file a complaint (category: keyword or number)
    <angka> [<isi>]          | <number> [<text>]          reply to the numbered list
    CEK <kode>               | STATUS <code>              status and due date
    JAWAB <kode> <isi>       | ANSWER <code> <text>       answer a question from staff
    NILAI <kode> <1-4>       | RATE <code> <1-4>          quick rating of a finished case
    BANTUAN                  | HELP                       the list of commands
    DUKUNG <kode>            | SUPPORT <code>             support a community proposal
    USUL <isi>               | PROPOSE <text>             make a community proposal
    PILIH <NIK> <kode…>      | VOTE <NIK> <codes>         vote in a participatory budget

Forgiving by design, because people type on feature phones: case-insensitive (and full-width letters
are folded by NFKC), extra spaces and line breaks, punctuation glued to the keyword ("LAPOR:", "lapor.",
"#CEK"), and ONE typing slip (a missing, extra, wrong or swapped letter: "Lapr", "JAWAP", "NIALI") in
keywords of five letters or more. Shorter keywords (CEK, RATE, HELP) must be exact: one slip in a
three-letter word is too often another word. The tracking code is read loosely by
`balai.cases.tracking.normalize_code` (spaces, missing dashes, S→5…) and its check character catches
typos. Nothing here touches the database: the services resolve categories and cases.

The commands are a table (`COMMANDS`): each entry names its keywords, the ones that tolerate a slip, and
the function that reads the arguments. A new command (a participation keyword, say) is one
`register(...)` call and a dataclass; `balai.channels.services.HANDLERS` maps the dataclass to what it does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from balai.cases.tracking import normalize_code

# keyword → (command, language), filled by `register` from the command table at the end of this module.
KEYWORDS: dict[str, tuple[str, str]] = {}
# Keywords that tolerate one slip (five letters or more, and not an alias that is an everyday word).
FUZZY_KEYWORDS: list[str] = []
MIN_FUZZY_INPUT = 4

SCORE_WORDS: dict[str, int] = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "one": 1, "two": 2, "three": 3, "four": 4,
}
CODE_FILLERS = frozenset({"status", "kode", "code", "no", "nomor", "nomer", "number"})
MAX_CODE_TOKENS = 3  # "KT 7M4Q 2X9P" is three tokens

_LEADING_JUNK = re.compile(r"^[\s\W_]+", re.UNICODE)  # punctuation, symbols, emoji before the keyword
_KEYWORD = re.compile(r"^([A-Za-z]+)")
_ARG_SEPARATORS = re.compile(r"^[\s:.,;!?#*=/\-_>\"']+")
_CATEGORY = re.compile(r"^([^\s:#,;/.!?()\[\]\"'*=]+)(.*)$", re.DOTALL)  # "JALAN", "jalan:", "JALAN#…"
_TOKEN_TRIM = ".,;:!?#*()[]\"'"  # nosec B105 # punctuation to trim, not a secret


@dataclass(frozen=True)
class Report:
    language: str
    category: str  # the category keyword as typed, lower case
    text: str


@dataclass(frozen=True)
class Status:
    language: str
    code: str  # canonical tracking code


@dataclass(frozen=True)
class Answer:
    language: str
    code: str
    text: str


@dataclass(frozen=True)
class Rate:
    language: str
    code: str
    score: int


@dataclass(frozen=True)
class Help:
    language: str


@dataclass(frozen=True)
class Menu:
    """A bare LAPOR / REPORT, or LAPOR <page>: the numbered list of categories, page `page`."""

    language: str
    page: int = 1


@dataclass(frozen=True)
class Choice:
    """A message that starts with a number: a reply to the numbered list (the services know whether one
    was sent; otherwise it is free text)."""

    language: str
    number: int
    text: str = ""


@dataclass(frozen=True)
class Invalid:
    """A known keyword used wrongly. `error` is one of ERRORS."""

    language: str
    command: str  # report | status | answer | rate
    error: str
    code: str = ""  # the canonical code when it was valid (e.g. a bad score after a good code)


@dataclass(frozen=True)
class Unknown:
    """No keyword: free text, an empty message, another script. Answered with the help text."""

    language: str


@dataclass(frozen=True)
class Support:
    language: str
    code: str  # a proposal code (5 characters of the tracking alphabet), upper case


@dataclass(frozen=True)
class Propose:
    language: str
    text: str


@dataclass(frozen=True)
class Vote:
    language: str
    nik: str  # 16 digits (checked by the service); never logged (as_dict masks it)
    codes: tuple[str, ...]


Command = Report | Status | Answer | Rate | Help | Menu | Choice | Support | Propose | Vote | Invalid | Unknown

ERRORS = ("missing_category", "missing_text", "missing_code", "invalid_code", "missing_score", "bad_score",
          "missing_nik")

_ENGLISH_HINTS = frozenset("the is my please hello hi you what how where when this there not road street "
                           "broken thanks thank".split())
_INDONESIAN_HINTS = frozenset("yang di dan ini itu tidak saya mohon tolong jalan rusak ada ke dari pak bu "
                              "apa bagaimana kapan terima kasih sudah belum".split())


def _fold(text: str) -> str:
    """NFKC (full-width letters, ligatures) and a GSM-safe view of typographic punctuation."""
    return unicodedata.normalize("NFKC", text or "")


def guess_language(text: str) -> str:
    """'en' when the words look English, else 'id' (the default language of Balai)."""
    words = re.findall(r"[a-z]+", _fold(text).casefold())
    en = sum(w in _ENGLISH_HINTS for w in words)
    idn = sum(w in _INDONESIAN_HINTS for w in words)
    return "en" if en > idn else "id"


def _distance_at_most_one(a: str, b: str) -> bool:
    """Optimal-string-alignment distance ≤ 1 (one insertion, deletion, substitution or adjacent swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long_ = (a, b) if la < lb else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def match_keyword(word: str) -> tuple[str, str] | None:
    """(command, language) for a typed keyword, allowing one slip in the long ones; None otherwise."""
    upper = word.upper()
    if upper in KEYWORDS:
        return KEYWORDS[upper]
    if len(upper) < MIN_FUZZY_INPUT:
        return None
    hits = {KEYWORDS[k] for k in FUZZY_KEYWORDS if _distance_at_most_one(upper, k)}
    return hits.pop() if len(hits) == 1 else None


def _split_keyword(text: str) -> tuple[str, str] | None:
    """(keyword word, the rest) or None when the text does not start with a word of Latin letters."""
    body = _LEADING_JUNK.sub("", text)
    m = _KEYWORD.match(body)
    if not m:
        return None
    word, rest = m.group(1), body[m.end():]
    if rest and rest[0].isalnum():  # "LAPORjalan" is not a keyword followed by text
        return None
    return word, _ARG_SEPARATORS.sub("", rest)


_CHOICE = re.compile(r"^(\d{1,2})(?![\d.,/:-]\d)(?:[\s.):,-]+(.*))?$", re.DOTALL)  # "3", "3. lampu mati"
MAX_PAGE = 20


def _tokens(rest: str) -> list[str]:
    return rest.split()


def _read_code(tokens: list[str]) -> tuple[str | None, int]:
    """(canonical code, tokens used) reading up to three tokens ("KT 7M4Q 2X9P"); (None, 0) if invalid."""
    for n in range(min(MAX_CODE_TOKENS, len(tokens)), 0, -1):
        code = normalize_code("".join(t.strip(_TOKEN_TRIM) for t in tokens[:n]))
        if code:
            return code, n
    return None, 0


def _read_score(token: str) -> int | None:
    token = token.strip(_TOKEN_TRIM).casefold()
    if token in SCORE_WORDS:
        return SCORE_WORDS[token]
    m = re.fullmatch(r"(\d{1,2})(?:/[45])?", token)  # "4", "4/4"
    if not m:
        return None
    value = int(m.group(1))
    return value if 1 <= value <= 4 else None


def _parse_help(lang: str, rest: str) -> Command:
    return Help(language=lang)


def _parse_report(lang: str, rest: str) -> Command:
    m = _CATEGORY.match(rest.lstrip("\"'"))
    if not m:
        return Menu(language=lang, page=1)
    category = m.group(1).lower()
    text_part = _ARG_SEPARATORS.sub("", m.group(2)).strip()
    if not text_part:
        if category.isdigit() and 1 <= int(category) <= MAX_PAGE:
            return Menu(language=lang, page=int(category))  # "LAPOR 2": the next page of the list
        return Invalid(lang, "report", "missing_text")
    return Report(language=lang, category=category, text=text_part)


def _code_and_rest(rest: str) -> tuple[str, list[str]]:
    tokens = _tokens(rest)
    if len(tokens) > 1 and tokens[0].strip(_TOKEN_TRIM).casefold() in CODE_FILLERS:
        rest = rest[len(tokens[0]):].lstrip()  # "CEK STATUS KT-…", "NILAI kode KT-… 4"
        tokens = tokens[1:]
    return rest, tokens


def _parse_status(lang: str, rest: str) -> Command:
    rest, tokens = _code_and_rest(rest)
    if not tokens:
        return Invalid(lang, "status", "missing_code")
    code, _used = _read_code(tokens)
    if code is None:
        return Invalid(lang, "status", "invalid_code")
    return Status(language=lang, code=code)


def _parse_answer(lang: str, rest: str) -> Command:
    rest, tokens = _code_and_rest(rest)
    if not tokens:
        return Invalid(lang, "answer", "missing_code")
    code, used = _read_code(tokens)
    if code is None:
        return Invalid(lang, "answer", "invalid_code")
    # Keep the citizen's own spacing and line breaks after the code.
    text_part = rest
    for token in tokens[:used]:
        text_part = text_part[text_part.index(token) + len(token):]
    text_part = _ARG_SEPARATORS.sub("", text_part).strip()
    if not text_part:
        return Invalid(lang, "answer", "missing_text", code=code)
    return Answer(language=lang, code=code, text=text_part)


def _parse_rate(lang: str, rest: str) -> Command:
    rest, tokens = _code_and_rest(rest)
    if not tokens:
        return Invalid(lang, "rate", "missing_code")
    code, used = _read_code(tokens)
    if code is None:
        return Invalid(lang, "rate", "invalid_code")
    remaining = tokens[used:]
    if not remaining:
        return Invalid(lang, "rate", "missing_score", code=code)
    score = _read_score(remaining[0])
    if score is None:
        return Invalid(lang, "rate", "bad_score", code=code)
    return Rate(language=lang, code=code, score=score)


@dataclass(frozen=True)
class CommandSpec:
    """One row of the command table."""

    name: str  # report | status | answer | rate | help | ...
    parse: Callable[[str, str], Command]  # (language, the text after the keyword) → command
    keywords: dict[str, str] = field(default_factory=dict)  # keyword → language
    fuzzy: tuple[str, ...] = ()  # keywords (five letters or more) that tolerate one slip
    usage: dict[str, str] = field(default_factory=dict)  # language → "LAPOR <kategori> <isi>" (the /sms/ page)
    summary: str | Promise = ""  # what it does, for the /sms/ page and the poster (translated)
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language → example messages


COMMANDS: dict[str, CommandSpec] = {}


def register(spec: CommandSpec) -> CommandSpec:
    """Add a command to the table (its keywords must be new)."""
    clash = [k for k in spec.keywords if k in KEYWORDS and KEYWORDS[k][0] != spec.name]
    if clash:
        raise ValueError(f"keywords already taken: {clash}")
    COMMANDS[spec.name] = spec
    for keyword, lang in spec.keywords.items():
        KEYWORDS[keyword] = (spec.name, lang)
    FUZZY_KEYWORDS.extend(k for k in spec.fuzzy if k not in FUZZY_KEYWORDS)
    return spec


register(CommandSpec("report", _parse_report, {
    "LAPOR": "id", "LAPORAN": "id", "ADUAN": "id", "MELAPOR": "id",
    "REPORT": "en", "COMPLAIN": "en", "COMPLAINT": "en"}, fuzzy=("LAPOR", "REPORT"),
    usage={"id": "LAPOR <kategori> <isi>", "en": "REPORT <category> <text>"},
    summary=_("Report a problem: the keyword, a category (its word or its number) and what happened, where. "
              "LAPOR alone lists the categories by number; LAPOR 2 shows the next page; reply with the "
              "number. A message without a category is accepted too: staff sort it."),
    examples={"id": ("LAPOR JALAN jalan berlubang di Jl. Juanda depan SDN 012", "LAPOR", "LAPOR 2",
                     "3 lampu jalan mati di Gang Mawar"),
              "en": ("REPORT JALAN pothole on Jl. Juanda in front of SDN 012", "REPORT", "REPORT 2",
                     "3 street light out in Gang Mawar")}))
register(CommandSpec("status", _parse_status, {
    "CEK": "id", "CEKSTATUS": "id", "CECK": "id", "STATUS": "en", "CHECK": "en", "TRACK": "en"},
    fuzzy=("STATUS",), usage={"id": "CEK <kode>", "en": "STATUS <code>"},
    summary=_("The status of your report, who handles it and its due date."),
    examples={"id": ("CEK KT-7M4Q-2X9P",), "en": ("STATUS KT-7M4Q-2X9P",)}))
register(CommandSpec("answer", _parse_answer, {"JAWAB": "id", "BALAS": "id", "ANSWER": "en", "REPLY": "en"},
                     fuzzy=("JAWAB", "ANSWER"), usage={"id": "JAWAB <kode> <isi>", "en": "ANSWER <code> <text>"},
                     summary=_("Answer a question an officer asked about your report (from the number you "
                               "reported with)."),
                     examples={"id": ("JAWAB KT-7M4Q-2X9P lokasinya di depan SDN 012",),
                               "en": ("ANSWER KT-7M4Q-2X9P it is in front of SDN 012",)}))
register(CommandSpec("rate", _parse_rate, {"NILAI": "id", "RATE": "en", "RATING": "en"}, fuzzy=("NILAI",),
                     usage={"id": "NILAI <kode> <1-4>", "en": "RATE <code> <1-4>"},
                     summary=_("Rate a finished report from 1 (poor) to 4 (very good). It counts in the "
                               "satisfaction index (IKM) of the agency."),
                     examples={"id": ("NILAI KT-7M4Q-2X9P 4",), "en": ("RATE KT-7M4Q-2X9P 4",)}))
register(CommandSpec("help", _parse_help, {"BANTUAN": "id", "MENU": "id", "INFO": "id",
                                           "HELP": "en"}, fuzzy=("BANTUAN",),
                     usage={"id": "BANTUAN", "en": "HELP"},
                     summary=_("The list of keywords."), examples={"id": ("BANTUAN",), "en": ("HELP",)}))


def parse(text: str | None) -> Command:
    """Parse one inbound message into a command (never raises)."""
    folded = _fold(text or "").strip()
    choice = _CHOICE.match(_LEADING_JUNK.sub("", folded)) if folded[:1].isdigit() else None
    if choice:
        rest = (choice.group(2) or "").strip()
        return Choice(language=guess_language(rest), number=int(choice.group(1)), text=rest)
    split = _split_keyword(folded)
    matched = match_keyword(split[0]) if split else None
    if matched is None:
        return Unknown(language=guess_language(folded))
    command, lang = matched
    rest = split[1].strip() if split else ""
    return COMMANDS[command].parse(lang, rest)


_PROPOSAL_CODE = re.compile(r"^[23456789ACDEFHJKMPRTWXY]{5}$")
_PROPOSAL_CODE_FOLD = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"})


def _proposal_code(token: str) -> str | None:
    """A proposal code as typed ("7k3mx", "7K3MX,"), or None. Letters that look like digits outside the
    alphabet (S→5, B→8, Z→2) are read as the digit, like tracking codes."""
    word = token.strip(_TOKEN_TRIM).upper().replace("-", "")
    if _PROPOSAL_CODE.match(word):
        return word
    folded = word.translate(_PROPOSAL_CODE_FOLD)
    return folded if _PROPOSAL_CODE.match(folded) else None


def _parse_participation(command: str, lang: str, rest: str) -> Command:
    if command == "propose":
        text_part = rest.strip()
        return Propose(language=lang, text=text_part) if text_part else Invalid(lang, command, "missing_text")
    tokens = [t for t in re.split(r"[\s,;]+", rest) if t.strip(_TOKEN_TRIM)]
    if command == "support":
        if tokens and tokens[0].strip(_TOKEN_TRIM).casefold() in CODE_FILLERS:
            tokens = tokens[1:]
        if not tokens:
            return Invalid(lang, command, "missing_code")
        code = _proposal_code(tokens[0])
        return Support(language=lang, code=code) if code else Invalid(lang, command, "invalid_code")
    # vote: the NIK is the digits (16 of them, maybe typed in groups); every other word is a project code
    digits, codes = "", []
    for token in tokens:
        word = token.strip(_TOKEN_TRIM)
        if word.casefold() in CODE_FILLERS or word.casefold() == "nik":
            continue
        if word.isdigit() and len(digits) < 16 and (len(word) > 5 or digits or len(word) == 4):
            digits += word
            continue
        code = _proposal_code(word)
        if code is None:
            return Invalid(lang, command, "invalid_code")
        codes.append(code)
    if len(digits) != 16:
        return Invalid(lang, command, "missing_nik")
    if not codes:
        return Invalid(lang, command, "missing_code")
    return Vote(language=lang, nik=digits, codes=tuple(dict.fromkeys(codes)))


# Community participation (docs/regulations.md §12): support a proposal, propose, vote in a budget.
register(CommandSpec("support", lambda lang, rest: _parse_participation("support", lang, rest),
                     {"DUKUNG": "id", "SUPPORT": "en"}, fuzzy=("DUKUNG", "SUPPORT"),
                     usage={"id": "DUKUNG <kode usulan>", "en": "SUPPORT <proposal code>"},
                     summary=_("Support a citizens' proposal by its five-character code (one support per "
                               "person)."),
                     examples={"id": ("DUKUNG 7K3MX",), "en": ("SUPPORT 7K3MX",)}))
register(CommandSpec("propose", lambda lang, rest: _parse_participation("propose", lang, rest),
                     {"USUL": "id", "USULAN": "id", "PROPOSE": "en"}, fuzzy=("PROPOSE",),
                     usage={"id": "USUL <isi usulan>", "en": "PROPOSE <your proposal>"},
                     summary=_("Propose something for the open participation round of your area."),
                     examples={"id": ("USUL sumur bor untuk RT 05 Desa Muara Muntai",),
                               "en": ("PROPOSE a bored well for RT 05 in Muara Muntai village",)}))
register(CommandSpec("vote", lambda lang, rest: _parse_participation("vote", lang, rest),
                     {"PILIH": "id", "VOTE": "en"}, fuzzy=("PILIH",),
                     usage={"id": "PILIH <NIK> <kode proyek...>", "en": "VOTE <NIK> <project codes...>"},
                     summary=_("Vote in a participatory budget: your NIK (16 digits, checked once, never "
                               "stored as typed) and the codes of the projects you choose."),
                     examples={"id": ("PILIH 6472010101900001 7K3MX 9PQRT",),
                               "en": ("VOTE 6472010101900001 7K3MX 9PQRT",)}))

def as_dict(command: Command) -> dict:
    """A plain dict for the corpus file and logs: {"type": "report", "language": "id", ...}. A NIK is
    masked (region prefix and serial only)."""
    data = asdict(command)
    if isinstance(command, Vote):
        data["nik"] = command.nik[:4] + "*" * 8 + command.nik[12:]
        data["codes"] = list(command.codes)
    data["type"] = type(command).__name__.lower()
    return data
