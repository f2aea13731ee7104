"""Lesson bodies in the API: one shape of `{type, id, value}` blocks for authors and learners.

`value` holds the fields of the block's kind (catalog.blocks). Quiz questions and choices carry ids, by
which quiz attempts answer. Learners read quizzes without `correct` and `explanation`; authors read them,
and write the same shape back: ids are kept when sent and made for new blocks, questions and choices; a
resource names its document by id. Rich text is HTML: authors read and write it as stored (Wagtail keeps
internal links and images as references), learners read it expanded.

The schema has a component per block, request and response apart, joined by a `oneOf` with a
discriminator on `type` (`LessonBodyFieldSchema` below).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ComponentIdentity, ResolvedComponent
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from lms_site.links import absolute_url

from ..models import LessonPage

BODY_BLOCK = LessonPage._meta.get_field("body").stream_block
KINDS = list(BODY_BLOCK.child_blocks)


# Reading


def body_data(body, *, answers: bool, as_stored: bool) -> list[dict]:
    """A stored body as the API shows it. `as_stored`: rich text as authors write it, else expanded."""
    html = (lambda text: text.source) if as_stored else (lambda text: expand_db_html(text.source))
    return [
        {"type": block.block_type, "id": block.id, "value": _value(block, answers, html)} for block in body
    ]


def _value(block, answers: bool, html):
    value = block.value
    if block.block_type == "text":
        return html(value)
    if block.block_type == "video":
        return {"url": value["url"], "caption": value["caption"], "transcript": value["transcript"]}
    if block.block_type == "quiz":
        return {
            "pass_mark": value["pass_mark"],
            "questions": [_question(question, answers) for question in value["questions"].bound_blocks],
        }
    if block.block_type == "assignment":
        hours = value["estimated_hours"]
        return {
            "brief": html(value["brief"]),
            "submission": value["submission"],
            "estimated_hours": None if hours is None else float(hours),
        }
    document = value["document"]
    return {
        "document": document
        and {"id": document.pk, "title": document.title, "url": absolute_url(document.url)},
        "description": value["description"],
    }


def _question(question, answers: bool) -> dict:
    data = {
        "id": question.id,
        "text": question.value["text"],
        "multiple": question.value["multiple"],
        "choices": [
            {"id": choice.id, "text": choice.value["text"]}
            | ({"correct": choice.value["correct"]} if answers else {})
            for choice in question.value["choices"].bound_blocks
        ],
    }
    if answers:
        data["explanation"] = question.value["explanation"]
    return data


# Writing


def _item(data: dict, value: dict) -> dict:
    """A list item as Wagtail stores it, keeping the id an author sent (None: Wagtail makes one)."""
    return {"type": "item", "value": value, "id": str(data["id"]) if data.get("id") else None}


def _stored_value(kind: str, value):
    if kind != "quiz":
        return value
    return {
        **value,
        "questions": [
            _item(
                question,
                {
                    **question,
                    "choices": [_item(choice, choice) for choice in question["choices"]],
                },
            )
            for question in value["questions"]
        ],
    }


class LessonBodyField(serializers.Field):
    """A lesson body in the API's block shape (module docstring), checked by the body's own stream block.

    `answers=False`: the learners' reading, quiz answers left out (documentation only: read-only).
    """

    default_error_messages = {
        "shape": _("Send a list of {{type, value}} blocks; type is one of: {types}."),
        "malformed": _("A block's value does not have the shape its type needs."),
    }

    def __init__(self, *, answers: bool = True, **kwargs):
        self.answers = answers
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(
            isinstance(item, dict) and item.get("type") in KINDS and "value" in item for item in data
        ):
            self.fail("shape", types=", ".join(KINDS))
        try:
            stored = [
                {"type": item["type"], "value": _stored_value(item["type"], item["value"])}
                | ({"id": str(item["id"])} if item.get("id") else {})
                for item in data
            ]
            return BODY_BLOCK.clean(BODY_BLOCK.to_python(stored))
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.as_json_data() if hasattr(error, "as_json_data") else error.messages
            ) from error
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            raise serializers.ValidationError(self.error_messages["malformed"]) from error

    def to_representation(self, value):
        return body_data(value, answers=self.answers, as_stored=self.answers)


# Schema

STRING = {"type": "string"}
HTML = {"type": "string", "description": "HTML."}


def _text(max_length: int) -> dict:
    return {"type": "string", "maxLength": max_length}


def _schema(fields: dict, *, writing: bool, description: str = "") -> dict:
    """`fields`: name -> (schema, needed when written). Every answer carries every field."""
    schema = {
        "type": "object",
        "properties": {name: field for name, (field, _needed) in fields.items()},
        "required": [name for name, (_field, needed) in fields.items() if needed or not writing],
    }
    return schema | ({"description": description} if description else {})


def block_components(*, writing: bool) -> dict[str, dict]:
    """Every block's components for one direction; request names end in `Request`, as drf-spectacular's do."""
    suffix = "Request" if writing else ""

    def ref(name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}{suffix}"}

    block_id = {
        "type": "string",
        "description": "Kept when sent back; made for a new block." if writing else "Stable across reads.",
    }
    choice = {"id": (block_id, False), "text": (_text(500), True), "correct": ({"type": "boolean"}, False)}
    question = {
        "id": (block_id, False),
        "text": (STRING, True),
        "multiple": ({"type": "boolean", "description": "Several choices are correct; pick all."}, False),
        "choices": ({"type": "array", "items": ref("QuizChoice"), "minItems": 2}, True),
        "explanation": ({"type": "string", "description": "Shown after an attempt."}, False),
    }
    document = (
        {"type": "integer", "description": "A document's id in the CMS library."}
        if writing
        else {"allOf": [ref("DocumentRef")], "nullable": True}
    )
    values = {
        "VideoValue": {
            "url": ({"type": "string", "format": "uri"}, True),
            "caption": (_text(255), False),
            "transcript": (STRING, False),
        },
        "QuizValue": {
            "pass_mark": ({"type": "integer", "minimum": 0, "maximum": 100, "default": 70}, False),
            "questions": ({"type": "array", "items": ref("QuizQuestion"), "minItems": 1}, True),
        },
        "AssignmentValue": {
            "brief": (HTML, True),
            "submission": ({"type": "string", "description": "What to hand in, and how."}, False),
            "estimated_hours": ({"type": "number", "minimum": 0, "nullable": True}, False),
        },
        "ResourceValue": {"document": (document, True), "description": (_text(255), False)},
        "QuizChoice": choice,
        "QuizQuestion": question,
    }
    components = {name + suffix: _schema(fields, writing=writing) for name, fields in values.items()}
    blocks = {kind: HTML if kind == "text" else ref(kind.capitalize() + "Value") for kind in KINDS}
    if not writing:
        components["DocumentRef"] = _schema(
            {"id": ({"type": "integer"}, True), "title": (STRING, True), "url": ({"type": "string"}, True)},
            writing=False,
        )
        learner_choice = {name: choice[name] for name in ("id", "text")}
        learner_question = {name: question[name] for name in ("id", "text", "multiple")}
        learner_question["choices"] = ({"type": "array", "items": ref("LearnerQuizChoice")}, True)
        note = "The course's instructor and admins also read `correct` and `explanation`."
        components["LearnerQuizChoice"] = _schema(learner_choice, writing=False, description=note)
        components["LearnerQuizQuestion"] = _schema(learner_question, writing=False, description=note)
        components["LearnerQuizValue"] = _schema(
            {
                "pass_mark": values["QuizValue"]["pass_mark"],
                "questions": ({"type": "array", "items": ref("LearnerQuizQuestion")}, True),
            },
            writing=False,
        )
        blocks["learner_quiz"] = ref("LearnerQuizValue")
    for kind in KINDS:  # an enum of one, so clients build each block with its own type
        components[kind.capitalize() + "BlockType"] = {"type": "string", "enum": [kind]}
    for kind, value in blocks.items():
        name = "".join(part.capitalize() for part in kind.split("_")) + "Block"
        kind_type = kind.removeprefix("learner_").capitalize() + "BlockType"
        block_type = {"$ref": f"#/components/schemas/{kind_type}"}
        components[name + suffix] = _schema(
            {"type": (block_type, True), "id": (block_id, False), "value": (value, True)}, writing=writing
        )
    unions = {"LessonBlock": {kind: kind.capitalize() + "Block" for kind in KINDS}}
    if not writing:
        unions["LearnerLessonBlock"] = unions["LessonBlock"] | {"quiz": "LearnerQuizBlock"}
    for union, members in unions.items():
        components[union + suffix] = {
            "oneOf": [ref(member) for member in members.values()],
            "discriminator": {
                "propertyName": "type",
                "mapping": {kind: ref(member)["$ref"] for kind, member in members.items()},
            },
        }
    return components


class LessonBodyFieldSchema(OpenApiSerializerFieldExtension):
    target_class = LessonBodyField

    def map_serializer_field(self, auto_schema, direction):
        writing = direction == "request"
        for name, schema in block_components(writing=writing).items():
            auto_schema.registry.register_on_missing(
                ResolvedComponent(
                    name=name,
                    type=ResolvedComponent.SCHEMA,
                    object=ComponentIdentity("lesson-blocks"),
                    schema=schema,
                )
            )
        union = "LessonBlock" if self.target.answers else "LearnerLessonBlock"
        union += "Request" if writing else ""
        return {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/{union}"},
            "description": "A list of blocks, in order. A lesson's type decides which blocks it holds "
            "(a quiz lesson holds exactly one quiz).",
        }
