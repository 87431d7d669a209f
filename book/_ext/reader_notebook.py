"""Reader notebooks: a chapter's MyST markdown turned into plain CommonMark.

Colab and JupyterLab render CommonMark (with HTML and dollar math), not MyST,
so the notebooks that Colab and Binder open would otherwise show
``{glue:text}`key```, ``{doc}`...``` and raw ``:::`` directives. Each markdown
cell is parsed with myst-parser's own markdown-it parser, and every MyST
construct is replaced by what the book's page shows:

* glued values by their value, formatted as myst-nb formats it;
* ``{doc}`` and ``{ref}`` by links into the published site;
* ``{cite:p}`` and ``{cite:t}`` by "(Author, Year)" / "Author (Year)", linked
  to the references page;
* admonitions by a bold title over a block quote; dropdowns (the exercises'
  solutions) by ``<details><summary>``;
* labels, comments and block breaks are dropped.

Anything else MyST raises :class:`UnconvertedMyST`, so a new construct in a
chapter fails the build instead of reaching a student as raw syntax. The
module depends on Sphinx only through the small :class:`Resolver` it is
given, so tests can drive it directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Resolver", "UnconvertedMyST", "to_commonmark", "cite_label", "myst_leftovers"]


class UnconvertedMyST(ValueError):
    """A MyST construct the reader notebooks have no conversion for."""


@dataclass
class Resolver:
    """What the conversion needs to know about the built book.

    Parameters
    ----------
    docname : str
        The chapter being converted, e.g. ``"book/fcnn/relu-mnist"``.
    glue : callable
        ``glue(docname, key)`` returns the glued output's mime bundle (dict).
    page_url : callable
        ``page_url(docname, anchor=None)`` returns the absolute URL of a page.
    title : callable
        ``title(docname)`` returns the page's title.
    label : callable
        ``label(name)`` returns ``(docname, anchor, section title)`` of a label.
    citation : callable
        ``citation(key)`` returns ``(authors, year)`` for a bibliography key.
    references_url : str
        Absolute URL of the book's references page.
    docnames : set of str
        Every page of the book (to resolve ``{doc}`` targets).
    citation_anchor : callable, optional
        ``citation_anchor(key)`` returns the entry's anchor on the references page.
    """

    docname: str
    glue: Callable[[str, str], dict]
    page_url: Callable[..., str]
    title: Callable[[str], str]
    label: Callable[[str], tuple]
    citation: Callable[[str], tuple]
    references_url: str
    docnames: set = field(default_factory=set)
    citation_anchor: Callable[[str], str] | None = None


_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser

        # The book's own extensions (_config.yml, parse.myst_enable_extensions).
        config = MdParserConfig(enable_extensions={"amsmath", "colon_fence", "dollarmath", "substitution"})
        _PARSER = create_md_parser(config, RendererHTML)
    return _PARSER


# A role as written in the source: {name}`content` (any run of backticks).
_ROLE = re.compile(r"\{([^\s{}`]+)\}(`+)(.*?)(?<!`)\2(?!`)", re.S)
_ADMONITIONS = {"admonition", "note", "tip", "hint", "important", "warning", "caution",
                "attention", "danger", "error", "seealso"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$|#])")


def _escape(text):
    """Plain text as CommonMark text (``$`` too: Jupyter reads it as math)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _squash(text):
    return " ".join(text.split())


def to_commonmark(text, resolver):
    """Convert one markdown cell from MyST to CommonMark.

    Parameters
    ----------
    text : str
        The cell's MyST markdown.
    resolver : Resolver
        Glued values, titles, links and citations of the built book.

    Returns
    -------
    str
        The cell as CommonMark with HTML and dollar math.

    Raises
    ------
    UnconvertedMyST
        For a role or directive without a conversion.
    """
    lines = text.split("\n")
    tokens = _parser().parse(text)
    for tok in tokens:
        if tok.type in ("fence", "colon_fence") and tok.info.startswith("{") and tok.level > 0:
            raise UnconvertedMyST(f"{resolver.docname}: directive {tok.info!r} inside another block")
    out, cursor, i = [], 0, 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != 0 or tok.map is None:
            i += 1
            continue
        start, end = tok.map
        # The block's tokens run to its matching close token.
        j = i
        if tok.nesting == 1:
            depth = 0
            while True:
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        block = tokens[i:j + 1]
        out.extend(lines[cursor:start])            # blank lines between blocks
        if tok.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            pass
        elif tok.type == "substitution_block":
            raise UnconvertedMyST(f"{resolver.docname}: substitution {tok.content!r}")
        elif tok.type in ("fence", "colon_fence") and tok.info.startswith("{"):
            out.extend(_directive(tok, resolver).split("\n"))
        elif tok.type in ("fence", "code_block", "math_block", "amsmath", "html_block", "hr"):
            out.extend(lines[start:end])
        else:
            out.extend(_inline_roles("\n".join(lines[start:end]), block, resolver).split("\n"))
        cursor = end
        i = j + 1
    out.extend(lines[cursor:])
    return "\n".join(out).strip("\n")


