"""What BuildKit makes of a parsed Dockerfile: stages, variable values, edges, the target.

The rules implemented here are BuildKit's (``frontend/dockerfile/dockerfile2llb``),
and the corpus in ``tests/semantics/cases`` pins each of them to what a real
build printed:

* global ARGs (before the first FROM) and the automatic platform ARGs expand
  in FROM lines only; inside a stage a global is visible after ``ARG NAME``;
* a stage ARG takes ``--build-arg`` first, then its own default, then the
  global value; with none of them it is *unset*, which differs from empty;
* ARG and ENV of the same name: the later declaration wins (an ENV after
  an ARG overrides it, and so does an ARG with a value after an ENV); every
  value on an ENV line is expanded against the variables from before it;
* a stage built FROM another stage starts with that stage's variables;
* the target is the last stage or ``--target``; only the stages it reaches
  through FROM, ``COPY --from`` and ``RUN --mount from=`` are built;
* stage names are stored lower-cased: ``--from`` matches them in any case,
  FROM only when written in lower case; two stages may share a name, and a
  reference means the last of them (for FROM: the last one before it).
"""

from __future__ import annotations

import re

from .errors import DockerfileError
from .expand import Expander, ExpansionError, find_shell_references, split_key_values
from .model import (
    Analysis,
    BuildError,
    BuildOptions,
    Dockerfile,
    Edge,
    Instruction,
    Stage,
    Variable,
    VarReference,
)
from .records import record

PLATFORM_ARGS = (
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
)
PROXY_ARGS = frozenset(
    {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
     "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"}
)
"""Build args BuildKit passes to RUN without any ARG declaring them."""
FRONTEND_ARGS = frozenset({
    "BUILDKIT_CACHE_MOUNT_NS", "BUILDKIT_CONTEXT_KEEP_GIT_DIR", "BUILDKIT_DISABLE_FILEOP", "BUILDKIT_DOCKERFILE_CHECK",
    "BUILDKIT_MULTI_PLATFORM", "BUILDKIT_SANDBOX_HOSTNAME", "BUILDKIT_SYNTAX", "SOURCE_DATE_EPOCH",
})
"""Build args BuildKit's Dockerfile frontend reads itself (its ``build-arg:`` options, and the epoch of the image's
timestamps), so none of them goes unused for want of an ARG."""

EXPANDING_INSTRUCTIONS = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
FROM_EXPANSION_REFUSED = (
    "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround"
)
"""BuildKit 0.25's error for a ``COPY --from`` holding a variable, in any stage (case ``copy-from-arg``)."""
DEVICE_NEEDS_LABS = "device feature is only supported in Dockerfile frontend 1.14.0-labs or later"
"""The built-in frontend parses ``RUN --device`` but refuses to build it (case ``run-device-needs-labs``)."""
MAX_STAGES = 500
"""More stages than this are refused with a clear error: rules walk FROM chains, and no real file comes near it."""
STAGE_NAME = re.compile(r"^[a-z][a-z0-9\-_.]*$")
_QUOTED = re.compile(r"'[^']*'|\"(?:\\.|[^\"\\])*\"")
"""A quoted shell string: what it holds is text, never an assignment (``echo "V=$V"`` assigns nothing)."""
_SHELL_ASSIGNMENT = re.compile(r"(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=|\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b|\bread\s+(?:-\w+\s+)*([A-Za-z_][A-Za-z0-9_]*)")


_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "i386": "386", "i686": "386", "armhf": "arm", "armel": "arm"}


def normalize_platform(platform: str) -> tuple[str, str, str]:
    """``os/arch[/variant]`` as containerd normalises it (BuildKit's TARGET*/BUILD* values).

    ``linux/arm64/v8`` is ``linux/arm64`` with no variant (observed, case
    ``platform-arm64-normalised``); ``arm`` without a variant is ``v7``.
    """
    parts = platform.strip().lower().split("/")
    os_name = parts[0] if parts else ""
    written_arch = parts[1] if len(parts) > 1 else ""
    arch = _ARCH_ALIASES.get(written_arch, written_arch)
    variant = parts[2] if len(parts) > 2 else ""
    if written_arch == "armhf" and not variant:
        variant = "v7"
    elif written_arch == "armel" and not variant:
        variant = "v6"
    if arch == "arm64" and variant == "v8":
        variant = ""
    elif arch == "amd64" and variant == "v1":
        variant = ""
    elif arch == "arm" and not variant:
        variant = "v7"
    return os_name, arch, variant


