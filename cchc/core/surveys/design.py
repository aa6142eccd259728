"""Survey designs as data: aspects → factors → questions, each question on an answer scale.

A design is a JSON document (built-ins in `cchc/data/surveys/*.json`):

    {"key", "version", "survey": "sipas" | "xhh", "name", "source",
     "scales": {name: [{"code", "label", "level": 1..5 | null, "valid": bool}]},
     "computation": {"satisfied_levels": [4, 5]},
     "aspects": [{"code", "name", "weight", "factors": [{"code", "name", "weight", "par"?,
                  "questions": [{"code", "text", "scale", "weight"}]}]}],
     "respondent": [{"code", "text", "answers": [{"code", "label"}], "role"?: "group" | "channel",
                     "free_text"?: bool}],
     "groups": [{"code", "name", "aspects": [aspect codes]}]}     // one form per respondent group

`satisfied_levels` and the weights are the computation written down in the design: change them
there, not in code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "surveys"


class DesignError(ValueError):
    """A design document that does not hold together; the message is Vietnamese and says where."""


@dataclass(frozen=True)
class Answer:
    code: str
    label: str
    level: int | None = None
    valid: bool = True

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "level": self.level, "valid": self.valid}


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    answers: tuple[Answer, ...]
    factor: str | None = None  # None for respondent questions
    aspect: str | None = None
    weight: Decimal = Decimal(1)
    role: str | None = None  # "group" | "channel" for respondent questions that filter results
    free_text: bool = False

    def answer(self, code: str) -> Answer | None:
        for answer in self.answers:
            if answer.code == code:
                return answer
        return None

    def as_dict(self) -> dict:
        return {
            "code": self.code, "text": self.text, "factor": self.factor, "aspect": self.aspect,
            "answers": [a.as_dict() for a in self.answers],
        }


@dataclass(frozen=True)
class Factor:
    code: str
    name: str
    aspect: str
    weight: Decimal
    questions: tuple[str, ...]
    par: str = ""  # the PAR Index criterion this factor measures ("8.1.1"); for XHH its own code


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    weight: Decimal
    factors: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    aspects: tuple[str, ...]


@dataclass
class Design:
    key: str
    version: int
    survey: str
    name: str
    source: str
    satisfied_levels: frozenset[int]
    aspects: dict[str, Aspect]
    factors: dict[str, Factor]
    questions: dict[str, Question]  # scored and respondent questions, in form order
    groups: dict[str, Group] = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False)

    @cached_property
    def valid_answers(self) -> dict[str, tuple[tuple[str, bool], ...]]:
        """Rated question code → its valid answers as (code, at a satisfied level): what the
        computation reads for every question of every unit."""
        return {q.code: tuple((a.code, a.level in self.satisfied_levels) for a in q.answers if a.valid)
                for q in self.scored}

    @cached_property
    def mean_parts(self) -> dict:
        """The weighted means the computation takes, as (weight, member code) pairs: per factor
        its questions, per aspect its factors, and the aspects for the overall index."""
        return {
            "factors": {code: tuple((float(self.questions[q].weight), q) for q in f.questions)
                        for code, f in self.factors.items()},
            "aspects": {code: tuple((float(self.factors[f].weight), f) for f in a.factors)
                        for code, a in self.aspects.items()},
            "overall": tuple((float(a.weight), code) for code, a in self.aspects.items()),
        }

    @property
    def scored(self) -> list[Question]:
        return [q for q in self.questions.values() if q.factor is not None]

    @property
    def respondent(self) -> list[Question]:
        return [q for q in self.questions.values() if q.factor is None]

    def group_scored(self, group: str | None) -> list[Question]:
        """The rated questions on the form of a respondent group (every one when the design has
        no such group): the sociological survey gives each group only some aspects."""
        chosen = self.groups.get(group or "")
        if chosen is None:
            return self.scored
        return [q for q in self.scored if q.aspect in chosen.aspects]

    def role_question(self, role: str) -> Question | None:
        return next((q for q in self.respondent if q.role == role), None)

    @property
    def fingerprint(self) -> str:
        """A short hash of the design document: a form opened on one design is refused on another."""
        blob = json.dumps(self.raw, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "questions": [q.as_dict() for q in self.questions.values()]}


def _weight(value, where: str) -> Decimal:
    try:
        weight = Decimal(str(1 if value is None else value))
    except (InvalidOperation, ValueError):
        raise DesignError(f"{where}: trọng số “{value}” không phải là số.") from None
    if not weight.is_finite() or weight < 0:
        raise DesignError(f"{where}: trọng số phải là số không âm.")
    return weight


def _text(value, where: str) -> str:
    if not isinstance(value, str | int) or not str(value).strip():
        raise DesignError(f"{where}: thiếu mã hoặc tên.")
    return " ".join(str(value).split())


def _answers(items, where: str) -> tuple[Answer, ...]:
    if not isinstance(items, list):
        raise DesignError(f"{where}: danh sách đáp án phải là một mảng.")
    answers, seen = [], set()
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise DesignError(f"{where}, đáp án {i}: phải là một đối tượng.")
        code = _text(item.get("code"), f"{where}, đáp án {i}")
        if code in seen:
            raise DesignError(f"{where}: mã đáp án “{code}” bị trùng.")
        seen.add(code)
        level = item.get("level")
        if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 9):
            raise DesignError(f"{where}, đáp án {code}: mức “{level}” không hợp lệ (1…9 hoặc null).")
        answers.append(Answer(code, _text(item.get("label"), f"{where}, đáp án {code}"), level,
                              bool(item.get("valid", level is not None))))
    return tuple(answers)


def design_from_dict(data: dict) -> Design:
    """Check and build a design; every fault is a `DesignError` naming the element."""
    if not isinstance(data, dict):
        raise DesignError("Thiết kế phiếu phải là một đối tượng JSON.")
    key = _text(data.get("key"), "Thiết kế")
    scales_raw = data.get("scales") or {}
    if not isinstance(scales_raw, dict):
        raise DesignError(f"{key}: “scales” phải là một đối tượng.")
    scales = {name: _answers(items, f"{key}, thang đo {name}") for name, items in scales_raw.items()}
    computation = data.get("computation") or {}
    levels = computation.get("satisfied_levels", [4, 5])
    if not isinstance(levels, list) or not levels or not all(isinstance(v, int) for v in levels):
        raise DesignError(f"{key}: “satisfied_levels” phải là danh sách các mức, ví dụ [4, 5].")
    aspects: dict[str, Aspect] = {}
    factors: dict[str, Factor] = {}
    questions: dict[str, Question] = {}

    def add_question(question: Question, where: str) -> None:
        if question.code in questions:
            raise DesignError(f"{where}: mã câu hỏi “{question.code}” bị trùng.")
        questions[question.code] = question

    for a_i, a in enumerate(data.get("aspects") or [], 1):
        a_code = _text(a.get("code"), f"{key}, khía cạnh {a_i}")
        f_codes = []
        for f_i, f in enumerate(a.get("factors") or [], 1):
            f_code = _text(f.get("code"), f"{key}, khía cạnh {a_code}, yếu tố {f_i}")
            if f_code in factors:
                raise DesignError(f"{key}: mã yếu tố “{f_code}” bị trùng.")
            q_codes = []
            for q_i, q in enumerate(f.get("questions") or [], 1):
                where = f"{key}, yếu tố {f_code}, câu hỏi {q_i}"
                q_code = _text(q.get("code"), where)
                scale_name = q.get("scale")
                if "answers" in q:
                    answers = _answers(q["answers"], where)
                elif scale_name in scales:
                    answers = scales[scale_name]
                else:
                    raise DesignError(f"{where}: không có thang đo “{scale_name}”.")
                if not any(ans.valid and ans.level for ans in answers):
                    raise DesignError(f"{where}: thang đo không có đáp án hợp lệ nào có mức.")
                add_question(Question(q_code, _text(q.get("text"), where), answers, f_code, a_code,
                                      _weight(q.get("weight"), where)), where)
                q_codes.append(q_code)
            if not q_codes:
                raise DesignError(f"{key}, yếu tố {f_code}: không có câu hỏi nào.")
            factors[f_code] = Factor(f_code, _text(f.get("name"), f"{key}, yếu tố {f_code}"), a_code,
                                     _weight(f.get("weight"), f"{key}, yếu tố {f_code}"), tuple(q_codes),
                                     str(f.get("par") or ""))
            f_codes.append(f_code)
        if a_code in aspects:
            raise DesignError(f"{key}: mã khía cạnh “{a_code}” bị trùng.")
        if not f_codes:
            raise DesignError(f"{key}, khía cạnh {a_code}: không có yếu tố nào.")
        aspects[a_code] = Aspect(a_code, _text(a.get("name"), f"{key}, khía cạnh {a_code}"),
                                 _weight(a.get("weight"), f"{key}, khía cạnh {a_code}"), tuple(f_codes))
    if not aspects:
        raise DesignError(f"{key}: thiết kế không có khía cạnh nào.")
    for r_i, r in enumerate(data.get("respondent") or [], 1):
        where = f"{key}, câu hỏi về người trả lời {r_i}"
        code = _text(r.get("code"), where)
        role = r.get("role")
        if role not in (None, "group", "channel"):
            raise DesignError(f"{where}: vai trò “{role}” không hợp lệ.")
        add_question(Question(code, _text(r.get("text"), where), _answers(r.get("answers") or [], where),
                              role=role, free_text=bool(r.get("free_text"))), where)
    groups = {}
    for g in data.get("groups") or []:
        g_code = _text(g.get("code"), f"{key}, nhóm")
        unknown = [c for c in g.get("aspects") or [] if c not in aspects]
        if unknown:
            raise DesignError(f"{key}, nhóm {g_code}: không có khía cạnh “{unknown[0]}”.")
        groups[g_code] = Group(g_code, _text(g.get("name"), f"{key}, nhóm {g_code}"), tuple(g.get("aspects") or ()))
    version = data.get("version", 1)
    return Design(
        key=key, version=version if isinstance(version, int) else 1, survey=str(data.get("survey") or "sipas"),
        name=_text(data.get("name") or key, key), source=str(data.get("source") or ""),
        satisfied_levels=frozenset(levels), aspects=aspects, factors=factors, questions=questions,
        groups=groups, raw=data,
    )


def design_keys() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))


def load_design(key: str) -> Design:
    path = DATA_DIR / f"{key}.json"
    if key not in design_keys():
        raise DesignError(f"Không có thiết kế phiếu “{key}” (có: {', '.join(design_keys())}).")
    return design_from_dict(json.loads(path.read_text(encoding="utf-8")))
