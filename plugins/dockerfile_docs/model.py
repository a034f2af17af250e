"""The typed model of a Dockerfile and of what BuildKit makes of it.

Two layers live here:

* the *syntax* (:class:`Dockerfile`, :class:`Instruction`, ...), produced by
  :mod:`dockerfile_docs.parse`; it records what is written, with 1-based lines;
* the *meaning* (:class:`Analysis`, :class:`Stage`, :class:`Edge`, ...),
  produced by :mod:`dockerfile_docs.analyze`; every value in it is what a real
  BuildKit build would see for the given :class:`BuildOptions`.

Nothing here imports MkDocs, Markdown or Docker: the model must outlive any
one site generator.
"""

from __future__ import annotations

from .records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:  # the type checker's names only: importing typing costs the command line's start-up
    from typing import Literal

    EdgeKind = Literal["from", "copy", "mount"]
    Severity = Literal["error", "warning", "info", "explain"]
    VariableSource = Literal["build-arg", "default", "global", "env", "platform", "inherited"]

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2, "explain": 3}


# --------------------------------------------------------------------------- syntax


@record(frozen=True)
class Directive:
    """A parser directive (``# syntax=``, ``# escape=``, ``# check=``) from the top of the file."""

    name: str
    value: str
    line: int


@record(frozen=True)
class Comment:
    """A ``#`` comment line that is not a directive; used for inline rule silencing."""

    text: str
    line: int


@record(frozen=True)
class Heredoc:
    """A here-document attached to a RUN, COPY or ADD instruction.

    ``body`` is the content as BuildKit hands it on: with ``<<-`` leading tabs
    are already stripped. ``expand`` is false when the delimiter was quoted,
    in which case BuildKit performs no variable expansion in the body.
    """

    name: str
    body: str
    chomp: bool
    expand: bool
    start_line: int
    end_line: int


@record(frozen=True)
class Flag:
    """A ``--name=value`` flag of an instruction (``value`` is ``None`` for a bare ``--name``)."""

    name: str
    value: str | None


@record
class Instruction:
    """One instruction, with continuation lines joined and heredoc bodies attached.

    ``arguments`` is the text after the keyword and its flags, continuation
    lines joined with nothing in between (as BuildKit does), heredoc bodies
    excluded. ``json_args`` holds the exec form when the arguments are a JSON
    array of strings, else ``None``. ``stage`` is the index of the stage the
    instruction belongs to, ``-1`` for the global scope before the first FROM.
    """

    keyword: str
    written_keyword: str
    flags: tuple[Flag, ...]
    arguments: str
    json_args: tuple[str, ...] | None
    heredocs: tuple[Heredoc, ...]
    start_line: int
    end_line: int
    source: str
    stage: int = -1
    empty_continuation_lines: tuple[int, ...] = ()

    def flag(self, name: str) -> str | None:
        """The value of the last ``--name`` flag, as BuildKit takes the last one."""
        value = None
        for f in self.flags:
            if f.name == name:
                value = f.value if f.value is not None else ""
        return value

    def flags_named(self, name: str) -> list[str]:
        """Every value of a repeatable flag such as ``--mount``."""
        return [f.value or "" for f in self.flags if f.name == name]


@record
class Dockerfile:
    """A parsed Dockerfile: directives, instructions and comments, in order."""

    path: str
    text: str
    directives: tuple[Directive, ...]
    escape: str
    instructions: list[Instruction]
    comments: list[Comment] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def directive(self, name: str) -> str | None:
        for d in self.directives:
            if d.name == name:
                return d.value
        return None


# --------------------------------------------------------------------------- meaning


@record(frozen=True)
class ImageFacts:
    """What is known of a base image without the Dockerfile saying it: its environment and platform.

    The analyzer cannot pull images, so it claims BuildKit's image-dependent
    checks (``UndefinedVar`` on a variable the image may set,
    ``InvalidBaseImagePlatform``) only for images it is told about, e.g. the
    local stand-ins ``verify`` builds with.
    """

    env: dict[str, str] = field(default_factory=dict)
    platform: str | None = None


@record(frozen=True)
class ImageCommand:
    """The ENTRYPOINT and CMD an image's config holds (``None``: not set), as measured in a built image.

    ``verify`` reads them from the image each target's build produced. The
    parts of them that a Dockerfile does not set come from its base image, so
    a measured built image says what the base contributes even when the base
    could not be inspected (BuildKit pulls it without the engine keeping it).
    """

    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None


@record(frozen=True)
class BuildOptions:
    """What a ``docker build`` command line would pass: build args, target and platforms.

    ``platform`` is the target platform (``--platform``); ``build_platform``
    is the machine's. Both default to ``linux/amd64``. ``images`` holds what
    is known of base images, by reference as written after expansion;
    ``ignore_patterns`` the context's ``.dockerignore`` patterns, when the
    context is known (BuildKit's ``CopyIgnoredFile`` check reads them);
    ``built_command`` what a verified build of this target measured in its
    image, when there is one.
    """

    build_args: dict[str, str] = field(default_factory=dict)
    target: str | None = None
    platform: str | None = None
    build_platform: str = "linux/amd64"
    images: dict[str, ImageFacts] = field(default_factory=dict)
    ignore_patterns: tuple[str, ...] | None = None
    built_command: ImageCommand | None = None

    @property
    def target_platform(self) -> str:
        return self.platform or self.build_platform


