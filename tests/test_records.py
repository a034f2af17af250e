"""Records behave as the slotted dataclasses they replace, for every use the project makes of them."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys

import pytest
from dockerfile_docs import model
from dockerfile_docs.records import FrozenInstanceError, field, fields, record, replace


def _pair(frozen: bool) -> tuple[type, type]:
    """The same class as a record and as ``dataclass(slots=True)``, with a plain field, a default and a factory."""

    class Point:
        """A point."""

        x: int
        label: str = "origin"
        tags: list[str] = field(default_factory=list)

        def moved(self, by: int) -> int:
            return self.x + by

    class PointDataclass:
        """A point."""

        x: int
        label: str = "origin"
        tags: list[str] = dataclasses.field(default_factory=list)

    return record(frozen=frozen)(Point), dataclasses.dataclass(frozen=frozen, slots=True)(PointDataclass)


CALLS = [((1,), {}), ((1, "a"), {}), ((1,), {"label": "b", "tags": ["t"]}), ((), {"x": 2, "tags": []})]


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_record_is_made_repr_compared_and_hashed_as_the_dataclass_is(frozen: bool, args: tuple, kwargs: dict) -> None:
    ours, theirs = _pair(frozen)
    a, b = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert repr(a).startswith(f"{ours.__qualname__}(") and repr(a).split("(", 1)[1] == repr(b).split("(", 1)[1]
    assert a == ours(*args, **kwargs) and a != b and a != ours(99)
    assert (a == 1) is False
    assert fields(ours) == tuple(f.name for f in dataclasses.fields(theirs)) == ours.__slots__ == ours.__match_args__
    if frozen:
        hashable = {**kwargs, "tags": ("t",)}
        assert hash(ours(*args, **hashable)) == hash(ours(*args, **hashable)) != hash(ours(99, tags=()))
        with pytest.raises(TypeError):
            hash(ours(*args, **{**kwargs, "tags": []}))
    else:
        with pytest.raises(TypeError):
            hash(a)


@pytest.mark.parametrize("frozen", [True, False])
def test_a_call_the_dataclass_refuses_is_refused(frozen: bool) -> None:
    ours, theirs = _pair(frozen)
    for args, kwargs in [((), {}), ((1, "a", [], 4), {}), ((1,), {"colour": "red"}), ((1,), {"x": 2})]:
        with pytest.raises(TypeError):
            theirs(*args, **kwargs)
        with pytest.raises(TypeError):
            ours(*args, **kwargs)


def test_a_factory_makes_a_new_value_for_each_record() -> None:
    ours, _ = _pair(False)
    first, second = ours(1), ours(2)
    first.tags.append("mine")
    assert second.tags == [] and first.tags == ["mine"]


def test_a_frozen_record_refuses_assignment_and_deletion_and_a_plain_one_allows_assignment() -> None:
    frozen, _ = _pair(True)
    plain, _ = _pair(False)
    point = frozen(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2
    with pytest.raises(FrozenInstanceError):
        del point.label
    assert issubclass(FrozenInstanceError, AttributeError)
    changed = plain(1)
    changed.x = 5
    assert changed.x == 5


@pytest.mark.parametrize("frozen", [True, False])
def test_a_record_has_slots_and_keeps_its_methods_and_docstring(frozen: bool) -> None:
    ours, _ = _pair(frozen)
    point = ours(1)
    assert not hasattr(point, "__dict__")
    with pytest.raises(AttributeError):
        point.colour = "red"
    assert point.moved(2) == 3 and ours.__doc__ == "A point." and ours.__name__ == "Point"
    assert ours.__init__.__qualname__.endswith("Point.__init__")
    match point:
        case ours(x, label):
            assert (x, label) == (1, "origin")
        case _:
            pytest.fail("a record matches by its fields' positions")


def test_replace_copies_a_record_with_changes_and_refuses_an_unknown_field() -> None:
    ours, _ = _pair(True)
    point = ours(1, "a", ["t"])
    moved = replace(point, x=2)
    assert moved == ours(2, "a", ["t"]) and point.x == 1
    with pytest.raises(TypeError, match="colour"):
        replace(point, colour="red")


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    class Broken:
        label: str = "a"
        x: int

    with pytest.raises(TypeError, match="'x' without a default follows one with a default"):
        record(Broken)


def test_methods_a_class_defines_are_kept() -> None:
    @record(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("a")) == "<a>" and Named("a") == Named("a")


def test_every_model_class_is_a_record() -> None:
    classes = [value for value in vars(model).values() if isinstance(value, type) and value.__module__ == model.__name__]
    assert len(classes) >= 16
    for cls in classes:
        assert cls.__slots__ == fields(cls), cls.__name__


def test_the_command_line_never_imports_dataclasses_or_inspect() -> None:
    """``dataclasses`` brings ``inspect``, ``ast``, ``dis`` and ``tokenize``: a third of ``analyze``'s start-up, for nothing it uses."""
    script = (
        "import contextlib, io, sys\n"
        "from dockerfile_docs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['analyze', '--format', 'json', '-'])\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = set(subprocess.run([sys.executable, "-c", script], input="FROM scratch\n", capture_output=True, text=True, check=True).stdout.split())
    assert "dockerfile_docs.model" in loaded
    assert loaded.isdisjoint({"dataclasses", "inspect", "ast", "dis", "tokenize"}), sorted(loaded & {"dataclasses", "inspect", "ast", "dis", "tokenize"})


@record(frozen=True)
class _Pinned:
    name: str
    tags: tuple[str, ...] = ()


@record
class _Counted:
    name: str
    seen: list[str] = field(default_factory=list)


@pytest.mark.parametrize("value", [_Pinned("a", ("t",)), _Counted("b", ["x"])])
def test_a_record_survives_copy_and_pickle(value: object) -> None:
    for copied in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert copied == value and copied is not value and type(copied) is type(value)


def test_a_mutable_default_is_refused_as_the_dataclass_refuses_it() -> None:
    class Shared:
        tags: list[str] = []  # noqa: RUF012 - the mistake under test

    with pytest.raises(ValueError, match="mutable default list for field 'tags'"):
        record(Shared)


def test_a_record_extending_a_record_is_refused() -> None:
    class Extended(_Pinned):
        extra: int = 0

    with pytest.raises(TypeError, match="does not extend another record"):
        record(frozen=True)(Extended)