def platform_values(options: BuildOptions) -> dict[str, str]:
    """The automatic platform ARGs for ``--platform`` and the machine's platform."""
    values: dict[str, str] = {}
    for prefix, platform in (("TARGET", options.target_platform), ("BUILD", options.build_platform)):
        os_name, arch, variant = normalize_platform(platform)
        values[f"{prefix}PLATFORM"] = "/".join(p for p in (os_name, arch, variant) if p)
        values[f"{prefix}OS"] = os_name
        values[f"{prefix}ARCH"] = arch
        values[f"{prefix}VARIANT"] = variant
    return values


@record
class _Scope:
    """The variables of a stage in the order BuildKit sets them in the build state.

    An ARG with a value and an ENV both set the variable, and the later one
    wins: ``ENV V=e`` then ``ARG V=a`` leaves ``a`` (observed with BuildKit,
    case ``env-before-arg-of-same-name``), ``ARG`` then ``ENV`` leaves the ENV
    value. An ARG without a value never replaces anything; it is recorded
    as declared-but-unset only when nothing else holds the name.
    """

    variables: dict[str, Variable]

    def declare(self, variable: Variable) -> None:
        if variable.value is None and variable.name in self.variables:
            return
        self.variables[variable.name] = variable

    def visible(self) -> dict[str, Variable]:
        return dict(self.variables)

    def values(self) -> dict[str, str]:
        return {name: v.value for name, v in self.variables.items() if v.value is not None}