def _find_roles(source):
    """The roles in inline source, as regex matches, skipping code spans.

    Scans as markdown-it does: a role is tried first at every ``{``, a run
    of backticks opens a code span that the next run of the same length
    closes, and a backslash escapes the next character.
    """
    found, i, n = [], 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2
        elif ch == "{" and (m := _ROLE.match(source, i)):
            found.append(m)
            i = m.end()
        elif ch == "`":
            run = len(source[i:]) - len(source[i:].lstrip("`"))
            close = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(source, i + run)
            i = close.end() if close else i + run
        else:
            i += 1
    return found


def _inline_roles(source, block, resolver):
    """Replace the roles in one block's source (the parser's tokens check the count)."""
    roles = [(c.meta["name"], _squash(c.content)) for t in block if t.type == "inline"
             for c in t.children or [] if c.type == "myst_role"]
    for t in block:
        for c in t.children or []:
            if c.type in ("substitution_inline", "substitution_block"):
                raise UnconvertedMyST(f"{resolver.docname}: substitution {c.content!r}")
    matches = _find_roles(source)
    if [(m.group(1), _squash(m.group(3))) for m in matches] != roles:
        raise UnconvertedMyST(f"{resolver.docname}: could not place the roles {roles} in {source[:200]!r}")
    out, last = [], 0
    for m in matches:
        out += [source[last:m.start()], _role(m.group(1), _squash(m.group(3)), resolver)]
        last = m.end()
    return "".join(out + [source[last:]])


def _split_target(content):
    """``"text <target>"`` -> (text, target); ``"target"`` -> (None, target)."""
    m = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, re.S)
    return (m.group(1).strip(), m.group(2).strip()) if m else (None, content.strip())


def _docname(target, resolver):
    """The docname a ``{doc}`` target or a glue ``path::`` prefix names."""
    import posixpath

    target = re.sub(r"\.(md|ipynb)$", "", target)
    if target.startswith("/"):
        name = posixpath.normpath(target.lstrip("/"))
    else:
        name = posixpath.normpath(posixpath.join(posixpath.dirname(resolver.docname), target))
    if resolver.docnames and name not in resolver.docnames:
        raise UnconvertedMyST(f"{resolver.docname}: no page {target!r} (resolved to {name!r})")
    return name


def glue_text(bundle, role, fmt=None):
    """The text a glue role shows for a glued output, as myst-nb renders it.

    ``role`` is ``"text"``, ``"md"`` or ``"any"``; the result is CommonMark.
    """
    from myst_nb.core.variables import format_plain_text

    if role == "text":
        return _escape(format_plain_text(bundle["text/plain"], fmt if fmt is not None else "s"))
    if role == "md":
        return bundle["text/markdown"].strip()
    # {glue:} shows the richest type it can put inline; the book glues plain values.
    for mime in ("text/html", "image/png", "image/svg+xml", "image/jpeg"):
        if mime in bundle:
            raise UnconvertedMyST(f"{{glue:}} of a {mime} output has no inline conversion")
    if "text/markdown" in bundle:
        return bundle["text/markdown"].strip()
    if "text/latex" in bundle:
        return bundle["text/latex"].strip()
    return _escape(bundle["text/plain"])


def _glue(name, content, resolver):
    role = {"glue": "any", "glue:": "any", "glue:any": "any", "glue:text": "text", "glue:md": "md"}[name]
    fmt = None
    if role == "text":
        key, _, fmt = content.rpartition(":") if ":" in content.split("::")[-1] else (content, "", None)
    elif role == "md" and ":" in content.split("::")[-1]:
        key = content.rsplit(":", 1)[0]       # the markdown flavour: the same text here
    else:
        key = content
    doc, sep, key = key.rpartition("::")
    docname = _docname(doc, resolver) if sep else resolver.docname
    try:
        bundle = resolver.glue(docname, key)
    except KeyError:
        raise UnconvertedMyST(f"{resolver.docname}: no glued value {key!r} in {docname}") from None
    return glue_text(bundle, role, fmt)


