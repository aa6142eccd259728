"""The PAR Index engine (Chỉ số CCHC): criteria templates as data, rule evaluation, scoring.

Pure Python, no Django. The JSON format and this interface are described in docs/par-template.md.
"""

from .expr import ExpressionError, compile_expression
from .loader import load_template, template_keys
from .model import (
    RULE_KINDS,
    Band,
    Condition,
    Group,
    InputSpec,
    Node,
    Option,
    Rule,
    Template,
    TemplateError,
    is_system_source,
    template_from_dict,
)
from .rules import MissingInput, ScoreError, allowed_points
from .scoring import Row, Scorecard, group_for, score

__all__ = [
    "RULE_KINDS",
    "Band",
    "Condition",
    "ExpressionError",
    "Group",
    "InputSpec",
    "MissingInput",
    "Node",
    "Option",
    "Row",
    "Rule",
    "ScoreError",
    "Scorecard",
    "Template",
    "TemplateError",
    "allowed_points",
    "compile_expression",
    "group_for",
    "is_system_source",
    "load_template",
    "score",
    "template_from_dict",
    "template_keys",
]
