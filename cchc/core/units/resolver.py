"""Resolve a body as written in a plan ("Sở TT&TT", "UBND cấp xã", "Công chức Tư pháp – Hộ tịch") to units.

Order of the rules (first answer wins; an answer, even "unresolved", stops the search):

1. learned aliases (taught by users in the UI);
2. vague sets ("… liên quan") -> unresolved;
3. classes ("UBND cấp xã" …), made relative to the issuer where that is what it means: "UBND cấp xã" in
   a commune's own plan is that commune;
4. relative committees: "UBND xã" in a commune plan = the issuer, "UBND huyện" = its district;
5. internal offices and posts of the issuing commune/district ("Phòng Văn hóa - Xã hội", "Công chức Tư
   pháp - Hộ tịch", "Trung tâm Phục vụ hành chính công") -> office;
6. other vague sets ("Các tổ chức, cá nhân", "Các đơn vị sự nghiệp giáo dục") -> unresolved;
7. exact lookup of the canonical form among names, short names and generated aliases, then at the date:
   the unit valid that day, or the successor it was merged into / renamed to; ambiguous -> unresolved;
8. bare department fields in a province plan ("Tài chính" -> Sở Tài chính);
9. typo repair of unknown tokens ("UBDN" -> UBND) and steps 3-8 again;
10. containment (all written tokens inside one unit's name, enough of it, place names complete);
11. rapidfuzz over the prebuilt choice list, accepted only when every token lines up (short tokens exactly,
    long tokens at one edit) — "Bộ Nội vụ" never becomes "Sở Nội vụ".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from cchc.core.text import clean, fold, nfc

from .classes import UNIT_CLASSES
from .names import ABBREVIATIONS, canonical_folded
from .patterns import (
    BULLET_RX,
    CLASS_STARTS,
    DISTRICT_ROOM_RX,
    GENERIC,
    HEAD_TITLE_RX,
    INLINE_BULLET_RX,
    LABEL_PREFIX_RX,
    LABEL_RX,
    LEADING_NUMBER_RX,
    LIEN_QUAN_RX,
    NON_WORD_RX,
    OFFICE_RX,
    REL_COMMUNE_RX,
    REL_DISTRICT_RX,
    REL_PROVINCE_RX,
    REPEAT_RX,
    ROLE_BIGRAMS,
    ROLE_ONLY_RX,
    STOP,
    TAG_RX,
    VAGUE_RX,
    starts_with_head,
)
from .records import UnitRecord

OUTCOMES = ("unit", "class", "office", "unresolved")


@dataclass(frozen=True)
class Resolution:
    text: str
    outcome: str
    unit_codes: tuple[str, ...] = ()
    class_key: str | None = None
    office_name: str | None = None
    score: float = 100.0


class NameIndex:
    """Precomputed lookup of the bodies of one or more provinces."""

    def __init__(
        self,
        records: Sequence[UnitRecord],
        aliases: Mapping[str, str] | None = None,
        *,
        fuzzy_max_edits: int = 2,
    ):
        self._by_code = {r.code: r for r in records}
        self._province_of = {code: self._find_province(code) for code in self._by_code}
        self._fuzzy_max_edits = fuzzy_max_edits
        exact: dict[str, set[str]] = {}
        weak: dict[str, set[str]] = {}
        required: dict[str, frozenset[str]] = {}
        accented: dict[str, set[str]] = {}  # accent-sensitive form: tells "Thiệu Vân" from "Thiệu Vận"
        folded_keys: dict[str, str] = {}  # fold(name as written in the registry) -> key: skips canonical
        for rec in records:
            for text, place in self._names_of(rec):
                key = canonical_folded(fold(text))
                if not key:
                    continue
                folded_keys[fold(text)] = key
                accented.setdefault(_accent_key(text), set()).add(rec.code)
                exact.setdefault(key, set()).add(rec.code)
                tokens = key.split()
                req = frozenset(canonical_folded(fold(place)).split()) if place else frozenset()
                required[key] = required.get(key, frozenset()) | req | {tokens[0]}
            if rec.kind == "department":
                for text in (rec.name, *rec.short_names):
                    if text.startswith("Sở "):
                        weak.setdefault(canonical_folded(fold(text[3:])), set()).add(rec.code)
        self._exact = {k: tuple(sorted(v)) for k, v in exact.items()}
        self._weak = {k: tuple(sorted(v)) for k, v in weak.items() if k not in self._exact}
        self._required = required
        self._folded_keys = folded_keys
        self._accented = {k: frozenset(v) for k, v in accented.items()}
        self._key_tokens = {k: frozenset(k.split()) - STOP for k in self._exact}
        postings: dict[str, set[str]] = {}
        for key, toks in self._key_tokens.items():
            for tok in toks:
                postings.setdefault(tok, set()).add(key)
        self._postings = {t: frozenset(v) for t, v in postings.items()}
        self._vocab = (
            frozenset(postings)
            | frozenset(t for v in ABBREVIATIONS.values() for t in v.split())
            | frozenset(t for k in self._weak for t in k.split())
        )
        self._vocab_list = sorted(self._vocab)
        self._abbr_long = sorted(a for a in ABBREVIATIONS if len(a) >= 4)
        self._choice_keys = list(self._exact)
        self._choices = [k.replace(" ", "") for k in self._choice_keys]
        self._aliases: dict[str, str] = {}
        for text, code in (aliases or {}).items():
            key = self._prepare(text)
            if key:
                self._aliases[key] = code

    # --- construction helpers --------------------------------------------------------------------

    def _find_province(self, code: str) -> str | None:
        seen = 0
        rec = self._by_code.get(code)
        while rec is not None and seen < 16:
            if rec.kind == "province":
                return rec.code
            rec = self._by_code.get(rec.parent_code) if rec.parent_code else None
            seen += 1
        return None

    def _names_of(self, rec: UnitRecord):
        """(text, place name) pairs under which the unit is found; place names must be written in full."""
        province = self._by_code.get(self._province_of.get(rec.code) or "")
        place = ""
        if province is not None:
            named = next((s for s in province.short_names if s.startswith(("Tỉnh ", "Thành phố "))), "")
            place = named.removeprefix("Tỉnh ").removeprefix("Thành phố ")
        if rec.kind in ("district", "commune"):
            territorial = rec.short_names[0] if rec.short_names else rec.name.removeprefix("UBND ")
            proper = territorial.split(" ", 1)[1] if " " in territorial else territorial
            if territorial.startswith(("Thị xã", "Thị trấn", "Thành phố")):
                proper = territorial.split(" ", 2)[2]
            bases = [rec.name, territorial, "Ủy ban nhân dân " + territorial[:1].lower() + territorial[1:]]
            parent = self._by_code.get(rec.parent_code or "")
            if rec.kind == "commune" and parent is not None and parent.kind == "district":
                pname = parent.short_names[0] if parent.short_names else parent.name
                bases += [f"{b} {pname}" for b in bases]
            for b in bases:
                yield b, proper
            return
        if rec.kind == "province":
            for b in (rec.name, *rec.short_names):
                yield b, ""
            return
        bases = [rec.name, *rec.short_names]
        parent = self._by_code.get(rec.parent_code or "")
        if parent is not None and parent.kind != "province":
            bases += [
                f"{b} {connector}{parent.name}" for b in bases for connector in ("", "thuộc ", "trực thuộc ")
            ]
        for b in bases:
            yield b, ""
            if place and not fold(b).endswith(fold(place)):
                if not fold(b).endswith(" tinh"):
                    yield f"{b} tỉnh", ""
                    yield f"{b} tỉnh {place}", ""
                yield f"{b} {place}", ""

    # --- public API ------------------------------------------------------------------------------

    def resolve(self, text: str, *, on: date, issuer_code: str | None = None) -> Resolution:
        issuer = self._by_code.get(issuer_code) if issuer_code else None
        key = self._prepare(text)
        if not key:
            return Resolution(text, "unresolved", score=0.0)
        code = self._aliases.get(key)
        if code is not None:
            found = self._at_date((code,), on, issuer, 100.0)
            return self._unit(text, found)
        answer = self._rules(text, key, on, issuer, 100.0)
        if answer is not None:
            return answer
        fixed = self._repair_tokens(key)
        if fixed != key:
            code = self._aliases.get(fixed)
            if code is not None:
                return self._unit(text, self._at_date((code,), on, issuer, 95.0))
            answer = self._rules(text, fixed, on, issuer, 95.0)
            if answer is not None:
                return answer
            key = fixed
        found = self._contained(key, on, issuer)
        if found is None:
            found = self._fuzzy(key, on, issuer)
        return self._unit(text, found)

    def split(self, text: str) -> list[str]:
        """Split a table cell into single bodies the way a plan parser should (see `split_labelled`)."""
        return [body for _label, body in self.split_labelled(text)]

    def split_labelled(self, text: str) -> list[tuple[str | None, str]]:
        """Split a cell on ";", bullets, sentences and commas between bodies; keep role labels.

        "- Cơ quan chủ trì: Sở Tư pháp. - Cơ quan phối hợp: các Sở: Y tế, Tài chính; UBND cấp huyện, cấp
        xã" -> [("Cơ quan chủ trì", "Sở Tư pháp"), ("Cơ quan phối hợp", "Sở Y tế"), ("Cơ quan phối hợp",
        "Sở Tài chính"), ("Cơ quan phối hợp", "UBND cấp huyện"), ("Cơ quan phối hợp", "UBND cấp xã")].
        Commas inside a name ("Sở Văn hóa, Thể thao và Du lịch", "UBND các huyện, thị xã, thành phố") are
        kept: adjacent pieces are joined when the joined text is a known name. A bare item takes the head
        of its list ("các Sở: Y tế" -> "Sở Y tế") or of the item before ("Công chức Tư pháp, Kế toán").
        """
        pieces = self._pieces(text)
        out: list[tuple[str | None, str]] = []
        prev_head = ""
        i = 0
        while i < len(pieces):
            label, _joiner, piece, list_head = pieces[i]
            positive = self._known(piece, positive=True)
            best_j, best_text = i, piece
            for j in range(min(len(pieces) - 1, i + 6), i, -1):
                if any(pieces[k][1] == "" for k in range(i + 1, j + 1)):
                    continue
                merged = piece + "".join(pieces[k][1] + pieces[k][2] for k in range(i + 1, j + 1))
                if self._known(merged, positive=True) or (
                    self._known(merged, positive=False)
                    and (not positive or all(self._continues(pieces[k][2]) for k in range(i + 1, j + 1)))
                ):
                    best_j, best_text = j, merged
                    break
            i = best_j + 1
            for body in self._unglue(best_text):
                body, prev_head = self._complete(body, list_head or prev_head)
                if body:
                    out.append((label, body))
        return out

    # --- resolution steps ------------------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        """Canonical key of a written body, without role labels, head titles and trailing role words."""
        folded = fold(text)
        key = self._folded_keys.get(folded)
        if key is not None:
            return key
        if ":" in folded:
            folded = self._strip_colon_labels(folded)
        key = canonical_folded(folded)
        if key in self._exact:
            return key
        if key[:1].isdigit():
            key = LEADING_NUMBER_RX.sub("", key)
        if REPEAT_RX.search(key):
            key = REPEAT_RX.sub(r"\1", key)  # "các đơn vị đơn vị sự nghiệp"
        if key.startswith("co quan "):
            key = LABEL_PREFIX_RX.sub("", key)
        if "truong " in key or "giam doc " in key or "chu tich " in key or "chanh " in key:
            key = HEAD_TITLE_RX.sub("", key)
        tokens = key.split()
        while len(tokens) > 2 and (tokens[-2], tokens[-1]) in ROLE_BIGRAMS:
            del tokens[-2:]
        return " ".join(tokens)

    @staticmethod
    def _strip_colon_labels(folded: str) -> str:
        for _ in range(4):
            if ":" not in folded:
                break
            left, right = folded.split(":", 1)
            cl, cr = canonical_folded(left), canonical_folded(right)
            if cl and LABEL_RX.fullmatch(cl) and cr:
                folded = right
            elif cl and (not cr or ROLE_ONLY_RX.fullmatch(cr)):
                folded = left
            else:
                break
        return folded

    def _rules(
        self, text: str, key: str, on: date, issuer: UnitRecord | None, score: float
    ) -> Resolution | None:
        if "lien quan" in key and LIEN_QUAN_RX.search(key):
            return Resolution(text, "unresolved", score=0.0)
        local = issuer is not None and issuer.kind in ("commune", "district")
        if local:
            for name, rx, kinds in OFFICE_RX:
                if issuer.kind in kinds and rx.fullmatch(key):
                    return Resolution(text, "office", office_name=name, score=score)
        codes = self._exact.get(key)
        if codes is not None:
            if len(codes) > 1:  # names that differ only by accents: "Hoằng Giang" / "Hoàng Giang"
                same = self._accented.get(_accent_key(text), frozenset())
                codes = tuple(c for c in codes if c in same) or codes
            return self._unit(text, self._at_date(codes, on, issuer, score))
        if key.startswith(CLASS_STARTS):
            for cls in UNIT_CLASSES.values():
                if cls.matches(key):
                    return self._class(text, cls.key, on, issuer, score)
        if key.startswith("uy ban nhan dan "):
            if REL_COMMUNE_RX.fullmatch(key):
                if issuer is not None and issuer.kind == "commune":
                    return Resolution(text, "unit", (issuer.code,), score=score)
                return Resolution(text, "unresolved", score=0.0)
            if REL_DISTRICT_RX.fullmatch(key):
                district = self._issuer_district(issuer)
                if district is not None:
                    return Resolution(text, "unit", (district.code,), score=score)
                return Resolution(text, "unresolved", score=0.0)
            if REL_PROVINCE_RX.fullmatch(key) and issuer is not None:
                province = self._province_of.get(issuer.code)
                if province is not None:
                    return Resolution(text, "unit", (province,), score=score)
        if local and issuer.kind == "district" and DISTRICT_ROOM_RX.fullmatch(key):
            return Resolution(text, "office", office_name=clean(text).strip(" .;,-"), score=score)
        if VAGUE_RX.fullmatch(key):
            return Resolution(text, "unresolved", score=0.0)
        codes = self._weak.get(key)
        if codes is not None and (issuer is None or issuer.kind in ("province", "department")):
            return self._unit(text, self._at_date(codes, on, issuer, score - 10.0))
        return None

    def _class(
        self, text: str, class_key: str, on: date, issuer: UnitRecord | None, score: float
    ) -> Resolution:
        if issuer is not None and issuer.valid_on(on):
            if class_key == "communes" and issuer.kind == "commune":
                return Resolution(text, "unit", (issuer.code,), score=score)
            if class_key == "districts":
                district = self._issuer_district(issuer)
                if district is not None:
                    return Resolution(text, "unit", (district.code,), score=score)
        return Resolution(text, "class", class_key=class_key, score=score)

    def _issuer_district(self, issuer: UnitRecord | None) -> UnitRecord | None:
        if issuer is None:
            return None
        if issuer.kind == "district":
            return issuer
        if issuer.kind == "commune":
            parent = self._by_code.get(issuer.parent_code or "")
            if parent is not None and parent.kind == "district":
                return parent
        return None

    def _at_date(
        self, codes: Sequence[str], on: date, issuer: UnitRecord | None, score: float
    ) -> tuple[tuple[str, ...], float] | None:
        """The one unit these codes designate on the date (following mergers), or None if none/ambiguous."""
        if issuer is not None:
            scope = self._province_of.get(issuer.code)
            codes = [c for c in codes if self._province_of.get(c) == scope]
        elif len({self._province_of.get(c) for c in codes}) > 1:
            return None
        valid = [c for c in codes if c in self._by_code and self._by_code[c].valid_on(on)]
        if len(valid) > 1 and issuer is not None:
            near = [c for c in valid if self._is_under(c, issuer.parent_code or issuer.code)]
            valid = near if len(near) == 1 else valid
        if len(valid) == 1:
            return (valid[0],), score
        if valid:
            return None
        successors = {s for s in (self._successor_on(c, on) for c in codes) if s is not None}
        if len(successors) == 1:
            return (successors.pop(),), score - 10.0
        return None

    def _is_under(self, code: str, ancestor: str) -> bool:
        rec = self._by_code.get(code)
        for _ in range(16):
            if rec is None or rec.parent_code is None:
                return False
            if rec.parent_code == ancestor:
                return True
            rec = self._by_code.get(rec.parent_code)
        return False

    def _successor_on(self, code: str, on: date) -> str | None:
        rec = self._by_code.get(code)
        for _ in range(16):
            if rec is None:
                return None
            if rec.valid_on(on):
                return rec.code
            if rec.valid_from is not None and on < rec.valid_from:
                return None
            nxt = [s for s in rec.successors if s[2] <= on]
            if len(nxt) != 1 or nxt[0][1] == "split_into":
                return None
            rec = self._by_code.get(nxt[0][0])
        return None

    @staticmethod
    def _unit(text: str, found: tuple[tuple[str, ...], float] | None) -> Resolution:
        if found is None:
            return Resolution(text, "unresolved", score=0.0)
        codes, score = found
        return Resolution(text, "unit", codes, score=score)

    def _repair_tokens(self, key: str) -> str:
        """Replace unknown tokens that are one edit away from exactly one abbreviation or known word."""
        out = []
        changed = False
        for tok in key.split():
            if len(tok) < 4 or tok in self._vocab or tok.isdigit():
                out.append(tok)
                continue
            abbr = [a for a in self._abbr_long if OSA.distance(tok, a, score_cutoff=1) <= 1]
            if len(abbr) == 1:
                out.append(ABBREVIATIONS[abbr[0]])
                changed = True
                continue
            near = process.extract(tok, self._vocab_list, scorer=OSA.distance, score_cutoff=1, limit=2)
            if len(near) == 1:
                out.append(near[0][0])
                changed = True
            else:
                out.append(tok)
        return " ".join(out) if changed else key

    def _contained(
        self, key: str, on: date, issuer: UnitRecord | None
    ) -> tuple[tuple[str, ...], float] | None:
        tokens = frozenset(key.split()) - STOP
        if len(tokens - GENERIC) < 2 or any(t not in self._postings for t in tokens):
            return None
        keys = frozenset.intersection(*(self._postings[t] for t in tokens))
        codes: set[str] = set()
        for k in keys:
            ktoks = self._key_tokens[k]
            if len(tokens) / len(ktoks) >= 0.6 and self._required[k] <= tokens:
                codes.update(self._exact[k])
        if not codes:
            return None
        return self._at_date(sorted(codes), on, issuer, 85.0)

    def _fuzzy(self, key: str, on: date, issuer: UnitRecord | None) -> tuple[tuple[str, ...], float] | None:
        compact = key.replace(" ", "")
        max_edits = self._fuzzy_max_edits if len(compact) >= 12 else 1
        best = process.extractOne(compact, self._choices, scorer=Levenshtein.distance, score_cutoff=max_edits)
        if best is None:
            return None
        hits = process.extract(
            compact, self._choices, scorer=Levenshtein.distance, score_cutoff=best[1], limit=8
        )
        codes: set[str] = set()
        for _choice, dist, idx in hits:
            cand = self._choice_keys[idx]
            if dist == 0 or self._aligned(key, cand):
                codes.update(self._exact[cand])
        if not codes:
            return None
        return self._at_date(sorted(codes), on, issuer, 100.0 - 5.0 * max(best[1], 1))

    def _aligned(self, key: str, cand: str) -> bool:
        """Every written token is the candidate's token, or (long and unknown) one edit away from it."""
        qt, ct = key.split(), cand.split()
        if len(qt) != len(ct):
            return False
        for q, c in zip(qt, ct, strict=True):
            if q == c:
                continue
            if len(q) < 4 or len(c) < 4 or q in self._vocab or OSA.distance(q, c, score_cutoff=1) > 1:
                return False
        return True

    # --- splitting helpers -----------------------------------------------------------------------

    def _known(self, text: str, *, positive: bool) -> bool:
        """Whether the text is a complete body name by exact rules (no repair, containment or fuzziness)."""
        key = self._prepare(text)
        if not key:
            return False
        if key in self._aliases or key in self._exact or key in self._weak:
            return True
        if any(cls.matches(key) for cls in UNIT_CLASSES.values()):
            return True
        if REL_COMMUNE_RX.fullmatch(key) or REL_DISTRICT_RX.fullmatch(key):
            return True
        if any(rx.fullmatch(key) for _n, rx, _k in OFFICE_RX):
            return True
        if not positive and (LIEN_QUAN_RX.search(key) or VAGUE_RX.fullmatch(key)):
            return True
        return False

    @staticmethod
    def _continues(piece: str) -> bool:
        """A piece that cannot stand alone as a body ("ngành thuộc diện…", "thị xã"): a qualifier of the
        piece before. "Sở Tư pháp, các cơ quan liên quan" stays two bodies; "Các sở, ngành thuộc diện…" one."""
        key = canonical_folded(fold(piece))
        return " " not in key or not starts_with_head(key)

    def _pieces(self, text: str) -> list[tuple[str | None, str, str, str]]:
        """(label, joiner, piece, list head); joiner "" marks a hard boundary (";", sentence, bullet after
        ";" or "."), " - " a bullet that continues a name ("Công chức Tài chính\n- Kế toán"), ", " a comma."""
        text = nfc(TAG_RX.sub(" ", text)).replace("\r", "")
        stream = ""
        for raw in text.split("\n"):
            line = raw.strip()
            if not line:
                continue
            m = BULLET_RX.match(line)
            if m:
                tail = stream.rstrip()
                soft = bool(tail) and tail[-1] not in ".;:"
                stream = tail + ("\x02" if soft else "\x01") + line[m.end() :]
            elif stream.endswith("-") and not stream.endswith(" -"):
                stream += line  # "Lao động-\nTB&XH"
            else:
                stream = f"{stream} {line}" if stream else line
        stream = INLINE_BULLET_RX.sub("\x01", stream)
        pieces: list[tuple[str | None, str, str, str]] = []
        label: str | None = None
        joiner = ""
        for part in re.split(r"(\x01|\x02|;)", stream):
            if part in ("\x01", ";"):
                joiner = ""
                continue
            if part == "\x02":
                joiner = " - "
                continue
            for seg in _sentences(part):
                seg = seg.strip(" .,;:\t-")
                seg, new_label = self._take_label(seg)
                if new_label is not None:
                    label, joiner = new_label, ""
                list_head = ""
                if ":" in seg:
                    left, right = seg.split(":", 1)
                    lk = canonical_folded(fold(left))
                    if right.strip() and (lk == "cac so" or UNIT_CLASSES["departments"].matches(lk)):
                        seg, list_head, joiner = right, "Sở", ""
                for n, item in enumerate(seg.split(",")):
                    item = item.strip(" .;:\t-")
                    if item:
                        pieces.append((label, ", " if n else joiner, item, list_head))
                    joiner = ", "
                joiner = ""
        if pieces:
            label0, _j, piece0, head0 = pieces[0]
            pieces[0] = (label0, "", piece0, head0)
        return pieces

    def _take_label(self, seg: str) -> tuple[str, str | None]:
        """Strip role labels ("Cơ quan phối hợp:", "Cơ quan tổng hợp: kiểm tra:", "Cơ quan phối hợp các
        sở…") and trailing roles ("Sở Nội vụ: theo dõi, kiểm tra"); return (rest, label or None)."""
        label = None
        for _ in range(4):
            if ":" not in seg:
                break
            left, right = seg.split(":", 1)
            cl = canonical_folded(fold(left))
            cr = canonical_folded(fold(right))
            if cl and LABEL_RX.fullmatch(cl):
                label, seg = clean(left), right.strip()
            elif cl and cr and ROLE_ONLY_RX.fullmatch(cr):
                seg = left.strip()
                break
            else:
                break
        key = canonical_folded(fold(seg))
        if key and LABEL_RX.fullmatch(key):
            return "", clean(seg)
        m = LABEL_PREFIX_RX.match(key)
        if m:
            n_words = len(m.group(0).split())
            words = seg.split()
            label, seg = clean(" ".join(words[:n_words])), " ".join(words[n_words:])
        return seg, label

    def _unglue(self, text: str) -> list[str]:
        """'UBND cấp huyện UBND cấp xã' -> two bodies, when both halves are known and the whole is not."""
        if self._known(text, positive=False):
            return [text]
        words = text.split()
        for i in range(1, len(words)):
            if not starts_with_head(canonical_folded(fold(words[i]))):
                continue
            left, right = " ".join(words[:i]), " ".join(words[i:])
            if self._known(left, positive=True) and self._known(right, positive=True):
                return [left, *self._unglue(right)]
        return [text]

    def _complete(self, body: str, head: str) -> tuple[str, str]:
        """Give a bare item the head it inherits, strip trailing role words; return (body, its head)."""
        body = clean(body).strip(" .;,:-")
        key = canonical_folded(fold(body))
        if not key or ROLE_ONLY_RX.fullmatch(key) or LABEL_RX.fullmatch(key):
            return "", head
        if re.fullmatch(r"cap (?:xa|huyen|tinh)", key):
            if head == "UBND":
                body = f"UBND {body}"
        elif not starts_with_head(key) and head in ("Sở", "Công chức"):
            body = f"{head} {body}"
        words = body.split()
        while len(words) > 2 and (_bare(words[-2]), _bare(words[-1])) in ROLE_BIGRAMS:
            words = words[:-2]
        body = " ".join(words).strip(" .;,:-")
        key = canonical_folded(fold(body))
        if key.startswith("so "):
            return body, "Sở"
        if key.startswith("cong chuc "):
            return body, "Công chức"
        if key.startswith("uy ban nhan dan "):
            return body, "UBND"
        return body, ""


def _accent_key(text: str) -> str:
    return " ".join(NON_WORD_RX.sub(" ", nfc(text).lower()).split())


def _bare(word: str) -> str:
    return fold(word).strip(",.:;()")


def _sentences(part: str) -> list[str]:
    """Split at ". " followed by an upper-case letter ("Sở Tư pháp. Cơ quan phối hợp…")."""
    out, start = [], 0
    for m in re.finditer(r"\.\s+", part):
        if m.end() < len(part) and part[m.end()].isupper():
            out.append(part[start : m.start()])
            start = m.end()
    out.append(part[start:])
    return out
