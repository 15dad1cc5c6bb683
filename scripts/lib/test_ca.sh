# The test services' TLS material, shared by scripts/services/mariadb and scripts/services/mysql.
# Source it; it defines one function.

# make_test_certificates DIR LOG: a throw-away CA (ca.pem), a server certificate for the name
# "localhost" only (so tests can tell a CA check from a host-name check by connecting to
# 127.0.0.1), and a client certificate, all in DIR. Does nothing when DIR already holds them.
make_test_certificates() {
  local dir="$1" log="$2"
  [ -f "$dir/client-cert.pem" ] && return 0
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Sluice test CA" \
      -keyout ca-key.pem -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server-key.pem -out server.csr
    printf 'subjectAltName=DNS:localhost\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile server.ext -out server-cert.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=sluice-client" -keyout client-key.pem -out client.csr
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -out client-cert.pem
  ) >"$log" 2>&1
}
