"""Where each trunk and skill sits in the drawing of the tree: a pure function of the trunks, their
skills and the viewer's marks, no database and no request.

The rule. A layout (`Geometry`) puts the trunks in rows of `columns` columns of equal width. The
root node sits at the top left; a spine runs down from it, and above each row of trunks a bus
runs right from the spine, dropping into the top of each trunk node near its left edge. Under each
trunk node its stem runs down, and each skill hangs off the stem by an elbow, indented, in the
trunk's order. A node is as tall as its text: its name wrapped to the column's width (by an
estimate of the font's average character width), plus, when the viewer has marks, their rating
and progress, and what their target track needs. A row is as tall as its tallest trunk.

With more than one row, the trunks are indented so the spine runs left of them all. Three
layouts exist: six columns for a wide screen, three for a medium one, one for a phone,
where the tree reads top to bottom instead of shrinking. The page draws all three and CSS shows
the one that fits.
"""

import textwrap
from dataclasses import dataclass, replace

CHARACTER_WIDTH = 0.56
"""A character's average width as a share of the font size (generous for DejaVu and system UI)."""
BOLD = 1.1
"""How much wider bold text runs (the trunks' and the root's names)."""
PADDING = 8
ICON = 16


@dataclass(frozen=True)
class Mark:
    """What the viewer's own layer says on a skill's node (given by a curriculum.personal
    provider): their rating ("3/5", "not rated"), their progress in words and as the state the
    node's shape shows ("not_started", "learning", "test_passed", "verified", "needs_work"), and, with a
    target track, what it needs of the skill's bucket ("4") and how they stand against it
    ("1 short", "met")."""

    rating: str
    progress: str
    state: str
    needs: str = ""
    standing: str = ""

    @property
    def requirement(self):
        return " · ".join(self.requirement_parts)

    @property
    def requirement_parts(self):
        if not self.needs:
            return ()
        return (f"needs {self.needs}", self.standing) if self.standing else (f"needs {self.needs}",)

    @property
    def spoken(self):
        """The mark said in full, for the node's accessible name."""
        rated = self.rating if self.rating == "not rated" else f"rated {self.rating}"
        words = f"{rated}, {self.progress.lower()}"
        if self.needs:
            words += f", your track needs {self.needs}"
            if self.standing:
                words += f" ({self.standing})"
        return words


@dataclass(frozen=True)
class Geometry:
    """One layout's measures, in SVG user units (pixels when drawn at its own width)."""

    name: str
    width: int
    columns: int
    font: float = 14
    small: float = 12.5
    margin: int = 4
    gap: int = 14
    trunk_indent: int = 0
    spine: int = 22
    skill_indent: int = 22
    node_gap: int = 10
    row_gap: int = 44

    @property
    def column_width(self):
        inner = self.width - 2 * self.margin - self.trunk_indent
        return (inner - (self.columns - 1) * self.gap) / self.columns

    def wrap(self, text, width, size):
        """`text` in lines that fit `width` at font `size`; a word longer than a line stays whole."""
        return tuple(textwrap.wrap(text, _per_line(width, size), break_long_words=False)) or ("",)

    def wrap_parts(self, parts, width, size):
        """`parts` joined by " · " in lines that fit `width`, breaking between parts first."""
        per_line = _per_line(width, size)
        lines = []
        for part in parts:
            if lines and len(lines[-1]) + 3 + len(part) <= per_line:
                lines[-1] += f" · {part}"
            else:
                lines.extend(textwrap.wrap(part, per_line, break_long_words=False))
        return tuple(lines)


def _per_line(width, size):
    return max(8, int((width - 2 * PADDING) / (size * CHARACTER_WIDTH)))


WIDE = Geometry("wide", width=1120, columns=6, font=13.5, small=12)
MEDIUM = Geometry("medium", width=760, columns=3, font=14, small=12.5, trunk_indent=22, spine=10)
NARROW = Geometry("narrow", width=360, columns=1, font=15, small=13.5, trunk_indent=22, spine=10)
LAYOUTS = (WIDE, MEDIUM, NARROW)


@dataclass(frozen=True)
class Node:
    """A box in the drawing: the root, a trunk or a skill. `lines` is its wrapped name;
    `detail` the smaller lines under it (the viewer's mark); `label` its accessible name."""

    kind: str
    key: object
    url: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple
    detail: tuple = ()
    mark: Mark | None = None
    label: str = ""
    size: float = 14
    detail_size: float = 12.5

    @property
    def line_height(self):
        return self.size * 1.3

    @property
    def detail_height(self):
        return self.detail_size * 1.35

    @property
    def text_x(self):
        return round(self.x + (PADDING + ICON + 6 if self.mark else PADDING), 1)

    @property
    def name_lines(self):
        """(baseline y, text) of each line of the name."""
        top = self.y + PADDING
        return tuple(
            (round(top + self.line_height * (i + 0.78), 1), line)
            for i, line in enumerate(self.lines)
        )

    @property
    def detail_x(self):
        return round(self.x + PADDING, 1)

    @property
    def detail_lines(self):
        """(baseline y, text) of each line of the detail under the name."""
        top = self.y + PADDING + self.line_height * len(self.lines) + 2
        return tuple(
            (round(top + self.detail_height * (i + 0.78), 1), line)
            for i, line in enumerate(self.detail)
        )

    @property
    def icon_at(self):
        """The centre of the progress icon, left of the first line of the name."""
        return (
            round(self.x + PADDING + ICON / 2, 1),
            round(self.y + PADDING + self.line_height * 0.5, 1),
        )

    @property
    def inset(self):
        """The inner outline of a doubled box: (x, y, width, height)."""
        return (self.x + 3, self.y + 3, round(self.width - 6, 1), round(self.height - 6, 1))


