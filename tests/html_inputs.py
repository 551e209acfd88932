"""Read form controls out of a rendered page the way a browser would see them."""

from html.parser import HTMLParser


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def inputs(html, name):
    parser = _Inputs()
    parser.feed(html)
    return [attrs for attrs in parser.inputs if attrs.get("name") == name]


def checked_value(html, name):
    """The value of the checked radio called ``name`` (None if none is checked)."""
    values = [attrs.get("value") for attrs in inputs(html, name) if "checked" in attrs]
    assert len(values) <= 1, f"{len(values)} radios named {name} are checked"
    return values[0] if values else None
