"""The GitHub workflow passes actionlint."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_workflows_pass_actionlint():
    result = subprocess.run(["bash", "scripts/actionlint.sh"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    n = len(list((ROOT / ".github" / "workflows").glob("*.yml")))
    assert n > 0 and f"Checking {n} workflow file(s)" in result.stdout
