"""The content of a sent version: a JSON document, read into plain objects for the pages.

Questions and steps keep their keys (the ids of the draft's rows) across versions, so that
the answers of a series can be compared question by question.
"""

import json
from dataclasses import dataclass, field


@dataclass
class QuestionContent:
    key: str
    kind: str
    text: str
    required: bool = False
    options: list[str] = field(default_factory=list)
    scale_min: int | None = None
    scale_max: int | None = None
    min_label: str = ""
    max_label: str = ""

    @property
    def scale_points(self) -> list[int]:
        if self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


@dataclass
class StepContent:
    key: str
    text: str
    questions: list[QuestionContent] = field(default_factory=list)


@dataclass
class VersionContent:
    title: str
    introduction: str
    steps: list[StepContent] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> "VersionContent":
        data = json.loads(text)
        steps = [
            StepContent(
                key=step["key"],
                text=step["text"],
                questions=[QuestionContent(**question) for question in step["questions"]],
            )
            for step in data["steps"]
        ]
        return cls(title=data["title"], introduction=data["introduction"], steps=steps)

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "introduction": self.introduction,
                "steps": [
                    {
                        "key": step.key,
                        "text": step.text,
                        "questions": [question.__dict__ for question in step.questions],
                    }
                    for step in self.steps
                ],
            },
            ensure_ascii=False,
        )

    def step(self, number: int) -> StepContent:
        """Step ``number``, counted from 1; IndexError if there is none."""
        if number < 1:
            raise IndexError(number)
        return self.steps[number - 1]

    def number_of(self, step_key: str) -> int | None:
        """The number (from 1) of the step with this key, or None."""
        for number, step in enumerate(self.steps, start=1):
            if step.key == step_key:
                return number
        return None

    def questions(self):
        for step in self.steps:
            yield from step.questions
