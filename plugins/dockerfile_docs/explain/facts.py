"""Facts the rules share, computed from the model: declarations, scopes, stage chains, commands.

These are what the analyzer does not (yet) record itself; every one is
derived from the parsed instructions and the analysis, never from raw text.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator

from ..analyze import IMAGE_REFERENCE, PLATFORM_ARGS, platform_values
from ..expand import Expander, ExpansionError, split_key_values
from ..model import Analysis, ImageFacts, Instruction, Stage, Variable, VarReference
from ..records import record

DEFAULT_SHELL = ("/bin/sh", "-c")


def is_valid_image_reference(reference: str) -> bool:
    """Whether BuildKit's reference parser accepts ``reference`` as an image name."""
    if not reference or len(reference) > 255 + 128 + 80:
        return False
    name = reference.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    return bool(IMAGE_REFERENCE.match(reference)) and len(name) <= 255


def image_tag(reference: str) -> tuple[str | None, str | None]:
    """The (tag, digest) of an image reference, each ``None`` when absent."""
    name, _, digest = reference.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else None
    return tag, (digest or None)


def declared_names(instruction: Instruction, escape: str = "\\") -> list[tuple[str, str | None]]:
    """The (name, written value) pairs an ARG or ENV instruction declares; value ``None`` for a bare ARG."""
    if instruction.keyword not in ("ARG", "ENV"):
        return []
    words = split_key_values(instruction.arguments, escape)
    if not words:
        return []
    if instruction.keyword == "ENV" and "=" not in words[0]:
        parts = instruction.arguments.split(None, 1)
        return [(parts[0], parts[1].strip() if len(parts) > 1 else "")]
    pairs: list[tuple[str, str | None]] = []
    for word in words:
        name, sep, value = word.partition("=")
        if name:
            pairs.append((name, value if sep else None))
    return pairs


def is_legacy_key_value(instruction: Instruction, escape: str = "\\") -> bool:
    """``ENV KEY value`` / ``LABEL key value``: the old form with a space instead of ``=``."""
    if instruction.keyword not in ("ENV", "LABEL"):
        return False
    words = split_key_values(instruction.arguments, escape)
    return bool(words) and "=" not in words[0]


def scope_at(analysis: Analysis, instruction_line: int) -> dict[str, Variable]:
    """The variables visible just before the instruction starting at ``instruction_line``."""
    return analysis.scopes.get(instruction_line, {})


def instruction_starting_at(analysis: Analysis, line: int) -> Instruction | None:
    for instruction in analysis.dockerfile.instructions:
        if instruction.start_line == line:
            return instruction
    return None


def stage_chain(analysis: Analysis, stage: Stage) -> list[Stage]:
    """The stage and the stages it is built FROM, root first."""
    chain = [stage]
    while chain[0].base_stage is not None:
        chain.insert(0, analysis.stages[chain[0].base_stage])
    return chain


def root_is_scratch(analysis: Analysis, stage: Stage) -> bool:
    return stage_chain(analysis, stage)[0].is_scratch


def root_image(analysis: Analysis, stage: Stage) -> str:
    return stage_chain(analysis, stage)[0].base_resolved


def image_facts(analysis: Analysis, reference: str) -> ImageFacts | None:
    """What the build options say of image ``reference`` (as written, or with ``docker.io`` spelled out)."""
    images = analysis.options.images
    if not images:
        return None
    found = images.get(reference)
    if found is None:
        for candidate in _reference_spellings(reference):
            found = images.get(candidate)
            if found is not None:
                break
    return found


def _reference_spellings(reference: str) -> list[str]:
    name = reference if (":" in reference.rsplit("/", 1)[-1] or "@" in reference) else reference + ":latest"
    spellings = [name]
    first = name.split("/", 1)[0]
    if "/" not in name or not ("." in first or ":" in first or first == "localhost"):
        spellings.append(("docker.io/" if "/" in name else "docker.io/library/") + name)
    return spellings


def image_defines(analysis: Analysis, reference: VarReference) -> bool | None:
    """Whether the root image of the reference's stage sets the variable; ``None`` when its environment is unknown."""
    env = root_environment(analysis, analysis.stages[reference.stage])
    return None if env is None else reference.name in env


def root_environment(analysis: Analysis, stage: Stage) -> dict[str, str] | None:
    """The environment a stage's root image gives it: empty for scratch, ``None`` when unknown."""
    if root_is_scratch(analysis, stage):
        return {}
    facts = image_facts(analysis, root_image(analysis, stage))
    return None if facts is None else facts.env


def later_declaration(stage: Stage, name: str, after_line: int, escape: str) -> Instruction | None:
    """The first ARG or ENV after ``after_line`` in ``stage`` that declares ``name``."""
    for instruction in stage.instructions[1:]:
        if instruction.start_line > after_line and any(n == name for n, _ in declared_names(instruction, escape)):
            return instruction
    return None


