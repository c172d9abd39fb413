#!/usr/bin/env bash
# Nightly backup of SXTD Tracker run by docker-compose.yml: the database (pg_dump's custom
# format, which pg_restore reads) and the uploaded evidence (the media volume), into
# BACKUP_DIR, keeping KEEP_DAYS days. README, "At scale", says how to restore both.
#
#   deploy/backup.sh /var/backups/sxtd        (from cron: see the README)
set -euo pipefail
# The dump holds every account's password hash: readable by root only.
umask 077

backup_dir="${1:?usage: deploy/backup.sh BACKUP_DIR}"
keep_days="${KEEP_DAYS:-14}"
cd "$(dirname "$0")/.."
mkdir -p "$backup_dir"
# The folder too: the evidence archive is written inside the container, whose umask is
# not this one, and a folder made earlier may be open to every user.
chmod 700 "$backup_dir"
day="$(date +%F)"

# Written under a temporary name and renamed once complete, so that a dump cut short is
# never taken for the night's backup. -T: no terminal, which would alter the binary dump.
docker-compose exec -T db pg_dump -U sxtd -d sxtd -Fc >"$backup_dir/.sxtd-$day.dump"
mv "$backup_dir/.sxtd-$day.dump" "$backup_dir/sxtd-$day.dump"

# The evidence after the database: every file the dump names is in the archive. Root inside
# the container, to write into the host's backup folder.
docker-compose run --rm --no-deps -T -u root -v "$(realpath "$backup_dir")":/backup web \
    sh -c "umask 077 && tar -C /data/media -czf /backup/.media-$day.tar.gz ."
mv "$backup_dir/.media-$day.tar.gz" "$backup_dir/media-$day.tar.gz"

find "$backup_dir" -maxdepth 1 \( -name 'sxtd-*.dump' -o -name 'media-*.tar.gz' \) \
    -mtime +"$keep_days" -delete
