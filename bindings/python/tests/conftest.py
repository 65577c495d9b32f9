"""Paths for the tests: the checkout (PUBRENDER_ROOT, else the one this file is
in) and the CLI built with the library (PUBRENDER_CLI), which the package's
output is compared with."""
import os
import subprocess
from typing import List

import pytest

ROOT = os.environ.get("PUBRENDER_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
ALFOLIO = os.path.join(ROOT, "tests", "corpus", "alfolio-site.bib")
VENUES = os.path.join(ROOT, "tests", "corpus", "alfolio-site-venues.yml")
COAUTHORS = os.path.join(ROOT, "tests", "corpus", "alfolio-site-coauthors.yml")
PUBS = os.path.join(ROOT, "data", "pubs.bib")


def cli(args: List[str]) -> str:
    """The CLI's standard output for args (skips when no CLI was given)."""
    exe = os.environ.get("PUBRENDER_CLI")
    if not exe:
        pytest.skip("PUBRENDER_CLI is not set (ctest sets it)")
    r = subprocess.run([exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return r.stdout.decode("utf-8")
