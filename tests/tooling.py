import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The path of a command the test needs; in CI its absence fails rather than skips."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is not installed; .ci/run installs it.")
        pytest.skip(f"{name} is not installed")
    return path
