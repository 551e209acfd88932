"""The starting curriculum, parsed from the seed documents in `curriculum/seeds/`.

The seed files are copies of the author's documents, kept word for word. Parsing them (rather
than retyping them) keeps every text exactly as written. Only the editorial choices the seeds
leave open (which bucket a skill counts toward, which trunks a track goes deep in, what each
cheat-sheet cell means on the 1–5 scale, the resource rows) are written out here.

`seed_framework()` turns them into a framework document (docs/framework-format.md) whose every
object carries a stable seed key. That is all this module does: `manage.py load_curriculum`
hands the document to the framework import in its "add only what is missing" mode
(`curriculum.framework.import_missing`). The data migration loads a frozen copy of the seed rows
(curriculum/migrations/seed_0001.json) with its own loader, never this module.
"""

import re
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from curriculum.seed_resources import SKILL_RESOURCES

SEED_DIR = Path(__file__).resolve().parent / "seeds"
TREE_FILE = SEED_DIR / "tree.txt"
SKILLS_MAP_FILE = SEED_DIR / "skills_map.txt"
LADDER_FILE = SEED_DIR / "ladder.md"

TRUNK_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

SKILL_BUCKETS = {
    "Domain knowledge": [
        "Linear algebra",
        "Calculus and gradients",
        "Probability and statistics",
        "Policy and governance literacy",
        "Open-weight model risk analysis",
        "Ethics in product decisions",
        "Problem selection",
        "Pricing and packaging",
    ],
    "Career and Communication Skills": [
        "Communicating to non-technical stakeholders",
        "Positioning",
    ],
    "Research Skills": [
        "Reading academic papers",
        "Evaluation and metrics",
        "Cross-validation and leakage",
        "Causal thinking",
        "Scaling and efficiency",
        "Honest evaluation in product context",
        "Alignment fundamentals",
        "Red-teaming and adversarial evaluation",
        "Mechanistic interpretability",
        "Evals for dangerous capabilities",
    ],
}
DEFAULT_BUCKET = "Technical Skills"

# The trunks each phase of the path teaches, by phase order (not in the seeds; an editorial
# default curators change on the phase): the first four phases follow trunks one to four, the
# last two go deep in the trunk the learner's target track is deep in.
PHASE_TRUNKS = {1: (1,), 2: (2,), 3: (3,), 4: (4,)}
PHASES_IN_DEPTH_TRUNK = (5, 6)

# After how many months a lead's verification falls due for a re-check, for the whole curriculum
# (not in the seeds): none until a curator sets it, per skill or here.
RECHECK_POLICY_KEY = "recheck-policy"
RECHECK_MONTHS = None

# (depth trunk, literacy trunks): "30% of one trunk and 10% of two others".
TRACK_TRUNKS = {
    "Research Scientist": ("Deep learning", ["Foundations", "ML fundamentals"]),
    "Research Engineer": ("Deep learning", ["ML fundamentals", "Practical AI engineering"]),
    "Interpretability": ("AI safety and interpretability", ["Foundations", "Deep learning"]),
    "Alignment and AI Safety": (
        "AI safety and interpretability",
        ["ML fundamentals", "Deep learning"],
    ),
    "Policy and Governance": (
        "AI safety and interpretability",
        ["ML fundamentals", "AI product and strategy"],
    ),
    "Applied and Product ML": (
        "Practical AI engineering",
        ["ML fundamentals", "AI product and strategy"],
    ),
    "Field-building and Comms": (
        "AI product and strategy",
        ["Practical AI engineering", "AI safety and interpretability"],
    ),
}

# name, target on the 1–5 scale, the seed's reading of it (where it gives one)
REQUIREMENT_LEVELS = [
    ("Low", Decimal("2"), "literacy, not mastery."),
    ("Low–Med", Decimal("2.5"), ""),
    ("Medium", Decimal("3"), "good enough not to be a liability."),
    ("High", Decimal("4"), ""),
    ("Very high", Decimal("5"), "this is the thing you’ll be hired on; it has to be strong."),
]

# The Domain cells name a field, not a level: what each asks for on the scale.
DOMAIN_CELL_LEVELS = {
    "Math, heavy": "High",
    "Math, moderate": "Medium",
    "Math + threat models": "High",
    "Law / econ / IR / policy": "High",
    "Product sense": "Medium",
    "Ops / people": "Medium",
}

BASELINE_BUCKETS = {
    "Python and PyTorch": "Technical Skills",
    "Deep learning and transformers": "Technical Skills",
    "Reading papers": "Research Skills",
    "Career and Communication Skills": "Career and Communication Skills",
    "Math you actually need": "Domain knowledge",
}