def cite_label(authors, year, textual=False):
    """Author-year label, as the book's references show it ("A and B, 1959")."""
    names = authors[0] if len(authors) == 1 else (
        f"{authors[0]} and {authors[1]}" if len(authors) == 2 else f"{authors[0]} et al.")
    return f"{names} ({year})" if textual else f"{names}, {year}"


def _anchor(resolver, key):
    anchor = resolver.citation_anchor(key) if resolver.citation_anchor else None
    return f"#{anchor}" if anchor else ""


def _role(name, content, resolver):
    if name in ("glue", "glue:", "glue:any", "glue:text", "glue:md"):
        return _glue(name, content, resolver)
    if name == "doc":
        text, target = _split_target(content)
        docname = _docname(target, resolver)
        return f"[{_escape(text or resolver.title(docname))}]({resolver.page_url(docname)})"
    if name == "ref":
        text, target = _split_target(content)
        try:
            docname, anchor, section = resolver.label(target)
        except KeyError:
            raise UnconvertedMyST(f"{resolver.docname}: no label {target!r}") from None
        return f"[{_escape(text or section)}]({resolver.page_url(docname, anchor)})"
    if name in ("cite", "cite:p", "cite:t"):
        keys = [k.strip() for k in content.split(",") if k.strip()]
        try:
            labels = [cite_label(*resolver.citation(k), textual=name == "cite:t") for k in keys]
        except KeyError as exc:
            raise UnconvertedMyST(f"{resolver.docname}: no bibliography entry {exc}") from None
        links = [f"[{_escape(lab)}]({resolver.references_url}{_anchor(resolver, k)})"
                 for lab, k in zip(labels, keys)]
        return ", ".join(links) if name == "cite:t" else f"({'; '.join(links)})"
    if name == "math":
        return f"${content}$"
    raise UnconvertedMyST(f"{resolver.docname}: no conversion for the role {{{name}}}")


def _directive(tok, resolver):
    m = re.fullmatch(r"\{([^}]+)\}\s*(.*)", tok.info.strip(), re.S)
    name, argument = m.group(1), m.group(2).strip()
    body = tok.content.split("\n")
    options = {}
    if body and body[0].strip() == "---":        # a YAML block of options
        end = body.index("---", 1)
        import yaml

        options = yaml.safe_load("\n".join(body[1:end])) or {}
        body = body[end + 1:]
    else:
        while body and (o := re.match(r"^:([\w-]+):\s*(.*)$", body[0])):
            options[o.group(1)] = o.group(2)
            body = body[1:]
    if name not in _ADMONITIONS:
        raise UnconvertedMyST(f"{resolver.docname}: no conversion for the directive {{{name}}}")
    title = argument if name == "admonition" else (argument or name.capitalize())
    title = _inline_roles(title, _parser().parse(title), resolver) if "{" in title else title
    inner = to_commonmark("\n".join(body), resolver)
    if "dropdown" in str(options.get("class", "")).split():
        # The blank lines let CommonMark read the body as markdown again.
        return f"<details>\n<summary>{title}</summary>\n\n{inner}\n\n</details>"
    quoted = [f"**{title}**", ""] + inner.split("\n")
    return "\n".join(f"> {line}".rstrip() for line in quoted)


# What a reader notebook's markdown must never contain.
_LEFTOVERS = [
    (re.compile(r"\{[a-z][\w:-]*\}`"), "role"),
    (re.compile(r"^\s*(`{3,}|:{3,})\{", re.M), "directive"),
    (re.compile(r"^\s*:{3,}", re.M), "colon fence"),
    (re.compile(r"^\([\w.-]+\)=\s*$", re.M), "label"),
    (re.compile(r"^\+\+\+", re.M), "block break"),
    (re.compile(r"^\s*:(class|name|label|width|align|tags|dropdown):", re.M), "directive option"),
    (re.compile(r"\{\{.*?\}\}"), "substitution"),
]


def myst_leftovers(text):
    """The MyST constructs left in markdown text, as (kind, snippet) pairs."""
    found = []
    for pattern, kind in _LEFTOVERS:
        for m in pattern.finditer(text):
            found.append((kind, text[max(0, m.start() - 30):m.end() + 30]))
    return found
