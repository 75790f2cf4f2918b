"""pyproject.toml is the single source of dependencies; environment.yml must list the same ones."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _project() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pyproject_requirements() -> dict[str, str]:
    data = _project()
    reqs = list(data["dependencies"])
    for extra in data["optional-dependencies"].values():
        reqs += extra
    # requirements restricted to old Pythons by a marker are pip-only back-ports, not packages
    reqs = [r for r in reqs if ";" not in r]
    return dict(_split(r) for r in reqs)


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _environment() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
        else:
            name, spec = _split(dep)
            conda[name] = spec
    return conda, pip


def test_environment_lists_exactly_the_pyproject_packages():
    conda, _ = _environment()
    conda = {k: v for k, v in conda.items() if k not in {"python", "pip"}}
    assert conda == _pyproject_requirements()


def test_environment_installs_the_project_with_every_extra_through_pip():
    _, pip = _environment()
    extras = _project()["optional-dependencies"]
    assert pip == [f"-e .[{','.join(extras)}]"]


def test_python_floor_matches():
    conda, _ = _environment()
    assert conda["python"] == _project()["requires-python"]
