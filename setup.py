"""Build hook: the wheel carries ``dbt_project/`` and ``expectations/`` as package data of ``pressdx._bundle``.

Everything else about the package is declared in ``pyproject.toml``. The two folders stay at the root of
the repository (the card's layout; dbt and people use them there) and a checkout reads them in place
(``pressdx.settings.resource_dir``). setuptools cannot map a folder outside the package tree into a
package found by ``packages.find``, so ``build_py`` copies them into the build, leaving out what dbt or
Python leave behind in a working checkout. An editable install copies nothing: it reads the checkout.
The sdist carries the folders through ``MANIFEST.in``, so ``uv build`` (sdist, then wheel) works too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("dbt_project", "expectations")
LEFT_OUT = shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml", "__pycache__", "*.pyc",
                                  ".pressdx-resource")


class BuildPyWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in BUNDLED:
            source = Path(name)
            if not (source / ".pressdx-resource").is_file():
                raise SystemExit(f"setup.py: {name}/ is missing from the source tree (MANIFEST.in grafts it)")
            dest = Path(self.build_lib, "pressdx", "_bundle", name)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(source, dest, ignore=LEFT_OUT)


setup(cmdclass={"build_py": BuildPyWithBundle})
