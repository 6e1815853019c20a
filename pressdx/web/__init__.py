"""The web portal (issue 16): a face of the house, like the CLI and the Airflow glue.

Reporting units' clerks upload their files here and see what is due; the Press Department sees the
dashboard; auditors read everything. It reads figures through ``pressdx.figures``, checks files through
intake's ``validate_file`` and stores accepted uploads as a folder source that intake takes in, so the
portal holds no rule of its own about KPIs or about what a valid file is.
"""
