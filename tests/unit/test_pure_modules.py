"""The pure layers import no Django: analytics/ (STYLE.md) and the seed's schema and reader,
so they can run and be tested without settings or a database."""

import os
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


def test_the_web_urls_load_without_the_import_machinery() -> None:
    """pyarrow and polars (a quarter of a second) load when a CORDIS import runs, not with every web worker."""
    code = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'trechter.settings'; django.setup(); "
        "import trechter.urls; print(sorted(m for m in ('polars', 'pyarrow') if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")} | {"TRECHTER_DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"
