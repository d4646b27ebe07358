"""The pure layers import no Django: analytics/ (STYLE.md) and the seed's schema and reader,
so they can run and be tested without settings or a database."""

import pkgutil
import subprocess
import sys

import pytest

import trechter.analytics

PURE = [
    "trechter.seed.schema",
    "trechter.seed.dataset",
    *(f"trechter.analytics.{m.name}" for m in pkgutil.iter_modules(trechter.analytics.__path__)),
]


@pytest.mark.parametrize("module", PURE)
def test_module_imports_without_django(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
