"""What every detector shares: text units, element sections, N/A declarations, issues."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from speclint.document import Block, Document, Section
from speclint.models import EVIDENCE_KEPT, ElementReport, Evidence
from speclint.prefilter import CODE_FRAGMENTS, FRAGMENTS, FragmentSet, Guarded
from speclint.vocab import ElementVocab, Vocabulary

T = TypeVar("T")

# where a sentence ends: the space after its [.!?] (group 1), or a blank line. The pattern
# opens with a character class, which re finds with a fast scan; the look-behinds after it
# see the same text as at the space, so "e.g. x" and "A. Smith" do not end a sentence
_SENTENCE_MARKS = ".!?"
_SENTENCE_END = re.compile(
    rf"[{_SENTENCE_MARKS}]"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<!\bcf\.)(?<![A-Z]\.)"
    r"(\s+)(?=[A-Za-z0-9`*(\[\"])|\n{2,}")
_MARKUP = re.compile(
    r"\*{1,3}(?=\S)|(?<=\S)\*{1,3}|(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)"
    r"|\\(?=[\\`*_{}\[\]()#+\-.!|])")

# past this many titles holding an alias's first word, the titles' runs of words are indexed
# (Context._title_runs) rather than each title looked through
_FEW_TITLES = 64

# how much of the text after a match the patterns that read "what follows" see (a status's
# reason phrase, a "not supported" after "roll back"): a few words, and taking the whole rest
# of a long paragraph for each match made a paragraph of many matches cost its length squared
AFTER_WINDOW = 200

_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_NAVIGATION = re.compile(r"\s*(?:\[[^\[\]\n]*\]\(#[^()\s]*\)[\s,;|]*)+")


def bare(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The compiled pattern of a vocabulary pattern, without its prefilter: for short texts
    (a window around a match), where asking the prefilter costs more than the match."""
    return getattr(pattern, "regex", pattern)  # type: ignore[no-any-return]


def plain(text: str) -> str:
    """Light markup removal for evidence and messages."""
    text = _LINK.sub(r"\1", text) if "](" in text else text
    if "*" in text or "_" in text or "\\" in text:
        text = _MARKUP.sub("", text)
    return " ".join(text.split())


@dataclass(slots=True)
class Unit:
    """A sentence, list item, table row or heading: the scope of "same sentence" rules."""

    line: int
    end_line: int
    text: str
    kind: str  # sentence, item, row, heading
    section: Section
    block: Block
    cells: list[str] | None = None
    header: list[str] | None = None


@dataclass(slots=True)
class Issue:
    """A quality problem a detector saw; rules of type element-quality report them."""

    element: str
    kind: str
    line: int
    text: str
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@dataclass
class Detection:
    """A detector's answer: the report plus the issues it found."""

    report: ElementReport
    issues: list[Issue] = field(default_factory=list)


def _sentences(block: Block) -> Iterator[tuple[int, str]]:
    """Split a paragraph into sentences, each with its first file line."""
    text = block.text
    # a mark ends a sentence only if a word follows it: none but a last one, one sentence
    if "\n\n" not in text and not any(mark in text[:len(text.rstrip()) - 1]
                                      for mark in _SENTENCE_MARKS):
        if text.strip():
            yield block.start + text.count("\n", 0, len(text) - len(text.lstrip())), text.strip()
        return
    yield from _split_sentences(block)


def _split_sentences(block: Block) -> Iterator[tuple[int, str]]:
    """_sentences' general case: cut at every sentence end."""
    text = block.text
    counted, line = 0, block.start  # newlines counted up to ``counted``, so linear overall
    cuts = [(m.start(1) if m.lastindex else m.start(), m.end())
            for m in _SENTENCE_END.finditer(text)]
    start = 0
    for end, after in [*cuts, (len(text), len(text))]:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = start + len(piece) - len(piece.lstrip())
            line += text.count("\n", counted, lead)
            counted = lead
            yield line, stripped
        start = after