def _lines(path):
    return [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()]


def _https(address):
    return address if address.startswith(("http://", "https://")) else f"https://{address}"


def _level_for_cell(label):
    if label in DOMAIN_CELL_LEVELS:
        return DOMAIN_CELL_LEVELS[label]
    for name, _target, _meaning in sorted(REQUIREMENT_LEVELS, key=lambda lvl: -len(lvl[0])):
        if label.startswith(name):
            return name
    raise ValueError(f"No requirement level for cheat-sheet cell {label!r}")


def parse_tree(path=TREE_FILE):
    """Trunks with their skills, the path's phases, failure modes, sources and passages."""
    lines = [line for line in _lines(path) if line.strip()]
    result = {"trunks": [], "phases": [], "failure_modes": [], "sources": [], "passages": []}
    result["passages"].append(("tree-intro", lines[0], lines[1]))

    i = lines.index("How to read the tree") + 1
    trunk_heading = re.compile(r"^Trunk (\w+) — (.+)$")
    skill_body = re.compile(
        r"^Mastery: (?P<mastery>.+?) Resource: (?P<resource>.+?) Test: (?P<test>.+)$"
    )
    while (match := trunk_heading.match(lines[i])) is not None:
        name = match.group(2)
        trunk = {
            "number": TRUNK_NUMBERS[match.group(1)],
            "name": name[0].upper() + name[1:],
            "heading": lines[i],
            "summary": lines[i + 1],
            "skills": [],
        }
        i += 2
        while lines[i + 1].startswith("Free: "):
            body = skill_body.match(lines[i + 2])
            if body is None:
                raise ValueError(f"Skill {lines[i]!r} has no Mastery/Resource/Test line")
            trunk["skills"].append(
                {
                    "name": lines[i],
                    "free_resource": lines[i + 1].removeprefix("Free: "),
                    "mastery": body["mastery"],
                    "resource_text": body["resource"],
                    "test": body["test"],
                }
            )
            i += 3
        result["trunks"].append(trunk)

    assert lines[i] == "The honest specialization table", lines[i]
    result["passages"].append(("specialization", lines[i], lines[i + 1]))
    i += 2
    assert lines[i] == "The minimum effective dose path", lines[i]
    result["passages"].append(("path-intro", lines[i], lines[i + 1]))
    i += 2
    weeks = re.compile(r"^Weeks (\d+)-(\d+)$")
    while (match := weeks.match(lines[i])) is not None:
        text, end_state = lines[i + 2].split(" End state: ")
        result["phases"].append(
            {
                "order": len(result["phases"]) + 1,
                "weeks_label": lines[i],
                "start_week": int(match.group(1)),
                "end_week": int(match.group(2)),
                "name": lines[i + 1],
                "text": text,
                "end_state": end_state,
            }
        )
        i += 3

    assert lines[i] == "Where most people lose the thread", lines[i]
    paragraph = lines[i + 1]
    intro, rest = paragraph.split(" First: ", 1)
    result["passages"].append(("failure-intro", lines[i], intro))
    parts = re.split(r" (?:Second|Third): ", rest)
    for order, part in enumerate(parts, start=1):
        name, text = part.split(". ", 1)
        result["failure_modes"].append({"order": order, "name": name, "text": text})
    i += 2

    i = lines.index("Sources") + 1
    while i < len(lines) and (match := re.match(r"^- \[(\d+)\]$", lines[i])):
        result["sources"].append(
            {"number": int(match.group(1)), "title": lines[i + 1], "url": _https(lines[i + 2])}
        )
        i += 3
    return result


def parse_skills_map(path=SKILLS_MAP_FILE):
    """Buckets, tracks with their cheat-sheet cells, the reading of levels, baseline questions."""
    lines = [line for line in _lines(path) if line.strip()]
    result = {"buckets": [], "tracks": [], "questions": [], "passages": []}
    result["passages"].append(("skills-map-intro", lines[0], lines[1]))
    i = lines.index("The big idea")
    result["passages"].append(("big-idea", lines[i], lines[i + 1]))

    i = lines.index("The four buckets") + 1
    while lines[i].startswith("- "):
        name, description = lines[i][2:].split(" — ", 1)
        result["buckets"].append({"name": name, "description": description})
        i += 1

    i = lines.index("Which track needs which (the cheat sheet)") + 1
    header = [cell.strip() for cell in lines[i].strip("|").split("|")]
    columns = header[1:]
    i += 2
    while lines[i].startswith("|"):
        cells = [cell.strip() for cell in lines[i].strip("|").split("|")]
        result["tracks"].append(
            {"name": cells[0], "cells": dict(zip(columns, cells[1:], strict=True))}
        )
        i += 1
    result["columns"] = columns

    i = lines.index("How to read this table")
    result["passages"].append(("reading-levels", lines[i], lines[i + 1]))

    i = lines.index("The honest baseline (rate yourself)")
    result["passages"].append(("baseline-intro", lines[i], lines[i + 1]))
    i += 2
    question = re.compile(r"^- (?P<text>.+\?) \((?P<topic>.+)\)$")
    while (match := question.match(lines[i])) is not None:
        result["questions"].append({"text": match["text"], "topic": match["topic"]})
        i += 1
    result["passages"].append(("baseline-point", "", lines[i]))
    return result


