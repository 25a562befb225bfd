# Plenary: one image, configured by environment (see README "Configuration").
FROM python:3.11-slim

WORKDIR /srv/plenary
COPY pyproject.toml README.md ./
COPY app ./app
COPY static ./static
RUN pip install --no-cache-dir . && mkdir -p /data

# Listen on every interface inside the container; SQLite lives on a volume unless
# DATABASE_URL points at PostgreSQL. Set REDIS_URL to run several containers.
# A public server must also set PLENARY_CREATE_TOKEN and PLENARY_PUBLIC_URL and sit
# behind a TLS proxy: see docs/deployment.md.
ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/plenary.db
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz')"

# Run from the source folder so `static/` and `app/templates/` are found beside the code.
CMD ["python", "-m", "app.cli", "serve"]