class Context:
    """Per-document data computed once and shared by all detectors."""

    def __init__(self, doc: Document, vocab: Vocabulary) -> None:
        self.doc = doc
        self.vocab = vocab
        # a bare "N/A" (no reason): incomplete, unless the element is present elsewhere
        self.bare_na: dict[str, Detection] = {}
        self._block_hits: dict[int, set[int]] = {}
        self._element_sections: dict[tuple[int, str], list[Section]] = {}
        self._by_need: dict[tuple[bool, tuple[int, ...]], list[int]] = {}
        self._shared: dict[str, Any] = {}
        self._runs: dict[int, tuple[frozenset[str], dict[tuple[str, ...], list[int]]]] = {}
        self._character_hits: dict[int, list[int]] = {}

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per document for every detector that asks."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]  # type: ignore[no-any-return]

    def block_has(self, pattern: re.Pattern[str], block: Block) -> bool:
        """Does ``pattern`` occur in the text of ``block``, the block of a unit? Asked once
        per block and pattern, however many sentences the block holds."""
        return id(block) in self._blocks_where(pattern)

    def units_of_blocks_where(self, pattern: re.Pattern[str]) -> list[Unit]:
        """Units, in file order, whose block's text holds ``pattern``."""
        hits = self._blocks_where(pattern)
        return [unit for unit in self.units if id(unit.block) in hits] if hits else []

    def _blocks_where(self, pattern: re.Pattern[str]) -> set[int]:
        """Ids of the blocks of units whose text holds ``pattern``."""
        found = self._block_hits.get(id(pattern))
        if found is None:
            possible = getattr(pattern, "possible", None)
            if possible is not None and not possible(self._unit_blocks_joined):
                found = set()  # one scan of every block says none can match
            else:
                search = pattern.search
                found = {key for key, block in self._unit_blocks.items() if search(block.text)}
            self._block_hits[id(pattern)] = found
        return found

    @cached_property
    def _unit_blocks_joined(self) -> str:
        """The texts of the units' blocks, one after another (what a match needs occurs in
        it if it occurs in any of them)."""
        return "\n".join([block.text for block in self._unit_blocks.values()])

    @cached_property
    def _unit_blocks(self) -> dict[int, Block]:
        """The blocks of the units, each once, by id."""
        return {id(unit.block): unit.block for unit in self.units}

    @cached_property
    def units(self) -> list[Unit]:
        """Prose units outside code, in file order."""
        units: list[Unit] = []
        for section in self.doc.all_sections:
            for block in section.blocks:
                units.extend(self._block_units(block, section))
            if section.level > 0:
                units.append(Unit(section.start, section.start, section.title, "heading",
                                  section, _heading_block(section)))
        units.sort(key=lambda u: u.line)
        return units

    @cached_property
    def _unit_index(self) -> BitIndex:
        return BitIndex(FRAGMENTS.found(unit.text) for unit in self.units)

    @cached_property
    def _code_index(self) -> BitIndex:
        return BitIndex(CODE_FRAGMENTS.found(block.text) for block, _ in self.code_blocks)

    def _candidates(self, needs: tuple[int, ...], code: bool = False) -> list[int]:
        """Indexes of the units (or code blocks) that hold every fragment of one of
        ``needs``."""
        found = self._by_need.get((code, needs))
        if found is None:
            index = self._code_index if code else self._unit_index
            found = self._by_need[(code, needs)] = index.holding(needs)
        return found

    def code_blocks_where(self, patterns: Iterable[Guarded]) -> list[tuple[Block, Section]]:
        """Code blocks in which one of ``patterns`` (read on code) may match, in file order:
        the prefilter has ruled out the others."""
        needs = _needs(tuple(patterns), CODE_FRAGMENTS)
        if needs is None:
            return self.code_blocks
        blocks = self.code_blocks
        return [blocks[index] for index in self._candidates(needs, code=True)]

    def units_where(self, *patterns: Guarded, also: LineSpans | None = None) -> list[Unit]:
        """Units (headings included) in which one of ``patterns`` may match, in file order,
        plus every unit on a line of ``also``. The prefilter (speclint.prefilter) has ruled
        out the others, so a detector need not ask each pattern about each unit."""
        units = self.units
        candidates = self._unit_candidates(patterns)
        if candidates is None:
            return units
        if also is None:
            return [units[index] for index in candidates]
        chosen = set(candidates)
        chosen.update(index for index, unit in enumerate(units) if unit.line in also)
        return [units[index] for index in sorted(chosen)]

    def _unit_candidates(self, patterns: tuple[Guarded, ...]) -> list[int] | None:
        """Indexes of the units where one of ``patterns`` may match, or None for all of them.
        A pattern without a fragment may still need some characters (or a digit) in every
        match: a cheap test per unit (``in``), which costs less than asking the pattern."""
        unguarded = [p for p in patterns if not p.guarded]
        if not patterns or any(not p.needs_characters for p in unguarded):
            return None
        needs = _needs(tuple(p for p in patterns if p.guarded), FRAGMENTS)
        if needs is None and len(unguarded) < len(patterns):
            return None  # guarded in another fragment set
        found = set(self._candidates(needs)) if needs is not None else set()
        for pattern in unguarded:
            found.update(self._holding_characters(pattern))
        return sorted(found)

    def _holding_characters(self, pattern: Guarded) -> list[int]:
        """Indexes of the units holding the characters (and the digit) ``pattern`` needs."""
        found = self._character_hits.get(id(pattern))
        if found is None:
            possible = pattern.possible
            found = self._character_hits[id(pattern)] = [
                index for index, unit in enumerate(self.units) if possible(unit.text)]
        return found

    def _block_units(self, block: Block, section: Section) -> Iterator[Unit]:
        if block.kind == "paragraph" and _NAVIGATION.fullmatch(block.text):
            return  # a table-of-contents entry is navigation, not content
        if block.kind == "paragraph":
            if block.list_depth:
                yield Unit(block.start, block.end, plain(block.text), "item", section, block)
                return
            for line, sentence in _sentences(block):
                yield Unit(line, line, plain(sentence), "sentence", section, block)
        elif block.kind == "table" and block.rows:
            header = block.rows[0].cells if block.rows[0].header else None
            for row in block.rows:
                if row.header:
                    continue
                text = " | ".join(plain(c) for c in row.cells)
                yield Unit(row.line, row.line, text, "row", section, block, row.cells, header)
        elif block.kind == "heading":
            yield Unit(block.start, block.end, plain(block.text), "heading", section, block)

    def talks_about(self, pattern: Guarded, text: str) -> bool:
        """Does ``text`` talk about what ``pattern`` names? Questions ("Will this add new API
        calls? No") and denials ("no API changes are expected") do not."""
        if "?" in text:
            return False
        for match in pattern.finditer(text):
            # "no new APIs": the denial may stand before the phrase or inside it
            last_word = match.start() + match.group().rstrip().rfind(" ") + 1
            if not (self.denied(text, match.start()) or self.denied(text, last_word)):
                return True
        return False

    def denied(self, text: str, start: int) -> bool:
        """Is the phrase starting at ``start`` denied ("no rate limits", "not a ...")?"""
        return bool(self.vocab.mention_negated_before.search(text[max(0, start - 40):start]))

    def mentions(self, element: str, kind: str, extra: str | None = None) -> list[Evidence]:
        """Evidence of units (not headings) that talk about an element.

        Questions ("Will this add new API calls? No") and denials ("no API changes are
        expected") are not talk about the element.
        """
        ev = self.vocab.elements[element]
        pattern = ev.p("mentions")
        other = ev.p(extra) if extra else None
        found = []
        units = self.units_where(pattern)
        if other is not None:  # or in a block where ``other`` occurs
            hits, maybe = self._blocks_where(other), {id(unit) for unit in units}
            units = [u for u in self.units if id(u) in maybe or id(u.block) in hits]
        for unit in units:
            if unit.kind == "heading" or "?" in unit.text:
                continue
            if self.talks_about(pattern, unit.text) or (
                    other is not None and self.block_has(other, unit.block)):
                found.append(evidence(unit.line, kind, unit.text))
        return found

    @cached_property
    def operations(self) -> list[Evidence]:
        """HTTP operations in prose, tables, headings and code blocks."""
        ev = self.vocab.elements["api-contract"]
        found = []
        for unit in self.units_where(ev.p("http_operation")):
            match = ev.p("http_operation").search(unit.text)
            if match:
                found.append(evidence(unit.line, "http-operation",
                                      f"{match.group(1)} {match.group(2).rstrip('.,;:')}"))
        for block, _ in self.code_blocks:
            for name in ("http_operation", "curl_operation"):
                # one scan of a code block: asking the prose prefilter would not pay
                match = ev.p(name).regex.search(block.text)
                if match:
                    line = block.body_start + block.text.count("\n", 0, match.start())
                    found.append(evidence(line, "http-operation",
                                          f"{match.group(1)} {match.group(2)}"))
                    break
        return found

    @cached_property
    def code_blocks(self) -> list[tuple[Block, Section]]:
        return [(b, s) for s in self.doc.all_sections for b in s.blocks if b.kind == "code"]

    @cached_property
    def tables(self) -> list[tuple[Block, Section]]:
        return [(b, s) for s in self.doc.all_sections for b in s.blocks if b.kind == "table"]

    @cached_property
    def titled_sections(self) -> list[Section]:
        """Sections that can belong to an element.

        The document title is not one, nor a template question ("What are the SLOs?"):
        the answer under a question is judged by its content alone.
        """
        top = self.doc.root.children
        title = top[0] if len(top) == 1 and top[0].level == 1 else None
        return [s for s in self.doc.sections()
                if s is not title and not s.title.rstrip().endswith("?")]

    def element_sections(self, ev: ElementVocab, key: str = "headings") -> list[Section]:
        """Sections whose title holds an alias of ``key`` (as whole words), or is exactly one
        of ``title_<key>``: words too generic to match inside a longer title ("Storage", not
        "Improved Storage Control with Hyper-V")."""
        found = self._element_sections.get((id(ev), key))
        if found is None:
            hits = {index for alias in ev.alias_words(key)
                    for index in self._titles_holding(alias)}
            by_title = self._titled_by_norm
            for title in ev.lists.get(f"title_{key}", ()):
                hits.update(by_title.get(title, ()))
            sections = self.titled_sections
            found = self._element_sections[(id(ev), key)] = [sections[i] for i in sorted(hits)]
        return list(found)

    @cached_property
    def _titled_by_norm(self) -> dict[str, list[int]]:
        """Normalised title -> indexes of the titled sections that bear it."""
        found: dict[str, list[int]] = {}
        for index, section in enumerate(self.titled_sections):
            found.setdefault(section.norm, []).append(index)
        return found

    @cached_property
    def _title_words(self) -> tuple[list[list[str]], dict[str, list[int]]]:
        """The words of each titled section's normalised title, and for each word the
        indexes of the titles that hold it, in order (one pass for every alias of every
        element: a file of 60,000 headings scanned once per alias list cost a tenth of its
        lint)."""
        words = [section.norm.split() for section in self.titled_sections]
        index: dict[str, list[int]] = {}
        for number, title in enumerate(words):
            for word in title:
                holding = index.setdefault(word, [])
                if not holding or holding[-1] != number:
                    holding.append(number)
        return words, index

    def _titles_holding(self, alias: tuple[str, ...]) -> list[int]:
        """Indexes of the titled sections whose title holds the words of ``alias`` in a row."""
        words, index = self._title_words
        size = len(alias)
        candidates = index.get(alias[0], [])
        if size == 1:
            return candidates
        if len(candidates) > _FEW_TITLES:  # many titles to look through: the index of runs
            heads, runs = self._title_runs(size)
            if alias[0] in heads:
                return runs.get(alias, [])
        return [number for number in candidates
                if any(tuple(words[number][at:at + size]) == alias
                       for at in range(len(words[number]) - size + 1))]

    def _title_runs(self, size: int) -> tuple[frozenset[str], dict[tuple[str, ...], list[int]]]:
        """The first words of the vocabulary's aliases of ``size`` words, and for each run of
        ``size`` words in a row that opens with one of them in some title, the indexes of the
        titles that hold it, in order: one pass over the titles per alias length (looking at
        every title that holds an alias's first word, for each alias, cost 20,000 long titles
        that named four elements each a second)."""
        found = self._runs.get(size)
        if found is None:
            heads = self.vocab.alias_heads.get(size, frozenset())
            runs: dict[tuple[str, ...], list[int]] = {}
            for number, title in enumerate(self._title_words[0]):
                for at in range(len(title) - size + 1):
                    if title[at] in heads:
                        holding = runs.setdefault(tuple(title[at:at + size]), [])
                        if not holding or holding[-1] != number:
                            holding.append(number)
            found = self._runs[size] = (heads, runs)
        return found

    @cached_property
    def _unit_lines(self) -> list[int]:
        return [u.line for u in self.units]

    def units_between(self, start: int, end: int) -> list[Unit]:
        """Units whose first line lies in [start, end] (units are sorted by line)."""
        lines = self._unit_lines
        return self.units[bisect_left(lines, start):bisect_right(lines, end)]

    def units_in(self, sections: Iterable[Section]) -> list[Unit]:
        found: list[Unit] = []
        last = 0
        for start, end in sorted((s.start, s.end) for s in sections):
            start = max(start, last + 1)
            if start <= end:
                found.extend(self.units_between(start, end))
                last = end
        return found

    def section_text_units(self, section: Section) -> list[Unit]:
        """Content units of a section and its children (its own heading excluded)."""
        return [u for u in self.units_in([section]) if u.line != section.start]


