# The chainkg API and web console. Used by docker-compose.yml (which puts Neo4j beside it);
# on its own it runs on the embedded store: docker run -p 8000:8000 chainkg:local
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 chainkg
WORKDIR /app

# dependencies first, so a code change does not reinstall them
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY loaders ./loaders
COPY viz ./viz
COPY api ./api
RUN pip install .

COPY data ./data
ENV CHAINKG_DATASET=/app/data/xining \
    CHAINKG_DATA_FILE=/home/chainkg/.chainkg/graph.pickle

USER chainkg
EXPOSE 8000
# `serve` loads the default dataset into an empty store on start, then serves
CMD ["chainkg", "serve", "--host", "0.0.0.0", "--port", "8000"]