def undeclared_kind(analysis: Analysis, reference: VarReference) -> str | None:
    """Why a reference inside a stage finds no ARG or ENV, or ``None`` when one is in scope.

    ``"global"``: a global ARG not re-declared in the stage; ``"platform"``: an
    automatic platform ARG not declared in the stage; ``"later"``: declared
    further down the same stage; ``"undeclared"``: declared nowhere in scope.
    """
    if reference.stage < 0 or reference.keyword == "FROM":
        return None
    if reference.name in scope_at(analysis, reference.instruction_line):
        return None
    stage = analysis.stages[reference.stage]
    if later_declaration(stage, reference.name, reference.instruction_line, analysis.dockerfile.escape):
        return "later"
    if reference.name in analysis.global_args:
        return "global"
    if reference.name in PLATFORM_ARGS:
        return "platform"
    return "undeclared"


def stage_arg_value(analysis: Analysis, instruction: Instruction, name: str) -> tuple[str | None, str]:
    """The value a stage ``ARG name[=default]`` line gives, and where it came from (the analyzer's declaration).

    Read from the declaration rather than the scope, because a stage ARG with
    a value also replaces an earlier ENV of the same name in the build
    environment (the corpus case ``env-before-arg-of-same-name``).
    """
    for variable in analysis.declarations.get(instruction.start_line, ()):
        if variable.name == name:
            return variable.value, variable.source or "none"
    return None, "none"


def default_global_env(analysis: Analysis) -> tuple[dict[str, str], dict[str, Instruction]]:
    """The global ARG values with no ``--build-arg`` at all (what BuildKit's FROM checks use), and their ARG lines."""
    env = platform_values(analysis.options)
    declared: dict[str, Instruction] = {}
    for instruction in analysis.dockerfile.instructions:
        if instruction.keyword == "FROM":
            break
        for name, default in declared_names(instruction, analysis.dockerfile.escape):
            declared[name] = instruction
            if default is None:
                continue
            try:
                env[name] = Expander(dict(env), analysis.dockerfile.escape).word(default)
            except ExpansionError:
                env.pop(name, None)
    return env, declared


def expand_quietly(text: str, env: dict[str, str], escape: str) -> tuple[str, list[str]]:
    """``text`` expanded as one word, and the names it looked up; unexpanded on a syntax error."""
    expander = Expander(dict(env), escape)
    try:
        return expander.word(text), [lookup.name for lookup in expander.lookups]
    except ExpansionError:
        return text, [lookup.name for lookup in expander.lookups]


def values_of(scope: dict[str, Variable]) -> dict[str, str]:
    return {name: v.value for name, v in scope.items() if v.value is not None}


def words_of(instruction: Instruction, scope: dict[str, Variable], escape: str) -> list[str]:
    """The argument words after expansion (exec form: the JSON strings)."""
    if instruction.json_args is not None:
        return list(instruction.json_args)
    expander = Expander(values_of(scope), escape)
    try:
        return expander.words(instruction.arguments)
    except ExpansionError:
        return instruction.arguments.split()


def exposed_ports(analysis: Analysis) -> Iterator[tuple[Instruction, str]]:
    """Each port word of each EXPOSE, expanded as BuildKit expands it there, with its instruction."""
    escape = analysis.dockerfile.escape
    for instruction in analysis.dockerfile.instructions:
        if instruction.keyword == "EXPOSE":
            for port in words_of(instruction, scope_at(analysis, instruction.start_line), escape):
                yield instruction, port


def suggestion(name: str, candidates: list[str]) -> str | None:
    """The closest candidate to ``name`` (a likely typo), if one is close enough."""
    import difflib  # only for a misspelt name: kept out of start-up

    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    if not matches:
        lowered = {c.lower(): c for c in candidates}
        return lowered.get(name.lower())
    return matches[0]


def stage_title(stage: Stage) -> str:
    return f"`{stage.name}`" if stage.name else str(stage.index)


def quote_value(value: str | None) -> str:
    if value is None:
        return "unset"
    return f"`{value}`" if value else "empty (`''`)"


# --------------------------------------------------------------------------- the command an image runs


@record(frozen=True)
class CommandSetting:
    """An ENTRYPOINT or CMD as the image config records it, and where it was written."""

    argv: tuple[str, ...]
    shell_form: bool
    written: str
    instruction: Instruction
    stage: Stage


@record(frozen=True)
class EffectiveCommand:
    """What ``docker run IMAGE`` starts for a stage, following BuildKit's image-config rules.

    ``*_unknown`` is true when the value comes from an external base image
    whose config this analysis cannot see. When a verified build measured the
    image (``BuildOptions.built_command``), those parts are known instead:
    ``base_entrypoint`` and ``base_cmd`` hold what the base image contributes
    (``None``: it sets none), and ``measured`` is true.
    """

    entrypoint: CommandSetting | None
    cmd: CommandSetting | None
    entrypoint_unknown: bool
    cmd_unknown: bool
    base_image: str | None
    base_entrypoint: tuple[str, ...] | None = None
    base_cmd: tuple[str, ...] | None = None
    measured: bool = False

    @property
    def argv(self) -> tuple[str, ...] | None:
        if self.entrypoint_unknown or (self.cmd_unknown and not (self.entrypoint and self.entrypoint.shell_form)):
            return None
        entrypoint = self.entrypoint.argv if self.entrypoint else self.base_entrypoint or ()
        cmd = self.cmd.argv if self.cmd else self.base_cmd or ()
        return entrypoint + cmd


