"""Survey designs, index computation and response reading (SIPAS and the PAR Index sociological
survey); plain Python, no Django."""

from .compute import Result, Stat, compute, compute_responses, show_pct, tally
from .design import Design, DesignError, Question, design_from_dict, design_keys, load_design
from .questionnaire import Draft, QuestionnaireError, read_questionnaire
from .reader import ParsedRow, ReadResult, RowError, SurveyReadError, read_responses

__all__ = [
    "Design", "DesignError", "Draft", "ParsedRow", "QuestionnaireError", "Question", "ReadResult", "Result", "RowError", "Stat",
    "SurveyReadError", "compute", "compute_responses", "design_from_dict", "design_keys", "load_design",
    "read_questionnaire", "read_responses", "show_pct", "tally",
]
