"""Files an installed pressdx reads but does not import: ``dbt_project/`` and ``expectations/``.

In the repository they stay at the top level, where dbt, Great Expectations and people look for them;
building the wheel copies them in here (``setup.py``), and ``pressdx.settings.resource_dir`` finds them
here when there is no checkout around the package. Nothing writes into this folder at run time.
"""