class BitIndex:
    """Which texts hold which fragment: for each bit of the prefilter's masks, the indexes of
    the texts whose mask has it. Finding the texts that hold some fragments then costs what
    the answer holds, not a pass over every text (a file of 200,000 headings asks some twenty
    times)."""

    def __init__(self, masks: Iterable[int]) -> None:
        self.by_bit: dict[int, list[int]] = {}
        self.unknown: list[int] = []  # texts RE2 could not scan (mask -1): always candidates
        self.size = 0
        for index, mask in enumerate(masks):
            self.size = index + 1
            if mask < 0:
                self.unknown.append(index)
                continue
            for bit in _bits(mask & ~1):  # bit 0 is the empty fragment, in every text
                self.by_bit.setdefault(bit, []).append(index)

    def holding(self, needs: tuple[int, ...]) -> list[int]:
        """Indexes, in order, of the texts holding every fragment of one of ``needs``."""
        found: set[int] = set(self.unknown)
        for need in needs:
            need &= ~1
            if not need:
                return list(range(self.size))
            lists = sorted((self.by_bit.get(bit, []) for bit in _bits(need)), key=len)
            if len(lists) == 1:
                found.update(lists[0])
            elif lists[0]:
                found.update(set(lists[0]).intersection(*lists[1:]))
        return sorted(found)


