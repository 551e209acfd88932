from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def prose(text):
    """Seed prose as HTML: blank-line paragraphs, and runs of "- " lines as a list."""
    blocks, items = [], []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        if block.startswith("- "):
            items.append((block[2:],))
            continue
        if items:
            blocks.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", items)))
            items = []
        blocks.append(format_html("<p>{}</p>", block))
    if items:
        blocks.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", items)))
    return mark_safe("".join(blocks))
