from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class ProseBlock:
    """A paragraph (`text`) or a list (`items`)."""

    text: str = ""
    items: tuple[str, ...] = ()


@register.filter
def prose(text):
    """Seed prose as blocks: blank-line paragraphs, and runs of "- " lines as one list. The
    markup is the `prose` partial of curriculum/_prose.html."""
    blocks, items = [], []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        if block.startswith("- "):
            items.append(block[2:])
            continue
        if items:
            blocks.append(ProseBlock(items=tuple(items)))
            items = []
        blocks.append(ProseBlock(text=block))
    if items:
        blocks.append(ProseBlock(items=tuple(items)))
    return blocks