def _bits(mask: int) -> Iterator[int]:
    """The single bits set in ``mask``, lowest first."""
    while mask:
        bit = mask & -mask
        yield bit
        mask ^= bit


def _needs(patterns: tuple[Guarded, ...], fragment_set: FragmentSet) -> tuple[int, ...] | None:
    """The fragment masks of ``patterns`` (any one of them can let a pattern match), or None
    when the prefilter cannot rule a text out: no pattern, one without a fragment, or one
    scanned in another fragment set."""
    needs = tuple(need for pattern in patterns for need in pattern.options)
    if not patterns or not all(needs) or any(
            pattern.fragment_set is not fragment_set for pattern in patterns):
        return None
    return needs


def _heading_block(section: Section) -> Block:
    """The section's own heading block (one made up for a section without one)."""
    if section.heading is not None:
        return section.heading
    return Block("heading", section.start, section.start, section.title, section.level)


_OPEN_QUOTES, _CLOSE_QUOTES = "\"'\u201c\u2018", "\"'\u201d\u2019"


def quoted(text: str, start: int, end: int) -> bool:
    """True when text[start:end] sits inside a short quotation ("latency: fast"): a mention."""
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    if before.count('"') % 2 == 1 and '"' in after:
        return True
    opened = max(before.rfind(q) for q in "\u201c\u2018")
    closed = max(before.rfind(q) for q in "\u201d\u2019")
    if opened > closed and any(q in after for q in "\u201d\u2019"):
        return True
    return (start > 0 and text[start - 1] in _OPEN_QUOTES
            and end < len(text) and text[end] in _CLOSE_QUOTES)


