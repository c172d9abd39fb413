# Built on a machine with internet access and carried to the offline server with
# `docker save` / `docker load` (README, "At scale"). Pin the base by digest there
# (python:3.11-slim@sha256:…) so that a rebuild gives the same image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=sxtd.settings.production

WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/base.lock
COPY . .
# collectstatic only reads settings; the build has no secrets, so it gets throwaway ones.
# The code stays root's: the app may write only where the volumes go. Docker fills a new
# named volume from the image's folder, owner included; without these folders it would
# create them root-owned, and every evidence upload would fail.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --no-input \
    && useradd --system --home-dir /nonexistent --no-create-home sxtd \
    && mkdir -p /data/media /data/beat \
    && chown sxtd /data/media /data/beat
USER sxtd
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "sxtd.wsgi:application"]
