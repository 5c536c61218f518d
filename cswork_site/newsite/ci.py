"""The example publishing set-ups `cswork init` writes: a GitHub Actions workflow, a
GitLab CI file and a Dockerfile, each pinned to this version of cswork.

The templates are plain files in files/ci/ with @NAME@ placeholders (Jinja's braces
would clash with GitHub's `${{ }}`). docs/deployment.md ("Publishing every night")
explains every step of them for a council web lead.
"""

from __future__ import annotations

import re
from importlib import metadata, resources

# Where each template goes in a new site folder.
TEMPLATES = {
    ".github/workflows/publish.yml": "github-publish.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
    "Dockerfile": "Dockerfile",
}
_PLACEHOLDER = re.compile(r"@[A-Z_]+@")
# What goes between quotes in YAML and in comments without escaping: a council's address.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/-]*)?")
_PYTHON = re.compile(r"3\.[0-9]{1,2}")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")


def cswork_version() -> str:
    """The version the files pin: the one installed, so a site is built in CI with the
    cswork it was made with."""
    return metadata.version("cswork-site")


def ci_files(site_url: str, python_version: str = "3.11", branch: str = "main") -> dict[str, str]:
    """Each file's path in the site folder and its text. Raises ValueError for an
    address, Python version or branch name the files cannot hold as they are."""
    if not _SITE_URL.fullmatch(site_url):
        raise ValueError(f"{site_url!r} is not a site address such as https://careers.example.gov.uk/")
    if not _PYTHON.fullmatch(python_version):
        raise ValueError(f"{python_version!r} is not a Python version such as 3.11")
    if not _BRANCH.fullmatch(branch) or branch.startswith("-"):
        raise ValueError(f"{branch!r} is not a branch name such as main")
    values = {
        "@CSWORK_VERSION@": cswork_version(),
        "@PYTHON_VERSION@": python_version,
        "@SITE_URL@": site_url,
        "@BRANCH@": branch,
    }
    folder = resources.files("cswork_site.newsite").joinpath("files", "ci")
    files = {}
    for path, template in TEMPLATES.items():
        text = _PLACEHOLDER.sub(lambda m: values[m.group(0)], folder.joinpath(template).read_text(encoding="utf-8"))
        files[path] = text
    return files