class LineSpans:
    """The lines covered by some sections; ``line in spans`` costs log time, so a detector
    can ask for every unit of a huge file."""

    def __init__(self, sections: Iterable[Section]) -> None:
        merged: list[list[int]] = []
        for section in sorted(sections, key=lambda s: s.start):
            if merged and section.start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], section.end)
            else:
                merged.append([section.start, section.end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, line: int) -> bool:
        index = bisect_right(self._starts, line) - 1
        return index >= 0 and line <= self._ends[index]


def per_header(cache: dict[object, T], header: list[str] | None,
               compute: Callable[[list[str]], T]) -> T:
    """``compute(header)``, worked out once per distinct header: ``cache`` holds the answer
    by the header list's identity (one look-up per row; a header is a list of the document's,
    alive as long as the cache) and by its cells (tables often share a header). A missing or
    empty header is looked up by its cells only: it may be a list made for the call."""
    key = id(header) if header else ()
    value = cache.get(key)
    if value is None:
        cells = tuple(header or ())
        value = cache.get(cells)
        if value is None:
            value = cache[cells] = compute(list(cells))
        cache[key] = value
    return value


def keep_evidence(found: list[Evidence], line: int, kind: str, text: str) -> None:
    """Add a piece of evidence while fewer than EVIDENCE_KEPT are kept: for a detector that
    reads units in line order, the ones a report keeps are the first."""
    if len(found) < EVIDENCE_KEPT:
        found.append(evidence(line, kind, text))


def evidence(line: int, kind: str, text: str) -> Evidence:
    text = " ".join(text.split())
    return Evidence(line, kind, text if len(text) <= 120 else text[:117] + "...")


def not_applicable(ctx: Context, element: str, sections: list[Section]) -> Detection | None:
    """SPEC 3.3: a section starting with N/A plus a reason, or front matter."""
    declared = ctx.doc.front_matter.get("not-applicable")
    if isinstance(declared, dict) and element in declared:
        reason = str(declared[element] or "")
        line = 1 + _front_matter_line(ctx.doc, element)
        return _na_detection(ctx, element, line, reason, "front-matter")
    for section in sections:
        units = [u for u in ctx.section_text_units(section) if u.kind != "heading"]
        if not units:
            continue
        first = units[0]
        match = ctx.vocab.na.match(first.text)
        if match:
            reason = first.text[match.end():]
            found = _na_detection(ctx, element, section.start, reason, "declared-na",
                                  first.line)
            if found:
                return found
    return None


def _na_detection(ctx: Context, element: str, line: int, reason: str, kind: str,
                  text_line: int | None = None) -> Detection | None:
    """Not applicable with a reason; a bare N/A is kept aside (see Context.bare_na)."""
    words = re.findall(r"\w+", reason)
    ev = [evidence(text_line or line, kind, reason or "N/A")]
    if len(words) >= ctx.vocab.na_min_words:
        return Detection(ElementReport(element, "not-applicable", line, ev))
    ctx.bare_na[element] = Detection(ElementReport(element, "incomplete", line, ev,
                                                   reason="bare-na"))
    return None


def _front_matter_line(doc: Document, element: str) -> int:
    for index, text in enumerate(doc.source.lines[: doc.source.body_start - 1]):
        if text.strip().startswith(f"{element}:"):
            return index
    return 0


def decide(element: str, present: list[Evidence],
           attempts: list[Evidence] | Callable[[], list[Evidence]],
           sections: list[Section], reason: str = "incomplete",
           issues: list[Issue] | None = None) -> Detection:
    """Present when the requirement's evidence exists; else incomplete when attempted.

    ``attempts`` may be a function: it is only called when the element is not present.
    """
    heading_line = sections[0].start if sections else None
    if present:
        present.sort(key=lambda e: e.line)
        return Detection(ElementReport(element, "present", heading_line or present[0].line,
                                       present[:EVIDENCE_KEPT]), issues or [])
    if callable(attempts):
        attempts = attempts()
    if sections or attempts:
        ev = attempts[:EVIDENCE_KEPT] or [evidence(s.start, "heading", s.title)
                                          for s in sections[:EVIDENCE_KEPT]]
        ev.sort(key=lambda e: e.line)
        line = heading_line or ev[0].line
        return Detection(ElementReport(element, "incomplete", line, ev, reason=reason),
                         issues or [])
    return Detection(ElementReport(element, "missing"), issues or [])
