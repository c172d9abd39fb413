"""gunicorn in the container (Dockerfile, docker-compose.yml): README, "At scale".

GUNICORN_CMD_ARGS overrides any of these without a new image, e.g. "--workers 5".
"""

# Every address inside the container; docker-compose.yml publishes it on 127.0.0.1 only.
bind = "0.0.0.0:8000"
# Threads, not one request per process: a thread streaming a large export does not stop its
# worker from answering gunicorn's heartbeat, nor from serving pages meanwhile.
worker_class = "gthread"
workers = 3
threads = 4
# A worker whose heartbeat is silent this long is killed. With threads the heartbeat goes on
# while a request runs, but a long stretch inside pandas' C code while an Excel export is built
# can hold it back: 300 s, not the default 30, as long as the proxy waits (deploy/nginx.conf).
timeout = 300
# On restart, requests under way get this long to finish; docker-compose.yml gives the
# container a little more before it kills it.
graceful_timeout = 30
accesslog = "-"
# The control socket would go in $HOME, the read-only code; nobody drives gunicorn through it.
control_socket_disable = True
