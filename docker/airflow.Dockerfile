# The Airflow image of pressdx: the official Airflow 3.3.2 image plus the project's locked dependencies and
# the project itself, installed editable at /opt/pressdx. docker-compose.yml mounts the working tree over
# /opt/pressdx, so the DAGs, ingest/ and dbt_project/ in use are always those of the tree.
FROM apache/airflow:3.3.2-python3.11

# Chromium, poppler and fonts with Vietnamese glyphs: the report and the trend review are printed to PDF.
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium poppler-utils fonts-noto-core fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
USER airflow

# Only what the install needs (BuildKit sends nothing else of the build context).
COPY --chown=airflow:0 pyproject.toml requirements.lock README.md /opt/pressdx/
COPY --chown=airflow:0 ingest/__init__.py /opt/pressdx/ingest/__init__.py

# The lock pins apache-airflow==3.3.2 too, so this never moves the image's Airflow.
RUN pip install --no-cache-dir -r /opt/pressdx/requirements.lock \
 && pip install --no-cache-dir --no-deps -e /opt/pressdx

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/pressdx/dags \
    PRESSDX_DATA_DIR=/opt/pressdx-data
WORKDIR /opt/pressdx
