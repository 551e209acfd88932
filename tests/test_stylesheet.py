"""The stylesheet stays organised: every colour is a custom property in the :root tokens block,
and no selector is declared twice in the same media context (a second declaration further down
is how rules drifted apart before: one place per selector, or the cascade hides the first)."""

import re
from collections import Counter
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "skilltree.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(")


def parse(css):
    """The rules of a flat stylesheet, in order: (media context, selectors, declarations text).

    Handles what this stylesheet uses: comments, quoted strings, and @media blocks holding
    plain rules. Any other at-rule with a block is returned whole as its own context."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules, media, prelude, i = [], [], "", 0
    while i < len(css):
        char = css[i]
        if char in "\"'":
            end = css.index(char, i + 1)
            prelude += css[i : end + 1]
            i = end + 1
            continue
        if char == "{":
            head = " ".join(prelude.split())
            prelude = ""
            if head.startswith("@"):
                media.append(head)
                i += 1
                continue
            end = i + 1
            while css[end] != "}":
                end = css.index(css[end], end + 1) + 1 if css[end] in "\"'" else end + 1
            selectors = [" ".join(s.split()) for s in re.split(r",(?![^(]*\))", head)]
            rules.append((" ".join(media), selectors, css[i + 1 : end]))
            i = end + 1
            continue
        if char == "}":
            if media:
                media.pop()
            prelude = ""
        else:
            prelude += char
        i += 1
    return rules


def duplicated_selectors(css):
    counts = Counter(
        (media, selector) for media, selectors, _ in parse(css) for selector in selectors
    )
    return sorted(key for key, count in counts.items() if count > 1)


def colours_outside_tokens(css):
    return [
        (selectors, match.group())
        for media, selectors, body in parse(css)
        if not (media == "" and selectors == [":root"])
        for match in COLOUR.finditer(body)
    ]


def test_no_selector_is_declared_twice_in_the_same_media_context():
    assert duplicated_selectors(STYLESHEET.read_text()) == []


def test_colours_appear_only_as_custom_properties_in_the_root_block():
    css = STYLESHEET.read_text()
    (root,) = [body for media, selectors, body in parse(css) if selectors == [":root"]]

    assert colours_outside_tokens(css) == []
    for declaration in root.split(";"):
        if COLOUR.search(declaration):
            assert declaration.strip().startswith("--"), declaration


def test_each_token_is_used():
    css = STYLESHEET.read_text()
    (root,) = [body for media, selectors, body in parse(css) if selectors == [":root"]]
    tokens = re.findall(r"(--[\w-]+)\s*:", root)
    rest = "".join(body for _, selectors, body in parse(css) if selectors != [":root"])

    assert [token for token in tokens if f"var({token})" not in rest] == []


def test_the_checks_catch_a_repeated_selector_and_a_stray_colour():
    css = """
    :root { --ink: #111; }
    .nav { display: flex; }
    .card, .nav { color: var(--ink); }
    @media (max-width: 40rem) { .nav { display: block; } .tag { color: #fff; } }
    @media (max-width: 40rem) { .nav { gap: 0; } }
    .quote::before { content: "{ #abc }"; border: 1px solid rgb(0 0 0 / 6%); }
    """

    assert duplicated_selectors(css) == [("", ".nav"), ("@media (max-width: 40rem)", ".nav")]
    assert [colour for _, colour in colours_outside_tokens(css)] == ["#fff", "#abc", "rgb("]
