"""Front matter: find the block as Jekyll does, parse it safely, keep every position.

Jekyll takes front matter only when the file starts with ``---`` and a later line is
``---`` or ``...``; anything else is body text. PyYAML alone would lose what a linter
needs: where each key and value stands, which keys were given twice (PyYAML keeps the
last silently), and protection against alias bombs. So the YAML is composed into nodes
first (positions, duplicates, expansion size) and only then constructed, with the safe
constructor, which refuses ``!!python/...`` tags instead of running them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from naislint.diagnostics import Span

OPEN_FENCE_RE = re.compile(r"---[ \t]*\n")
CLOSE_FENCE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

#: How many nodes a front matter block may expand to once aliases are followed.
MAX_EXPANDED_NODES = 10_000
#: How deep YAML collections may nest before we refuse (PyYAML recurses per level).
MAX_DEPTH = 200


@dataclass(frozen=True, slots=True)
class Block:
    """Where the front matter block sits in the (newline-normalised) text.

    ``yaml_start`` / ``yaml_end`` delimit the YAML text between the fences;
    ``first_line`` is the file line of the YAML's first line, and ``close_line`` the line
    of the closing fence (``None`` when the block is never closed).
    """

    yaml_text: str
    yaml_start: int
    first_line: int
    close_line: int | None
    end_offset: int


def find_block(text: str) -> Block | None:
    """Locate a Jekyll front matter block at the start of ``text`` (``\\n`` newlines)."""
    m = OPEN_FENCE_RE.match(text)
    if not m:
        return None
    start = m.end()
    close = CLOSE_FENCE_RE.search(text, start) if start < len(text) else None
    # A closing fence directly after the opening one (``---\n---``) is an empty block.
    if close is None:
        return Block(text[start:], start, 2, None, len(text))
    end = close.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    close_line = text.count("\n", 0, close.start()) + 1
    return Block(text[start : close.start()], start, 2, close_line, end)


#: A first line that would open front matter but for what follows the dashes (``---** ``):
#: Jekyll opens the block only with ``---`` and spaces (``---\s*\n``).
_BROKEN_OPEN_RE = re.compile(r"---(?P<stray>[^\s-][^\n]*?|-+)[ \t]*\n")
_KEY_LINE_RE = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t]|$)")


def broken_opening_fence(text: str) -> tuple[int, int] | None:
    """Where the stray characters of a broken opening fence are (start and end offsets on
    line 1), or ``None``.

    The first line is ``---`` with more after it (``---** ``, ``----``) and the lines
    after it are ``key: value`` lines closed by a ``---`` fence: the author wrote front
    matter, and Jekyll does not see it. One defect, which ``front-matter-missing``
    reports; the other rules leave the line alone.
    """
    m = _BROKEN_OPEN_RE.match(text)
    if m is None:
        return None
    saw_key = False
    for line in text[m.end():].split("\n", 60)[:60]:
        if CLOSE_FENCE_RE.match(line):
            return (m.start("stray"), m.end("stray")) if saw_key else None
        if _KEY_LINE_RE.match(line):
            saw_key = True
        elif line.strip() and not line.startswith((" ", "\t", "-", "#")):
            return None
    return None


@dataclass(slots=True)
class YamlError:
    """A YAML problem in file coordinates."""

    message: str
    line: int
    column: int


@dataclass(slots=True)
class Entry:
    """One top-level key: where the key is, where its value is, and its composed node.

    The spans are worked out when asked for: most keys are never reported."""

    key: str
    key_node: Any
    node: Any
    first_line: int

    @property
    def key_span(self) -> Span:
        return _mark_span(self.key_node, self.first_line)

    @property
    def value_span(self) -> Span:
        return _mark_span(self.node, self.first_line)


@dataclass(slots=True)
class FrontMatter:
    """A parsed front matter block.

    ``data`` is what Jekyll would see (``None`` when the block does not parse);
    ``entries`` maps each top-level key to its last occurrence, as PyYAML and Jekyll
    keep the last; ``duplicates`` lists every (earlier, later) pair of the same key at
    any depth.
    """

    block: Block
    data: Any = None
    error: YamlError | None = None
    entries: dict[str, Entry] = field(default_factory=dict)
    duplicates: list[tuple[Entry, Entry]] = field(default_factory=list)
    root: Any = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def mapping(self) -> dict[Any, Any]:
        """The data as a dict; empty when the block is empty, broken or not a mapping."""
        return self.data if isinstance(self.data, dict) else {}

    def node_at(self, path: "tuple[Any, ...] | list[Any]") -> Any:
        """The composed node at a JSON-pointer-like path, or the deepest one found."""
        node = self.root
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node

    def key_node_at(self, path: "tuple[Any, ...] | list[Any]") -> Any:
        """The key node of the last mapping step of ``path``, for 'wrong key' errors."""
        node = self.root
        key_node = None
        for part in path:
            if _is_mapping(node):
                found = None
                for k, v in node.value:
                    if getattr(k, "value", None) == part:
                        found = (k, v)
                if found is None:
                    break
                key_node, node = found
            else:
                child = _child(node, part)
                if child is None:
                    break
                node = child
        return key_node

    def span_of(self, node: Any) -> Span:
        """File span of a composed node; the whole block start when the node is unknown."""
        if node is None or not hasattr(node, "start_mark"):
            return Span.point(self.block.first_line - 1, 1)
        return _mark_span(node, self.block.first_line)


def _is_mapping(node: Any) -> bool:
    return type(node).__name__ == "MappingNode"


def _child(node: Any, part: Any) -> Any:
    kind = type(node).__name__
    if kind == "MappingNode":
        found = None
        for k, v in node.value:
            if getattr(k, "value", None) == str(part):
                found = v
        return found
    if kind == "SequenceNode" and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def _mark_span(node: Any, first_line: int) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line + first_line, s.column + 1, e.line + first_line, e.column + 1)


def parse(text: str) -> FrontMatter | None:
    """Find and parse the front matter of newline-normalised ``text``."""
    block = find_block(text)
    if block is None:
        return None
    fm = FrontMatter(block=block)
    if block.close_line is None:
        fm.error = YamlError(
            "front matter is opened with '---' but never closed; Jekyll will treat the "
            "whole file as a static file and not render it",
            1,
            1,
        )
        return fm
    _load(fm, block.yaml_text)
    return fm


def _loader_class() -> type:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(fm: FrontMatter, yaml_text: str) -> None:
    """Compose, check, then construct; every failure becomes ``fm.error``."""
    import yaml

    first_line = fm.block.first_line
    if not yaml_text.strip():
        fm.data = {}
        return
    text = yaml_text
    for _ in range(50):
        try:
            root = _compose(text)
            break
        except yaml.MarkedYAMLError as exc:
            _relocate_error_marks(text, exc)
            fixed = _tolerate_tab(text, exc)
            if fixed is None:
                mark = _best_mark(exc, text)
                line = (mark.line if mark else 0) + first_line
                column = (mark.column if mark else 0) + 1
                fm.error = YamlError(_yaml_message(exc), line, column)
                return
            text = fixed
        except yaml.YAMLError as exc:
            fm.error = YamlError(f"front matter is not valid YAML: {exc}", first_line, 1)
            return
        except RecursionError:
            fm.error = YamlError("front matter nests too deeply to be read", first_line, 1)
            return
    else:
        fm.error = YamlError("front matter could not be read", first_line, 1)
        return
    if root is None:
        fm.data = {}
        return
    _relocate_node_marks(root, text)
    problem = _check_nodes(root, first_line, fm)
    if problem is not None:
        # The node graph of a bomb or a loop is not safe to walk: rules get no root.
        fm.error = problem
        return
    fm.root = root
    plain = _plain_mapping(root)
    try:
        if plain is not None:
            fm.data = plain
        else:
            loader = _loader_class()("")
            try:
                fm.data = loader.construct_document(root)
            finally:
                loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        _relocate_error_marks(text, exc)
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        column = (mark.column if mark else 0) + 1
        fm.error = YamlError(_constructor_message(exc), line, column)
        return
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        fm.error = YamlError(f"front matter value cannot be read: {exc}", first_line, 1)
        return
    except RecursionError:
        fm.error = YamlError("front matter nests too deeply to be read", first_line, 1)
        return
    if _is_mapping(root):
        for key_node, value_node in root.value:
            key = getattr(key_node, "value", None)
            if isinstance(key, str):
                fm.entries[key] = Entry(key, key_node, value_node, first_line)


def _best_mark(exc: Any, text: str) -> Any:
    """Where to point: the problem, unless the parser only noticed it at the end of the
    block (an unclosed quote), where the context (the quote's start) is what to fix."""
    problem, context = exc.problem_mark, exc.context_mark
    if problem is None:
        return context
    if context is not None and problem.index >= len(text.rstrip()):
        return context
    return problem


#: Characters YAML takes for line breaks that the rest of naislint (like markdown-it and
#: Jekyll's line numbers) does not: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def _relocated(text: str, mark: Any) -> Any:
    """``mark`` with line and column recomputed from its character index, counting only
    ``\n`` as a line break, so positions match the file's lines."""
    if mark is None or not hasattr(mark, "index"):
        return mark
    from yaml.error import Mark

    index = max(0, min(mark.index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    return Mark(mark.name, index, text.count("\n", 0, index), index - line_start, None, 0)


def _relocate_error_marks(text: str, exc: Any) -> None:
    if any(ch in text for ch in _YAML_ONLY_BREAKS):
        exc.problem_mark = _relocated(text, exc.problem_mark)
        exc.context_mark = _relocated(text, exc.context_mark)


def _relocate_node_marks(root: Any, text: str) -> None:
    if not any(ch in text for ch in _YAML_ONLY_BREAKS):
        return
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark = _relocated(text, node.start_mark)
        node.end_mark = _relocated(text, node.end_mark)
        stack.extend(_children(node))


_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


def _plain_mapping(root: Any) -> dict[str, str | None] | None:
    """The data of a mapping of string keys to strings or nothing (most front matter:
    ``title``, ``permalink``, ``layout``, an empty ``description:``), read straight off
    the nodes; ``None`` for any other YAML, which the loader's constructor builds.

    The constructor makes such a mapping the same way, key by key with later keys
    winning, a string value the node's own text (``construct_yaml_str``), an empty one
    ``None`` (``construct_yaml_null``); a merge key (``<<``) has its own tag and is left
    to it. Building it here spares a loader and a Python call per node.
    """
    from yaml.nodes import MappingNode, ScalarNode

    if root.__class__ is not MappingNode:
        return None
    data: dict[str, str | None] = {}
    for key_node, value_node in root.value:
        if key_node.__class__ is not ScalarNode or value_node.__class__ is not ScalarNode or key_node.tag != _STR_TAG:
            return None
        tag = value_node.tag
        if tag == _STR_TAG:
            data[key_node.value] = value_node.value
        elif tag == _NULL_TAG:
            data[key_node.value] = None
        else:
            return None
    return data


def _compose(text: str) -> Any:
    loader = _loader_class()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _tolerate_tab(text: str, exc: Any) -> str | None:
    """Replace a tab inside a plain value by a space, as libyaml reads it.

    The pure-Python PyYAML scanner refuses a tab where the YAML spec, libyaml (the C
    loader naislint prefers) and Ruby's Psych, which Jekyll uses, accept it as in-line
    white space; without libyaml we read on as Jekyll does.
    """
    mark = exc.problem_mark
    if mark is None or "'\\t'" not in str(exc.problem):
        return None
    lines = text.split("\n")
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    col = mark.column
    if col >= len(line) or line[col] != "\t" or not line[:col].strip():
        return None
    lines[mark.line] = line[:col] + " " + line[col + 1 :]
    return "\n".join(lines)


def _check_nodes(root: Any, first_line: int, fm: FrontMatter) -> YamlError | None:
    """Find duplicate keys; refuse blocks that nest or expand
    too far, or that contain themselves (``&a [*a]``: PyYAML builds a loop, which
    would hang or overflow anything that walks the values). Linear in the number of
    nodes (shared alias nodes are visited once).

    Most nodes are scalars: those are settled as soon as they are
    met (a scalar has no children, cannot contain itself and counts one), which does not
    change the order in which anything else is found."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # the nodes on the path from the root to the current one
    # (node, depth, its children once they have been pushed, else None)
    stack: list[tuple[Any, int, Any]] = [(root, 0, None)]
    while stack:
        node, depth, pushed = stack.pop()
        ident = id(node)
        if pushed is not None:
            open_nodes.discard(ident)
            total = 1
            for child in pushed:
                total += sizes.get(id(child), 1)
                if total > MAX_EXPANDED_NODES:
                    break
            sizes[ident] = total
            if total > MAX_EXPANDED_NODES:
                return YamlError(
                    "front matter expands to too many values (YAML aliases used as a bomb?); "
                    "it was not read",
                    node.start_mark.line + first_line,
                    node.start_mark.column + 1,
                )
            continue
        if ident in sizes:
            continue
        if depth > MAX_DEPTH:
            return YamlError("front matter nests too deeply to be read", node.start_mark.line + first_line, 1)
        sizes[ident] = 1  # provisional; guards against revisiting while in progress
        cls = node.__class__
        if cls is MappingNode:
            children: Any = [part for pair in node.value for part in pair]
        elif cls is SequenceNode:
            children = node.value
        else:
            children = ()
        open_nodes.add(ident)
        stack.append((node, depth, children))
        if cls is MappingNode:
            _record_duplicates(node, first_line, fm)
        leaf_ok = depth + 1 <= MAX_DEPTH
        for child in children:
            child_id = id(child)
            if child_id in open_nodes:
                return YamlError(
                    "front matter contains itself (a YAML alias inside its own anchor); it was not read",
                    child.start_mark.line + first_line,
                    child.start_mark.column + 1,
                )
            if child_id not in sizes:
                if leaf_ok and child.__class__ is ScalarNode:
                    sizes[child_id] = 1
                else:
                    stack.append((child, depth + 1, None))
    return None


def _children(node: Any) -> Iterator[Any]:
    kind = type(node).__name__
    if kind == "MappingNode":
        for k, v in node.value:
            yield k
            yield v
    elif kind == "SequenceNode":
        yield from node.value


def _record_duplicates(node: Any, first_line: int, fm: FrontMatter) -> None:
    """Each key given again in a mapping, with the occurrence before it."""
    from yaml.nodes import ScalarNode

    seen: dict[Any, tuple[Any, Any]] = {}
    for key_node, value_node in node.value:
        if key_node.__class__ is not ScalarNode:
            continue
        key = key_node.value
        if key in seen:
            earlier = Entry(str(key), *seen[key], first_line)
            fm.duplicates.append((earlier, Entry(str(key), key_node, value_node, first_line)))
        seen[key] = (key_node, value_node)


def _yaml_message(exc: Any) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "'\\t'" in problem:
        return "a tab character here is not allowed by YAML; use spaces"
    words = problem or context or "invalid YAML"
    if context and problem:
        words = f"{problem} ({context})"
    return f"front matter is not valid YAML: {words}; Jekyll will drop the whole block"


def _constructor_message(exc: Any) -> str:
    problem = (exc.problem or "").strip()
    if "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip()
        return f"front matter uses the tag {tag}, which is not plain data and is not loaded"
    return f"front matter value cannot be read: {problem or exc}"