@record(frozen=True)
class Variable:
    """A variable visible in a scope and where its value came from.

    ``value`` is ``None`` for an ARG declared without a value from any
    source: BuildKit leaves it *unset*, which differs from empty.
    ``line`` is the declaring ARG or ENV line, ``None`` for the automatic
    platform ARGs.
    """

    name: str
    value: str | None
    kind: Literal["arg", "env"]
    source: VariableSource | None
    line: int | None


@record(frozen=True)
class VarReference:
    """One ``$NAME`` / ``${NAME...}`` use that BuildKit expands at build time.

    ``value`` is what the variable held (``None`` when not set there);
    ``has_fallback`` is true when a modifier (``:-``, ``-``, ``:+``, ``+``,
    ``:?``, ``?``) decides what an unset variable gives.
    ``instruction_line`` is the start line of the instruction using it.
    ``by_shell`` marks a use inside a shell-form RUN command: BuildKit does
    not expand it, the shell does at run time with the ARG and ENV values
    as its environment (so the value is the same unless the script sets it).
    """

    name: str
    line: int
    instruction_line: int
    keyword: str
    stage: int
    value: str | None
    has_fallback: bool
    by_shell: bool = False


@record(frozen=True)
class Edge:
    """A dependency of stage ``target`` on a stage index or an image reference.

    ``kind`` is ``from`` (FROM another stage or image), ``copy`` (``COPY/ADD
    --from``) or ``mount`` (``RUN --mount=...,from=``). ``paths`` are the
    copied sources (copy) or the mount's ``source``/``target`` (mount).
    """

    source: int | str
    target: int
    kind: EdgeKind
    line: int
    paths: tuple[str, ...] = ()


@record
class Stage:
    """A build stage from its FROM to the next one.

    ``base`` is the FROM image as written, ``base_resolved`` after expanding
    global ARGs; ``base_stage`` is set when the base is an earlier stage.
    ``vars`` is what a RUN at the end of the stage sees from ARG and ENV,
    inherited values included, unset ARGs included with ``value=None``.
    """

    index: int
    name: str | None
    base: str
    base_resolved: str
    base_stage: int | None
    platform: str | None
    platform_resolved: str | None
    from_line: int
    end_line: int
    instructions: list[Instruction]
    vars: dict[str, Variable] = field(default_factory=dict)
    needed: bool = True

    @property
    def label(self) -> str:
        """The name people use for the stage: its ``AS`` name, else its index."""
        return self.name if self.name is not None else str(self.index)

    @property
    def is_scratch(self) -> bool:
        return self.base_stage is None and self.base_resolved.lower() == "scratch"

    def set_vars(self) -> dict[str, str]:
        """Name to value of the variables that are set (unset ARGs left out)."""
        return {n: v.value for n, v in self.vars.items() if v.value is not None}


@record(frozen=True)
class Finding:
    """What a rule says about a line: the specific thing, in plain words.

    ``rule`` is the rule's code (e.g. ``DD101``), ``name`` its readable name;
    ``buildkit`` is the name of the matching BuildKit build check, if any.
    """

    rule: str
    name: str
    severity: Severity
    line: int
    message: str
    end_line: int | None = None
    buildkit: str | None = None


@record(frozen=True)
class BuildError:
    """An error BuildKit raises when it builds this target, though it parsed the file.

    Kept in the analysis rather than raised, so the page can still show the
    diagram and explain the error at its line (rule DD001 reports it).
    ``stage`` is the stage whose build fails.
    """

    line: int
    message: str
    stage: int


@record
class Analysis:
    """The meaning of a Dockerfile for one set of :class:`BuildOptions`.

    ``scopes`` maps each instruction's start line to the variables visible
    *before* it runs (for FROM lines: the global scope). ``unused_build_args``
    lists ``--build-arg`` names that no ARG declares: BuildKit ignores them.
    """

    dockerfile: Dockerfile
    options: BuildOptions
    global_args: dict[str, Variable]
    stages: list[Stage]
    edges: list[Edge]
    target: int
    references: list[VarReference] = field(default_factory=list)
    scopes: dict[int, dict[str, Variable]] = field(default_factory=dict)
    unused_build_args: list[str] = field(default_factory=list)
    build_errors: list[BuildError] = field(default_factory=list)
    declarations: dict[int, list[Variable]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def stage_by_name(self, name: str) -> Stage | None:
        """Stage names are case-insensitive in BuildKit; of two with one name, the last counts."""
        wanted = name.lower()
        for stage in reversed(self.stages):
            if stage.name is not None and stage.name.lower() == wanted:
                return stage
        return None

    @property
    def target_stage(self) -> Stage:
        return self.stages[self.target]

    def stage_of_line(self, line: int) -> Stage | None:
        for stage in self.stages:
            if stage.from_line <= line <= stage.end_line:
                return stage
        return None