def effective_command(analysis: Analysis, stage: Stage) -> EffectiveCommand:
    chain = stage_chain(analysis, stage)
    root = chain[0]
    unknown = not root.is_scratch
    entrypoint: CommandSetting | None = None
    cmd: CommandSetting | None = None
    entrypoint_unknown = cmd_unknown = unknown
    shell: tuple[str, ...] = DEFAULT_SHELL
    for link in chain:
        cmd_set_here = False
        for instruction in link.instructions[1:]:
            if instruction.keyword == "SHELL" and instruction.json_args:
                shell = instruction.json_args
            elif instruction.keyword in ("CMD", "ENTRYPOINT"):
                setting = _setting(instruction, link, shell)
                if instruction.keyword == "CMD":
                    cmd, cmd_unknown, cmd_set_here = setting, False, True
                else:
                    entrypoint, entrypoint_unknown = setting, False
                    if not cmd_set_here:
                        cmd, cmd_unknown = None, False
    base_image = None if root.is_scratch else root.base_resolved
    built = analysis.options.built_command if stage.index == analysis.target_stage.index else None
    if built is None or not (entrypoint_unknown or cmd_unknown):
        return EffectiveCommand(entrypoint, cmd, entrypoint_unknown, cmd_unknown, base_image)
    # What the chain leaves unset is the base image's, so the built image's value for it is the base's.
    return EffectiveCommand(
        entrypoint, cmd, False, False, base_image,
        base_entrypoint=built.entrypoint if entrypoint_unknown else None,
        base_cmd=built.cmd if cmd_unknown else None,
        measured=True,
    )


def _setting(instruction: Instruction, stage: Stage, shell: tuple[str, ...]) -> CommandSetting:
    if instruction.json_args is not None:
        return CommandSetting(instruction.json_args, False, instruction.arguments, instruction, stage)
    return CommandSetting((*shell, instruction.arguments), True, instruction.arguments, instruction, stage)


def shell_join(argv: tuple[str, ...] | list[str]) -> str:
    """The words as a shell command a reader can copy, quoted readably (``sh -c "echo 'hi'"``, not ``'"'"'``)."""
    return " ".join(_readable_quote(word) for word in argv)


def _readable_quote(word: str) -> str:
    """One word for a POSIX shell: bare, in single quotes, or, when it holds a single quote, in double quotes.

    Inside double quotes only ``"``, ``$``, backquote and backslash need a
    backslash; that reads better than shlex's ``'"'"'`` for every quote.
    """
    quoted = shlex.quote(word)
    if quoted == word or "'" not in word or "!" in word:
        return quoted
    escaped = "".join("\\" + ch if ch in '"$`\\' else ch for ch in word)
    return f'"{escaped}"'


def exec_form_suggestion(command: str) -> str | None:
    """The JSON exec form of a simple shell command, or ``None`` when it needs a shell."""
    if any(ch in command for ch in "|&;<>()$`*?~\n") or not command.strip():
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return json.dumps(words)


def copy_targets(analysis: Analysis, stage: Stage) -> list[tuple[Instruction, list[str], str]]:
    """(instruction, sources, destination) of every COPY/ADD along the stage's chain."""
    found = []
    escape = analysis.dockerfile.escape
    for link in stage_chain(analysis, stage):
        for instruction in link.instructions[1:]:
            if instruction.keyword not in ("COPY", "ADD"):
                continue
            words = words_of(instruction, scope_at(analysis, instruction.start_line), escape)
            if instruction.heredocs and words:
                found.append((instruction, [h.name for h in instruction.heredocs], words[-1]))
            elif len(words) >= 2:
                found.append((instruction, words[:-1], words[-1]))
    return found


def may_have_shell(analysis: Analysis, stage: Stage, before_line: int) -> bool:
    """Whether a COPY/ADD above ``before_line`` puts `/bin/sh` into a stage built from scratch.

    True for a copy to `/bin/sh`, of a file named `sh` into `/bin/`, or of a
    whole file system (source or destination `/`).
    """
    for instruction, sources, dest in copy_targets(analysis, stage):
        if instruction.start_line >= before_line and instruction.stage == stage.index:
            continue
        target = "/" + dest.strip("/")
        if target in ("/", "/bin/sh") or any(s.rstrip("/") in ("", ".") for s in sources if instruction.flag("from")):
            return True
        if target in ("/bin", "/usr/bin") and any(s.rstrip("/").rsplit("/", 1)[-1] == "sh" for s in sources):
            return True
    return False


def names_list(titles: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    titles = list(dict.fromkeys(titles))
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
