"""The GitHub Action (action.yml), tested without GitHub.

1. action.yml, read as YAML and written out as JSON, must validate against the vendored
   Action metadata schema (schemas/vendor/github-action.schema.json) with
   `connlint check --schema`; a broken copy must not.
2. The action's steps run as a runner would run them: `shell: bash` steps through
   `bash --noprofile --norc -eo pipefail`, each with its `env:` and `if:` evaluated, a fresh
   GITHUB_OUTPUT per step (read back as `steps.<id>.outputs`), GITHUB_PATH applied to the
   next steps, one GITHUB_STEP_SUMMARY, and a workspace holding a copy of the fixtures.
   `uses:` steps are stood in for: actions/cache restores the connlint built for this test
   (a cache hit), upload-sarif checks the file it would upload.

The runs must produce annotations, a SARIF log and a step summary whose numbers are those of
`connlint check --format json`, and fail the job exactly when there are errors.

Usage: python3 .ci/action_test.py CONNLINT_BINARY (from the repository root).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(REPO, "schemas", "vendor", "github-action.schema.json")


def fail(message):
    print(f"action-test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


# ---------------------------------------------------------------------------------------
# Expressions: the few forms action.yml uses, and an error for any other, so the test can
# never silently treat an expression it does not understand as empty.

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Context:
    def __init__(self, inputs, action_path, runner):
        self.inputs = inputs
        self.action_path = action_path
        self.runner = runner
        self.steps = {}

    def lookup(self, name):
        parts = name.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs.get(parts[1], "")
        if parts == ["github", "action_path"]:
            return self.action_path
        if parts[0] == "runner" and len(parts) == 2 and parts[1] in self.runner:
            return self.runner[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        fail(f"the simulator does not know the expression `{name}`")

    def term(self, text):
        text = text.strip()
        if text == "always()":
            return True
        match = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", text)
        if not match:
            fail(f"the simulator does not evaluate the condition `{text}`")
        value = self.lookup(match.group(1))
        # GitHub ignores case when it compares strings.
        return (value.lower() == match.group(3).lower()) == (match.group(2) == "==")

    def condition(self, text):
        text = EXPRESSION.sub(lambda m: m.group(1), str(text))
        if "||" in text:
            fail(f"the simulator does not evaluate `||` in `{text}`")
        return all(self.term(part) for part in text.split("&&"))

    def substitute(self, text):
        return EXPRESSION.sub(lambda m: self.lookup(m.group(1)), str(text))


def read_outputs(path):
    """GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER` … `DELIMITER`."""
    outputs = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


# ---------------------------------------------------------------------------------------
# The runner.


def run_action(action, connlint, inputs, workdir):
    """Runs the composite action's steps; returns what a test needs to look at."""
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(defaults)
    check(not unknown, f"inputs the action does not declare: {unknown}")
    workspace = os.path.join(workdir, "workspace")
    shutil.copytree(os.path.join(REPO, "fixtures"), os.path.join(workspace, "fixtures"))
    runner_temp = os.path.join(workdir, "runner-temp")
    tool_cache = os.path.join(workdir, "tool-cache")
    os.makedirs(runner_temp)
    os.makedirs(tool_cache)
    summary_path = os.path.join(workdir, "step-summary.md")
    open(summary_path, "w").close()
    path_file = os.path.join(workdir, "github-path")
    open(path_file, "w").close()
    ctx = Context(
        {**defaults, **inputs},
        REPO,
        {"os": "Linux", "arch": "X64", "temp": runner_temp, "tool_cache": tool_cache},
    )
    # No connlint the action did not put there: PATH keeps only directories without one.
    base_path = [
        d for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not os.path.exists(os.path.join(d, "connlint"))
    ]
    record = {"ran": [], "skipped": [], "stdout": {}, "uploaded": None, "failed_step": None,
              "summary_path": summary_path, "workspace": workspace}
    failed = False
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        condition = step.get("if", "success()")
        if condition == "success()":
            should_run = not failed
        else:
            # `always()` is the only status function used besides the default.
            should_run = ctx.condition(condition) and (not failed or "always()" in str(condition))
        if not should_run:
            record["skipped"].append(name)
            continue
        record["ran"].append(name)
        with_ = {k: ctx.substitute(v) for k, v in step.get("with", {}).items()}
        if "uses" in step:
            uses = step["uses"]
            if uses.startswith("actions/cache@"):
                # A cache hit: the binary this test built, where the install step puts it.
                bin_dir = os.path.join(with_["path"], "bin")
                os.makedirs(bin_dir, exist_ok=True)
                shutil.copy2(connlint, os.path.join(bin_dir, "connlint"))
                check(with_["key"].startswith("connlint-Linux-X64-src-"), f"cache key {with_['key']}")
                ctx.steps[step["id"]] = {"cache-hit": "true"}
            elif uses.startswith("github/codeql-action/upload-sarif@"):
                sarif = os.path.join(workspace, with_["sarif_file"])
                if os.path.isfile(sarif):
                    record["uploaded"] = sarif
                else:
                    # As the real upload does: the step fails (it runs `if: always()`).
                    failed = True
                    record["failed_step"] = record["failed_step"] or name
            else:
                fail(f"the simulator has no stand-in for `uses: {uses}`")
            continue
        check(step.get("shell") == "bash", f"step `{name}` must say `shell: bash`")
        output_file = os.path.join(workdir, f"output-{index}")
        open(output_file, "w").close()
        extra_path = [p for p in open(path_file).read().splitlines() if p]
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
            "PATH": os.pathsep.join(list(reversed(extra_path)) + base_path),
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": workspace,
            "GITHUB_ACTION_PATH": REPO,
            "GITHUB_OUTPUT": output_file,
            "GITHUB_PATH": path_file,
            "GITHUB_STEP_SUMMARY": summary_path,
            "RUNNER_TEMP": runner_temp,
            "RUNNER_TOOL_CACHE": tool_cache,
            "RUNNER_OS": "Linux",
        }
        env.update({k: ctx.substitute(v) for k, v in step.get("env", {}).items()})
        check(
            not EXPRESSION.search(step["run"]),
            f"step `{name}` pastes an expression into its script; pass it through env:",
        )
        script = os.path.join(workdir, f"step-{index}.sh")
        with open(script, "w") as f:
            f.write(step["run"])
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=workspace, env=env, capture_output=True, text=True,
        )
        print(f"---- step `{name}`: exit {result.returncode}")
        sys.stdout.write(result.stdout[-2000:])
        sys.stdout.write(result.stderr[-2000:])
        record["stdout"][name] = result.stdout
        if "id" in step:
            ctx.steps[step["id"]] = read_outputs(output_file)
        if result.returncode != 0:
            failed = True
            record["failed_step"] = name
    record["outputs"] = {k: ctx.substitute(v["value"]) for k, v in action["outputs"].items()}
    record["failed"] = failed
    return record


def json_report(connlint, workspace, paths):
    result = subprocess.run(
        [connlint, "check", "--format", "json", *paths], cwd=workspace,
        capture_output=True, text=True,
    )
    return json.loads(result.stdout)


def summary_rows(text):
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines() if line.startswith("|") and not line.startswith("|--")
        and not line.startswith("|:") and "---" not in line
    ]


def main():
    connlint = os.path.abspath(sys.argv[1])
    with open(os.path.join(REPO, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)

    with tempfile.TemporaryDirectory() as tmp:
        # -- 1. The metadata schema, through connlint itself.
        good = os.path.join(tmp, "action.json")
        with open(good, "w") as f:
            json.dump(action, f, indent=2)
        result = subprocess.run(
            [connlint, "check", "--format", "concise", "--schema", SCHEMA, good],
            capture_output=True, text=True,
        )
        print(result.stdout, end="")
        check(result.returncode == 0, "action.yml does not validate against the Action metadata schema")
        broken_action = {k: v for k, v in action.items() if k != "runs"}
        broken_action["inputs"] = {**action["inputs"], "bad": {"description": "x", "requried": True}}
        broken = os.path.join(tmp, "broken.json")
        with open(broken, "w") as f:
            json.dump(broken_action, f)
        result = subprocess.run(
            [connlint, "check", "--format", "concise", "--schema", SCHEMA, broken],
            capture_output=True, text=True,
        )
        check(
            result.returncode == 1 and "schema::required" in result.stdout
            and "requried" in result.stdout,
            f"a broken action.yml passed the schema:\n{result.stdout}{result.stderr}",
        )
        print("action.yml validates against the Action metadata schema; a broken copy does not")

        # -- 2. Invalid fixtures with SARIF: annotations, SARIF, summary, a failed job.
        paths = ["fixtures/invalid", "fixtures/valid"]
        run = run_action(
            action, connlint,
            {"paths": " ".join(paths), "upload-sarif": "true", "sarif-file": "out/connlint.sarif"},
            os.path.join(tmp, "errors"),
        )
        check("Install connlint" in run["skipped"], "the install step ran on a cache hit")
        check(run["outputs"]["exit-code"] == "1", f"exit-code output {run['outputs']}")
        check(run["outputs"]["sarif-file"] == "out/connlint.sarif", f"sarif-file output {run['outputs']}")
        check(run["failed"] and run["failed_step"] == "Fail on errors",
              f"the job must fail in `Fail on errors`, failed: {run['failed_step']}")
        annotations = [l for l in run["stdout"]["Check payloads"].splitlines() if l.startswith("::")]
        report = json_report(connlint, run["workspace"], paths)
        check(len(annotations) == len(report["diagnostics"]),
              f"{len(annotations)} annotations for {len(report['diagnostics'])} diagnostics")
        check(any(l.startswith("::error file=fixtures/invalid/") and ",line=" in l for l in annotations),
              "no located ::error annotation")
        check(run["uploaded"] is not None, "upload-sarif did not run")
        with open(run["uploaded"]) as f:
            sarif = json.load(f)
        results = sarif["runs"][0]["results"]
        check(sarif["version"] == "2.1.0" and len(results) == len(report["diagnostics"]),
              f"SARIF has {len(results)} results for {len(report['diagnostics'])} diagnostics")
        with open(run["summary_path"]) as f:
            summary = f.read()
        print(summary)
        rows = summary_rows(summary)
        totals = report["summary"]
        check(rows[0] == ["files", "files with errors", "errors", "warnings"], f"summary header {rows}")
        check(rows[1] == [str(totals["files"]), str(totals["files_with_errors"]),
                          str(totals["errors"]), str(totals["warnings"])],
              f"summary totals {rows[1]} differ from {totals}")
        counts = {}
        for d in report["diagnostics"]:
            counts[(d["code"], d["severity"])] = counts.get((d["code"], d["severity"]), 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))[:10]
        check(rows[2] == ["code", "severity", "count"], f"codes header {rows}")
        check(rows[3:] == [[f"`{c}`", s, str(n)] for (c, s), n in top],
              f"top codes {rows[3:]} differ from {top}")

        # -- 3. Valid fixtures without SARIF: a green job, no SARIF, a summary with zeros.
        run = run_action(action, connlint, {"paths": "fixtures/valid"}, os.path.join(tmp, "clean"))
        check(not run["failed"], f"a clean run failed in {run['failed_step']}")
        check(run["outputs"] == {"exit-code": "0", "sarif-file": ""}, f"outputs {run['outputs']}")
        check(run["uploaded"] is None and "Fail on errors" in run["skipped"], "SARIF or failure on a clean run")
        with open(run["summary_path"]) as f:
            rows = summary_rows(f.read())
        valid = len(os.listdir(os.path.join(REPO, "fixtures", "valid")))
        check(rows[1][0] == str(valid) and rows[1][2] == "0", f"clean summary {rows}")

        # -- 4. Extra args reach connlint: --deny-warnings fails on warnings alone.
        run = run_action(
            action, connlint,
            {"paths": "fixtures/invalid/lint-empty-list.json", "args": "--deny-warnings"},
            os.path.join(tmp, "args"),
        )
        check(run["outputs"]["exit-code"] == "1" and run["failed"],
              f"--deny-warnings did not fail a warning-only file: {run['outputs']}")

        # -- 5. A line break in an input cannot forge an output: the job fails, never passes
        #       on a forged `exit-code=0`.
        run = run_action(
            action, connlint,
            {"paths": "fixtures/invalid", "upload-sarif": "true",
             "sarif-file": "out.sarif\nexit-code=0"},
            os.path.join(tmp, "forged"),
        )
        check(run["failed"] and run["outputs"]["exit-code"] != "0",
              f"a line break in sarif-file forged the outputs: {run['outputs']}")
        run = run_action(
            action, connlint,
            {"paths": "fixtures/valid", "version": "1.0\nkey=forged"},
            os.path.join(tmp, "forged-version"),
        )
        check(run["failed"], "a line break in version was accepted")

        # -- 6. `upload-sarif: True`: GitHub's `==` ignores case, so the upload step runs;
        #       the SARIF log must be there for it.
        run = run_action(
            action, connlint,
            {"paths": "fixtures/valid", "upload-sarif": "True"},
            os.path.join(tmp, "capital-true"),
        )
        check(not run["failed"] and run["uploaded"] is not None,
              f"upload-sarif: True uploaded nothing: failed in {run['failed_step']}")

        # -- 7. Arguments connlint refuses: no SARIF log, so no upload of a missing file; the
        #       job fails in `Fail on errors` with exit code 2.
        run = run_action(
            action, connlint,
            {"paths": "fixtures/valid", "upload-sarif": "true", "args": "--no-such-flag"},
            os.path.join(tmp, "bad-args"),
        )
        check(run["outputs"]["exit-code"] == "2" and run["failed_step"] == "Fail on errors"
              and run["uploaded"] is None and "Upload SARIF to code scanning" in run["skipped"],
              f"bad args: outputs {run['outputs']}, failed in {run['failed_step']}")
    print("action-test: OK")


if __name__ == "__main__":
    main()
