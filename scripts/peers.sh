#!/usr/bin/env bash
# Real FTP peers for the test suite (issue 3), without installing any of them as a service.
#
# vsftpd, proftpd-core and pure-ftpd conflict with one another as Debian packages (each Provides and
# Conflicts ftp-server), so they are fetched with `apt-get download` and unpacked side by side with
# `dpkg -x` into .peers/root (git-ignored); only their shared libraries are installed. pyftpdlib,
# nftables and iproute2 (for the Linux FTP ALG tests in network namespaces) are installed normally.
#
# Two FTP application-level proxies go the same way (test/helpers/proxies.ts): ftp-proxy (SuSE
# proxy-suite), whose package would start a daemon from its postinst, and ProFTPD's mod_proxy, a
# module for the proftpd-core that is unpacked here, not installed. Debian 12's mod_proxy.so calls
# OpenSSL without naming libssl among its needed libraries (proftpd stops with "undefined symbol:
# OPENSSL_init_ssl"), so libssl3 is installed for the LD_PRELOAD that starts it; libpcre2-posix3 is
# one of proftpd's own libraries.
# Needs root (apt). Idempotent: safe to run again.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
peers="$top/.peers"
servers=(vsftpd proftpd-core pure-ftpd)
proxies=(ftp-proxy proftpd-mod-proxy)

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/peers.sh: needs root (apt-get install); run it with sudo" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# The servers' and proxies' shared libraries: every lib* package their Depends name.
libs=$(apt-cache show --no-all-versions "${servers[@]}" "${proxies[@]}" | sed -n 's/^Depends: //p' | tr ',|' '\n\n' |
  sed -E 's/^ *([^ (]+).*/\1/' | grep -E '^lib' | sort -u)
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $libs libssl3 libpcre2-posix3 python3 python3-pyftpdlib nftables iproute2 openssl >/dev/null

mkdir -p "$peers/debs" "$peers/root"
cd "$peers/debs"
rm -f ./*.deb
apt-get download -o APT::Sandbox::User=root "${servers[@]}" "${proxies[@]}" >/dev/null
for deb in ./*.deb; do dpkg -x "$deb" "$peers/root"; done

# Record what we got, for the tests' reports and the README's "Tested against" table.
{
  for p in "${servers[@]}" "${proxies[@]}"; do echo "$p $(dpkg-deb -f ./"${p}"_*.deb Version)"; done
  echo "python3-pyftpdlib $(dpkg-query -W -f '${Version}' python3-pyftpdlib)"
  echo "nftables $(dpkg-query -W -f '${Version}' nftables)"
} >"$peers/versions.txt"
echo "scripts/peers.sh: servers and proxies unpacked under $peers/root:"
sed 's/^/  /' "$peers/versions.txt"
