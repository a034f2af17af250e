"""What an example declares in ``example.yml``, read strictly.

An expectation that is silently ignored (a misspelt key, a float where a
string was meant) would make a handbook claim something no build checked, so
every unknown key and every wrong type is an :class:`ExampleConfigError`
naming the file and the key path, e.g. ``targets[0].expect.max_size``.

An example documents a Dockerfile where it lives: ``context`` (relative to
the ``example.yml``) names the build context, ``dockerfile`` the Dockerfile
(relative to the context, or an absolute path), so ``services/api/Dockerfile``
is shown and built in place instead of copied into ``examples/``, where a
copy would go stale. Both must stay inside the project root, the folder that
holds the examples folder. ``verify: false`` with a ``reason`` makes an
analysis-only example, for a Dockerfile that cannot be built where the
handbook is (it needs a secret, the network, a private base image).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from ..errors import DockerfileDocsError
from ..records import field, record

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (ten times faster), else the pure-Python one."""

CONFIG_NAME = "example.yml"
STAND_INS_NAME = "stand-ins.yml"

BuildOutcome = Literal["success", "failure"]
OutputMode = Literal["equals", "contains", "matches"]

SIZE_UNITS: dict[str, int] = {
    "B": 1,
    "kB": 1000,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "KiB": 1024,
    "MiB": 1024**2,
    "GiB": 1024**3,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")


class ExampleConfigError(DockerfileDocsError):
    """An ``example.yml`` (or ``stand-ins.yml``) that does not follow the schema."""

    def __init__(self, path: Path | str, key: str | None, message: str) -> None:
        self.path = str(path)
        self.key = key
        self.message = message
        where = f"{self.path}: {key}" if key else self.path
        super().__init__(f"{where}: {message}")


@record(frozen=True)
class OutputExpectation:
    """How the run output (stdout and stderr together) must look; exactly one way."""

    mode: OutputMode
    value: str

    def holds_for(self, output: str) -> bool:
        if self.mode == "equals":
            return output.rstrip() == self.value.rstrip()
        if self.mode == "contains":
            return self.value in output
        return re.search(self.value, output, re.MULTILINE) is not None

    def describe(self) -> str:
        return f"output {self.mode} {self.value!r}"


@record(frozen=True)
class RunExpectation:
    """Run the built image: ``args`` are appended to ENTRYPOINT/CMD as ``docker run`` does."""

    args: tuple[str, ...] = ()
    exit_code: int = 0
    output: OutputExpectation | None = None


@record(frozen=True)
class Expectations:
    build: BuildOutcome = "success"
    error: str | None = None
    run: RunExpectation | None = None
    max_size: int | None = None
    files_present: tuple[str, ...] = ()
    files_absent: tuple[str, ...] = ()
    layers: int | None = None


@record(frozen=True)
class TargetSpec:
    """One build of the example: ``target`` is a stage name, ``None`` for the last stage."""

    target: str | None
    build_args: dict[str, str] = field(default_factory=dict)
    expect: Expectations = field(default_factory=Expectations)


@record(frozen=True)
class Example:
    """An example folder: its Dockerfile, build context and what its builds must show."""

    name: str
    directory: Path
    title: str
    description: str | None = None
    dockerfile: str = "Dockerfile"
    build_args: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    targets: tuple[TargetSpec, ...] = (TargetSpec(target=None),)
    config_path: Path | None = None
    context_dir: Path | None = None
    """The build context when ``context`` names one, else the example folder."""
    verify: bool = True
    not_verified_reason: str | None = None
    """Why ``verify: false``: shown where results would be."""

    @property
    def context(self) -> Path:
        return self.context_dir if self.context_dir is not None else self.directory

    @property
    def dockerfile_path(self) -> Path:
        return self.context / self.dockerfile

    @property
    def default_stand_ins_file(self) -> Path:
        """Where ``stand-ins.yml`` lives unless configured: beside the example folders."""
        return self.directory.parent / STAND_INS_NAME

    def build_args_for(self, spec: TargetSpec) -> dict[str, str]:
        return {**self.build_args, **spec.build_args}


def parse_size(value: object, path: Path | str = "example.yml", key: str = "max_size") -> int:
    """Bytes from an int or a string such as ``12MB`` or ``1.5 MiB`` (SI and binary units)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ExampleConfigError(path, key, f"expected bytes as an integer or a string like '12MB', got {_type_name(value)}")
    if isinstance(value, int):
        if value < 0:
            raise ExampleConfigError(path, key, "a size cannot be negative")
        return value
    match = _SIZE.match(value)
    if match is None or match.group(2) not in SIZE_UNITS:
        if value.strip().isdigit():
            return int(value.strip())
        units = ", ".join(SIZE_UNITS)
        raise ExampleConfigError(path, key, f"cannot read {value!r} as a size; write a number with one of {units}")
    return int(float(match.group(1)) * SIZE_UNITS[match.group(2)])


def load_example(directory: Path | str, project_root: Path | None = None) -> Example:
    """Read ``directory/example.yml``; the folder name is the example's name.

    ``project_root`` bounds ``context`` and ``dockerfile``; by default it is
    the folder that holds the examples folder.
    """
    directory = Path(directory)
    config_path = directory / CONFIG_NAME
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExampleConfigError(config_path, None, "missing: every example folder needs an example.yml with at least a title") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ExampleConfigError(config_path, None, f"cannot read the file: {error}") from None
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ExampleConfigError(config_path, None, f"{where}not valid YAML: {problem}") from None
    return example_from_mapping(data, directory, config_path, project_root)


EXAMPLE_KEYS = ("title", "description", "context", "dockerfile", "build_args", "platform", "targets", "verify", "reason")


def example_from_mapping(data: object, directory: Path, config_path: Path, project_root: Path | None = None) -> Example:
    """Validate the parsed YAML of an ``example.yml`` and build the :class:`Example`."""
    reader = _Reader(config_path)
    mapping = reader.mapping(data, "", required=("title",), allowed=EXAMPLE_KEYS)
    title = reader.string(mapping["title"], "title")
    if not title.strip():
        raise ExampleConfigError(config_path, "title", "must not be empty")
    description = reader.optional_string(mapping.get("description"), "description")
    root = (project_root if project_root is not None else directory.parent.parent).resolve()
    context_dir: Path | None = None
    if mapping.get("context") is not None:
        context_dir = reader.inside(directory / reader.string(mapping["context"], "context"), root, "context")
        if not context_dir.is_dir():
            raise ExampleConfigError(config_path, "context", f"{mapping['context']} is not a folder (it resolves to {context_dir})")
    context = context_dir if context_dir is not None else directory
    dockerfile = reader.string(mapping.get("dockerfile", "Dockerfile"), "dockerfile")
    if context_dir is None and not Path(dockerfile).is_absolute():
        dockerfile_path = reader.inside(context / dockerfile, directory.resolve(), "dockerfile",
                                        "must be a path inside the example folder (or set context: to build one elsewhere in the project)")
    else:
        dockerfile_path = reader.inside(context / dockerfile, root, "dockerfile")
    if not dockerfile_path.is_file():
        raise ExampleConfigError(config_path, "dockerfile", f"{dockerfile} does not exist (it resolves to {dockerfile_path})")
    verify = mapping.get("verify", True)
    if not isinstance(verify, bool):
        raise ExampleConfigError(config_path, "verify", f"expected true or false, got {_type_name(verify)}")
    reason = reader.optional_string(mapping.get("reason"), "reason")
    if not verify and not (reason and reason.strip()):
        raise ExampleConfigError(config_path, "reason", "required with verify: false: say why the example is not built (a secret, the network, a private base image)")
    if verify and reason is not None:
        raise ExampleConfigError(config_path, "reason", "only goes with verify: false")
    build_args = reader.build_args(mapping.get("build_args"), "build_args")
    platform = reader.optional_string(mapping.get("platform"), "platform")
    if platform is not None and not re.fullmatch(r"[a-z0-9_]+/[a-z0-9_]+(/[a-z0-9_]+)?", platform):
        raise ExampleConfigError(config_path, "platform", f"{platform!r} is not a platform like linux/amd64")
    targets: tuple[TargetSpec, ...] = (TargetSpec(target=None),)
    if mapping.get("targets") is not None:
        raw_targets = mapping["targets"]
        if not isinstance(raw_targets, list) or not raw_targets:
            raise ExampleConfigError(config_path, "targets", f"expected a non-empty list of targets, got {_type_name(raw_targets)}")
        targets = tuple(reader.target(item, f"targets[{index}]") for index, item in enumerate(raw_targets))
        seen: dict[tuple[str | None, tuple[tuple[str, str], ...]], int] = {}
        for index, spec in enumerate(targets):
            identity = (spec.target.lower() if spec.target else None, tuple(sorted(spec.build_args.items())))
            if identity in seen:
                raise ExampleConfigError(config_path, f"targets[{index}]", f"repeats targets[{seen[identity]}] (same target and build args)")
            seen[identity] = index
    return Example(
        name=directory.name,
        directory=directory,
        title=title,
        description=description,
        dockerfile=dockerfile,
        build_args=build_args,
        platform=platform,
        targets=targets,
        config_path=config_path,
        context_dir=context_dir,
        verify=verify,
        not_verified_reason=reason.strip() if reason else None,
    )


def discover_examples(root: Path | str) -> list[Example]:
    """Every folder under ``root`` holding an ``example.yml``, sorted by name."""
    root = Path(root)
    if not root.is_dir():
        raise ExampleConfigError(root, None, "the examples directory does not exist")
    return [load_example(child) for child in sorted(root.iterdir()) if child.is_dir() and (child / CONFIG_NAME).is_file()]


def select_examples(examples: list[Example], names: list[str], root: Path | str) -> list[Example]:
    """The examples called ``names`` (all when empty); an unknown name is an error listing the known ones."""
    if not names:
        return examples
    by_name = {example.name: example for example in examples}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or "none"
        raise ExampleConfigError(root, None, f"no example named {', '.join(unknown)} (known: {known})")
    return [by_name[name] for name in dict.fromkeys(names)]


class _Reader:
    """Type checks that name the file and key path in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> ExampleConfigError:
        return ExampleConfigError(self.path, key or None, message)

    def inside(self, path: Path, root: Path, key: str, refusal: str | None = None) -> Path:
        """``path`` resolved (links followed), refused when it leaves ``root``."""
        resolved = path.resolve()
        if resolved != root and root not in resolved.parents:
            raise self.fail(key, refusal or f"{resolved} is outside the project root {root}: an example may only use files of its project")
        return resolved

    def mapping(self, value: object, key: str, *, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {_type_name(value)}")
        for name in value:
            if not isinstance(name, str) or name not in allowed:
                raise self.fail(_join(key, str(name)), f"unknown key; expected one of {', '.join(allowed)}")
        for name in required:
            if name not in value:
                raise self.fail(_join(key, name), "required key is missing")
        return value

    def string(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {_type_name(value)}")
        return value

    def optional_string(self, value: object, key: str) -> str | None:
        return None if value is None else self.string(value, key)

    def integer(self, value: object, key: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected an integer, got {_type_name(value)}")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return value

    def build_args(self, value: object, key: str) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping of build argument names to values, got {_type_name(value)}")
        result: dict[str, str] = {}
        for name, arg in value.items():
            if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise self.fail(_join(key, str(name)), "not a valid build argument name")
            if isinstance(arg, str):
                result[name] = arg
            elif isinstance(arg, int) and not isinstance(arg, bool):
                result[name] = str(arg)
            else:
                raise self.fail(_join(key, name), f"expected a string, got {_type_name(arg)}; quote the value, e.g. {name}: \"{arg}\"")
        return result

    def paths(self, value: object, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of absolute paths, got {_type_name(value)}")
        result = []
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            text = self.string(item, item_key)
            if not text.startswith("/"):
                raise self.fail(item_key, f"{text!r} must be an absolute path inside the image")
            result.append(text)
        return tuple(result)

    def target(self, value: object, key: str) -> TargetSpec:
        mapping = self.mapping(value, key, allowed=("target", "build_args", "expect"))
        target = self.optional_string(mapping.get("target"), _join(key, "target"))
        build_args = self.build_args(mapping.get("build_args"), _join(key, "build_args"))
        expect = self.expectations(mapping.get("expect"), _join(key, "expect"))
        return TargetSpec(target=target, build_args=build_args, expect=expect)

    def expectations(self, value: object, key: str) -> Expectations:
        if value is None:
            return Expectations()
        mapping = self.mapping(value, key, allowed=("build", "error", "run", "max_size", "files_present", "files_absent", "layers"))
        build = mapping.get("build", "success")
        if build not in ("success", "failure"):
            raise self.fail(_join(key, "build"), f"expected success or failure, got {build!r}")
        error = self.optional_string(mapping.get("error"), _join(key, "error"))
        if error is not None:
            if build != "failure":
                raise self.fail(_join(key, "error"), "only applies with build: failure")
            _check_regex(self, error, _join(key, "error"))
        run = None if mapping.get("run") is None else self.run(mapping["run"], _join(key, "run"))
        max_size = None if mapping.get("max_size") is None else parse_size(mapping["max_size"], self.path, _join(key, "max_size"))
        files_present = () if mapping.get("files_present") is None else self.paths(mapping["files_present"], _join(key, "files_present"))
        files_absent = () if mapping.get("files_absent") is None else self.paths(mapping["files_absent"], _join(key, "files_absent"))
        layers = None if mapping.get("layers") is None else self.integer(mapping["layers"], _join(key, "layers"))
        if build == "failure":
            image_checks = [name for name in ("run", "max_size", "files_present", "files_absent", "layers") if mapping.get(name) is not None]
            if image_checks:
                raise self.fail(_join(key, image_checks[0]), "cannot be checked when the build is expected to fail")
        return Expectations(
            build=build,
            error=error,
            run=run,
            max_size=max_size,
            files_present=files_present,
            files_absent=files_absent,
            layers=layers,
        )

    def run(self, value: object, key: str) -> RunExpectation:
        if value == {}:
            return RunExpectation()
        mapping = self.mapping(value, key, allowed=("args", "exit_code", "output"))
        args: tuple[str, ...] = ()
        if mapping.get("args") is not None:
            raw = mapping["args"]
            if not isinstance(raw, list):
                raise self.fail(_join(key, "args"), f"expected a list of strings, got {_type_name(raw)}")
            args = tuple(self.string(item, f"{_join(key, 'args')}[{index}]") for index, item in enumerate(raw))
        exit_code = 0 if mapping.get("exit_code") is None else self.integer(mapping["exit_code"], _join(key, "exit_code"))
        if exit_code > 255:
            raise self.fail(_join(key, "exit_code"), "an exit code is between 0 and 255")
        output = None
        if mapping.get("output") is not None:
            output_key = _join(key, "output")
            raw_output = self.mapping(mapping["output"], output_key, allowed=("equals", "contains", "matches"))
            if len(raw_output) != 1:
                raise self.fail(output_key, "expected exactly one of equals, contains, matches")
            ((mode, text),) = raw_output.items()
            text = self.string(text, _join(output_key, mode))
            if mode == "matches":
                _check_regex(self, text, _join(output_key, mode))
            output = OutputExpectation(mode=cast(OutputMode, mode), value=text)
        return RunExpectation(args=args, exit_code=exit_code, output=output)


def _check_regex(reader: _Reader, pattern: str, key: str) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        raise reader.fail(key, f"not a valid regular expression: {error}") from None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _type_name(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
