# shellcheck shell=bash
# Sourced by packaging/nginx/check.sh and packaging/compose/check.sh.
# nginx_parses NGINX WORK CONF NAME: `nginx -t` on CONF (already moved to loopback ports)
# inside a minimal nginx.conf whose pid, logs and temporary paths are all in WORK; prints
# "ok: NAME parses with nginx/VERSION".
nginx_parses() {
    local nginx=$1 work=$2 conf=$3 name=$4
    cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    client_body_temp_path $work/client-body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    access_log $work/access.log;
    include $conf;
}
CONF
    "$nginx" -t -q -e "$work/error.log" -p "$work" -c "$work/nginx.conf"
    echo "ok: $name parses with $("$nginx" -v 2>&1 | sed 's/^nginx version: //')"
}
