# The image of compose.yaml: the platform installed from this repository (Debian's Python, packages from PyPI).
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 CHENGGUAN_VAR_DIR=/var/lib/chengguan
WORKDIR /src
COPY pyproject.toml README.md ./
COPY chengguan ./chengguan
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/chengguan chengguan \
    && mkdir -p /var/lib/chengguan && chown chengguan /var/lib/chengguan
USER chengguan
WORKDIR /var/lib/chengguan
EXPOSE 8000
CMD ["chengguan", "serve", "--host", "0.0.0.0", "--port", "8000"]