def _plain(markdown):
    """Drop markdown emphasis; the words stay as written."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    return re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)


def _blocks(lines):
    """Paragraphs and list items of a markdown section, in order, as plain text."""
    blocks, current = [], []
    for line in lines + [""]:
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(" ".join(current))
                current = []
        elif stripped.startswith("- "):
            if current:
                blocks.append(" ".join(current))
            current = [stripped]
        else:
            current.append(stripped)
    return [_plain(block) for block in blocks]


def parse_ladder(path=LADDER_FILE):
    """The four levels with what each is, what changes, examples and signals; the bridge."""
    text = path.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.MULTILINE)
    preamble = [block for block in _blocks(sections[0].splitlines()) if block != "---"]
    result = {
        "levels": [],
        "passages": [
            ("ladder-caveat", "", preamble[0]),
            ("ladder-intro", "", preamble[1]),
        ],
    }
    lessons = {}
    for section in sections[1:]:
        heading, *body = section.splitlines()
        blocks = [block for block in _blocks(body) if block != "---"]
        level = re.match(r"^Level (\d): (.+?)(?: \((.+)\))?$", heading)
        if level is None:
            if heading.startswith("The Point of the Ladder"):
                for block in blocks:
                    if match := re.match(r"^- Level (\d) (.+)$", block):
                        lessons[int(match.group(1))] = match.group(2)
                prose = [block for block in blocks if not block.startswith("- ")]
                result["passages"].append(("ladder-point", heading, "\n\n".join(prose)))
            else:
                result["passages"].append(("ladder-bridge", heading, "\n\n".join(blocks)))
            continue
        entry = {
            "number": int(level.group(1)),
            "name": level.group(2),
            "subtitle": level.group(3) or "",
            "what_it_is": "",
            "description": [],
            "what_changes": "",
            "examples_heading": "",
            "examples": [],
            "signals": [],
        }
        mode = "description"
        for block in blocks:
            if block.startswith("What it is: "):
                entry["what_it_is"] = block.removeprefix("What it is: ")
            elif block.startswith("What changes at this level: "):
                entry["what_changes"] = block.removeprefix("What changes at this level: ")
                mode = "description"
            elif block.startswith("Signals you’ve mastered"):
                mode = "signals"
            elif block.endswith(":") and not block.startswith("- "):
                if block == "Important nuance:":
                    entry["description"].append(block)
                else:
                    entry["examples_heading"] = block
                    mode = "examples"
            elif block.startswith("- "):
                entry["signals" if mode == "signals" else "examples"].append(block[2:])
            elif entry["description"] and entry["description"][-1] == "Important nuance:":
                entry["description"][-1] = f"Important nuance: {block}"
            else:
                entry["description"].append(block)
        entry["description"] = "\n\n".join(entry["description"])
        entry["examples"] = "\n".join(entry["examples"])
        result["levels"].append(entry)
    for entry in result["levels"]:
        entry["lesson"] = lessons.get(entry["number"], "")
    return result


def seed_framework():
    """The seed curriculum as a framework document (docs/framework-format.md), every object
    with its `seed_key`: the name of that seed row for good, which `load_curriculum` finds it by.
    Objects refer to each other by their keys in the document (a trunk's slug, a level's name),
    as any framework file does; decimals are written as strings."""
    tree = parse_tree()
    skills_map = parse_skills_map()
    ladder = parse_ladder()

    short_names = dict(
        zip([b["name"] for b in skills_map["buckets"]], skills_map["columns"], strict=True)
    )
    bucket_key = {name: slugify(short) for name, short in short_names.items()}
    buckets = [
        {
            "seed_key": bucket_key[data["name"]],
            "name": data["name"],
            "short_name": short_names[data["name"]],
            "slug": bucket_key[data["name"]],
            "description": data["description"],
            "order": order,
        }
        for order, data in enumerate(skills_map["buckets"], start=1)
    ]
    bucket_of_skill = {
        skill: bucket for bucket, skills in SKILL_BUCKETS.items() for skill in skills
    }

    trunks, skills, trunk_key = [], [], {}
    for data in tree["trunks"]:
        key = trunk_key[data["name"]] = slugify(data["name"])
        trunks.append(
            {
                "seed_key": key,
                "number": data["number"],
                "name": data["name"],
                "slug": key,
                "heading": data["heading"],
                "summary": data["summary"],
            }
        )
        for order, skill_data in enumerate(data["skills"], start=1):
            skill_key = slugify(skill_data["name"])
            resources = [
                {
                    "seed_key": f"{skill_key}-{r_order}",
                    "title": title,
                    "url": _https(address),
                    "kind": kind,
                    "is_free": is_free,
                    "order": r_order,
                }
                for r_order, (title, address, kind, is_free) in enumerate(
                    SKILL_RESOURCES[skill_data["name"]], start=1
                )
            ]
            skills.append(
                {
                    "seed_key": skill_key,
                    "trunk": key,
                    "bucket": bucket_key[bucket_of_skill.get(skill_data["name"], DEFAULT_BUCKET)],
                    **skill_data,
                    "slug": skill_key,
                    "order": order,
                    "resources": resources,
                }
            )

    levels, level_key = [], {}
    for order, (name, target, meaning) in enumerate(REQUIREMENT_LEVELS, start=1):
        level_key[name] = slugify(name.replace("–", "-"))
        levels.append(
            {
                "seed_key": level_key[name],
                "name": name,
                "target": str(target),
                "meaning": meaning,
                "order": order,
            }
        )

    bucket_by_column = {short_names[name]: key for name, key in bucket_key.items()}
    tracks = []
    for order, data in enumerate(skills_map["tracks"], start=1):
        key = slugify(data["name"])
        depth, literacy = TRACK_TRUNKS[data["name"]]
        tracks.append(
            {
                "seed_key": key,
                "name": data["name"],
                "slug": key,
                "order": order,
                "depth_trunk": trunk_key[depth],
                "literacy_trunks": [trunk_key[name] for name in literacy],
                "requirements": [
                    {
                        "seed_key": f"{key}-{bucket_by_column[column]}",
                        "bucket": bucket_by_column[column],
                        "level": _level_for_cell(label),
                        "label": label,
                    }
                    for column, label in data["cells"].items()
                ],
            }
        )

    questions = [
        {
            "seed_key": slugify(data["topic"]),
            "text": data["text"],
            "topic": data["topic"],
            "bucket": bucket_key[BASELINE_BUCKETS[data["topic"]]],
            "order": order,
        }
        for order, data in enumerate(skills_map["questions"], start=1)
    ]

    ladder_levels = []
    for data in ladder["levels"]:
        key = f"level-{data['number']}"
        fields = {name: value for name, value in data.items() if name != "signals"}
        signals = [
            {"seed_key": f"{key}-{order}", "text": text, "order": order}
            for order, text in enumerate(data["signals"], start=1)
        ]
        ladder_levels.append(
            {"seed_key": key, **fields, "slug": slugify(data["name"]), "signals": signals}
        )

    passages = tree["passages"] + skills_map["passages"] + ladder["passages"]
    return {
        "format": "skilltree-framework",
        "version": 1,
        "trunks": trunks,
        "buckets": buckets,
        "requirement_levels": levels,
        "skills": skills,
        "tracks": tracks,
        "baseline_questions": questions,
        "ladder_levels": ladder_levels,
        "path_phases": [
            {
                "seed_key": slugify(data["weeks_label"]),
                **data,
                "trunks": [
                    trunk["slug"]
                    for trunk in trunks
                    if trunk["number"] in PHASE_TRUNKS.get(data["order"], ())
                ],
                "in_depth_trunk": data["order"] in PHASES_IN_DEPTH_TRUNK,
            }
            for data in tree["phases"]
        ],
        "failure_modes": [
            {"seed_key": slugify(data["name"]), **data, "slug": slugify(data["name"])}
            for data in tree["failure_modes"]
        ],
        "passages": [
            {"seed_key": key, "key": key, "heading": heading, "body": body}
            for key, heading, body in passages
        ],
        "recheck_policy": [
            {"seed_key": RECHECK_POLICY_KEY, "scope": "curriculum", "months": RECHECK_MONTHS}
        ],
        "sources": [{"seed_key": f"{data['number']:02d}", **data} for data in tree["sources"]],
    }