class _Analyzer:
    def __init__(self, dockerfile: Dockerfile, options: BuildOptions) -> None:
        self.dockerfile = dockerfile
        self.options = options
        self.path = dockerfile.path
        self.escape = dockerfile.escape
        self.platform = platform_values(options)
        self.references: list[VarReference] = []
        self.scopes: dict[int, dict[str, Variable]] = {}
        self.edges: list[Edge] = []
        self.declared_args: set[str] = set()
        self.deferred_errors: dict[int, BuildError] = {}
        self.declarations: dict[int, list[Variable]] = {}
        self.reference_errors: list[BuildError] = []

    # ------------------------------------------------------------------ driver

    def run(self) -> Analysis:
        instructions = self.dockerfile.instructions
        if not instructions:
            raise DockerfileError(self.path, None, "the file has no instructions (it is empty or only comments)")
        first_from = next((i for i, ins in enumerate(instructions) if ins.keyword == "FROM"), None)
        for ins in instructions[: first_from if first_from is not None else len(instructions)]:
            if ins.keyword != "ARG":
                raise DockerfileError(self.path, ins.start_line, f"{ins.keyword} comes before the first FROM: only ARG may stand there (no build stage in current context)")
        if first_from is None:
            raise DockerfileError(self.path, instructions[-1].start_line, "the file has no FROM instruction, so it has no stage to build")

        global_args = self._global_args(instructions[:first_from])
        stages = self._split_stages(instructions[first_from:], global_args)
        target = self._target(stages)
        for stage in stages:
            self._stage_variables(stage, stages, global_args)
        self._link_edges(stages)
        self._mark_needed(stages, target)
        build_errors = list(self.reference_errors)
        build_errors += [self.deferred_errors[s.index] for s in stages if s.needed and s.index in self.deferred_errors]
        consumed = self.declared_args | PROXY_ARGS | FRONTEND_ARGS
        unused = [name for name in self.options.build_args if name not in consumed]
        return Analysis(
            dockerfile=self.dockerfile,
            options=self.options,
            global_args=global_args,
            stages=stages,
            edges=self.edges,
            target=target,
            references=self.references,
            scopes=self.scopes,
            unused_build_args=unused,
            build_errors=sorted(build_errors, key=lambda e: e.line),
            declarations=self.declarations,
        )

    # ------------------------------------------------------------------ global scope

    def _global_args(self, instructions: list[Instruction]) -> dict[str, Variable]:
        global_args: dict[str, Variable] = {}
        for ins in instructions:
            self.scopes[ins.start_line] = dict(global_args)
            env = self._meta_env(global_args)
            for name, default in self._arg_pairs(ins):
                self.declared_args.add(name)
                if name in self.options.build_args:
                    variable = Variable(name, self.options.build_args[name], "arg", "build-arg", ins.start_line)
                elif default is not None:
                    value = self._expand_strictly(default, env, ins, -1)
                    variable = Variable(name, value, "arg", "default", ins.start_line)
                elif name in self.platform:
                    variable = Variable(name, self.platform[name], "arg", "platform", ins.start_line)
                else:
                    variable = Variable(name, None, "arg", None, ins.start_line)
                global_args[name] = variable
                self.declarations.setdefault(ins.start_line, []).append(variable)
                env = self._meta_env(global_args)
        return global_args

    def _meta_env(self, global_args: dict[str, Variable]) -> dict[str, str]:
        env = dict(self.platform)
        env.update({name: v.value for name, v in global_args.items() if v.value is not None})
        return env

    # ------------------------------------------------------------------ stages

    def _split_stages(self, instructions: list[Instruction], global_args: dict[str, Variable]) -> list[Stage]:
        stages: list[Stage] = []
        meta_env = self._meta_env(global_args)
        meta_scope = {**{n: Variable(n, v, "arg", "platform", None) for n, v in self.platform.items()}, **global_args}
        seen_names: dict[str, int] = {}
        for ins in instructions:
            if ins.keyword != "FROM":
                stages[-1].instructions.append(ins)
                stages[-1].end_line = ins.end_line
                ins.stage = stages[-1].index
                continue
            index = len(stages)
            if index >= MAX_STAGES:
                raise DockerfileError(self.path, ins.start_line, f"more than {MAX_STAGES} stages: dockerfile-docs analyzes at most {MAX_STAGES}")
            ins.stage = index
            self.scopes[ins.start_line] = dict(meta_scope)
            words = ins.arguments.split()
            if len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "as"):
                raise DockerfileError(self.path, ins.start_line, "FROM requires either one or three arguments: FROM [--platform=P] IMAGE [AS NAME]")
            image = self._expand_strictly(words[0], meta_env, ins, index)
            if not image:
                self.reference_errors.append(BuildError(ins.start_line, f"base name ({words[0]}) should not be blank: the ARG it uses has no value here", index))
            name = words[2] if len(words) == 3 else None
            if image and image not in seen_names and image.lower() != "scratch":
                problem = reference_problem(image)
                if problem:
                    self.reference_errors.append(BuildError(ins.start_line, f'failed to parse stage name "{image}": {problem}', index))
            if name is not None:
                if not STAGE_NAME.match(name.lower()):
                    raise DockerfileError(self.path, ins.start_line, f"invalid name for build stage: {name!r}, name can't start with a number or contain symbols")
            platform = ins.flag("platform")
            platform_resolved = self._expand_strictly(platform, meta_env, ins, index) if platform is not None else None
            base_stage = seen_names.get(image)
            stages.append(
                Stage(
                    index=index,
                    name=name,
                    base=words[0],
                    base_resolved=image,
                    base_stage=base_stage,
                    platform=platform,
                    platform_resolved=platform_resolved,
                    from_line=ins.start_line,
                    end_line=ins.end_line,
                    instructions=[ins],
                )
            )
            if name is not None:
                seen_names[name.lower()] = index
            source: int | str = base_stage if base_stage is not None else image
            self.edges.append(Edge(source, index, "from", ins.start_line))
        return stages

    def _target(self, stages: list[Stage]) -> int:
        if self.options.target is None:
            return len(stages) - 1
        wanted = self.options.target.lower()
        for stage in reversed(stages):
            if stage.name is not None and stage.name.lower() == wanted:
                return stage.index
        names = ", ".join(s.name for s in stages if s.name) or "none"
        raise DockerfileError(self.path, None, f"target stage {self.options.target!r} could not be found (stages named: {names})")

    # ------------------------------------------------------------------ variables

    def _stage_variables(self, stage: Stage, stages: list[Stage], global_args: dict[str, Variable]) -> None:
        if stage.base_stage is not None:
            parent = stages[stage.base_stage]
            scope = _Scope({n: _inherited(v) for n, v in parent.vars.items()})
        else:
            scope = _Scope({})
        for name, value in self._proxy_args().items():
            if name not in scope.variables:
                scope.declare(Variable(name, value, "arg", "build-arg", None))
        for ins in stage.instructions[1:]:
            self.scopes[ins.start_line] = scope.visible()
            try:
                self._apply(ins, stage, scope, global_args)
            except ExpansionError as error:
                self._defer(stage, ins.start_line, str(error))
        stage.vars = scope.visible()

    def _apply(self, ins: Instruction, stage: Stage, scope: _Scope, global_args: dict[str, Variable]) -> None:
        keyword = ins.keyword
        if keyword == "ARG":
            for name, default in self._arg_pairs(ins):
                self.declared_args.add(name)
                env = scope.values()
                if name in self.options.build_args:
                    variable = Variable(name, self.options.build_args[name], "arg", "build-arg", ins.start_line)
                elif default is not None:
                    variable = Variable(name, self._expand_word(default, env, ins, stage.index), "arg", "default", ins.start_line)
                elif name in global_args and global_args[name].value is not None:
                    variable = Variable(name, global_args[name].value, "arg", "global", ins.start_line)
                elif name in self.platform:
                    variable = Variable(name, self.platform[name], "arg", "platform", ins.start_line)
                else:
                    variable = Variable(name, None, "arg", None, ins.start_line)
                scope.declare(variable)
                self.declarations.setdefault(ins.start_line, []).append(variable)
        elif keyword == "ENV":
            env = scope.values()
            for name, raw in self._key_values(ins):
                value = self._expand_word(raw, env, ins, stage.index)
                variable = Variable(name, value, "env", "env", ins.start_line)
                scope.declare(variable)
                self.declarations.setdefault(ins.start_line, []).append(variable)
        elif keyword == "RUN":
            if ins.flag("device") is not None:
                self._defer(stage, ins.start_line, DEVICE_NEEDS_LABS)
            self._run_references(ins, stage, scope)
            for mount in ins.flags_named("mount"):
                self._expand_word(mount, scope.values(), ins, stage.index)
        elif keyword in EXPANDING_INSTRUCTIONS:
            env = scope.values()
            if keyword == "LABEL":
                for _, raw in self._key_values(ins):
                    self._expand_word(raw, env, ins, stage.index)
            else:
                self._expand_words(ins.arguments if not ins.json_args else " ".join(ins.json_args), env, ins, stage.index)
            for flag in ins.flags:
                if flag.value and flag.name in {"chown", "chmod"}:
                    self._expand_word(flag.value, env, ins, stage.index)
        for heredoc in ins.heredocs:
            if heredoc.expand and keyword in {"COPY", "ADD"}:
                self._expand_heredoc(heredoc.body, scope.values(), ins, stage.index, heredoc.start_line)

    def _run_references(self, ins: Instruction, stage: Stage, scope: _Scope) -> None:
        if ins.json_args is not None:
            return
        script = ins.arguments + "".join("\n" + h.body for h in ins.heredocs if h.expand)
        if "$" not in script:  # most RUN lines read no variable: no scope to build, no assignments to look for
            return
        assigned = {name for groups in _SHELL_ASSIGNMENT.findall(_QUOTED.sub(" ", script)) for name in groups if name}
        visible = scope.visible()
        for name, has_fallback, _ in find_shell_references(script):
            if name in assigned:
                continue
            variable = visible.get(name)
            self.references.append(
                VarReference(name, ins.start_line, ins.start_line, ins.keyword, stage.index,
                             variable.value if variable else None, has_fallback, by_shell=True)
            )

    def _proxy_args(self) -> dict[str, str]:
        """Proxy build args reach RUN undeclared, in both spellings (``HTTP_PROXY`` sets ``http_proxy`` too)."""
        given = {name: value for name, value in self.options.build_args.items() if name in PROXY_ARGS}
        values = dict(given)
        for name, value in given.items():
            for spelling in (name.upper(), name.lower()):
                values.setdefault(spelling, value)
        return dict(sorted(values.items()))

    # ------------------------------------------------------------------ expansion helpers

    def _expander(self, env: dict[str, str]) -> Expander:
        return Expander(env, self.escape)

    def _record(self, expander: Expander, ins: Instruction, stage: int, line: int | None = None) -> None:
        for lookup in expander.lookups:
            self.references.append(
                VarReference(lookup.name, line or ins.start_line, ins.start_line, ins.keyword, stage, lookup.value, lookup.has_fallback)
            )

    def _expand_word(self, text: str, env: dict[str, str], ins: Instruction, stage: int) -> str:
        expander = self._expander(env)
        try:
            return expander.word(text)
        finally:
            self._record(expander, ins, stage)

    def _expand_strictly(self, text: str, env: dict[str, str], ins: Instruction, stage: int) -> str:
        """Expand where BuildKit fails the whole file on a bad word (FROM lines, global ARGs)."""
        try:
            return self._expand_word(text, env, ins, stage)
        except ExpansionError as error:
            raise DockerfileError(self.path, ins.start_line, f"{ins.keyword}: {error}") from None

    def _expand_words(self, text: str, env: dict[str, str], ins: Instruction, stage: int) -> list[str]:
        expander = self._expander(env)
        try:
            return expander.words(text)
        finally:
            self._record(expander, ins, stage)

    def _expand_heredoc(self, body: str, env: dict[str, str], ins: Instruction, stage: int, first_line: int) -> None:
        for offset, line in enumerate(body.split("\n")):
            if "$" not in line:
                continue
            expander = self._expander(env)
            try:
                expander.word(line.replace('"', '\\"').replace("'", "\\'"))
            except ExpansionError:
                continue
            self._record(expander, ins, stage, first_line + offset)

    # ------------------------------------------------------------------ key=value forms

    def _arg_pairs(self, ins: Instruction) -> list[tuple[str, str | None]]:
        pairs: list[tuple[str, str | None]] = []
        words = split_key_values(ins.arguments, self.escape)
        if not words:
            raise DockerfileError(self.path, ins.start_line, "ARG requires at least one argument")
        for word in words:
            name, sep, default = word.partition("=")
            if not name:
                raise DockerfileError(self.path, ins.start_line, f"ARG names a variable with no name: {word!r}")
            pairs.append((name, default if sep else None))
        return pairs

    def _key_values(self, ins: Instruction) -> list[tuple[str, str]]:
        """``ENV``/``LABEL`` pairs: ``K=V K2=V2``, or the legacy ``ENV K V with spaces``."""
        words = split_key_values(ins.arguments, self.escape)
        if not words:
            raise DockerfileError(self.path, ins.start_line, f"{ins.keyword} requires at least one argument")
        if "=" not in words[0]:
            parts = ins.arguments.split(None, 1)
            if len(parts) < 2:
                raise DockerfileError(self.path, ins.start_line, f"{ins.keyword} {parts[0]} needs a value: {ins.keyword} {parts[0]}=VALUE")
            return [(parts[0], parts[1].strip())]
        pairs = []
        for word in words:
            name, sep, value = word.partition("=")
            if not sep or not name:
                raise DockerfileError(self.path, ins.start_line, f"{ins.keyword} names must be followed by '=' and a value: {word!r}")
            pairs.append((name, value))
        return pairs

    # ------------------------------------------------------------------ edges

    def _link_edges(self, stages: list[Stage]) -> None:
        by_name = {s.name.lower(): s.index for s in stages if s.name is not None}  # the last of a name wins
        for stage in stages:
            for ins in stage.instructions[1:]:
                env = {n: v.value for n, v in self.scopes.get(ins.start_line, {}).items() if v.value is not None}
                if ins.keyword in {"COPY", "ADD"}:
                    source = ins.flag("from")
                    if source is None:
                        continue
                    if self._quiet_expand(source, {}) != source:
                        self.reference_errors.append(BuildError(ins.start_line, FROM_EXPANSION_REFUSED, stage.index))
                        continue
                    words = [self._quiet_expand(word, env) for word in ins.json_args] if ins.json_args else self._quiet_words(ins.arguments, env)
                    paths = tuple(words[:-1]) if len(words) > 1 else tuple(words)
                    self._add_edge(stages, by_name, stage, source, "copy", ins.start_line, paths)
                elif ins.keyword == "RUN":
                    for mount in ins.flags_named("mount"):
                        options = _mount_options(self._quiet_expand(mount, env))
                        source = options.get("from")
                        if not source:
                            continue
                        paths = tuple(p for p in (options.get("source") or options.get("src"),
                                                  options.get("target") or options.get("dst") or options.get("destination")) if p)
                        self._add_edge(stages, by_name, stage, source, "mount", ins.start_line, paths)

    def _add_edge(self, stages: list[Stage], by_name: dict[str, int], stage: Stage, source: str, kind: str, line: int, paths: tuple[str, ...]) -> None:
        """Resolve ``--from``: a stage name (any case), else a stage index, else an image reference.

        BuildKit refuses a stage that is not defined before the current one
        (itself included), but only when it builds the referring stage: the
        error is deferred until reachability is known.
        """
        resolved: int | str = source
        named = by_name.get(source.lower())
        if named is not None:
            resolved = named
        elif source.isdigit():
            resolved = int(source)
            if resolved >= len(stages):
                self._defer(stage, line, f"invalid stage index {resolved}: --from={source} names no stage (the file has {len(stages)})")
                return
        if isinstance(resolved, str):
            problem = reference_problem(resolved)
            if problem:
                self._defer(stage, line, f'failed to parse stage name "{resolved}": {problem}'
                            + (" (BuildKit does not expand variables in --from)" if "$" in resolved else ""))
        if isinstance(resolved, int):
            if resolved == stage.index:
                self._defer(stage, line, f"circular dependency detected on stage: {stage.label} copies from itself")
            elif resolved > stage.index:
                self._defer(stage, line, f'cannot copy from stage "{stages[resolved].label}", it needs to be defined before current stage "{stage.label}"')
        self.edges.append(Edge(resolved, stage.index, kind, line, paths))  # type: ignore[arg-type]

    def _defer(self, stage: Stage, line: int, message: str) -> None:
        """Keep the first error of a stage; it counts only if the target needs that stage."""
        self.deferred_errors.setdefault(stage.index, BuildError(line, message, stage.index))

    def _quiet_expand(self, text: str, env: dict[str, str]) -> str:
        try:
            return Expander(env, self.escape).word(text)
        except ExpansionError:
            return text

    def _quiet_words(self, text: str, env: dict[str, str]) -> list[str]:
        try:
            return Expander(env, self.escape).words(text)
        except ExpansionError:
            return text.split()

    # ------------------------------------------------------------------ reachability

    def _mark_needed(self, stages: list[Stage], target: int) -> None:
        """Mark what the target reaches; a cycle on the way is BuildKit's circular dependency error."""
        dependencies: dict[int, list[tuple[int, int]]] = {s.index: [] for s in stages}
        for edge in self.edges:
            if isinstance(edge.source, int):
                dependencies[edge.target].append((edge.source, edge.line))
        for stage in stages:
            stage.needed = False
        on_path: dict[int, int] = {}
        path: list[int] = []
        stack: list[tuple[int, int]] = [(target, 0)]
        while stack:
            index, position = stack.pop()
            if position == 0:
                on_path[index] = len(path)
                path.append(index)
            if position < len(dependencies[index]):
                stack.append((index, position + 1))
                dependency, line = dependencies[index][position]
                if dependency in on_path:
                    cycle = " -> ".join(stages[i].label for i in path[on_path[dependency]:] + [dependency])
                    raise DockerfileError(self.path, line, f"circular dependency detected on stage: {stages[dependency].label} ({cycle})")
                if not stages[dependency].needed:
                    stack.append((dependency, 0))
                continue
            path.pop()
            del on_path[index]
            stages[index].needed = True


