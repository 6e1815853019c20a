# The Airflow image of pressdx: the official Airflow 3.3.2 image plus the project's locked *runtime*
# dependencies (requirements-runtime.lock: no test or lint tools) and the project itself, installed
# editable at /opt/pressdx. docker-compose.yml mounts the working tree over /opt/pressdx, so the DAGs,
# ingest/, pressdx/ and dbt_project/ in use are always those of the tree.
FROM apache/airflow:3.3.2-python3.11

# WeasyPrint's system libraries (Pango) and fonts with Vietnamese glyphs: the report is printed to PDF.
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
USER airflow

# Only what the install needs (BuildKit sends nothing else of the build context).
COPY --chown=airflow:0 pyproject.toml setup.py requirements-runtime.lock README.md /opt/pressdx/
COPY --chown=airflow:0 ingest/__init__.py /opt/pressdx/ingest/__init__.py
COPY --chown=airflow:0 pressdx/__init__.py /opt/pressdx/pressdx/__init__.py

# The lock pins apache-airflow==3.3.2 too, so this never moves the image's Airflow.
RUN pip install --no-cache-dir -r /opt/pressdx/requirements-runtime.lock \
 && pip install --no-cache-dir --no-deps -e /opt/pressdx

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/pressdx/dags \
    PRESSDX_DATA_DIR=/opt/pressdx-data
WORKDIR /opt/pressdx
