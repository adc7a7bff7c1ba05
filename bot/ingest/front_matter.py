"""Front matter (and `.meta.yaml` sidecars): read as YAML, checked against a pydantic model.

Problems raise `MetadataError` with a message naming the file, the field and the expected form,
never a parser dump or a bare `ValueError`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORM = "a date written YYYY-MM-DD, e.g. 2026-03-01"


class MetadataError(ValueError):
    """Front matter that cannot be used; the message names the file, the field and the expected form."""


class _DatesAsText(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad one is reported by field, not by the parser."""


def _scalar_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _scalar_text)


class _Handler(YAMLHandler):
    def load(self, fm: str, **kwargs: object):
        return yaml.load(fm, Loader=_DatesAsText)


def _iso_date(value: object) -> object:
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None
    text = str(value).strip()
    if not _ISO_DATE.match(text):
        raise ValueError(f"expected {DATE_FORM}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{exc}; expected {DATE_FORM}") from None


def _text(value: object) -> object:
    return None if value is None else str(value) if isinstance(value, (int, float)) else value


IsoDate = Annotated[dt.date | None, BeforeValidator(_iso_date)]
Text = Annotated[str | None, BeforeValidator(_text)]


class FrontMatter(BaseModel):
    """The fields a policy document may declare; other keys are kept as they are."""

    model_config = ConfigDict(extra="allow")

    title: Text = None
    owner: str | dict | None = None
    owner_team: Text = None
    owner_channel: Text = None
    effective_date: IsoDate = None  # the day the document starts to apply
    review_by: IsoDate = None  # past it, answers flag the document as overdue for review
    expires: IsoDate = None  # from this day the document is no longer retrieved
    version: Text = None
    url: Text = None
    audience: str | list[str] | None = None
    supersedes: str | list[str] | None = None
    extra_metadata: dict | None = None


def read_front_matter(text: str) -> tuple[dict, str]:
    """(raw metadata, body) of a Markdown/text file; dates stay text until `validate_metadata`."""
    try:
        post = frontmatter.loads(text, handler=_Handler())
    except yaml.YAMLError as exc:
        raise MetadataError(f"broken YAML front matter{_position(exc, offset=1)}: {_problem(exc)}") from None
    if not isinstance(post.metadata, dict):
        raise MetadataError("front matter is not a mapping of field: value")
    return dict(post.metadata), post.content


def read_yaml_metadata(text: str) -> dict:
    """A `.meta.yaml` sidecar's raw mapping (validate it with `validate_metadata`)."""
    try:
        loaded = yaml.load(text, Loader=_DatesAsText)
    except yaml.YAMLError as exc:
        raise MetadataError(f"broken YAML{_position(exc, offset=0)}: {_problem(exc)}") from None
    if loaded is not None and not isinstance(loaded, dict):
        raise MetadataError(f"expected a mapping of field: value, got {type(loaded).__name__}")
    return loaded or {}


def validate_metadata(raw: dict) -> dict:
    """`raw` checked against `FrontMatter` (dates become `datetime.date`); unknown keys pass through.

    Raises `MetadataError` naming every bad field, the expected form and the value found.
    """
    try:
        model = FrontMatter.model_validate({str(k): v for k, v in raw.items()})
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc'])}': {_reason(err)}, got {err['input']!r}" for err in exc.errors()
        )
        raise MetadataError(f"invalid front matter: {problems}") from None
    return model.model_dump(exclude_none=True)


def _reason(err: ErrorDetails) -> str:
    message = str(err["msg"])
    return message.removeprefix("Value error, ")


def _position(exc: yaml.YAMLError, offset: int) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" at line {mark.line + 1 + offset}, column {mark.column + 1}" if mark is not None else ""


def _problem(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or type(exc).__name__)
