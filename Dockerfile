FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=sxtd.settings.production

WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/base.lock
COPY . .
# collectstatic only reads settings; the build has no secrets, so it gets throwaway ones.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --no-input \
    && useradd --system --home /app sxtd && chown -R sxtd /app
USER sxtd
EXPOSE 8000
CMD ["gunicorn", "sxtd.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