_REFERENCE_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
IMAGE_REFERENCE = re.compile(
    r"^(?:(?P<domain>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)/)?"
    rf"(?P<path>{_REFERENCE_COMPONENT}(?:/{_REFERENCE_COMPONENT})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$"
)
"""The grammar of github.com/distribution/reference, which BuildKit parses FROM names with: a match is an image name it accepts."""


def reference_problem(reference: str) -> str | None:
    """Why ``reference`` is not an image reference (distribution's grammar), or ``None``."""
    if IMAGE_REFERENCE.match(reference):
        return None
    first = reference.split("/", 1)
    looks_like_domain = len(first) == 2 and ("." in first[0] or ":" in first[0] or first[0] == "localhost")
    repository = (first[1] if looks_like_domain else reference).split("@")[0].split(":")[0]
    if repository != repository.lower() and IMAGE_REFERENCE.match(reference.replace(repository, repository.lower(), 1)):
        return f"invalid reference format: repository name ({repository}) must be lowercase"
    return "invalid reference format"


def _inherited(variable: Variable) -> Variable:
    return Variable(variable.name, variable.value, variable.kind, "inherited", variable.line)


def _mount_options(spec: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, value = part.strip().partition("=")
        if key:
            options[key.strip().lower()] = value.strip() if sep else "true"
    return options


def analyze(dockerfile: Dockerfile, options: BuildOptions | None = None) -> Analysis:
    """Analyze ``dockerfile`` for a build with ``options`` (default: no build args, last stage, linux/amd64)."""
    return _Analyzer(dockerfile, options or BuildOptions()).run()