@dataclass(frozen=True)
class TreeMap:
    """A whole drawing: its size, its boxes and the connector paths ("M x y H x V y")."""

    name: str
    width: float
    height: float
    nodes: tuple
    edges: tuple
    font: float
    small: float

    @property
    def view_box(self):
        return f"0 0 {self.width:g} {self.height:g}"


def _height(geometry, lines, detail, size):
    return (
        2 * PADDING
        + len(lines) * size * 1.3
        + (len(detail) * geometry.small * 1.35 + 2 if detail else 0)
    )


def _skill_node(geometry, skill, mark, x, y, width):
    text_width = width - (ICON + 6 if mark else 0)
    lines = geometry.wrap(skill.name, text_width, geometry.font)
    detail = ()
    label = skill.name
    if mark:
        detail = geometry.wrap_parts((mark.rating, mark.progress.lower()), width, geometry.small)
        detail += geometry.wrap_parts(mark.requirement_parts, width, geometry.small)
        label = f"{skill.name}: {mark.spoken}"
    return Node(
        kind="skill",
        key=skill.pk,
        url=skill.get_absolute_url(),
        x=x,
        y=y,
        width=width,
        height=_height(geometry, lines, detail, geometry.font),
        lines=lines,
        detail=detail,
        mark=mark,
        label=label,
        size=geometry.font,
        detail_size=geometry.small,
    )


def _rounded(node):
    return replace(
        node,
        x=round(node.x, 1),
        y=round(node.y, 1),
        width=round(node.width, 1),
        height=round(node.height, 1),
    )


def tree_map(branches, geometry, marks=None, title="Skill Tree"):
    """The drawing of `branches`, a sequence of (trunk, its skills in order), in `geometry`,
    with `marks` ({skill pk: Mark}) on the skills the viewer has a mark for."""
    marks = marks or {}
    g = geometry
    nodes, edges = [], []
    skill_count = sum(len(skills) for _trunk, skills in branches)
    root_lines = (title,)
    root_detail = (f"{len(branches)} trunks · {skill_count} skills",)
    root_width = min(g.width - 2 * g.margin, 220)
    root = _rounded(
        Node(
            kind="root",
            key=None,
            url="",
            x=g.margin,
            y=g.margin,
            width=root_width,
            height=_height(g, root_lines, root_detail, g.font + 2),
            lines=root_lines,
            detail=root_detail,
            size=g.font + 2,
            detail_size=g.small,
        )
    )
    nodes.append(root)
    spine_x = g.margin + g.spine
    top = root.y + root.height + g.row_gap
    column_width = g.column_width
    bottom = top
    last_bus = None
    for row_start in range(0, len(branches), g.columns):
        row = branches[row_start : row_start + g.columns]
        bus_y = top - g.row_gap / 2
        last_bus = bus_y
        row_bottom = top
        anchors = []
        for column, (trunk, skills) in enumerate(row):
            x0 = g.margin + g.trunk_indent + column * (column_width + g.gap)
            anchor = x0 + g.skill_indent
            anchors.append(anchor)
            name = f"{trunk.number}. {trunk.name}" if getattr(trunk, "number", None) else trunk.name
            lines = g.wrap(name, column_width, (g.font + 1) * BOLD)
            trunk_node = _rounded(
                Node(
                    kind="trunk",
                    key=trunk.pk,
                    url=trunk.get_absolute_url(),
                    x=x0,
                    y=top,
                    width=column_width,
                    height=_height(g, lines, (), g.font + 1),
                    lines=lines,
                    label=name,
                    size=g.font + 1,
                    detail_size=g.small,
                )
            )
            nodes.append(trunk_node)
            edges.append(f"M {anchor:.1f} {bus_y:.1f} V {top:.1f}")
            y = top + trunk_node.height + g.node_gap
            stem_x = x0 + g.skill_indent / 2
            last_middle = None
            for skill in skills:
                node = _rounded(
                    _skill_node(
                        g,
                        skill,
                        marks.get(skill.pk),
                        x0 + g.skill_indent,
                        y,
                        column_width - g.skill_indent,
                    )
                )
                nodes.append(node)
                last_middle = node.y + min(node.height / 2, 18)
                edges.append(f"M {stem_x:.1f} {last_middle:.1f} H {node.x:.1f}")
                y += node.height + g.node_gap
            if last_middle is not None:
                edges.append(
                    f"M {stem_x:.1f} {trunk_node.y + trunk_node.height:.1f} V {last_middle:.1f}"
                )
            row_bottom = max(row_bottom, y - g.node_gap)
        edges.append(f"M {spine_x:.1f} {bus_y:.1f} H {max(anchors):.1f}")
        bottom = row_bottom
        top = row_bottom + g.row_gap
    if last_bus is not None:
        edges.insert(0, f"M {spine_x:.1f} {root.y + root.height:.1f} V {last_bus:.1f}")
    return TreeMap(
        name=g.name,
        width=g.width,
        height=round(bottom + g.margin),
        nodes=tuple(nodes),
        edges=tuple(edges),
        font=g.font,
        small=g.small,
    )
