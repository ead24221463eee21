"""Award criteria (GB/T 19580, individual rubrics, sector guides) as data, and pure scoring."""

from .loader import UnknownCriteria, list_criteria, load_criteria, load_criteria_file
from .model import Band, Category, Citation, CriteriaSet, Item, Kind, Provenance, Text
from .scoring import (
    CategoryScore,
    ItemScore,
    ScoreInputError,
    ScoreSheet,
    combine,
    format_points,
    score,
)
from .wordcount import count_words

__all__ = [
    "Band",
    "Category",
    "CategoryScore",
    "Citation",
    "CriteriaSet",
    "Item",
    "ItemScore",
    "Kind",
    "Provenance",
    "ScoreInputError",
    "ScoreSheet",
    "Text",
    "UnknownCriteria",
    "combine",
    "count_words",
    "format_points",
    "list_criteria",
    "load_criteria",
    "load_criteria_file",
    "score",
]
